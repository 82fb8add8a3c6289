"""``grade release`` and ``grade gradescope``: thin commands over :mod:`grader.release`.

Exit status: 0 built (or current with ``--check``), 1 stale with ``--check``,
2 for usage errors or a build that was refused (the message says why).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader.release import ReleaseError, find_course_root
from grader.cli import _Parser  # one-line usage errors, exit 2

COMMANDS = ("release", "gradescope")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="grade", description="Build what leaves the course checkout.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    r = sub.add_parser("release", help="the student handout (folder and zip)",
                       description="Build the student handout from starter/ and notebooks/, with the student edition of "
                                   "the grader, a README and a GitHub Actions workflow; refuse if it would hold an answer.")
    r.add_argument("--root", type=Path, help="the course checkout (default: found at or above the working folder)")
    r.add_argument("--out", type=Path, help="handout folder (default: ROOT/dist/handout; the zip goes next to it)")
    r.add_argument("--grader-spec", metavar="REQUIREMENT",
                   help="pip requirement for the grader in requirements.txt instead of shipping its sdist in tools/")
    r.add_argument("--title", default="Assignment 2: neural-network layers", help="title of the students' README")
    r.add_argument("--submit-note", default="", help="a line for the README on where and how to submit")
    g = sub.add_parser("gradescope", help="the Gradescope autograder bundle",
                       description="Build autograder.zip for Gradescope (setup.sh, run_autograder, the grader, the "
                                   "reference and hidden checks), or check that a built one is current.")
    g.add_argument("--root", type=Path, help="the course checkout (default: found at or above the working folder)")
    g.add_argument("--out", type=Path, help="bundle folder (default: ROOT/dist/gradescope)")
    g.add_argument("--check", action="store_true", help="build nothing; exit 1 if the bundle at --out is stale")
    return p


def main(argv: list[str]) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # usage errors and --help: a status, not an exception
        return int(exc.code or 0)
    try:
        root = find_course_root(args.root)
        if args.command == "release":
            from grader.release.handout import build_handout

            built = build_handout(root=root, out=args.out or root / "dist" / "handout", grader_spec=args.grader_spec,
                                  title=args.title, submit_note=args.submit_note)
            print(f"handout: {built.folder} ({len(built.files)} files) and {built.archive}")
            print(f"checked for {built.checked} lines and blocks of the solutions and hidden checks: none found")
            return 0
        from grader.release.gradescope import build_gradescope, check_bundle

        out = args.out or root / "dist" / "gradescope"
        if args.check:
            reasons = check_bundle(root=root, bundle=out)
            for reason in reasons:
                print(f"stale: {reason}")
            if not reasons:
                print(f"{out / 'autograder.zip'} is current")
            return 1 if reasons else 0
        built = build_gradescope(root=root, out=out)
        print(f"Gradescope bundle: {built.archive} ({len(built.files)} files)")
        for note in built.notes:
            print(f"  {note}")
        return 0
    except ReleaseError as exc:
        print(f"grade {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a malformed notebook, an unwritable --out: one line, not a traceback
        print(f"grade {args.command}: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
