"""The student edition of the grader: the source distribution ``pip`` builds from this checkout.

It is built from a private export of the files git tracks (working-tree
contents), so nothing untracked (a draft copied into ``grader/``, an old
``egg-info``) can slip in; untracked files where the grader's sources live are
refused outright, since the edition would silently lack them.
``MANIFEST.in`` and ``pyproject.toml`` decide what goes in (the grader and the
fast layers; never ``solutions/``, ``tests/`` or ``examples/``).  Building
needs setuptools and Cython here (``pip install '.[release]'``): no build
isolation, so no network.
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from grader.release import ReleaseError
from grader.release.leaks import tracked_files

BUILD_REQUIREMENTS = ("setuptools", "Cython")
#: What the sdist is built from, relative to the checkout.
INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE", "grader", "ext")


def untracked(root: Path) -> list[str]:
    """Untracked, not ignored files among :data:`INPUTS` (none outside a git checkout)."""
    if not (Path(root) / ".git").exists():
        return []
    done = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all", "--", *INPUTS],
                          capture_output=True, text=True, timeout=60)
    return [line[3:] for line in done.stdout.splitlines() if line.startswith("?? ")]


def export(root: Path, dest: Path) -> list[str]:
    """Copy the tracked files of :data:`INPUTS` into ``dest``; return their relative paths."""
    copied = []
    for entry in INPUTS:
        for path in tracked_files(root, entry):
            rel = path.relative_to(root)
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied.append(rel.as_posix())
    return copied


def build_sdist(*, root: Path, out: Path) -> Path:
    """Build the sdist of the checkout at ``root`` into the folder ``out``; return its path."""
    missing = [name for name in BUILD_REQUIREMENTS if importlib.util.find_spec(name) is None]
    if missing:
        raise ReleaseError(f"building the grader's source distribution needs {' and '.join(missing)}: "
                           "pip install -e '.[release]' in the course checkout")
    strays = untracked(root)
    if strays:
        shown = ", ".join(strays[:5]) + (" ..." if len(strays) > 5 else "")
        raise ReleaseError(f"untracked files where the grader's sources live ({shown}): commit them (git add) or "
                           "remove them, so the student edition is what the repository holds")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sdist-") as tmp:
        src, dist = Path(tmp) / "src", Path(tmp) / "dist"
        export(root, src)
        code = "import sys; from setuptools import build_meta as b; print(b.build_sdist(sys.argv[1]))"
        try:
            done = subprocess.run([sys.executable, "-c", code, str(dist)], cwd=src, capture_output=True, text=True,
                                  timeout=600)
        except subprocess.TimeoutExpired:
            raise ReleaseError("building the grader's source distribution took longer than 10 minutes") from None
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
            raise ReleaseError("building the grader's source distribution failed:\n  " + "\n  ".join(tail))
        built = dist / done.stdout.strip().splitlines()[-1]
        target = out / built.name
        shutil.copyfile(built, target)
    return target
