"""The student notebooks follow the conventions the grader relies on (read, never executed).

Graded cells carry ``{"tags": [kind], "nnlayers": {"id": id}}`` in their metadata, with kind one of
``checkpoint`` (a code cell that asserts), ``result`` (a code cell whose last statement is
``record(id, value)``) or ``inline-question`` (a markdown cell followed by its ``answer`` cell, which
carries the same id). Notebooks are committed without outputs, and their first code cell calls
``setup()`` from ``grader``.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

GRADED_KINDS = {"checkpoint": "code", "result": "code", "inline-question": "markdown"}
ANSWER = "answer"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

pytestmark = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def _kind(cell) -> str | None:
    """The cell's graded kind (or "answer"), None for untagged cells."""
    tags = set(cell.metadata.get("tags", ())) & (set(GRADED_KINDS) | {ANSWER})
    assert len(tags) <= 1, f"a cell has several grading tags: {sorted(tags)}"
    return tags.pop() if tags else None


def _id(cell) -> str | None:
    return cell.metadata.get("nnlayers", {}).get("id")


def _python(cell) -> ast.Module:
    """Parse a code cell, dropping IPython magics and shell escapes (lines starting with % or !)."""
    lines = [ln for ln in cell.source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    return ast.parse("\n".join(lines))


def _where(path: Path, index: int) -> str:
    return f"{path.name}, cell {index}"


def test_parses_and_validates(path):
    nb = _read(path)
    assert nb.nbformat == 4
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


def test_no_outputs_stored(path):
    for i, cell in enumerate(_read(path).cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{_where(path, i)} has stored outputs: clear them before committing"
            assert cell.execution_count is None, f"{_where(path, i)} has an execution count: clear outputs"


def test_first_code_cell_calls_setup(path):
    first = next(c for c in _read(path).cells if c.cell_type == "code")
    tree = _python(first)
    imports = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "grader"]
    assert any(a.name == "setup" for n in imports for a in n.names), "the first code cell must do `from grader import setup`"
    calls = [n.value for n in tree.body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)]
    assert any(isinstance(c.func, ast.Name) and c.func.id == "setup" for c in calls), (
        "the first code cell must call setup()")


def test_graded_cells_are_well_formed(path):
    seen = set()
    for i, cell in enumerate(_read(path).cells):
        kind = _kind(cell)
        if kind is None or kind == ANSWER:
            continue
        cell_id = _id(cell)
        assert cell_id and ID_PATTERN.match(cell_id), (
            f"{_where(path, i)} ({kind}) needs metadata nnlayers.id in snake_case, got {cell_id!r}")
        assert cell.cell_type == GRADED_KINDS[kind], (
            f"{_where(path, i)}: a {kind} cell must be a {GRADED_KINDS[kind]} cell, not {cell.cell_type}")
        assert cell_id not in seen, f"{_where(path, i)}: id {cell_id!r} is used twice"
        seen.add(cell_id)
    assert seen, f"{path.name} has no graded cells"


def test_checkpoints_assert(path):
    for i, cell in enumerate(_read(path).cells):
        if _kind(cell) == "checkpoint":
            asserts = [n for n in ast.walk(_python(cell)) if isinstance(n, ast.Assert)]
            assert asserts, f"{_where(path, i)}: checkpoint {_id(cell)!r} never asserts"


def test_result_cells_end_by_recording_their_id(path):
    for i, cell in enumerate(_read(path).cells):
        if _kind(cell) != "result":
            continue
        body = _python(cell).body
        last = body[-1] if body else None
        is_record = (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)
                     and isinstance(last.value.func, ast.Name) and last.value.func.id == "record")
        assert is_record, f"{_where(path, i)}: the last line of result {_id(cell)!r} must be record(...)"
        args = last.value.args
        recorded = args[0].value if args and isinstance(args[0], ast.Constant) else None
        assert recorded == _id(cell), (
            f"{_where(path, i)}: result cell {_id(cell)!r} records {recorded!r}; it must record its own id")
        assert len(args) == 2, f"{_where(path, i)}: record takes the id and the value"


def test_every_question_is_followed_by_its_answer(path):
    cells = _read(path).cells
    for i, cell in enumerate(cells):
        kind = _kind(cell)
        if kind == "inline-question":
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            assert nxt is not None and _kind(nxt) == ANSWER, (
                f"{_where(path, i)}: question {_id(cell)!r} must be followed by a cell tagged 'answer'")
            assert nxt.cell_type == "markdown", f"{_where(path, i + 1)}: an answer cell is a markdown cell"
            assert _id(nxt) == _id(cell), (
                f"{_where(path, i + 1)}: the answer to {_id(cell)!r} carries id {_id(nxt)!r}")
        elif kind == ANSWER:
            prev = cells[i - 1] if i > 0 else None
            assert prev is not None and _kind(prev) == "inline-question", (
                f"{_where(path, i)}: an answer cell must come right after its question")
