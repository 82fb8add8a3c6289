"""How many bug fixtures of ``tests/bugs/`` get their mistake named correctly.

Grades every bug variant (its ``FAILS`` checks, timing checks left out) with the
reference and its mistake catalog, and prints, per variant, what the failed
checks named.  A variant counts as named correctly when one of its failed checks
names its ``MISTAKE`` and none names another entry.

Usage: ``.venv/bin/python scripts/mistake_share.py [--workers 3]``
"""
from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "solutions")]

from test_grader_checks import ALL_IDS, bug_files, grade_bug, load_bug, mistake_problems  # noqa: E402


def _job(folder: str, path: Path):
    bug = load_bug(path)
    ids = tuple(i for i in bug.fails if ALL_IDS[i].kind != "timing")
    if not ids:
        return bug, None
    return bug, grade_bug(Path(folder), bug, ids)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args(argv)
    buggy = [p for p in bug_files() if load_bug(p).fails]
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(
            args.workers, mp_context=multiprocessing.get_context("fork")) as pool:
        results = list(pool.map(_job, [tmp] * len(buggy), buggy))
    rows = []
    for bug, report in results:
        named = sorted({c.mistake for c in report.checks if c.mistake}) if report else []
        ok = bool(bug.mistake) and report is not None and not mistake_problems(bug, report)
        rows.append((bug, report, ok))
        print(f"{'ok ' if ok else '-- '} {bug.name:55s} expected {bug.mistake or '-':45s} named {', '.join(named) or '-'}")
    print()
    for label, keep in (("all bug fixtures that fail a check", lambda b, r: True),
                        ("  of them, not timing-only", lambda b, r: r is not None),
                        ("held-out fixtures (written after the catalog)", lambda b, r: b.doc.startswith("held-out:")),
                        ("  of them, not timing-only", lambda b, r: b.doc.startswith("held-out:") and r is not None)):
        chosen = [(b, ok) for b, r, ok in rows if keep(b, r)]
        right = sum(ok for _, ok in chosen)
        share = f"{100 * right / len(chosen):.0f}%" if chosen else "-"
        print(f"named correctly: {right:3d} / {len(chosen):3d} ({share:>4s}) {label}; "
              f"{sum(b.mistake is not None for b, _ in chosen)} have a MISTAKE")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
