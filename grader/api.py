"""The library entry point: :func:`grade` one submission.  The CLI is a thin layer over it."""
from __future__ import annotations

import fnmatch
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from grader import __version__
from grader import fixtures as fixture_store
from grader.checks.kinds import Context, Verdict, run_check
from grader.checks.spec import Check
from grader.checks.registry import all_checks, instructor_rubric, mistake_catalog
from grader.executor import LocalExecutor, WorkerExecutor
from grader.isolation.policy import Isolation, choose
from grader.sandbox import WorkerLimits
from grader.results import CheckResult, Report
from grader.rubric import Rubric, load_rubric
from grader.submission import SubmissionError, find_reference, locate, private_copy

NEEDS_REFERENCE = ("needs the reference solutions, so it runs at official grading "
                   "(instructors: run inside the course checkout or pass --reference)")


@dataclass(frozen=True)
class Limits:
    """Time limits of one grade.

    Attributes
    ----------
    per_call : float
        Wall-clock seconds allowed for one program (one call of a check).
    total : float
        Wall-clock seconds for all checks of one submission; checks not
        started by then are reported as timed out.
    """

    per_call: float = 20.0
    total: float = 900.0


def select_checks(checks: list[Check], only: list[str] | None) -> list[Check]:
    """Checks whose id or one of whose functions matches a pattern of ``only``."""
    if not only:
        return list(checks)
    return [c for c in checks if any(fnmatch.fnmatchcase(c.id, p) or any(fnmatch.fnmatchcase(f, p) for f in c.functions)
                                     or c.id.startswith(p + ".") for p in only)]


def _result(check: Check, verdict: Verdict, duration: float, output: str = "") -> CheckResult:
    score = check.points if verdict.status == "passed" else 0.0
    return CheckResult(
        id=check.id, functions=list(check.functions), kind=check.kind, score=score, max_score=check.points,
        status=verdict.status, message=verdict.message, visibility=check.visibility, condition=check.case.condition,
        duration_s=round(duration, 4), details=verdict.details, output=output, mistake=verdict.mistake,
    )


def _grade_notebooks(located, scratch: Path, out: Path | None, rub: Rubric, worker_limits: WorkerLimits,
                     iso: Isolation, notes: list[str], runs: list, only: list[str] | None) -> list[CheckResult]:
    """Run the notebooks (after the layer checks) and turn their graded cells into results."""
    from dataclasses import replace

    from grader.notebooks.grade import grade_notebooks
    from grader.notebooks.table import NOTEBOOK_CHECKS

    rows = [replace(c, points=rub.points(c.id, c.points)) for c in NOTEBOOK_CHECKS
            if not only or any(fnmatch.fnmatchcase(c.id, p) or fnmatch.fnmatchcase(c.notebook, p) for p in only)]
    if not rows:
        return []
    results, got = grade_notebooks(folder=located.package_dir.parent, root=scratch / "submission", scratch=scratch / "nbwork",
                                   out=out, checks=rows, thresholds=rub.extra.get("notebook_thresholds", {}),
                                   worker_limits=worker_limits, isolation=iso)
    runs.extend(got)
    for run in got:
        if run.status != "executed":
            notes.append(run.message)
    return results


def grade(*, submission: Path, out: Path | None = None, seed: int | None = None, only: list[str] | None = None,
          notebooks: bool = True, rubric: Path | Rubric | None = None, reference: Path | None = None,
          limits: Limits = Limits(), worker_limits: WorkerLimits = WorkerLimits(), checks: list[Check] | None = None,
          isolation: str | Isolation | None = None, use_reference: bool = True) -> Report:
    """Grade one submission and (if ``out`` is given) write its reports there.

    Parameters
    ----------
    submission : Path
        Folder holding the student's ``nnlayers/`` (top level or one level down).
    out : Path, optional
        Report folder; nothing is written when None.
    seed : int, optional
        Seed of the randomized inputs (a fresh one by default; recorded in the report).
    only : list of str, optional
        Glob patterns of check ids or function names to run (all by default).
    notebooks : bool
        Run and grade the submission's notebooks.
    rubric : Path or Rubric, optional
        Points, visibility and tolerances (the packaged rubric by default).
    reference : Path, optional
        Folder holding the reference ``nnlayers``; found automatically inside
        the course checkout; without it the checks that need it are skipped.
    isolation : {"strict", "basic"} or Isolation, optional
        How student code is isolated (see :mod:`grader.isolation.policy`);
        strict where it can be set up by default.
    use_reference : bool
        False: never look for the reference (public checks only, as in a student's notebook).

    Returns
    -------
    Report
        The canonical record, also written as ``report.json`` under ``out``.

    Raises
    ------
    grader.rubric.RubricError, grader.submission.SubmissionError, grader.isolation.policy.IsolationError
        For a malformed rubric, a ``reference`` that is not a reference, or a
        strict isolation that cannot be set up.
        Problems of the submission itself never raise: they become messages.
    """
    started = time.perf_counter()
    iso = isolation if isinstance(isolation, Isolation) else choose(isolation)
    seed = int(seed) if seed is not None else secrets.randbelow(2**31)
    ref_root = find_reference(reference) if use_reference else None
    table = list(all_checks(ref_root) if checks is None else checks)
    if not isinstance(rubric, Rubric):
        rubric = load_rubric(rubric if rubric is not None else instructor_rubric(ref_root), table)
    rub = rubric
    selected = [rub.apply(c) for c in select_checks(table, only)]
    notes: list[str] = []
    results: list[CheckResult] = []
    report_runs: list = []

    scratch = Path(tempfile.mkdtemp(prefix="grade-"))
    student = None
    ref_worker: list[WorkerExecutor] = []
    try:
        try:
            located = locate(Path(submission))
            private_copy(located, scratch / "submission")
            notes.extend(located.notes)
        except SubmissionError as exc:
            message = str(exc)
            results = [_result(c, Verdict("error", message), 0.0) for c in selected]
            located = None
        if located is not None:
            student = WorkerExecutor(scratch / "submission", limits=worker_limits, scratch=scratch / "work", isolation=iso)
            (scratch / "work").mkdir()
            (scratch / "nbwork").mkdir()
            reference_exec = LocalExecutor(ref_root) if ref_root else None

            def reference_worker() -> WorkerExecutor:
                if not ref_worker:
                    (scratch / "refwork").mkdir(exist_ok=True)
                    ref_worker.append(WorkerExecutor(ref_root, limits=worker_limits, scratch=scratch / "refwork", isolation=iso))
                return ref_worker[0]

            ctx = Context(student=student, reference=reference_exec, reference_worker=reference_worker if ref_root else None,
                          fixtures=fixture_store.load(), seed=seed, timeout=limits.per_call, mistakes=mistake_catalog(ref_root))
            deadline = started + limits.total
            for check in selected:
                t0 = time.perf_counter()
                if check.needs_reference and ref_root is None:
                    results.append(_result(check, Verdict("skipped", f"{check.id} {NEEDS_REFERENCE}"), 0.0))
                    continue
                if t0 > deadline:
                    results.append(_result(check, Verdict("timeout", f"not run: grading this submission took longer than {limits.total:g} s"), 0.0))
                    continue
                ctx.outputs.clear()
                verdict = run_check(check, ctx, hidden=check.visibility == "hidden")
                # what the student's code printed: shown for public checks only (it may echo hidden inputs)
                printed = "".join(ctx.outputs)[:WorkerLimits.output_bytes] if check.visibility == "public" else ""
                results.append(_result(check, verdict, time.perf_counter() - t0, printed))
            if notebooks:
                results += _grade_notebooks(located, scratch, out, rub, worker_limits, iso, notes, report_runs, only)
            if student.started > 1:
                notes.append(f"the worker process was restarted {student.started - 1} time(s) after a crash or timeout")
    finally:
        if student is not None:
            student.close()
        for w in ref_worker:
            w.close()
        shutil.rmtree(scratch, ignore_errors=True)

    notes.insert(0, f"Isolation: {iso.describe()}.")
    if ref_root is None:
        notes.append("Checks that need the reference solutions were skipped, and hidden checks were not run: "
                     "they run at official grading, which also names the likely mistake behind a failed check.")
    report = Report(
        submission=str(submission), score=round(sum(r.score for r in results), 4),
        max_score=round(sum(r.max_score for r in results if r.status != "skipped"), 4), seed=seed,
        duration_s=round(time.perf_counter() - started, 3), checks=results, grader_version=__version__,
        isolation=iso.mode, reference=ref_root is not None, notes=notes, notebooks=[r.as_dict() for r in report_runs],
    )
    if out is not None:
        from grader.reports import write_reports

        write_reports(report, Path(out))
    return report
