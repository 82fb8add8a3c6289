"""``gradebook.csv``: one row per submission, one column per check.

Columns: ``submission, score, max_score, <check ids...>, error``.  Check
columns hold the points earned; their ids come in the order of the check
table (as the reports list them) and are the same for every row: a
submission that could not be graded has empty check cells, a score of 0 and
the reason in ``error``.  Text cells that a spreadsheet would take for a
formula (``=``, ``+``, ``-``, ``@``) get a leading ``'``.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from grader.classroom.run import ClassResult

FIXED = ("submission", "score", "max_score")


def _num(x: float) -> str:
    return f"{float(x):g}"


def _text(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def check_ids(results: Sequence["ClassResult"]) -> list[str]:
    """Every check id of the run, in the order the reports list them (a stable order)."""
    ids: dict[str, None] = {}
    for r in sorted(results, key=lambda r: (-len((r.report or {}).get("checks", [])), r.name)):
        for c in (r.report or {}).get("checks", []):
            ids.setdefault(c["id"], None)
    return list(ids)


def table(results: Sequence["ClassResult"]) -> tuple[list[str], list[list[str]]]:
    """The gradebook's header and rows (rows sorted by submission name)."""
    ids = check_ids(results)
    header = [*FIXED, *ids, "error"]
    rows = []
    for r in sorted(results, key=lambda r: r.name):
        report = r.report or {}
        checks = {c["id"]: c for c in report.get("checks", [])}
        row = [_text(r.name), _num(report.get("score", 0.0)), _num(report["max_score"]) if checks else ""]
        row += [_num(checks[i]["score"]) if i in checks else "" for i in ids]
        row.append(_text(r.error.replace("\n", " ")))
        rows.append(row)
    return header, rows


def write_gradebook(results: Sequence["ClassResult"], path: Path) -> Path:
    """Write ``gradebook.csv`` (atomically); return its path."""
    header, rows = table(results)
    path = Path(path)
    tmp = path.with_suffix(".csv.tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    tmp.replace(path)
    return path
