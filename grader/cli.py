"""``grade``: the command line, a thin layer over :func:`grader.api.grade` (one submission folder)
and :func:`grader.classroom.grade_class` (several submissions, archives, or ``--scheduler``).

Exit status: 0 when grading finished (whatever the score); 1 with
``--fail-under P`` when a score is below P percent; 2 for usage errors;
130 when a class run is interrupted (finished report folders are kept).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader import __version__
from grader.api import Limits, grade
from grader.isolation.policy import IsolationError, choose
from grader.rubric import RubricError
from grader.submission import SubmissionError

DEFAULT_OUT = Path("grade-report")
INSTRUCTOR_COMMANDS = ("release", "gradescope")


class UsageError(Exception):
    """Bad command-line input: reported in one line, exit status 2."""


def _bounded(kind, low: float, high: float | None, what: str, *, low_open: bool = False):
    """An argparse type: a number of ``kind`` in [low, high] (or (low, high] with ``low_open``), else a one-line error."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if (value <= low if low_open else value < low) or (high is not None and value > high):
            bounds = f"greater than {low}" if high is None else f"between {low} and {high}"
            raise argparse.ArgumentTypeError(f"must be {bounds}, got {text}")
        return value
    return parse


_positive_int = _bounded(int, 0, None, "a number", low_open=True)
_positive_float = _bounded(float, 0, None, "a number", low_open=True)
_percent = _bounded(float, 0, 100, "a percentage")
_seed = _bounded(int, 0, 2**31 - 1, "an integer")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no traceback
        print(f"{self.prog}: error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="grade", description="Grade nnlayers submissions: layer checks in an isolated worker, then reports.",
                epilog="Instructors: 'grade release' builds the student handout and 'grade gradescope' the Gradescope "
                       "bundle (see grade release --help).")
    p.add_argument("submissions", nargs="+", type=Path, metavar="SUBMISSION",
                   help="folder holding the student's nnlayers/ package (at its top or one level down), "
                        "or a .zip / .tar.gz of one")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT,
                   help="report folder (default: grade-report/); with several submissions, one sub-folder each "
                        "plus gradebook.csv, summary.md and summary.html")
    p.add_argument("--seed", type=_seed, help="seed of the randomized inputs (default: a fresh one, recorded in the report)")
    p.add_argument("--only", action="append", metavar="PATTERN",
                   help="run only checks whose id or function matches this glob (repeatable)")
    p.add_argument("--no-notebooks", action="store_true", help="do not run the notebooks (and do not count them)")
    p.add_argument("--rubric", type=Path, help="rubric TOML file (default: the packaged rubric)")
    p.add_argument("--reference", type=Path, help="folder holding the reference nnlayers (found automatically in the course checkout)")
    p.add_argument("--isolation", choices=("strict", "basic"),
                   help="strict: kernel sandbox (bubblewrap or Landlock) + seccomp, refused if unavailable; "
                        "basic: resource limits only (default: strict where available)")
    p.add_argument("--jobs", type=_positive_int, default=1, help="submissions graded in parallel")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="grade on a Dask cluster (tcp://host:8786), one task per submission; needs pip install '.[dask]'")
    p.add_argument("--force", action="store_true",
                   help="grade again submissions already graded in --out whose content and options did not change")
    p.add_argument("--timeout", type=_positive_float, default=Limits.per_call, help="seconds allowed per call (default: %(default)s)")
    p.add_argument("--fail-under", type=_percent, metavar="P", help="exit with status 1 if a score is below P percent")
    p.add_argument("--quiet", action="store_true", help="print only the score line")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def _summary(report, out: Path, quiet: bool) -> str:
    pct = 100.0 * report.score / report.max_score if report.max_score else 0.0
    line = f"{report.submission}: {report.score:g} / {report.max_score:g} ({pct:.1f}%) -> {out}"
    if quiet:
        return line
    bad = [c for c in report.checks if c.status in ("failed", "error", "timeout")]
    lines = [line]
    for c in bad[:15]:
        lines.append(f"  {c.status:8s} {c.id}: {c.message.splitlines()[0][:160] if c.message else ''}")
        if getattr(c, "mistake", None):
            lines.append(f"           likely mistake: {c.mistake} (see the report for a hint)")
    if len(bad) > 15:
        lines.append(f"  ... and {len(bad) - 15} more (see {out / 'report.md'})")
    return "\n".join(lines)


def _class_summary(results, out: Path, quiet: bool) -> str:
    lines = [] if quiet else [_class_line(r) for r in results]
    graded = [r for r in results if not r.error]
    mean = sum(r.percent for r in graded) / len(graded) if graded else 0.0
    lines.append(f"{len(results)} submissions: {len(graded)} graded (mean {mean:.1f}%, "
                 f"{sum(r.skipped for r in results)} unchanged), {len(results) - len(graded)} not graded "
                 f"-> {out / 'gradebook.csv'}, {out / 'summary.html'}")
    return "\n".join(lines)


def _class_line(result) -> str:
    if result.error:
        return f"{result.name}: not graded: {result.error.splitlines()[0][:200]}"
    r = result.report
    return f"{result.name}: {r['score']:g} / {r['max_score']:g} ({result.percent:.1f}%) -> {result.folder}"


def _grade_class(args) -> int:
    """Several submissions, archives or a cluster: :func:`grader.classroom.grade_class`."""
    from grader.classroom import grade_class
    from grader.classroom.distributed import DaskUnavailable
    from grader.classroom.progress import Progress

    try:
        results = grade_class(submissions=args.submissions, out=args.out, jobs=args.jobs, scheduler=args.scheduler,
                              force=args.force, seed=args.seed, only=args.only, notebooks=not args.no_notebooks,
                              rubric=args.rubric, reference=args.reference, timeout=args.timeout,
                              isolation=args.isolation, progress=Progress)
    except (RubricError, SubmissionError, IsolationError, DaskUnavailable) as exc:
        print(f"grade: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"grade: interrupted; finished report folders, the gradebook and the summary are in {args.out}",
              file=sys.stderr)
        return 130
    except OSError as exc:  # e.g. a scheduler that cannot be reached
        print(f"grade: error: {exc}", file=sys.stderr)
        return 2
    print(_class_summary(results, args.out, args.quiet))
    if args.fail_under is not None and any(r.percent < args.fail_under for r in results):
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] and argv[0] in INSTRUCTOR_COMMANDS:  # grade release / grade gradescope (a folder named so: ./release)
        from grader.release.cli import main as release_main

        return release_main(argv)
    args = build_parser().parse_args(argv)
    from grader.classroom.archives import is_archive

    for s in args.submissions:
        if not s.exists():
            print(f"grade: error: {s} does not exist", file=sys.stderr)
            return 2
        if not s.is_dir() and not is_archive(s):
            print(f"grade: error: {s} is not a folder, a .zip or a .tar.gz", file=sys.stderr)
            return 2
    if args.rubric is not None and not args.rubric.is_file():
        print(f"grade: error: rubric {args.rubric} does not exist", file=sys.stderr)
        return 2
    if len(args.submissions) > 1 or args.scheduler or not args.submissions[0].is_dir():
        return _grade_class(args)
    try:
        iso = choose(args.isolation)
    except IsolationError as exc:
        print(f"grade: error: {exc}", file=sys.stderr)
        return 2
    try:
        report = grade(submission=args.submissions[0], out=args.out, seed=args.seed, only=args.only,
                       notebooks=not args.no_notebooks, rubric=args.rubric, reference=args.reference,
                       limits=Limits(per_call=args.timeout), isolation=iso)
    except (RubricError, SubmissionError) as exc:
        print(f"grade: error: {exc}", file=sys.stderr)
        return 2
    print(_summary(report, args.out, args.quiet))
    if args.fail_under is not None:
        pct = 100.0 * report.score / report.max_score if report.max_score else 0.0
        if pct < args.fail_under:
            return 1
    return 0

if __name__ == "__main__":
    raise SystemExit(main())
