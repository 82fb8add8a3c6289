"""Small file helpers shared by the handout and the Gradescope bundle: templates, trees, reproducible zips."""
from __future__ import annotations

import re
import shutil
import stat
import tempfile
import zipfile
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from grader.release import ReleaseError

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
#: A fixed timestamp, so that the same sources give the same archive bytes.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)
#: What marks a folder as built by this module (so a rebuild may replace it).
STAMP = ".built-by-grade"


def template(name: str, **values: str) -> str:
    """The packaged template ``name`` with every ``{{key}}`` replaced; unknown keys are an error."""
    text = resources.files("grader.release").joinpath("templates", name).read_text(encoding="utf-8")

    def fill(match: re.Match) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"template {name} needs a value for {key!r}")
        return str(values[key])

    return _PLACEHOLDER.sub(fill, text)


def check_replaceable(folder: Path, what: str) -> None:
    """Refuse to replace ``folder`` unless it is absent, empty, or an earlier build of ``grade what`` (not a repository)."""
    folder = Path(folder)
    if not folder.exists():
        return
    if not folder.is_dir() or folder.is_symlink():
        raise ReleaseError(f"{folder} exists and is not a folder built by 'grade {what}'; choose another --out")
    if (folder / ".git").exists():
        raise ReleaseError(f"{folder} is a git repository; build elsewhere and copy the files in")
    if any(folder.iterdir()) and not (folder / STAMP).exists():
        raise ReleaseError(f"{folder} exists and was not built by 'grade {what}'; choose another --out or remove it")


@contextmanager
def staged(folder: Path, what: str):
    """Build into a private folder next to ``folder``; on success it replaces ``folder`` in one step.

    Yields the staging folder.  If the body raises, ``folder`` (an earlier
    build) is left as it was and the staging folder is removed.
    """
    folder = Path(folder)
    check_replaceable(folder, what)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{folder.name}-building-", dir=folder.parent) as tmp:
        stage = Path(tmp) / folder.name
        stage.mkdir()
        (stage / STAMP).write_text(f"built by grade {what}; rebuilt (and replaced) by the same command\n")
        yield stage
        if folder.exists():
            shutil.rmtree(folder)
        stage.rename(folder)


def copy_tree(src: Path, dest: Path, *, skip=("__pycache__", ".ipynb_checkpoints", ".pytest_cache"),
              skip_suffixes=(".pyc", ".so", ".pyd", ".c", ".html")) -> list[str]:
    """Copy the regular files of ``src`` into ``dest`` (no links, no build products); return relative paths."""
    copied = []
    for path in sorted(Path(src).rglob("*")):
        rel = path.relative_to(src)
        if any(part in skip for part in rel.parts) or path.is_symlink() or not path.is_file() or path.name.endswith(skip_suffixes):
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied.append(rel.as_posix())
    return copied


def write_zip(folder: Path, archive: Path, *, prefix: str = "") -> Path:
    """Zip ``folder`` reproducibly (sorted names, fixed times; executables keep their mode)."""
    archive = Path(archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(Path(folder).rglob("*")):
            rel = path.relative_to(folder)
            if path.name == STAMP or not path.is_file() or path.is_symlink():
                continue
            info = zipfile.ZipInfo(f"{prefix}{rel.as_posix()}", ZIP_TIME)
            mode = 0o755 if path.stat().st_mode & stat.S_IXUSR else 0o644
            info.create_system = 3  # Unix, so that the mode bits are honoured wherever the zip was built
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    return archive
