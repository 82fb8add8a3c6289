"""Skip submissions already graded: a content hash stored beside each report.

The *key* of a grade is a SHA-256 over the submission's content (a folder's
regular files by relative path, or an archive's bytes) and everything else
that decides the result: grader version, rubric, reference, seed and options.
It is written to ``<report folder>/cache.json`` after the reports, so a grade
interrupted half-way is never taken for a finished one.  A re-run skips a
submission whose stored key equals the new one and whose ``report.json`` is
there; ``force`` grades everything again.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from grader.classroom.archives import SKIP_DIRS

STAMP = "cache.json"


def content_hash(path: Path) -> str:
    """SHA-256 of a submission: an archive's bytes, or a folder's regular files and their relative paths."""
    path = Path(path)
    h = hashlib.sha256()
    if path.is_file():
        h.update(b"file\0")
        _feed(h, path)
        return h.hexdigest()
    h.update(b"folder\0")
    for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            file = Path(dirpath) / name
            if file.is_symlink() or not file.is_file() or name.endswith(".pyc"):
                continue
            h.update(file.relative_to(path).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            _feed(h, file)
    return h.hexdigest()


def _feed(h, file: Path) -> None:
    size = 0
    with open(file, "rb") as fh:
        while chunk := fh.read(1 << 20):
            size += len(chunk)
            h.update(chunk)
    h.update(b"\0%d\0" % size)


def grade_key(*, content: str, options: dict[str, Any]) -> str:
    """The key of one grade: the submission's content hash and the run's options (JSON-able)."""
    blob = json.dumps({"content": content, "options": options}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def is_fresh(folder: Path, key: str) -> bool:
    """Whether ``folder`` holds a finished grade with this key."""
    try:
        stored = json.loads((Path(folder) / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(stored, dict) and stored.get("key") == key and (Path(folder) / "report.json").is_file()


def stamp(folder: Path, key: str, options: dict[str, Any]) -> None:
    """Record a finished grade (written last, atomically)."""
    path = Path(folder) / STAMP
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"key": key, "options": options}, indent=2, sort_keys=True, default=str), encoding="utf-8")
    tmp.replace(path)


def forget(folder: Path) -> None:
    """Drop a folder's stamp (before it is graded again)."""
    try:
        (Path(folder) / STAMP).unlink()
    except FileNotFoundError:
        pass
