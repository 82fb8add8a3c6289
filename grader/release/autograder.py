"""``run_autograder``'s Python half: grade ``/autograder/submission`` and always write ``results.json``.

Gradescope unpacks the bundle into ``<root>/source`` and the student's upload
into ``<root>/submission``, and reads ``<root>/results/results.json``.
Grading is strict (a kernel sandbox) unless ``--isolation`` says otherwise:
the bundle holds the answers, so where no sandbox can be built nothing is
graded and ``results.json`` says why.  The
reference and the hidden checks come from ``<root>/source/reference`` (the
instructors' rubric there included).  Whatever goes wrong, a ``results.json``
that says what happened is written, so students never see a bare failure.
"""
from __future__ import annotations

import argparse
import json
import shutil
import traceback
from pathlib import Path

DEFAULT_ROOT = Path("/autograder")


def _fallback(results: Path, message: str) -> None:
    results.write_text(json.dumps({"score": 0, "output": message, "tests": []}, indent=1) + "\n")


def run(*, root: Path = DEFAULT_ROOT, extra_args: list[str] | None = None) -> int:
    """Grade the submission under ``root``; write ``root/results/results.json``; return the CLI's status."""
    from grader.cli import main as cli_main

    results_dir = root / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    results = results_dir / "results.json"
    report = results_dir / "report"
    reference = root / "source" / "reference"
    if not (reference / "nnlayers").is_dir():
        _fallback(results, f"The autograder bundle is incomplete ({reference}/nnlayers is missing). "
                           "Please tell the course staff.")
        return 2
    extra = list(extra_args or [])
    if not any(a == "--isolation" or a.startswith("--isolation=") for a in extra):
        # the bundle holds the reference: never grade where student code could read it
        from grader.isolation.policy import IsolationError, choose

        try:
            choose("strict")
        except IsolationError as exc:
            _fallback(results, "The autograder's sandbox could not be set up, so nothing was graded; please tell the "
                               f"course staff.\n\n{exc}")
            return 2
        extra += ["--isolation", "strict"]
    argv = [str(root / "submission"), "--out", str(report), "--reference", str(reference), "--quiet", *extra]
    try:
        status = cli_main(argv)
    except BaseException:  # noqa: BLE001 - the student must get a results.json whatever happened
        _fallback(results, "The autograder failed; please tell the course staff.\n\n" + traceback.format_exc(limit=5))
        return 2
    written = report / "results.json"
    if written.is_file():
        shutil.copyfile(written, results)
    else:
        _fallback(results, f"The grader wrote no results (exit status {status}); please tell the course staff.")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.release.autograder", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="Gradescope's folder (default: /autograder)")
    args, extra = parser.parse_known_args(argv)
    return run(root=args.root, extra_args=extra)


if __name__ == "__main__":
    raise SystemExit(main())
