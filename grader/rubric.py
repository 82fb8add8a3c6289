"""The rubric: points, visibility and tolerances per check, from a TOML file.

The file has one table per check id::

    [checks."affine_forward.fixed"]
    points = 2
    visibility = "public"     # or "hidden"
    tolerance = 1e-7          # optional: overrides the check table's default

and optional top-level keys ``total`` (the expected sum of points, checked on
load) and ``notebook_thresholds`` (used by the notebook checks).  Every error
names the offending key.  Checks the file does not list keep the check table's
defaults.
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from grader.checks.spec import VISIBILITIES, Check

ENTRY_KEYS = {"points": (int, float), "visibility": (str,), "tolerance": (int, float)}
TOP_KEYS = {"total", "checks", "notebook_thresholds"}


class RubricError(ValueError):
    """The rubric file is malformed; the message names the key."""


@dataclass(frozen=True)
class Rubric:
    """Validated rubric.

    Attributes
    ----------
    entries : dict
        Check id to its overrides (``points``, ``visibility``, ``tolerance``).
    total : float or None
        Declared total; when given, the points must add up to it.
    source : str
        Where the rubric came from (for messages).
    extra : dict
        Other validated top-level tables (``notebook_thresholds``).
    """

    entries: dict[str, dict[str, Any]]
    total: float | None = None
    source: str = "<default>"
    extra: dict[str, Any] = field(default_factory=dict)

    def points(self, check_id: str, default: float) -> float:
        return float(self.entries.get(check_id, {}).get("points", default))

    def apply(self, check: Check) -> Check:
        """The check with this rubric's points, visibility and tolerance."""
        entry = self.entries.get(check.id, {})
        return replace(
            check,
            points=float(entry.get("points", check.points)),
            visibility=entry.get("visibility", check.visibility),
            tolerance=float(entry.get("tolerance", check.tolerance)),
        )


def parse_rubric(data: dict, *, known: set[str], source: str = "<rubric>", results: set[str] | None = None) -> Rubric:
    """Validate parsed TOML ``data`` against the ``known`` check ids."""
    unknown_top = sorted(set(data) - TOP_KEYS)
    if unknown_top:
        raise RubricError(f"{source}: unknown top-level key {unknown_top[0]!r} (allowed: {', '.join(sorted(TOP_KEYS))})")
    total = data.get("total")
    if total is not None and (not isinstance(total, (int, float)) or isinstance(total, bool) or total <= 0):
        raise RubricError(f"{source}: 'total' must be a positive number, got {total!r}")
    checks = data.get("checks", {})
    if not isinstance(checks, dict):
        raise RubricError(f"{source}: 'checks' must be a table of check ids")
    entries: dict[str, dict[str, Any]] = {}
    for cid, entry in checks.items():
        key = f"checks.{cid!r}" if "." in cid else f"checks.{cid}"
        if cid not in known:
            close = sorted(k for k in known if k.split(".")[0] == cid.split(".")[0])[:5]
            hint = f"; checks of {cid.split('.')[0]}: {', '.join(close)}" if close else ""
            raise RubricError(f"{source}: [{key}] is not a known check{hint}")
        if not isinstance(entry, dict):
            raise RubricError(f"{source}: [{key}] must be a table")
        for k, v in entry.items():
            if k not in ENTRY_KEYS:
                raise RubricError(f"{source}: {key}.{k} is not a rubric setting (allowed: {', '.join(ENTRY_KEYS)})")
            if not isinstance(v, ENTRY_KEYS[k]) or isinstance(v, bool):
                raise RubricError(f"{source}: {key}.{k} has the wrong type ({type(v).__name__})")
        if "points" in entry and (not math.isfinite(entry["points"]) or entry["points"] < 0):
            raise RubricError(f"{source}: {key}.points must be a non-negative number, got {entry['points']!r}")
        if "visibility" in entry and entry["visibility"] not in VISIBILITIES:
            raise RubricError(f"{source}: {key}.visibility must be one of {', '.join(VISIBILITIES)}, got {entry['visibility']!r}")
        if "tolerance" in entry and not (math.isfinite(entry["tolerance"]) and entry["tolerance"] >= 0):
            raise RubricError(f"{source}: {key}.tolerance must be a non-negative number, got {entry['tolerance']!r}")
        entries[cid] = dict(entry)
    extra = {}
    if "notebook_thresholds" in data:
        nt = data["notebook_thresholds"]
        if not isinstance(nt, dict) or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in nt.values()):
            raise RubricError(f"{source}: notebook_thresholds must map names to numbers")
        unknown = sorted(set(nt) - results) if results is not None else []
        if unknown:
            raise RubricError(f"{source}: notebook_thresholds.{unknown[0]} is not a result cell of the notebooks "
                              f"(known: {', '.join(sorted(results))})")
        extra["notebook_thresholds"] = dict(nt)
    return Rubric(entries, float(total) if total is not None else None, source, extra)


def load_rubric(path: Path | None, checks: list[Check], notebook_checks: list | None = None) -> Rubric:
    """Load and validate a rubric file (the packaged default when ``path`` is None).

    ``checks`` are the layer checks and ``notebook_checks`` the graded notebook
    cells (the packaged table by default); both kinds of id may appear.
    """
    if notebook_checks is None:
        from grader.notebooks.table import NOTEBOOK_CHECKS as notebook_checks
    known = {c.id for c in checks} | {c.id for c in notebook_checks}
    if path is None:
        text = resources.files("grader").joinpath("rubric.toml").read_text(encoding="utf-8")
        source = "the default rubric"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise RubricError(f"cannot read the rubric {path}: {exc.strerror}") from None
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(f"{source}: not valid TOML: {exc}") from None
    rubric = parse_rubric(data, known=known, source=source,
                          results={c.cell for c in notebook_checks if c.kind == "result"})
    if rubric.total is not None:
        got = sum(rubric.apply(c).points for c in checks) + sum(rubric.points(c.id, c.points) for c in notebook_checks)
        if abs(got - rubric.total) > 1e-6:
            raise RubricError(f"{source}: the points add up to {got:g}, but 'total' says {rubric.total:g}")
    return rubric
