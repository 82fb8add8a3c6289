"""Shared test setup: the reference package ``nnlayers`` is imported from ``solutions/``."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
STARTER = ROOT / "starter"

if str(SOLUTIONS) not in sys.path:
    sys.path.insert(0, str(SOLUTIONS))


import subprocess  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def course_clone(tmp_path_factory) -> Path:
    """A clean clone of this checkout (committed files only): what releases are built from."""
    dest = tmp_path_factory.mktemp("course") / "checkout"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(dest)], check=True)
    return dest


@pytest.fixture
def course_copy(course_clone, tmp_path) -> Path:
    """A private copy of the clean clone, for tests that change it."""
    import shutil

    dest = tmp_path / "checkout"
    shutil.copytree(course_clone, dest, symlinks=True)
    return dest
