"""The student edition of the grader: the source distribution ``pip`` builds from this checkout.

``MANIFEST.in`` and ``pyproject.toml`` decide what goes in (the grader and the
fast layers; never ``solutions/``, ``tests/`` or ``examples/``).  Building it
needs setuptools and Cython in this environment (``pip install '.[release]'``):
no build isolation, so no network is needed.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

from grader.release import ReleaseError

BUILD_REQUIREMENTS = ("setuptools", "Cython")


def build_sdist(*, root: Path, out: Path) -> Path:
    """Build the sdist of the checkout at ``root`` into the folder ``out``; return its path."""
    missing = [name for name in BUILD_REQUIREMENTS if importlib.util.find_spec(name) is None]
    if missing:
        raise ReleaseError(f"building the grader's source distribution needs {' and '.join(missing)}: "
                           "pip install -e '.[release]' in the course checkout")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sdist-") as tmp:
        code = "import sys; from setuptools import build_meta as b; print(b.build_sdist(sys.argv[1]))"
        done = subprocess.run([sys.executable, "-c", code, tmp], cwd=root, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
            raise ReleaseError("building the grader's source distribution failed:\n  " + "\n  ".join(tail))
        built = Path(tmp) / done.stdout.strip().splitlines()[-1]
        target = out / built.name
        target.write_bytes(built.read_bytes())
    return target
