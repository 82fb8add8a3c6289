"""Time a full grade of the reference (no notebooks) and where the time goes.

Usage: ``python benchmarks/bench_grade.py [--repeat 3] [--submission solutions]``

Prints the wall time of whole grades (median of ``--repeat``), the time spent
per kind of check, and the worker overhead: the start-up of one worker process
and the round trip of an empty program, both measured in this run.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.api import grade  # noqa: E402
from grader.executor import WorkerExecutor  # noqa: E402


def worker_overhead(root: Path, n: int = 20) -> tuple[float, float]:
    """(seconds to start a worker and run a first empty program, median seconds of an empty round trip)."""
    empty = [{"op": "return", "names": []}]
    with WorkerExecutor(root) as ex:
        t0 = time.perf_counter()
        ex.run(empty)
        start = time.perf_counter() - t0
        trips = []
        for _ in range(n):
            t0 = time.perf_counter()
            ex.run(empty)
            trips.append(time.perf_counter() - t0)
    return start, statistics.median(trips)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--submission", type=Path, default=ROOT / "solutions")
    args = parser.parse_args()
    walls, per_kind, counts = [], defaultdict(list), defaultdict(int)
    for i in range(args.repeat):
        t0 = time.perf_counter()
        report = grade(submission=args.submission, seed=i, reference=ROOT / "solutions", notebooks=False)
        walls.append(time.perf_counter() - t0)
        kinds = defaultdict(float)
        for c in report.checks:
            kinds[c.kind] += c.duration_s
            counts[c.kind] = counts[c.kind] if i else counts[c.kind] + 1
        for k, v in kinds.items():
            per_kind[k].append(v)
    start, trip = worker_overhead(args.submission)
    print(f"submission: {args.submission}  score: {report.score:g}/{report.max_score:g}  checks: {len(report.checks)}")
    print(f"full grade (no notebooks), median of {args.repeat}: {statistics.median(walls):.2f} s  (target: <= 10 s)")
    print(f"{'kind':<12} {'checks':>6} {'seconds':>8}")
    for k in sorted(per_kind, key=lambda k: -statistics.median(per_kind[k])):
        print(f"{k:<12} {counts[k]:>6} {statistics.median(per_kind[k]):>8.2f}")
    print(f"worker start-up + first program: {start * 1000:.0f} ms; empty round trip: {trip * 1000:.2f} ms")
    import os

    from grader.inline import check

    os.environ["NNLAYERS_ROOT"] = str(args.submission)
    for name in ("affine_forward", "batchnorm_backward_alt", "dropout_forward"):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            check(name)
            times.append(time.perf_counter() - t0)
        print(f"check({name!r}) from a notebook, median of 3: {statistics.median(times):.2f} s (target: < 1 s)")


if __name__ == "__main__":
    main()
