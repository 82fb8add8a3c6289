"""Time a full grade of the reference under each isolation: basic, strict/bubblewrap, strict/landlock.

Usage: ``python benchmarks/bench_isolation.py [--repeat 3] [--seed 1]``

Grades ``solutions/`` against itself (no notebooks, the same seed every time)
``--repeat`` times per isolation, interleaving the isolations round by round
so that drifts of the machine hit them alike, and prints each median wall time
and the overhead of each strict method as a percentage of basic (target: at
most 10 %).  It also prints the start-up of one worker and the round trip of
an empty program under each isolation, where most of the difference lives.
An isolation that cannot be set up here is reported and left out.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.api import grade  # noqa: E402
from grader.executor import WorkerExecutor  # noqa: E402
from grader.isolation.policy import Isolation  # noqa: E402

TARGET_PERCENT = 10.0
MODES = {
    "basic": Isolation("basic", "none"),
    "strict/bubblewrap": Isolation("strict", "bubblewrap", True),
    "strict/landlock": Isolation("strict", "landlock", True),
}


def unavailable(iso: Isolation) -> str | None:
    if iso.method == "bubblewrap":
        from grader.isolation import bwrap

        return bwrap.probe()
    if iso.method == "landlock":
        from grader.isolation import landlock

        return None if landlock.abi_version() > 0 else "the kernel has no Landlock"
    return None


def worker_overhead(iso: Isolation, n: int = 20) -> tuple[float, float]:
    """(seconds to start a worker and run a first empty program, median seconds of an empty round trip)."""
    empty = [{"op": "return", "names": []}]
    with WorkerExecutor(ROOT / "solutions", isolation=iso) as ex:
        t0 = time.perf_counter()
        ex.run(empty)
        start = time.perf_counter() - t0
        trips = []
        for _ in range(n):
            t0 = time.perf_counter()
            ex.run(empty)
            trips.append(time.perf_counter() - t0)
    return start, statistics.median(trips)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    modes = {}
    for name, iso in MODES.items():
        reason = unavailable(iso)
        if reason:
            print(f"{name}: not available here ({reason}); left out")
        else:
            modes[name] = iso
    walls: dict[str, list[float]] = {name: [] for name in modes}
    scores: dict[str, str] = {}
    grade(submission=ROOT / "solutions", reference=ROOT / "solutions", notebooks=False, seed=args.seed,
          isolation=MODES["basic"])  # warm the caches (imports, fixtures, page cache) before timing anything
    for _ in range(args.repeat):
        for name, iso in modes.items():
            t0 = time.perf_counter()
            report = grade(submission=ROOT / "solutions", reference=ROOT / "solutions", notebooks=False,
                           seed=args.seed, isolation=iso)
            walls[name].append(time.perf_counter() - t0)
            scores[name] = f"{report.score:g}/{report.max_score:g}"
    base = statistics.median(walls["basic"])
    print(f"full grade of solutions/ (no notebooks, seed {args.seed}), median of {args.repeat}, interleaved:")
    print(f"{'isolation':<20} {'median s':>9} {'runs':>24} {'overhead':>9} {'worker start':>13} {'round trip':>11}  score")
    worst = None
    for name in modes:
        med = statistics.median(walls[name])
        over = 100.0 * (med - base) / base
        if name != "basic":
            worst = over if worst is None else max(worst, over)
        start, trip = worker_overhead(modes[name])
        runs = " ".join(f"{w:.2f}" for w in walls[name])
        print(f"{name:<20} {med:>9.2f} {runs:>24} {over:>+8.1f}% {1000 * start:>10.0f} ms {1000 * trip:>8.2f} ms  {scores[name]}")
    if worst is None:
        print("no strict method could be set up here: nothing to compare")
        return 0
    verdict = "within" if worst <= TARGET_PERCENT else "OVER"
    print(f"largest overhead of a strict method: {worst:+.1f}% of basic ({verdict} the {TARGET_PERCENT:g}% target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
