"""check() in a notebook runs the same public checks as grade, on the package as it is on disk."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from grader.api import grade
from grader.checks.table import CHECKS
from grader.inline import NOTEBOOK_FUNCTIONS, UNDER_GRADER, check

ROOT = Path(__file__).resolve().parents[1]
BUG = ROOT / "tests" / "bugs" / "relu_backward__inplace_dout.py"


def _buggy(tmp: Path) -> Path:
    sub = tmp / "sub"
    shutil.copytree(ROOT / "solutions" / "nnlayers", sub / "nnlayers")
    patch = BUG.read_text().split("# --- patch ---", 1)[1]
    with open(sub / "nnlayers" / "layers.py", "a") as fh:
        fh.write("\n" + patch)
    return sub


def _same_as_grade(root: Path, names: tuple[str, ...], monkeypatch) -> tuple[list, list]:
    monkeypatch.setenv("NNLAYERS_ROOT", str(root))
    mine = check(*names, seed=5)
    from grader.inline import _patterns

    theirs = grade(submission=root, only=_patterns(names), notebooks=False, checks=list(CHECKS), use_reference=False, seed=5)
    strip = lambda checks: [(c.id, c.status, c.score, c.message) for c in checks if c.status != "skipped"]  # noqa: E731
    return strip(mine.checks), strip(theirs.checks)


@pytest.mark.parametrize("names", [("relu_backward",), ("Dropout",), ("adam", "batchnorm_forward")])
def test_agrees_with_grade_on_the_reference(names, monkeypatch):
    mine, theirs = _same_as_grade(ROOT / "solutions", names, monkeypatch)
    assert mine == theirs and mine and all(status == "passed" for _, status, _, _ in mine)


def test_agrees_with_grade_on_a_buggy_submission(tmp_path, monkeypatch):
    mine, theirs = _same_as_grade(_buggy(tmp_path), ("relu_backward",), monkeypatch)
    assert mine == theirs
    assert ("relu.inputs_unmodified", "failed") in {(i, s) for i, s, _, _ in mine}


def test_public_checks_only_even_inside_the_course_checkout(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NNLAYERS_ROOT", str(ROOT / "solutions"))
    got = check("affine_forward", "FullyConnectedNet")
    public = {c.id for c in CHECKS}
    assert got.checks and {c.id for c in got.checks} <= public
    assert all(c.visibility == "public" for c in got.checks)


def test_a_notebook_name_covers_its_functions(monkeypatch):
    monkeypatch.setenv("NNLAYERS_ROOT", str(ROOT / "solutions"))
    got = check("BatchNormalization")
    functions = {f for c in got.checks for f in c.functions}
    assert set(NOTEBOOK_FUNCTIONS["BatchNormalization"]) <= functions


def test_unknown_names_are_a_clear_error():
    with pytest.raises(ValueError, match="not a notebook"):
        check("batchnorm_forwrd")
    with pytest.raises(ValueError, match="needs a function"):
        check()


def test_renders_as_text_and_html(monkeypatch, tmp_path):
    monkeypatch.setenv("NNLAYERS_ROOT", str(_buggy(tmp_path)))
    got = check("relu_backward")
    assert "relu.inputs_unmodified" in str(got) and "failed" in str(got)
    html = got._repr_html_()
    assert "<table>" in html and "relu.inputs_unmodified" in html and not got.passed


def test_does_nothing_under_the_grader(monkeypatch):
    monkeypatch.setenv(UNDER_GRADER, "1")
    got = check("affine_forward")
    assert got.checks == [] and "grader runs these checks itself" in str(got)


def test_in_a_real_kernel_the_result_shows_as_a_table(tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from grader import check, setup\nsetup()\ncheck('relu_backward')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    sub = _buggy(tmp_path)
    import os

    env_before = os.environ.get("NNLAYERS_ROOT")
    os.environ["NNLAYERS_ROOT"] = str(sub)
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        if env_before is None:
            os.environ.pop("NNLAYERS_ROOT", None)
        else:
            os.environ["NNLAYERS_ROOT"] = env_before
    outputs = nb.cells[0].outputs
    html = [o["data"]["text/html"] for o in outputs if o.get("output_type") == "execute_result"]
    assert html and "relu.inputs_unmodified" in html[0] and "failed" in html[0]
