"""Old bubblewrap (Ubuntu 22.04 ships 0.6.1, without ``--size``) still sandboxes every worker."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.api import grade
from grader.isolation import bwrap
from grader.isolation.policy import Isolation

ROOT = Path(__file__).resolve().parents[1]
REAL = shutil.which("bwrap")
pytestmark = pytest.mark.skipif(REAL is None or bwrap.probe() is not None, reason="no working bubblewrap here")


@pytest.fixture
def old_bwrap(tmp_path, monkeypatch):
    """A bwrap that refuses --size, as 0.6 does, and otherwise runs the real one."""
    fake = tmp_path / "bin" / "bwrap"
    fake.parent.mkdir()
    fake.write_text(f"""#!/bin/sh
for a in "$@"; do [ "$a" = "--size" ] && {{ echo "bwrap: Unknown option --size" >&2; exit 1; }}; done
exec {REAL} "$@"
""")
    fake.chmod(0o755)
    monkeypatch.setattr(bwrap, "bwrap_path", lambda: str(fake))
    bwrap.probe.cache_clear()
    bwrap.supports_size.cache_clear()
    yield fake
    bwrap.probe.cache_clear()
    bwrap.supports_size.cache_clear()


def test_size_is_used_where_supported():
    bwrap.supports_size.cache_clear()
    assert bwrap.supports_size()
    assert "--size" in bwrap.command(["true"], readable=[], writable=[], cwd=Path("/"), tmp_bytes=2**20)


def test_without_size_the_worker_still_runs_sandboxed(old_bwrap, tmp_path):
    assert bwrap.probe() is None and not bwrap.supports_size()
    assert "--size" not in bwrap.command(["true"], readable=[], writable=[], cwd=Path("/"), tmp_bytes=2**20)
    report = grade(submission=ROOT / "solutions", only=["relu_forward*", "affine_forward.fixed"], notebooks=False,
                   isolation=Isolation("strict", "bubblewrap", seccomp=True), use_reference=False)
    ran = [c for c in report.checks if c.status != "skipped"]
    assert len(ran) >= 4 and all(c.status == "passed" for c in ran), [c.message for c in ran]
