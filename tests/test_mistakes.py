"""Every catalog entry fails its checks and is named as itself; naming never breaks grading.

For each entry of ``solutions/grading/mistakes/`` the harness builds a
submission: a copy of the reference package holding a copy of the entry's
catalog module, whose variant replaces the student function.  All entries are
graded up front by a few processes (``GRADER_BUGS_WORKERS``), each with only
its own checks.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from support import reference_copy

from grader.api import grade
from grader.checks.kinds import Context, run_check
from grader.checks.registry import MISTAKES_DIR, _load, all_checks, mistake_catalog
from grader.executor import LocalExecutor
from grader.mistakes import Catalog, Mistake

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "solutions"
CATALOG = mistake_catalog(REFERENCE)
CHECKS = {c.id: c for c in all_checks(REFERENCE)}
SOURCES = {m.id: path for path in sorted((REFERENCE / MISTAKES_DIR).glob("[!_]*.py"))
           for m in _load(path, f"test_mistakes_{path.stem}").CATALOG}


def make_mistake_submission(tmp_path: Path, mistake: Mistake) -> Path:
    """A copy of the reference whose ``mistake.function`` is the entry's variant; returns the folder."""
    dest = reference_copy(Path(tmp_path) / f"sub_{mistake.id}")
    pkg = dest / "nnlayers"
    source = SOURCES[mistake.id]
    shutil.copy(source, pkg / f"_mistakes_{source.stem}.py")
    module, _, name = mistake.target.rpartition(".")
    with (pkg / (module.replace(".", "/") + ".py")).open("a", encoding="utf-8") as f:
        f.write(f"\n\nfrom nnlayers._mistakes_{source.stem} import CATALOG as _MISTAKES\n"
                + (f"{name} = type({name!r}, (_MISTAKES.get({mistake.id!r}).variant,), {{}})\n"  # a class keeps its name
                   if isinstance(mistake.variant, type) else f"{name} = _MISTAKES.get({mistake.id!r}).variant\n"))
    return dest


def _grade_job(folder: str, mistake_id: str):
    mistake = CATALOG.get(mistake_id)
    report = grade(submission=make_mistake_submission(Path(folder), mistake), seed=11, only=list(mistake.checks),
                   reference=REFERENCE, notebooks=False)
    return {c.id: (c.status, c.mistake, c.message) for c in report.checks}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("mistakes")
    workers = int(os.environ.get("GRADER_BUGS_WORKERS", min(3, os.cpu_count() or 1)))
    ids = [m.id for m in CATALOG]
    if workers <= 1:
        return {i: _grade_job(str(root), i) for i in ids}
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {i: pool.submit(_grade_job, str(root), i) for i in ids}
        return {i: f.result() for i, f in futures.items()}


def test_catalog_covers_every_student_function_twice():
    functions = {f for c in CHECKS.values() for f in c.functions} - {"Solver", "conv_forward_fast", "conv_backward_fast"}
    counts = {f: len(CATALOG.for_function(f)) for f in functions}
    assert not {f: n for f, n in counts.items() if n < 2}, counts


@pytest.mark.parametrize("mistake", list(CATALOG), ids=lambda m: m.id)
def test_entry_is_well_formed(mistake: Mistake):
    assert mistake.checks, "an entry names the checks it fails"
    unknown = [c for c in mistake.checks if c not in CHECKS]
    assert not unknown, f"unknown check ids {unknown}"
    for cid in mistake.checks:
        assert mistake.function in CHECKS[cid].functions, f"{cid} does not exercise {mistake.function}"
    assert mistake.explanation and mistake.hint and "\n" not in mistake.explanation + mistake.hint


@pytest.mark.parametrize("mistake", list(CATALOG), ids=lambda m: m.id)
def test_entry_fails_its_checks_and_is_named(graded, mistake: Mistake):
    got = graded[mistake.id]
    problems = []
    for cid in mistake.checks:
        status, named, message = got[cid]
        if status not in ("failed", "error"):  # an error: the entry raises, like the slip it stands for
            problems.append(f"{cid}: expected to fail, got {status}: {message[:300]}")
        elif named != mistake.id:
            problems.append(f"{cid}: named {named}: {message[:300]}")
        elif mistake.hint not in message:
            problems.append(f"{cid}: the message lacks the hint")
    assert not problems, "\n".join(problems)


def test_correct_alternative_gets_no_mistakes(tmp_path):
    report = grade(submission=ROOT / "tests" / "submissions" / "alt_correct", seed=3, reference=REFERENCE, notebooks=False,
                   only=["affine*", "relu*", "softmax_loss*", "batchnorm*", "dropout*", "adam*", "fc_net.numgrad*"])
    assert report.checks and all(c.mistake is None for c in report.checks)
    assert all(c.status == "passed" for c in report.checks if c.kind != "timing")


class _Student:
    """A fake worker: the reference itself, with outputs a callable may change."""

    def __init__(self, change=lambda arrays: arrays):
        self.local = LocalExecutor(REFERENCE)
        self.change = change

    def run(self, program, inputs=None, **kwargs):
        outcome = self.local.run(program, inputs)
        outcome.arrays = self.change(outcome.arrays)
        return outcome


def _context(student, catalog) -> Context:
    reference = LocalExecutor(REFERENCE)
    return Context(student=student, reference=reference, reference_worker=None, fixtures={}, seed=5, mistakes=catalog)


def _halve(arrays):
    return {k: v * 0.5 if k == "dx" else v for k, v in arrays.items()}


def test_unknown_failure_names_no_mistake():
    verdict = run_check(CHECKS["relu.reference"], _context(_Student(_halve), CATALOG), hidden=True)
    assert verdict.status == "failed" and verdict.mistake is None


def test_entry_that_raises_is_ignored():
    catalog = Catalog()

    def broken(dout, cache):
        raise RuntimeError("a broken entry")

    catalog.entry("relu_backward.broken", "nothing", "nothing")(broken)
    catalog.entry("relu_backward.halved", "a halved gradient", "halve nothing")(lambda dout, cache: 0.5 * dout * (cache > 0))
    verdict = run_check(CHECKS["relu.reference"], _context(_Student(_halve), catalog), hidden=True)
    assert verdict.status == "failed" and verdict.mistake == "relu_backward.halved"
    assert verdict.message.endswith("Hint: halve nothing")


def test_passing_check_names_nothing():
    verdict = run_check(CHECKS["relu.reference"], _context(_Student(), CATALOG), hidden=True)
    assert verdict.status == "passed" and verdict.mistake is None


def test_without_the_reference_no_mistake_is_named(tmp_path, monkeypatch):
    mistake = CATALOG.get("relu_forward.leaky")
    monkeypatch.delenv("GRADER_REFERENCE", raising=False)
    report = grade(submission=make_mistake_submission(tmp_path, mistake), seed=1, only=["relu_forward.fixed"],
                   notebooks=False, use_reference=False)
    (check,) = report.checks
    assert check.status == "failed" and check.mistake is None and "Hint" not in check.message
    assert any("names the likely mistake" in n for n in report.notes)


def test_hidden_messages_name_the_mistake_without_values(graded):
    status, named, message = graded["relu_forward.leaky"]["relu.reference"]
    assert named == "relu_forward.leaky" and "expected" not in message and "index" not in message


class _Failing(_Student):
    """A fake worker whose runs all fail as ``failure`` says."""

    def __init__(self, failure: dict):
        super().__init__()
        self.failure = failure

    def run(self, program, inputs=None, **kwargs):
        outcome = self.local.run(program, inputs)
        outcome.status, outcome.arrays, outcome.failure = "failed", {}, dict(self.failure)
        return outcome


def _raising_catalog() -> Catalog:
    catalog = Catalog()

    def raises(dout, cache):
        raise TypeError("unsupported operand")

    catalog.entry("relu_backward.raises", "a pass that raises", "look")(raises)
    catalog.entry("relu_backward.returns_none", "a pass that returns None", "look")(lambda dout, cache: None)
    return catalog


def test_exception_in_a_call_is_named_by_an_entry_raising_alike():
    failure = {"kind": "exception", "function": "relu_backward", "message": "relu_backward raised TypeError: whatever"}
    verdict = run_check(CHECKS["relu.reference"], _context(_Failing(failure), _raising_catalog()), hidden=True)
    assert verdict.status == "error" and verdict.mistake == "relu_backward.raises"
    assert "Your error matches a pass that raises" in verdict.message


@pytest.mark.parametrize("failure", [
    {"kind": "bad_return", "function": "relu_backward", "message": "relu_backward returned None; expected a tuple"},
    {"kind": "exception", "function": "relu_backward", "message": "relu_backward raised MemoryError: out of memory"},
    {"kind": "exception", "function": None, "message": "TypeError: raised while importing"},
    {"kind": "exception", "function": "relu_backward", "message": "relu_backward raised ValueError: another type"},
], ids=["malformed_return", "memory", "import_time", "other_type"])
def test_other_errors_name_nothing(failure):
    verdict = run_check(CHECKS["relu.reference"], _context(_Failing(failure), _raising_catalog()), hidden=True)
    assert verdict.status == "error" and verdict.mistake is None
