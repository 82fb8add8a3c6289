"""The notebooks run headlessly under the grader: clean with the reference, failing fast with the starter."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import nbformat
import pytest

from grader.api import grade
from grader.notebooks.grade import NotebookLimits, grade_notebooks
from grader.notebooks.table import NOTEBOOK_CHECKS, NotebookCheck

ROOT = Path(__file__).resolve().parents[1]


def _assemble(tmp: Path, package: Path) -> Path:
    sub = tmp / "sub"
    shutil.copytree(package / "nnlayers", sub / "nnlayers")
    shutil.copytree(ROOT / "notebooks", sub / "notebooks")
    return sub


def test_table_matches_the_tagged_cells_of_the_notebooks():
    from grader.notebooks.grade import graded_cells

    tagged = set()
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        for cid, cell in graded_cells(nbformat.read(path, as_version=4)).items():
            tags = cell.get("metadata", {}).get("tags") or []
            if "checkpoint" in tags or "result" in tags:
                tagged.add(f"notebook.{path.stem}.{cid}")
    assert tagged == {c.id for c in NOTEBOOK_CHECKS}


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nbref")
    out = tmp / "out"
    started = time.perf_counter()
    report = grade(submission=_assemble(tmp, ROOT / "solutions"), out=out, seed=3, only=["notebook.*"],
                   reference=ROOT / "solutions", notebooks=True)
    return report, out, time.perf_counter() - started


def test_reference_notebooks_pass_every_graded_cell(reference_run):
    report, out, wall = reference_run
    bad = [(c.id, c.status, c.message) for c in report.checks if c.status != "passed"]
    assert not bad
    assert len(report.checks) == len(NOTEBOOK_CHECKS)
    assert all(c.kind == "notebook" for c in report.checks)
    for nb in report.notebooks:
        assert nb["status"] == "executed"
        assert Path(nb["executed_path"]).is_file() and Path(nb["html_path"]).is_file()
        assert len(nb["answers"]) >= 1 and all(a["question"] for a in nb["answers"])


def test_reference_notebooks_run_within_budget(reference_run):
    _, _, wall = reference_run
    assert wall < 600, f"the four notebooks took {wall:.0f} s"


def test_starter_notebooks_fail_their_checkpoints_fast(tmp_path):
    started = time.perf_counter()
    report = grade(submission=_assemble(tmp_path, ROOT / "starter"), seed=3, only=["FullyConnectedNets", "Dropout"],
                   reference=ROOT / "solutions", notebooks=True)
    wall = time.perf_counter() - started
    assert report.checks and all(c.status in ("failed", "error") for c in report.checks)
    checkpoints = [c for c in report.checks if "checkpoint" in c.condition]
    assert any("NotImplementedError" in c.message for c in checkpoints)
    assert wall < 240


def _notebook(tmp: Path, name: str, cells: list) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (tmp / "notebooks").mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, tmp / "notebooks" / f"{name}.ipynb")
    return tmp


def _tagged(kind: str, cid: str, source: str):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [kind]
    cell.metadata["nnlayers"] = {"id": cid}
    return cell


def test_an_endless_loop_is_stopped_by_the_cell_timeout(tmp_path):
    sub = _notebook(tmp_path / "sub", "Loop", [
        _tagged("checkpoint", "spin", "while True:\n    pass\n"),
        _tagged("checkpoint", "after", "assert 1 + 1 == 2\n"),
        _tagged("result", "value", "from nnlayers.notebook import record\nrecord('value', 0.75)\n"),
    ])
    shutil.copytree(ROOT / "solutions" / "nnlayers", sub / "nnlayers")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    rows = [NotebookCheck("Loop", "spin", "checkpoint"), NotebookCheck("Loop", "after", "checkpoint"),
            NotebookCheck("Loop", "value", "result", 1.0, 0.5)]
    started = time.perf_counter()
    results, runs = grade_notebooks(folder=sub, root=sub, scratch=scratch, out=None, checks=rows,
                                    limits=NotebookLimits(cell=5, notebook=120))
    assert time.perf_counter() - started < 90
    by_id = {r.id: r for r in results}
    assert by_id["notebook.Loop.spin"].status == "failed" and "did not finish within 5 s" in by_id["notebook.Loop.spin"].message
    assert by_id["notebook.Loop.after"].status == "passed"
    assert by_id["notebook.Loop.value"].status == "passed" and by_id["notebook.Loop.value"].details["value"] == 0.75


def test_a_notebook_that_ignores_interrupts_is_stopped_by_the_notebook_timeout(tmp_path):
    sub = _notebook(tmp_path / "sub", "Stubborn", [
        _tagged("checkpoint", "spin", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n"),
    ])
    shutil.copytree(ROOT / "solutions" / "nnlayers", sub / "nnlayers")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    started = time.perf_counter()
    results, runs = grade_notebooks(folder=sub, root=sub, scratch=scratch, out=None,
                                    checks=[NotebookCheck("Stubborn", "spin", "checkpoint")],
                                    limits=NotebookLimits(cell=3, notebook=25))
    assert time.perf_counter() - started < 60
    assert results[0].status in ("failed", "error") and runs[0].status in ("timeout", "executed")


def test_a_changed_checkpoint_cell_scores_zero(tmp_path):
    sub = _assemble(tmp_path, ROOT / "solutions")
    path = sub / "notebooks" / "Dropout.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nnlayers", {}).get("id") == "dropout_backward":
            cell.source = "assert True  # the checks were removed\n"
    nbformat.write(nb, path)
    report = grade(submission=sub, seed=3, only=["notebook.Dropout.dropout_backward"], reference=ROOT / "solutions",
                   notebooks=True)
    (check,) = report.checks
    assert check.status == "failed" and "was changed" in check.message
