"""What pip installs on a student's machine (the sdist and the wheel) holds no answer."""
from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from grader.starter import all_blocks

ROOT = Path(__file__).resolve().parents[1]


def _solution_lines() -> set[str]:
    """Distinctive lines of every marked solution block (long enough not to be boilerplate)."""
    lines = set()
    for block in all_blocks(ROOT / "solutions"):
        for line in block.code.splitlines():
            text = line.strip()
            if len(text) > 30 and not text.startswith("#"):
                lines.add(text)
    hidden = (ROOT / "solutions" / "grading" / "hidden_checks.py").read_text().splitlines()
    lines |= {ln.strip() for ln in hidden if ln.strip().startswith("row(")}
    return lines


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    src = tmp_path_factory.mktemp("src") / "checkout"  # a clean checkout: what a release is built from
    subprocess.run(["git", "clone", "-q", str(ROOT), str(src)], check=True)
    for what in ("sdist", "wheel"):
        code = f"import sys; from setuptools import build_meta as b; b.build_{what}(sys.argv[1])"
        done = subprocess.run([sys.executable, "-c", code, str(out)], cwd=src, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
    sdist, wheel = next(out.glob("*.tar.gz")), next(out.glob("*.whl"))
    return sdist, wheel


def _members(sdist: Path, wheel: Path) -> dict[str, bytes]:
    files = {}
    with tarfile.open(sdist) as tar:
        for m in tar.getmembers():
            if m.isfile():
                files[f"sdist:{m.name}"] = tar.extractfile(m).read()
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            files[f"wheel:{name}"] = zf.read(name)
    return files


def test_no_solution_block_or_hidden_check_is_shipped(built):
    files = _members(*built)
    secrets = _solution_lines()
    assert len(secrets) > 50
    leaks = []
    for name, data in files.items():
        text = data.decode("utf-8", "replace")
        lines = {ln.strip() for ln in text.splitlines()}
        leaks += [f"{name}: {s}" for s in secrets if s in lines]
    assert not leaks, leaks[:10]
    # whole blocks too, re-spaced or not (the short ones have no distinctive line)
    from grader.release.leaks import block_prints, scan

    sdist, wheel = built
    assert scan({sdist.name: sdist.read_bytes(), wheel.name: wheel.read_bytes()}, set(), block_prints(ROOT)) == []


def test_only_the_grader_and_the_fast_layers_are_shipped(built):
    files = _members(*built)
    tops = {n.split(":", 1)[1].split("/", 2)[1 if n.startswith("sdist:") else 0] for n in files}
    assert "tests" not in tops and "solutions" not in tops and "examples" not in tops
    wheel_tops = {n.split(":", 1)[1].split("/")[0] for n in files if n.startswith("wheel:")}
    assert {t for t in wheel_tops if not t.endswith(".dist-info")} == {"grader", "nnfast"}
    assert any(n.endswith("grader/rubric.toml") for n in files) and any(n.endswith("fixtures/expected.npz") for n in files)
    assert not any(n.endswith("grading/rubric.toml") or "hidden_checks" in n for n in files)
    # every package of the grader is shipped (a missing one breaks the students' install at import time)
    packages = {str(d.relative_to(ROOT)) for d in (ROOT / "grader").rglob("__init__.py")}
    assert {f"wheel:{p}" for p in packages} <= set(files), sorted(p for p in packages if f"wheel:{p}" not in files)
    # the sdist must let pip compile the fast layers on the student's machine
    assert any(n.startswith("sdist:") and n.endswith("ext/nnfast/_im2col.pyx") for n in files)
    assert any(n.startswith("sdist:") and n.endswith("ext/nnfast/_pool.pyx") for n in files)
