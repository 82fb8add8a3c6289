"""All checks of a run: the public table plus, where the reference is available, the hidden one."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from grader.checks.spec import Check
from grader.checks.table import CHECKS as PUBLIC
from grader.mistakes.catalog import Catalog

HIDDEN_FILE = Path("grading") / "hidden_checks.py"
RUBRIC_FILE = Path("grading") / "rubric.toml"
MISTAKES_DIR = Path("grading") / "mistakes"


class TableError(ValueError):
    """The hidden check table is malformed."""


def hidden_checks(reference_root: Path | None) -> list[Check]:
    """Rows of ``<reference>/grading/hidden_checks.py`` (none without the reference or the file)."""
    if reference_root is None:
        return []
    path = Path(reference_root) / HIDDEN_FILE
    if not path.is_file():
        return []
    module = _load(path, "nnlayers_hidden_checks")
    rows = list(getattr(module, "CHECKS", []))
    if not all(isinstance(r, Check) for r in rows):
        raise TableError(f"{path}: CHECKS must be a list of Check rows")
    return rows


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mistake_catalog(reference_root: Path | None) -> Catalog | None:
    """Entries of ``<reference>/grading/mistakes/*.py`` (their ``CATALOG``); None without the reference.

    The entry modules import the reference package, so its folder is put on ``sys.path``
    (as the in-process reference executor does).
    """
    if reference_root is None:
        return None
    folder = Path(reference_root) / MISTAKES_DIR
    if not folder.is_dir():
        return None
    root = str(Path(reference_root).resolve())
    if root not in sys.path:
        sys.path.insert(0, root)
    catalog = Catalog()
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        part = getattr(_load(path, f"nnlayers_mistakes_{path.stem}"), "CATALOG", None)
        if not isinstance(part, Catalog):
            raise TableError(f"{path}: CATALOG must be a grader.mistakes.Catalog")
        catalog.extend(part)
    return catalog


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
