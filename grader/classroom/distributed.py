"""Grade a class on a Dask distributed cluster (``grade --scheduler ADDRESS``).

One task per submission (``pure=False``).  The driver sends each submission
as bytes (an archive as it is, a folder packed as ``.tar.gz``) and the
reference once per run, so workers need the grader installed but no shared
file system.  Each task unpacks into a scratch folder on its worker, grades
with :func:`grader.classroom.task.grade_source` in the worker process (under
the same isolation as a local grade) and returns the report folder's files;
the driver writes them, so report folders are the same as local ones.

Dask is optional: ``pip install '.[dask]'``.
"""
from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable
from uuid import uuid4

from grader.classroom.archives import ArchiveLimits, pack, unpack
from grader.classroom.task import Settings, grade_source

INSTALL_HINT = "grading on a Dask cluster needs dask.distributed: install with pip install '.[dask]'"
REFERENCE_PARTS = ("nnlayers", "grading")
#: Reference folders unpacked in this (worker) process, by content hash.
_REFERENCES: dict[str, Path] = {}


class DaskUnavailable(ImportError):
    """dask.distributed is not installed; the message says how to install it."""


def require_distributed():
    """The ``distributed`` module, or DaskUnavailable with the install hint."""
    try:
        import distributed
    except ImportError:
        raise DaskUnavailable(INSTALL_HINT) from None
    return distributed


def pack_reference(root: Path) -> bytes:
    """The reference's ``nnlayers/`` and ``grading/`` as one ``.tar.gz``."""
    staging = Path(tempfile.mkdtemp(prefix="grade-ref-"))
    try:
        for part in REFERENCE_PARTS:
            if (Path(root) / part).is_dir():
                shutil.copytree(Path(root) / part, staging / part, symlinks=False,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.so"))
        return pack(staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _reference_here(bundle: bytes | None) -> Path | None:
    """Unpack the reference once per worker process; its folder."""
    if bundle is None:
        return None
    digest = hashlib.sha256(bundle).hexdigest()
    if digest not in _REFERENCES or not _REFERENCES[digest].is_dir():
        _REFERENCES[digest] = unpack(bundle, Path(tempfile.mkdtemp(prefix="grade-ref-")) / "reference",
                                     limits=ArchiveLimits(), name="the reference")
    return _REFERENCES[digest]


def grade_remote(payload: bytes, display: str, settings: Settings, reference: bytes | None) -> dict[str, Any]:
    """The task run on a worker: grade one submission from its bytes; return the report folder's files.

    Returns
    -------
    dict
        ``report`` (the ``report.json`` content or None), ``error`` (str) and
        ``files`` (relative path to bytes, every file of the report folder).
    """
    settings = replace(settings, reference=_reference_here(reference))
    out = Path(tempfile.mkdtemp(prefix="grade-out-"))
    try:
        outcome = grade_source(source=payload, display=display, out=out, settings=settings, archive=True)
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        return {"report": outcome.report, "error": outcome.error, "files": files}
    finally:
        shutil.rmtree(out, ignore_errors=True)


def write_files(out: Path, files: dict[str, bytes]) -> None:
    """Write a report folder sent back by a worker (paths checked to stay inside ``out``)."""
    root = Path(out).resolve()
    for rel, data in files.items():
        target = (root / rel).resolve()
        if root not in target.parents:
            raise ValueError(f"a worker sent a file outside the report folder: {rel!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)


def run_on_cluster(jobs: list, *, address: str, settings: Settings, reference: Path | None,
                   on_done: Callable[[Any, dict | BaseException], None]) -> None:
    """Grade ``jobs`` (``grader.classroom.run.Job``) on the cluster at ``address``.

    ``on_done(job, result)`` is called in the driver as each task finishes, with
    the task's dict (see :func:`grade_remote`; the caller writes its ``files``
    with :func:`write_files`) or the exception that ended it.
    """
    distributed = require_distributed()
    # an Isolation chosen here may not hold on the workers: each worker chooses for itself
    mode = settings.isolation.mode if hasattr(settings.isolation, "mode") else settings.isolation
    settings = replace(settings, isolation=mode, reference=None)
    with distributed.Client(address, set_as_default=False) as client:
        ref = client.scatter(pack_reference(reference), broadcast=True) if reference is not None else None
        futures = {}
        for job in jobs:
            try:
                payload = job.source.read_bytes() if job.archive else pack(job.source, limits=settings.archive_limits)
            except Exception as exc:  # noqa: BLE001 - unreadable, or a folder too large to send: this submission's error
                on_done(job, exc)
                continue
            fut = client.submit(grade_remote, payload, job.display, settings, ref, pure=False, key=f"grade-{job.name}-{uuid4().hex[:8]}")
            futures[fut] = job
        try:
            for fut in distributed.as_completed(list(futures), loop=client.loop):
                job = futures[fut]
                try:
                    got = fut.result()
                except Exception as exc:  # noqa: BLE001 - one failed task is one error row
                    on_done(job, exc)
                    continue
                on_done(job, got)
        except BaseException:
            client.cancel(list(futures))
            raise
