"""Grade a synthetic class (no notebooks) with --jobs 1, --jobs 2 and a LocalCluster of 2 workers, side by side.

Usage: ``python benchmarks/bench_class.py [--count 100] [--keep DIR]``

The class is the reference ``solutions/`` plus variants made by appending the
patches of ``tests/bugs/*.py`` to a copy (a mix of correct and buggy
submissions, one in four correct).  Each configuration grades every
submission from scratch (``force``) with the same seed; the script prints the
wall time, the wall time per submission, and whether the gradebooks agree
(timing checks excepted: their verdicts may differ between runs).
Target: 100 submissions in at most 10 minutes.
"""
from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from grader.classroom import grade_class  # noqa: E402
from support import buggy_copy, reference_copy  # noqa: E402

REFERENCE = ROOT / "solutions"
TARGET_S = 600.0


def make_class(dest: Path, count: int) -> list[Path]:
    """``count`` submission folders under ``dest``: every fourth correct, the others one bug each."""
    bugs = sorted((ROOT / "tests" / "bugs").glob("*__*.py"))
    subs = []
    for i in range(count):
        folder = dest / f"s{i:03d}"
        if i % 4:
            buggy_copy(folder, bugs[(i * 7) % len(bugs)])
        else:
            reference_copy(folder)
        subs.append(folder)
    return subs


def _without_timing(gradebook: Path) -> list[list[str]]:
    rows = list(csv.reader(open(gradebook)))
    keep = [j for j, name in enumerate(rows[0]) if not name.endswith(".timing") and name not in ("score",)]
    return [[row[j] for j in keep] for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the class and its reports in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-class-"))
    subs = make_class(work / "submissions", args.count)
    kw = dict(submissions=subs, notebooks=False, seed=args.seed, reference=REFERENCE, force=True)
    rows = []

    def timed(label: str, out: Path, **extra) -> None:
        t0 = time.perf_counter()
        results = grade_class(out=out, **kw, **extra)
        wall = time.perf_counter() - t0
        errors = sum(bool(r.error) for r in results)
        mean = sum(r.percent for r in results) / len(results)
        rows.append((label, wall, out, errors, mean))
        print(f"  {label}: {wall:.1f} s", file=sys.stderr, flush=True)

    timed("--jobs 1", work / "jobs1", jobs=1)
    timed("--jobs 2", work / "jobs2", jobs=2)
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        timed("LocalCluster(2)", work / "dask2", scheduler=cluster.scheduler_address)

    same = all(_without_timing(r[2] / "gradebook.csv") == _without_timing(rows[0][2] / "gradebook.csv") for r in rows)
    print(f"{args.count} submissions ({sum(1 for i in range(args.count) if i % 4 == 0)} correct), no notebooks, seed {args.seed}")
    print(f"{'configuration':<18} {'wall s':>8} {'s/submission':>13} {'vs jobs 1':>10} {'errors':>7} {'mean %':>7}")
    base = rows[0][1]
    for label, wall, _, errors, mean in rows:
        print(f"{label:<18} {wall:>8.1f} {wall / args.count:>13.2f} {base / wall:>9.2f}x {errors:>7} {mean:>7.1f}")
    best = min(r[1] for r in rows)
    scaled = best * 100 / args.count
    print(f"gradebooks agree (timing checks aside): {'yes' if same else 'NO'}")
    print(f"target: 100 submissions in <= {TARGET_S:.0f} s; fastest configuration here scales to {scaled:.0f} s: "
          f"{'met' if scaled <= TARGET_S else 'NOT met'}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
