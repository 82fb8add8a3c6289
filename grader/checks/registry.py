"""All checks of a run: the public table plus, where the reference is available, the hidden one."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from grader.checks.spec import Check
from grader.checks.table import CHECKS as PUBLIC

HIDDEN_FILE = Path("grading") / "hidden_checks.py"
RUBRIC_FILE = Path("grading") / "rubric.toml"


class TableError(ValueError):
    """The hidden check table is malformed."""


def hidden_checks(reference_root: Path | None) -> list[Check]:
    """Rows of ``<reference>/grading/hidden_checks.py`` (none without the reference or the file)."""
    if reference_root is None:
        return []
    path = Path(reference_root) / HIDDEN_FILE
    if not path.is_file():
        return []
    spec = importlib.util.spec_from_file_location("nnlayers_hidden_checks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = list(getattr(module, "CHECKS", []))
    if not all(isinstance(r, Check) for r in rows):
        raise TableError(f"{path}: CHECKS must be a list of Check rows")
    return rows


def all_checks(reference_root: Path | None) -> list[Check]:
    """Public rows, then hidden rows; ids must be unique."""
    rows = list(PUBLIC) + hidden_checks(reference_root)
    seen: set[str] = set()
    for r in rows:
        if r.id in seen:
            raise TableError(f"check id {r.id!r} is defined twice")
        seen.add(r.id)
    return rows


def instructor_rubric(reference_root: Path | None) -> Path | None:
    """``<reference>/grading/rubric.toml`` if present: the rubric of official grading."""
    if reference_root is None:
        return None
    path = Path(reference_root) / RUBRIC_FILE
    return path if path.is_file() else None
