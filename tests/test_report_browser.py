"""report.html renders in headless Chromium: the content is there, the page is not blank, no console errors."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from grader.api import grade

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (scripts/setup.sh test installs it)")


@pytest.fixture(scope="module")
def report_html(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    report = grade(submission=ROOT / "starter", out=out, seed=2, only=["affine*", "relu*", "dropout*"],
                   reference=ROOT / "solutions", notebooks=False)
    return report, out / "report.html"


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120)


def test_report_renders_with_its_content(report_html, tmp_path):
    report, page = report_html
    done = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "<h1>0 / " in dom
    for check in report.checks:
        assert check.id in dom
    console_errors = [ln for ln in done.stderr.splitlines() if "CONSOLE" in ln or "Uncaught" in ln]
    assert not console_errors, console_errors


def test_report_screenshot_is_not_blank(report_html, tmp_path):
    import matplotlib.image as mpimg

    _, page = report_html
    shot = tmp_path / "shot.png"
    done = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", page.as_uri())
    assert shot.is_file(), done.stderr[-2000:]
    pixels = mpimg.imread(shot)
    assert pixels.shape[0] >= 800 and pixels.shape[1] >= 1000
    assert float(np.std(pixels[..., :3])) > 0.02, "the page rendered blank"


@pytest.fixture(scope="module")
def summary_html(tmp_path_factory):
    from grader.classroom import grade_class

    out = tmp_path_factory.mktemp("class")
    grade_class(submissions=[ROOT / "solutions", ROOT / "starter"], out=out, seed=2, only=["relu_forward.fixed"],
                reference=ROOT / "solutions", notebooks=False)
    return out / "summary.html"


def test_class_summary_renders_with_its_plots(summary_html, tmp_path):
    import matplotlib.image as mpimg

    done = _chromium(tmp_path, "--dump-dom", summary_html.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert "<h1>Class summary</h1>" in done.stdout and done.stdout.count("<svg") == 2
    assert "relu_forward.fixed" in done.stdout
    assert not [ln for ln in done.stderr.splitlines() if "CONSOLE" in ln or "Uncaught" in ln]
    shot = tmp_path / "summary.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", summary_html.as_uri())
    pixels = mpimg.imread(shot)
    green = (pixels[..., 1] > 0.55) & (pixels[..., 0] < 0.35) & (pixels[..., 2] < 0.45)  # the histogram's bars
    assert green.sum() > 500, "the histogram's bars did not render"
