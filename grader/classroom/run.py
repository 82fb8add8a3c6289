"""Grade a whole class: :func:`grade_class`, used by ``grade SUBMISSION... --out DIR``.

Every submission (a folder, ``.zip`` or ``.tar.gz``) gets a report folder
``DIR/<name>/``; the run writes ``DIR/gradebook.csv``, ``DIR/summary.md``,
``DIR/summary.html`` and ``DIR/class.json`` (the seed and options).  Work
runs in a pool of ``jobs`` threads (each grade has its own worker processes)
or, with ``scheduler``, on a Dask cluster.  One failing submission never
stops the others.
"""
from __future__ import annotations

import json
import re
import secrets
import shutil
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from grader import __version__
from grader.api import Limits
from grader.checks.registry import all_checks, instructor_rubric
from grader.classroom import cache
from grader.classroom.archives import ArchiveLimits, is_archive, stem
from grader.classroom.distributed import write_files
from grader.classroom.gradebook import write_gradebook
from grader.classroom.progress import Progress
from grader.classroom.summary import write_summary
from grader.classroom.task import Outcome, Settings, error_report, grade_source
from grader.isolation.policy import choose
from grader.reports import write_reports
from grader.rubric import Rubric, load_rubric
from grader.submission import SubmissionError, find_reference

CLASS_FILE = "class.json"
#: Names of the run's own files, never used for a report folder.
RESERVED = frozenset({"gradebook.csv", "summary.md", "summary.html", CLASS_FILE})


@dataclass(frozen=True)
class Job:
    """One submission to grade: where it is, what it is called, where its reports go."""

    name: str
    source: Path
    display: str
    out: Path
    archive: bool
    key: str = ""


@dataclass
class ClassResult:
    """What a class run gave for one submission.

    Attributes
    ----------
    name : str
        Name of its report folder (and of its gradebook row).
    source : str
        The folder or archive as given.
    folder : Path
        Its report folder.
    report : dict, optional
        The content of its ``report.json`` (None when the grader failed on it).
    error : str
        Why it could not be graded (empty when it was).
    skipped : bool
        Unchanged since an earlier run: its report was kept, not made again.
    """

    name: str
    source: str
    folder: Path
    report: dict[str, Any] | None
    error: str = ""
    skipped: bool = False

    @property
    def percent(self) -> float:
        """Score in percent of the maximum (0 when not graded)."""
        r = self.report or {}
        return 100.0 * r.get("score", 0.0) / r["max_score"] if r.get("max_score") else 0.0


def folder_names(submissions: Sequence[Path]) -> list[str]:
    """Report folder names: the folder or archive name without suffix, made safe and unique.

    Collisions (``alice/`` and ``alice.zip``) are told apart deterministically:
    in the order of the submissions' full paths, the first keeps the name and
    the next get ``-2``, ``-3``, ...
    """
    base = []
    for s in submissions:
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", stem(Path(s).resolve())).strip("._") or "submission"
        base.append(name)
    order = sorted(range(len(submissions)), key=lambda i: (base[i], str(Path(submissions[i]).resolve())))
    taken: set[str] = set(RESERVED)
    names = [""] * len(submissions)
    for i in order:
        name, n = base[i], 1
        while name in taken:
            n += 1
            name = f"{base[i]}-{n}"
        taken.add(name)
        names[i] = name
    return names


def class_seed(out: Path, seed: int | None) -> int:
    """The run's seed: the one given, else the one of the last run in ``out``, else a fresh one."""
    if seed is not None:
        return int(seed)
    try:
        return int(json.loads((Path(out) / CLASS_FILE).read_text(encoding="utf-8"))["seed"])
    except (OSError, ValueError, KeyError, TypeError):
        return secrets.randbelow(2**31)


def _load_report(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _status(result: ClassResult) -> str:
    if result.error:
        return "not graded: " + result.error.splitlines()[0][:120]
    r = result.report or {}
    return f"{r.get('score', 0):g} / {r.get('max_score', 0):g}" + (" (unchanged)" if result.skipped else "")


def _prepare(folder: Path) -> None:
    """Empty a report folder of an earlier grade (only if it is one) before grading again."""
    cache.forget(folder)
    if folder.is_dir() and (folder / "report.json").is_file():
        shutil.rmtree(folder)


def grade_class(*, submissions: Sequence[Path], out: Path, jobs: int = 1, scheduler: str | None = None,
                force: bool = False, seed: int | None = None, only: Sequence[str] | None = None, notebooks: bool = True,
                rubric: Path | Rubric | None = None, reference: Path | None = None, timeout: float = Limits.per_call,
                isolation: str | None = None, archive_limits: ArchiveLimits = ArchiveLimits(),
                progress: Progress | Callable[[int], Progress] | None = None) -> list[ClassResult]:
    """Grade many submissions into ``out``; write the gradebook and the class summary.

    Parameters
    ----------
    submissions : sequence of Path
        Folders, ``.zip`` or ``.tar.gz`` archives.
    out : Path
        The class's report folder: one sub-folder per submission, plus
        ``gradebook.csv``, ``summary.md``, ``summary.html`` and ``class.json``.
    jobs : int
        Submissions graded at the same time on this machine.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``): grade there instead,
        one task per submission (needs ``pip install '.[dask]'``).
    force : bool
        Grade again submissions whose content and options did not change.
    seed : int, optional
        Seed of every submission's randomized inputs (default: the last run's
        seed in ``out``, else a fresh one; recorded in ``class.json`` and the summary).
    only, notebooks, rubric, reference, timeout, isolation
        As for :func:`grader.api.grade` (``timeout`` is the per-call limit).
    archive_limits : ArchiveLimits
        Member count and sizes allowed in an archive.
    progress : Progress or callable, optional
        Told of each finished submission; a callable gets the number of
        submissions and returns one.

    Returns
    -------
    list of ClassResult
        One per submission, sorted by name.

    Raises
    ------
    grader.submission.SubmissionError
        A submission is neither a folder nor an archive, or ``reference`` is not one.
    grader.rubric.RubricError, grader.isolation.policy.IsolationError
        The rubric is malformed, or the isolation cannot be set up here.
    grader.classroom.distributed.DaskUnavailable
        ``scheduler`` given without dask.distributed installed.
    KeyboardInterrupt
        After writing the gradebook and summary of the submissions finished so far.
    """
    out = Path(out)
    for s in submissions:
        if not Path(s).is_dir() and not (Path(s).is_file() and is_archive(Path(s))):
            raise SubmissionError(f"{s} is not a folder, a .zip or a .tar.gz")
    if scheduler is not None:
        from grader.classroom.distributed import require_distributed

        require_distributed()  # fail early, with the install hint
    ref_root = find_reference(reference)
    table = all_checks(ref_root)
    if not isinstance(rubric, Rubric):
        rubric = load_rubric(rubric if rubric is not None else instructor_rubric(ref_root), table)
    iso = choose(isolation) if scheduler is None else isolation
    settings = Settings(seed=class_seed(out, seed), only=tuple(only) if only else None, notebooks=notebooks, rubric=rubric,
                        reference=ref_root, timeout=timeout, isolation=iso, archive_limits=archive_limits)
    options = {"grader": __version__, "seed": settings.seed, "only": settings.only, "notebooks": notebooks,
               "timeout": timeout, "isolation": isolation or "default", "rubric": asdict(rubric),
               "reference": cache.content_hash(ref_root) if ref_root else None, "archive_limits": asdict(archive_limits)}
    out.mkdir(parents=True, exist_ok=True)
    (out / CLASS_FILE).write_text(json.dumps({"seed": settings.seed, "grader_version": __version__, "only": settings.only,
                                              "notebooks": notebooks, "scheduler": scheduler}, indent=2), encoding="utf-8")

    names = folder_names(submissions)
    results: dict[str, ClassResult] = {}
    bar = progress(len(submissions)) if callable(progress) and not isinstance(progress, Progress) else progress

    def record(result: ClassResult) -> None:
        results[result.name] = result
        if bar is not None:
            bar.update(result.name, _status(result), graded=not result.skipped)

    todo: list[Job] = []
    for name, src in zip(names, submissions):
        src = Path(src)
        job = Job(name=name, source=src, display=str(src), out=out / name, archive=src.is_file())
        try:
            job = replace(job, key=cache.grade_key(content=cache.content_hash(src), options=options))
        except OSError as exc:
            record(ClassResult(name, str(src), job.out, None, f"cannot read {src}: {exc.strerror or exc}"))
            continue
        if not force and cache.is_fresh(job.out, job.key):
            report = _load_report(job.out)
            if report is not None:
                record(ClassResult(name, str(src), job.out, report, skipped=True))
                continue
        todo.append(job)

    def finish(job: Job, got: Outcome | dict | BaseException) -> None:
        if isinstance(got, dict):  # from a Dask worker: every file of the report folder
            _prepare(job.out)
            write_files(job.out, got["files"])
            got = Outcome(got["report"], got["error"])
        elif isinstance(got, SubmissionError):  # e.g. a folder too large to send to the cluster
            report = error_report(job.display, str(got), settings)
            write_reports(report, job.out)
            got = Outcome(report.as_dict(), str(got))
        if isinstance(got, BaseException):
            record(ClassResult(job.name, job.display, job.out, None,
                               f"the grader failed on this submission: {type(got).__name__}: {got}"))
            return
        cache.stamp(job.out, job.key, {"seed": settings.seed, "source": job.display})
        record(ClassResult(job.name, job.display, job.out, got.report, got.error))

    try:
        if scheduler is not None:
            from grader.classroom.distributed import run_on_cluster

            run_on_cluster(todo, address=scheduler, settings=settings, reference=ref_root, on_done=finish)
        else:
            _run_local(todo, settings, max(1, int(jobs)), finish)
    finally:
        if bar is not None:
            bar.close()
        done = sorted(results.values(), key=lambda r: r.name)
        write_gradebook(done, out / "gradebook.csv")
        write_summary(done, out, seed=settings.seed)
    return done


def _run_local(todo: list[Job], settings: Settings, jobs: int, finish: Callable[[Job, Any], None]) -> None:
    """Grade ``todo`` in a pool of ``jobs`` threads, calling ``finish`` as each ends."""
    def one(job: Job) -> Outcome:
        _prepare(job.out)
        return grade_source(source=job.source, display=job.display, out=job.out, settings=settings, archive=job.archive)

    pool = ThreadPoolExecutor(jobs, thread_name_prefix="grade")
    try:
        futures = {pool.submit(one, job): job for job in todo}
        for fut in as_completed(futures):
            try:
                got: Any = fut.result()
            except Exception as exc:  # noqa: BLE001 - one crash is one error row
                got = exc
            finish(futures[fut], got)
    finally:
        # on Ctrl-C: drop what has not started; grades under way finish their own folders
        pool.shutdown(wait=False, cancel_futures=True)
