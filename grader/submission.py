"""Find a submission's ``nnlayers`` package and make a private copy to grade.

A submission is a folder holding ``nnlayers/`` at its top or one level down
(as git clones and Gradescope uploads arrange it).  The grader never runs code
in place: it copies the package (regular files only; symbolic links and
oversized files are left out and reported) into a scratch folder.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "nnlayers"
MAX_FILE_BYTES = 8 * 2**20
MAX_TOTAL_BYTES = 64 * 2**20
MAX_FILES = 2000


class SubmissionError(ValueError):
    """The submission cannot be graded at all; the message says why."""


@dataclass
class Located:
    """Where the package was found and what was skipped while copying it."""

    folder: Path
    package_dir: Path
    notes: list[str] = field(default_factory=list)


def locate(submission: Path, package: str = PACKAGE) -> Located:
    """Find ``package`` in ``submission`` (top level, or one level down)."""
    submission = Path(submission)
    if not submission.exists():
        raise SubmissionError(f"{submission} does not exist")
    if not submission.is_dir():
        raise SubmissionError(f"{submission} is not a folder")
    direct = submission / package
    if direct.is_symlink():
        raise SubmissionError(f"{package}/ in {submission} is a symbolic link; submit the folder itself")
    if direct.is_dir():
        return Located(submission, direct)
    found = []
    try:
        children = sorted(p for p in submission.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
    except OSError as exc:
        raise SubmissionError(f"cannot read {submission}: {exc.strerror}") from None
    for child in children:
        cand = child / package
        if cand.is_dir() and not cand.is_symlink():
            found.append(cand)
    if len(found) == 1:
        return Located(submission, found[0], [f"found the package in {found[0].parent.name}/"])
    if len(found) > 1:
        raise SubmissionError(f"{submission} holds several {package} packages ({', '.join(str(f.parent.name) for f in found)}); keep one")
    raise SubmissionError(f"no {package}/ package in {submission} (looked at its top level and one level down)")


def private_copy(located: Located, dest: Path) -> Path:
    """Copy the package's regular files into ``dest/<package>``; return ``dest``."""
    src = located.package_dir
    target = dest / src.name
    total = count = 0
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        rel = Path(dirpath).relative_to(src)
        for d in dirnames:
            if (Path(dirpath) / d).is_symlink():
                located.notes.append(f"skipped the symbolic link {(rel / d).as_posix()}/")
        dirnames[:] = [d for d in dirnames if d not in ("__pycache__",) and not (Path(dirpath) / d).is_symlink()]
        (target / rel).mkdir(parents=True, exist_ok=True)
        for name in filenames:
            path = Path(dirpath) / name
            shown = (rel / name).as_posix()
            if path.is_symlink():
                located.notes.append(f"skipped the symbolic link {shown}")
                continue
            if not path.is_file() or name.endswith((".pyc", ".so", ".pyd")):
                continue
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                located.notes.append(f"skipped {shown}: {size} bytes is more than {MAX_FILE_BYTES}")
                continue
            total += size
            count += 1
            if total > MAX_TOTAL_BYTES or count > MAX_FILES:
                raise SubmissionError(f"the {src.name} package is too large (over {MAX_TOTAL_BYTES} bytes or {MAX_FILES} files)")
            shutil.copyfile(path, target / rel / name)
    return dest


def find_reference(explicit: Path | None = None, *, start: Path | None = None) -> Path | None:
    """The folder holding the reference ``nnlayers`` (``solutions/``), if available.

    Looked for in order: ``explicit``; the ``GRADER_REFERENCE`` environment
    variable; a ``solutions/`` folder at or above ``start`` (the working folder).
    """
    if explicit is not None:
        path = Path(explicit)
        if (path / PACKAGE).is_dir():
            return path.resolve()
        if path.name == PACKAGE and path.is_dir():
            return path.parent.resolve()
        raise SubmissionError(f"--reference {path}: no {PACKAGE}/ package there")
    env = os.environ.get("GRADER_REFERENCE")
    if env:
        return find_reference(Path(env))
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        cand = folder / "solutions"
        if (cand / PACKAGE / "layers.py").is_file():
            return cand
    return None
