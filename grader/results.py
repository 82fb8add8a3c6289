"""Result records: what a grade produced, serialised to reports in ``reports.py``."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class CheckResult:
    """The record of one check in ``report.json``.

    Attributes
    ----------
    id : str
        Check id (as in the rubric).
    functions : list of str
        Student functions or classes the check exercises.
    kind : str
        ``fixed``, ``reference``, ``numgrad``, ``timing``, ``statistical``,
        ``behaviour``, ``model`` or ``notebook``.
    score, max_score : float
        Points earned and available.
    status : str
        ``passed``, ``failed``, ``error``, ``timeout`` or ``skipped``.
    message : str
        What a student can act on (empty when passed without remark).
    visibility : str
        ``public`` or ``hidden``.
    condition : str
        The input condition in words.
    duration_s : float
        Wall time of the check.
    details : dict
        Kind-specific figures (timings, ratios, accuracies).
    output : str
        What the student's code printed during the check (capped).
    mistake : str or None
        Id of the known mistake the student's results match (failed checks,
        official grading only); its explanation and hint are in ``message``.
    """

    id: str
    functions: list[str]
    kind: str
    score: float
    max_score: float
    status: str
    message: str = ""
    visibility: str = "public"
    condition: str = ""
    duration_s: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)
    output: str = ""
    mistake: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    """The canonical record of grading one submission (``report.json``)."""

    submission: str
    score: float
    max_score: float
    seed: int
    duration_s: float
    checks: list[CheckResult]
    grader_version: str = ""
    isolation: str = "basic"
    reference: bool = False
    notes: list[str] = field(default_factory=list)
    notebooks: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["checks"] = [c.as_dict() for c in self.checks]
        return d
