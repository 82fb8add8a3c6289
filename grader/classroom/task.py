"""One submission of a class: unpack it if needed, grade it, write its report folder.

The same function runs in a thread of the local pool and in a Dask worker
process (see :mod:`grader.classroom.distributed`), so both paths give the
same reports for the same seed.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.api import Limits, grade
from grader.classroom.archives import ArchiveError, ArchiveLimits, unpack
from grader.isolation.policy import Isolation
from grader.reports import write_reports
from grader.results import Report
from grader.rubric import Rubric


@dataclass(frozen=True)
class Settings:
    """What decides every grade of a class run besides the submission itself.

    Attributes
    ----------
    seed : int
        Seed of the randomized inputs, the same for every submission.
    only : tuple of str, optional
        Glob patterns of check ids or functions to run (all by default).
    notebooks : bool
        Run and grade the notebooks.
    rubric : Rubric
        The validated rubric (loaded once for the class).
    reference : Path, optional
        Folder holding the reference ``nnlayers``.
    timeout : float
        Seconds allowed per call.
    isolation : str or Isolation, optional
        ``"strict"``, ``"basic"``, None (strict where possible), or an already chosen isolation.
    archive_limits : ArchiveLimits
        Limits of an unpacked archive.
    """

    seed: int
    only: tuple[str, ...] | None = None
    notebooks: bool = True
    rubric: Rubric | None = None
    reference: Path | None = None
    timeout: float = Limits.per_call
    isolation: str | Isolation | None = None
    archive_limits: ArchiveLimits = field(default_factory=ArchiveLimits)


@dataclass
class Outcome:
    """What grading one submission gave.

    Attributes
    ----------
    report : dict, optional
        The content of ``report.json`` (None when the grader itself failed).
    error : str
        Why the submission could not be graded (empty when it was).
    """

    report: dict[str, Any] | None
    error: str = ""


def error_report(display: str, message: str, settings: Settings) -> Report:
    """The report of a submission that could not be unpacked: no checks, the reason as a note."""
    return Report(submission=display, score=0.0, max_score=0.0, seed=settings.seed, duration_s=0.0, checks=[],
                  notes=[f"Not graded: {message}"],
                  isolation=settings.isolation.mode if isinstance(settings.isolation, Isolation) else (settings.isolation or "strict"))


def grade_source(*, source: Path | bytes, display: str, out: Path, settings: Settings, archive: bool) -> Outcome:
    """Grade one folder or archive (a path, or an archive's bytes) and write its reports into ``out``.

    Parameters
    ----------
    source : Path or bytes
        The submission folder, its archive, or the bytes of an archive.
    display : str
        How the submission is named in its report (the path the instructor gave).
    out : Path
        Its report folder.
    settings : Settings
        The class's settings.
    archive : bool
        Whether ``source`` is an archive to unpack first.

    Returns
    -------
    Outcome
        The report as a dict; ``error`` set when the archive was refused.
        Other exceptions (a grader failure) propagate to the caller.
    """
    scratch = Path(tempfile.mkdtemp(prefix="grade-class-"))
    try:
        folder = source
        if archive:
            try:
                folder = unpack(source, scratch / "submission", limits=settings.archive_limits,
                                name=display.rsplit("/", 1)[-1])
            except ArchiveError as exc:
                report = error_report(display, str(exc), settings)
                write_reports(report, out)
                return Outcome(report.as_dict(), str(exc))
        report = grade(submission=Path(folder), out=out, seed=settings.seed, only=list(settings.only) if settings.only else None,
                       notebooks=settings.notebooks, rubric=settings.rubric, reference=settings.reference,
                       limits=Limits(per_call=settings.timeout), isolation=settings.isolation)
        report.submission = display
        write_reports(report, out)
        return Outcome(report.as_dict())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
