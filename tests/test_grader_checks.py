"""Every grader check can fail, and fails for the right reason.

Each file of ``tests/bugs/`` is one bug variant of one student function::

    \"\"\"One line: what the bug is (and "seed" if it comes from the seeds).\"\"\"
    TARGET = "layers.py"                  # the module of nnlayers/ it patches
    FAILS = ("relu.inputs_unmodified",)   # check ids this variant must fail
    PASSES = ("relu.numgrad",)            # optional: check ids that must still pass
    XFAIL = "why"                         # optional: a known grader weakness (strict xfail)
    MISTAKE = "relu_backward.inplace_dout"  # optional: the catalog entry failed checks must name

    # --- patch ---
    def relu_backward(dout, cache):       # replacement definitions, appended to
        ...                               # TARGET of a copy of the reference

The file name is ``<function>__<short_id>.py``: ``<function>`` is the student
function (or class) the variant breaks, and the message of every failed check
must name it; with ``MISTAKE``, the failed checks that name a mistake
(``solutions/grading/mistakes/``) must name that one, and at least one must.  The harness copies the reference package, appends the part of
the file after ``# --- patch ---`` to ``TARGET`` (Python keeps the last
definition; classes are patched by assigning methods), grades only the listed
checks, and asserts the verdicts.  A last test asserts that every check id (public
table and the hidden checks of ``solutions/grading/``) is failed by some variant.

Speed: the variants without timing checks are graded up front by a few
processes (``GRADER_BUGS_WORKERS``, default up to 3); timing variants are graded
one at a time with 1 measured round instead of 5 (same shapes, repetitions and
allowed ratio; ``GRADER_BUGS_FULL_TIMING=1`` runs them as the table says) and
get two retries, since a loaded machine compresses timing ratios.
``tests/bugs/extra/`` holds slow variants that only document weak timing checks
(run them with ``GRADER_BUGS_EXTRA=1``).
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from support import append_code, reference_copy

from grader.api import grade
from grader.checks.registry import all_checks, mistake_catalog

ROOT = Path(__file__).resolve().parents[1]
BUGS_DIR = ROOT / "tests" / "bugs"
REFERENCE = ROOT / "solutions"
CHECKS = all_checks(REFERENCE)  # the public table and the hidden checks kept with the reference
MISTAKE_IDS = {m.id for m in mistake_catalog(REFERENCE)}
MARKER = "# --- patch ---"
FAILED = {"failed", "error"}


@dataclass(frozen=True)
class Bug:
    """One bug variant, parsed from its file."""

    path: Path
    function: str
    doc: str
    target: str
    fails: tuple[str, ...]
    passes: tuple[str, ...]
    xfail: str | None
    patch: str
    mistake: str | None = None

    @property
    def name(self) -> str:
        return self.path.stem


def load_bug(path: Path) -> Bug:
    """Parse a bug file: run its header (docstring and constants), keep its patch as text."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    head, sep, patch = text.partition(MARKER)
    if not sep:
        raise ValueError(f"{path.name}: no '{MARKER}' line")
    ns: dict = {}
    exec(compile(head, str(path), "exec"), ns)  # noqa: S102 - our own test data
    function, sep, short = path.stem.partition("__")
    if not sep or not short:
        raise ValueError(f"{path.name}: expected <function>__<short_id>.py")
    return Bug(path=path, function=function, doc=(ns.get("__doc__") or "").strip(), target=ns["TARGET"],
               fails=tuple(ns["FAILS"]), passes=tuple(ns.get("PASSES", ())), xfail=ns.get("XFAIL"), patch=patch,
               mistake=ns.get("MISTAKE"))


def bug_files() -> list[Path]:
    return sorted(BUGS_DIR.glob("*__*.py"))


def make_submission(tmp_path: Path, bug_file: Path | Bug) -> Path:
    """A copy of the reference package with the bug's patch appended to its target; returns the folder."""
    bug = bug_file if isinstance(bug_file, Bug) else load_bug(bug_file)
    dest = reference_copy(Path(tmp_path) / f"sub_{bug.name}")
    if not (dest / "nnlayers" / bug.target).is_file():
        raise FileNotFoundError(f"{bug.name}: TARGET {bug.target} is not a file of the package")
    return append_code(dest, {bug.target: f"# ---- bug variant {bug.name}: {bug.doc}\n{bug.patch}"})


def quick_table() -> list:
    """The check table, with timing checks run for 1 measured round (after the warm-up) instead of 5 (same shapes, inner repeats, ratio)."""
    if os.environ.get("GRADER_BUGS_FULL_TIMING"):
        return list(CHECKS)
    return [dataclasses.replace(c, options={**c.options, "rounds": 1})
            if c.kind == "timing" and not c.options.get("against") else c for c in CHECKS]


def grade_bug(tmp_path: Path, bug: Bug, ids: tuple[str, ...]):
    return grade(submission=make_submission(tmp_path, bug), seed=7, only=list(ids), reference=REFERENCE,
                 notebooks=False, checks=quick_table())


# ----------------------------------------------------------------------------- the bug files themselves

ALL_IDS = {c.id: c for c in CHECKS}


def _params():
    out = []
    for path in bug_files():
        bug = load_bug(path)
        marks = [pytest.mark.xfail(strict=True, reason=bug.xfail)] if bug.xfail else []
        out.append(pytest.param(bug, id=bug.name, marks=marks))
    return out


BUGS = _params()


def test_there_are_bug_files():
    assert len(BUGS) >= 60


@pytest.mark.parametrize("bug", [b.values[0] for b in BUGS], ids=[b.id for b in BUGS])
def test_bug_file_is_well_formed(bug: Bug):
    assert bug.doc and "\n" not in bug.doc, "the docstring must be one line"
    assert bug.fails or bug.passes, "a variant must fail or pass something"
    unknown = [i for i in bug.fails + bug.passes if i not in ALL_IDS]
    assert not unknown, f"unknown check ids {unknown}"
    assert not set(bug.fails) & set(bug.passes)
    if bug.mistake:
        assert bug.mistake in MISTAKE_IDS, f"unknown mistake {bug.mistake}"
        assert bug.mistake.partition(".")[0] == bug.function
    compile(bug.patch, str(bug.path), "exec")
    for cid in bug.fails:
        assert bug.function in ALL_IDS[cid].functions, (
            f"{cid} exercises {ALL_IDS[cid].functions}, not {bug.function}: its message would not name it")


def mistake_problems(bug: Bug, report) -> list[str]:
    """Failed checks that name another mistake than the bug's ``MISTAKE``, or none naming it at all."""
    failed = [c for c in report.checks if c.id in bug.fails and c.status in FAILED]
    if bug.mistake is None:
        return []
    wrong = [f"{c.id}: names {c.mistake}, expected {bug.mistake}" for c in failed if c.mistake not in (None, bug.mistake)]
    if not any(c.mistake == bug.mistake for c in failed):
        wrong.append(f"no failed check names {bug.mistake}: " + ", ".join(f"{c.id} names {c.mistake}" for c in failed))
    return wrong


def _timing_not_failed(report, bug: Bug) -> bool:
    return any(c.kind == "timing" and c.id in bug.fails and c.status not in FAILED for c in report.checks)


def is_timing(bug: Bug) -> bool:
    return any(ALL_IDS[i].kind == "timing" for i in bug.fails + bug.passes if i in ALL_IDS)


def _grade_job(folder: str, bug: Bug):
    return grade_bug(Path(folder), bug, bug.fails + bug.passes)


@pytest.fixture(scope="session")
def pregraded(request, tmp_path_factory) -> dict:
    """Reports of the selected variants without timing checks, graded up front by a few processes.

    Most of a small grade is spent starting the worker and importing numpy, so grading in parallel
    roughly halves this file's time.  Timing variants are graded one at a time, in their tests,
    after this (so that nothing else of ours competes with them for the CPUs).
    """
    bugs = {}
    for item in request.session.items:
        bug = getattr(item, "callspec", None) and item.callspec.params.get("bug")
        if isinstance(bug, Bug) and not is_timing(bug):
            bugs[bug.name] = bug
    root = tmp_path_factory.mktemp("pregraded")
    workers = int(os.environ.get("GRADER_BUGS_WORKERS", min(3, os.cpu_count() or 1)))
    if workers <= 1:
        return {name: _grade_job(str(root / name), bug) for name, bug in bugs.items()}
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = {name: pool.submit(_grade_job, str(root / name), bug) for name, bug in bugs.items()}
        return {name: f.result() for name, f in futures.items()}


@pytest.mark.parametrize("bug", BUGS)
def test_bug_variant(request, tmp_path, bug: Bug):
    if not is_timing(bug):
        report = request.getfixturevalue("pregraded")[bug.name]
    else:
        report = grade_bug(tmp_path, bug, bug.fails + bug.passes)
        # Timing ratios shrink on a loaded machine (the reference's short runs suffer most from waiting
        # for a CPU): a slow variant gets two more tries before we conclude its timing check cannot fail.
        for attempt in range(2):
            if bug.xfail or not _timing_not_failed(report, bug):
                break
            report = grade_bug(tmp_path / f"retry{attempt}", bug, bug.fails + bug.passes)
    got = {c.id: c for c in report.checks}
    assert set(got) == set(bug.fails + bug.passes)
    problems = []
    for cid in bug.fails:
        c = got[cid]
        if c.status not in FAILED:
            problems.append(f"{cid}: expected to fail, got {c.status}: {c.message[:300]}")
        elif bug.function not in c.message:
            problems.append(f"{cid}: the message does not name {bug.function}: {c.message[:300]}")
        elif c.score != 0:
            problems.append(f"{cid}: failed but scored {c.score}")
    for cid in bug.passes:
        c = got[cid]
        if c.status != "passed":
            problems.append(f"{cid}: expected to pass, got {c.status}: {c.message[:300]}")
    problems += mistake_problems(bug, report)
    assert not problems, f"{bug.name} ({bug.doc}):\n" + "\n".join(problems)


EXTRA = [pytest.param(b := load_bug(p), id=b.name,
                      marks=[pytest.mark.xfail(strict=True, reason=b.xfail)] if b.xfail else [])
         for p in sorted((BUGS_DIR / "extra").glob("*__*.py"))]


@pytest.mark.skipif(not os.environ.get("GRADER_BUGS_EXTRA"), reason="slow timing evidence: set GRADER_BUGS_EXTRA=1")
@pytest.mark.parametrize("bug", EXTRA)
def test_extra_bug_variant(request, tmp_path, bug: Bug):
    """Variants kept out of the default run because they only document (slowly) where a timing check is weak."""
    test_bug_variant(request, tmp_path, bug)


def test_every_check_can_fail():
    covered = set()
    for p in BUGS:
        bug = p.values[0]
        if not bug.xfail:
            covered.update(bug.fails)
    uncovered = [c.id for c in CHECKS if c.id not in covered]
    assert not uncovered, f"checks that no bug variant fails: {uncovered}"


def test_every_student_function_has_two_variants():
    functions = {f for c in CHECKS for f in c.functions} - {"Solver", "conv_backward_fast"}
    counts = {f: 0 for f in functions}
    for p in BUGS:
        bug = p.values[0]
        if bug.function in counts:
            counts[bug.function] += 1
    # the fast layers are provided code: one variant (for conv.fast_vs_naive) is enough
    few = {f: n for f, n in counts.items() if n < (1 if f == "conv_forward_fast" else 2)}
    assert not few, f"student functions with fewer than 2 bug variants: {few}"
