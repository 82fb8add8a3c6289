"""Match a failed check's results with the catalog's wrong variants.

While a check runs, a :class:`Recorder` keeps every program sent to the
student's worker with its inputs and outcome.  If the check fails (or ends in
an error because the student's code raised an exception inside a call),
:func:`name_mistake` replays those programs in the grader's process against
the reference package with one function replaced by a catalog entry, and
compares the variant's results with the student's using the check's own
tolerance; an exception agrees with an exception of the same kind and message
head (``"affine_forward raised ValueError"``) raised inside the variant itself.
Crashes, timeouts, memory errors and malformed returns are never named.
Checks whose inputs are random (statistical and model checks) are
replayed on both sides from the same seed, which costs one more student run
per program, on failure only.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from grader.checks.compare import compare_array, relative_errors
from grader.mistakes.catalog import Catalog, Mistake
from grader.worker.interp import Interpreter

NAMED_KINDS = ("fixed", "reference", "numgrad", "behaviour", "statistical", "model")
RESEEDED_KINDS = ("statistical", "model")  # their programs draw random numbers: replay both sides from one seed
SKIPPED_PROPERTIES = ("overfit",)  # a training run per entry costs too much
UNNAMED_EXCEPTIONS = ("MemoryError", "RecursionError", "recursed too deeply")  # resources, not slips
MATCH_TOL = 1e-6  # for kinds whose own tolerance is no array tolerance
SEED = 20240607


@dataclass
class Run:
    """One program run against the submission during a check."""

    program: list[dict]
    inputs: dict[str, np.ndarray]
    outcome: Any  # grader.executor.Outcome


@dataclass
class Recorder:
    """An executor that records the runs it passes on to ``inner`` (the student's worker)."""

    inner: Any
    runs: list[Run] = field(default_factory=list)

    def run(self, program: list[dict], inputs: dict[str, np.ndarray] | None = None, **kwargs) -> Any:
        outcome = self.inner.run(program, inputs, **kwargs)
        self.runs.append(Run(program, dict(inputs or {}), outcome))
        return outcome


def can_name(check) -> bool:
    """Whether failures of ``check`` are matched with the catalog."""
    return check.kind in NAMED_KINDS and check.options.get("property") not in SKIPPED_PROPERTIES


def raised_in_call(failure: dict | None) -> bool:
    """Whether a run's failure is an exception raised by a called function (not an import error,
    a malformed return, or running out of memory or stack)."""
    if not failure or failure.get("kind") != "exception" or not failure.get("function"):
        return False
    head = _head(failure)[1]
    return " raised " in head and not any(word in head for word in UNNAMED_EXCEPTIONS)


def can_name_verdict(verdict) -> bool:
    """Whether a verdict gets a mistake: a failed check, or an error from an exception raised in a call."""
    if verdict.status == "failed":
        return True
    return verdict.status == "error" and verdict.details.get("failure_kind") == "exception"


class _Replaced(Interpreter):
    """The reference's interpreter with one package path resolving to a catalog entry's variant.

    ``raised`` tells whether the last exception came out of the variant (a function variant is
    wrapped to see that; a class variant is renamed after the class it stands for, so that a method's
    label reads the same as the student's, and any exception in its methods counts as its own).
    """

    def __init__(self, base: Interpreter, target: str, variant: Any):
        super().__init__(base.package, base.roots)
        self.target = target
        self.raised = False
        if isinstance(variant, type):
            self.variant = type(target.rpartition(".")[2], (variant,), {"__module__": variant.__module__})
        else:
            self.variant = self._watch(variant)

    def _watch(self, fn):
        def watched(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except BaseException:
                self.raised = True
                raise
        return watched

    def resolve(self, path: str) -> Any:
        if path == self.target:
            return self.variant
        return super().resolve(path)

    def run(self, program, inputs):
        self.raised = isinstance(self.variant, type)
        return super().run(program, inputs)


def _replay(interp: Interpreter, program: list[dict], inputs: dict[str, np.ndarray]):
    """Run a program in-process; return (outputs, failure dict or None); global random state untouched."""
    state = np.random.get_state()
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outputs, failure = interp.run(program, {k: np.array(v) for k, v in inputs.items()})
    finally:
        np.random.set_state(state)
    return outputs, (failure.as_dict() if failure is not None else None)


def _head(failure: dict) -> tuple[str, str]:
    """What must agree between two failures: their kind and the message up to its first colon."""
    return failure.get("kind") or "", (failure.get("message") or "").split(":", 1)[0]


def _error(a: np.ndarray, b: np.ndarray) -> float:
    if a.size == 0:
        return 0.0
    return float(np.max(relative_errors(np.nan_to_num(a), np.nan_to_num(b))))


def _agreement(student, outputs, failure, tol: float, metric: str, own: bool = True) -> float | None:
    """The largest error between the student's outcome and a replay's, or None if they disagree.

    Failures agree only as exceptions raised in the same call with the same head; ``own`` tells
    whether the replay's exception came out of the variant (never out of the reference's code alone).
    """
    if student.status != "ok":
        if not (own and raised_in_call(student.failure) and raised_in_call(failure)):
            return None
        return 0.0 if _head(student.failure) == _head(failure) else None
    if failure is not None or set(outputs) != set(student.arrays):
        return None
    worst = 0.0
    for name, mine in student.arrays.items():
        theirs = np.asarray(outputs[name])
        if compare_array(name, mine, theirs, tol, check_dtype=True, metric=metric) is not None:
            return None
        worst = max(worst, _error(mine, theirs))
    return worst


def _tolerance(check) -> tuple[float, str]:
    if check.kind in ("fixed", "reference", "numgrad"):
        return check.tolerance, check.options.get("metric", "relative")
    return MATCH_TOL, "relative"


def _student_runs(check, runs: list[Run], student, timeout: float) -> list[Run] | None:
    """The runs to match: as recorded, or run again from a fixed seed for checks with random inputs."""
    if any(r.outcome.status in ("timeout", "crashed") for r in runs):
        return None
    if check.kind not in RESEEDED_KINDS:
        return runs
    again = []
    for r in runs:
        program = [{"op": "seed", "value": SEED}, *r.program]
        outcome = student.run(program, r.inputs, timeout=timeout, label=" / ".join(check.functions))
        if outcome.status in ("timeout", "crashed"):
            return None
        again.append(Run(program, r.inputs, outcome))
    return again


def _score(interp: Interpreter, runs: list[Run], tol: float, metric: str) -> float | None:
    """Largest error over all runs if ``interp`` reproduces every one of them, else None."""
    worst = 0.0
    for r in runs:
        outputs, failure = _replay(interp, r.program, r.inputs)
        err = _agreement(r.outcome, outputs, failure, tol, metric, own=getattr(interp, "raised", True))
        if err is None:
            return None
        worst = max(worst, err)
    return worst


def name_mistake(check, runs: list[Run], catalog: Catalog, reference: Interpreter, student, timeout: float) -> Mistake | None:
    """The catalog entry whose variant reproduces the student's results on ``check``, if any.

    Parameters
    ----------
    check : Check
        The failed check.
    runs : list of Run
        What the check ran against the submission (from a :class:`Recorder`).
    catalog : Catalog
        Known wrong variants.
    reference : Interpreter
        The in-process interpreter of the reference package.
    student : executor
        The student's worker (used again only for checks with random inputs).
    timeout : float
        Seconds allowed for each such run.

    Returns
    -------
    Mistake or None
        The matching entry with the smallest error (of equals, the first that
        lists ``check`` among its checks, else the first);
        None when no entry matches, when the reference itself reproduces the
        student's results, when a run timed out or crashed, when a run failed
        otherwise than by an exception raised in a call, or when anything goes wrong.
    """
    if any(r.outcome.status != "ok" and not raised_in_call(r.outcome.failure) for r in runs):
        return None
    candidates = [m for fn in check.functions for m in catalog.for_function(fn)]
    if not candidates or not runs:
        return None
    try:
        runs = _student_runs(check, runs, student, timeout)
        if runs is None:
            return None
        tol, metric = _tolerance(check)
        if _score(reference, runs, tol, metric) is not None:
            return None  # the failure is not in what these runs returned
    except Exception:  # noqa: BLE001 - naming a mistake must never break grading
        return None
    best, best_key = None, (float("inf"), True)
    for mistake in candidates:
        try:
            err = _score(_Replaced(reference, mistake.target, mistake.variant), runs, tol, metric)
        except Exception:  # noqa: BLE001 - a broken entry is ignored
            continue
        key = (err, check.id not in mistake.checks)  # of equals, one written for this check goes first
        if err is not None and key < best_key:
            best, best_key = mistake, key
    return best


def explain(verdict, mistake: Mistake):
    """``verdict`` with the mistake's id recorded and its explanation and hint appended to the message."""
    what = "error" if verdict.status == "error" else "output"
    text = f"Your {what} matches {mistake.explanation}.\nHint: {mistake.hint}"
    message = f"{verdict.message}\n{text}" if verdict.message else text
    return replace(verdict, message=message, mistake=mistake.id)
