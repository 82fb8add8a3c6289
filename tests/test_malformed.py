"""Malformed submissions: each gets a clear message, nothing crashes, whatever is gradable is graded.

Every case is a row: how to build the submission, which checks to run, and
what each check's status and message must be, plus the notes the report must
carry.  The messages must also reach ``results.json`` (Gradescope shows its
``output`` fields to students).  A spy in ``optim.py`` (``rmsprop``) reports
which files the grader's private copy holds, to prove symbolic links are never
followed.  The grader runs with the isolation it picks by default here.
"""
from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

import grader.notebooks.table as notebook_table
from hostile.common import AFFINE, OTHERS, ROOT, SOLUTIONS, by_id, make_submission, run

SPY = "rmsprop.fixed"
# rmsprop raises with the list of files (recursively) in its own package folder: the grader's private copy
SPY_CODE = """
def rmsprop(w, dw, config=None):
    import os
    top = os.path.dirname(os.path.abspath(__file__))
    files = sorted(os.path.relpath(os.path.join(d, f), top) for d, _, fs in os.walk(top) for f in fs if "__pycache__" not in d)
    raise RuntimeError("FILES " + " ".join(files))
"""


@dataclass
class Case:
    """A malformed submission: ``build(tmp_path)`` returns the folder to grade."""

    id: str
    build: Callable[[Path], Path]
    expect: dict[str, tuple[str, str | tuple[str, ...]]]  # check id -> (status, fragment(s) of its message)
    notes: tuple[str, ...] = ()  # fragments that must appear among the report's notes
    absent: tuple[str, ...] = ()  # names that must not be in the private copy (needs SPY in expect)
    extra_only: tuple[str, ...] = ()

    @property
    def only(self) -> list[str]:
        return [*self.expect, *self.extra_only]


def _empty(tmp: Path) -> Path:
    (tmp / "empty").mkdir()
    return tmp / "empty"


def _no_package(tmp: Path) -> Path:
    sub = tmp / "nopkg"
    (sub / "src").mkdir(parents=True)
    (sub / "src" / "layers.py").write_text("def affine_forward(x, w, b):\n    pass\n")
    (sub / "nnlayer").mkdir()  # a typo
    (sub / "README.md").write_text("my homework\n")
    return sub


def _one_level_down(tmp: Path) -> Path:
    make_submission(tmp / "upload", name="my-clone")
    return tmp / "upload"


def _two_one_level_down(tmp: Path) -> Path:
    make_submission(tmp / "upload", name="attempt1")
    make_submission(tmp / "upload", name="attempt2")
    return tmp / "upload"


def _replace_layers(data: bytes) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        sub = make_submission(tmp)
        (sub / "nnlayers" / "layers.py").write_bytes(data)
        return sub
    return build


def _latin1_layers(tmp: Path) -> Path:
    sub = make_submission(tmp)
    path = sub / "nnlayers" / "layers.py"
    text = path.read_text().replace("import numpy as np", "import numpy as np\nGREETING = 'café, été'", 1)
    path.write_bytes(text.encode("latin-1", "replace"))
    return sub


def _without_optim(tmp: Path) -> Path:
    sub = make_submission(tmp)
    (sub / "nnlayers" / "optim.py").unlink()
    return sub


ODD_NAMES = ("my helper.py", "ünïcødé_モジュール.py", "new\nline.py", "tab\tand -rf.py", "dir with spaces/a b.py")


def _odd_names(tmp: Path) -> Path:
    sub = make_submission(tmp, {"optim.py": SPY_CODE})
    for name in ODD_NAMES:
        path = sub / "nnlayers" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("X = 1\n")
    return sub


def _symlinks(tmp: Path) -> Path:
    sub = make_submission(tmp, {"optim.py": SPY_CODE})
    pkg = sub / "nnlayers"
    (pkg / "evil.py").symlink_to("/etc/passwd")
    (pkg / "reference.py").symlink_to(SOLUTIONS / "nnlayers" / "layers.py")
    return sub


def _symlinked_layers(tmp: Path) -> Path:
    sub = make_submission(tmp, {"optim.py": SPY_CODE})
    (sub / "nnlayers" / "layers.py").unlink()
    (sub / "nnlayers" / "layers.py").symlink_to(SOLUTIONS / "nnlayers" / "layers.py")  # the cheat
    return sub


def _symlinked_package(tmp: Path) -> Path:
    sub = tmp / "sub"
    sub.mkdir()
    (sub / "nnlayers").symlink_to(SOLUTIONS / "nnlayers", target_is_directory=True)
    return sub


def _symlinked_folder_inside(tmp: Path) -> Path:
    sub = make_submission(tmp, {"optim.py": SPY_CODE})
    (sub / "nnlayers" / "linked").symlink_to(SOLUTIONS / "nnlayers", target_is_directory=True)
    return sub


def _very_large_file(tmp: Path) -> Path:
    sub = make_submission(tmp)
    with open(sub / "nnlayers" / "big.py", "wb") as fh:
        fh.write(b"DATA = '" + b"x" * (20 * 2**20) + b"'\n")
    return sub


NO_PACKAGE = "no nnlayers/ package in"
JUNK = np.random.default_rng(0).bytes(4096)
ALL_ERROR = lambda fragment: {AFFINE: ("error", fragment), **{o: ("error", fragment) for o in OTHERS}}  # noqa: E731
LAYERS_ERROR_OTHERS_PASS = lambda fragment: {AFFINE: ("error", fragment), **{o: ("passed", "") for o in OTHERS}}  # noqa: E731
ALL_PASS = {AFFINE: ("passed", ""), **{o: ("passed", "") for o in OTHERS}}

CASES = [
    Case("empty_folder", _empty, ALL_ERROR(NO_PACKAGE + " ")),
    Case("folder_without_nnlayers", _no_package, ALL_ERROR("(looked at its top level and one level down)")),
    Case("nnlayers_one_level_down", _one_level_down, ALL_PASS, notes=("found the package in my-clone/",)),
    Case("two_packages_one_level_down", _two_one_level_down,
         ALL_ERROR("holds several nnlayers packages (attempt1, attempt2); keep one")),
    Case("syntax_error_in_layers", lambda tmp: make_submission(tmp, {"layers.py": "def broken(:\n    pass\n"}),
         LAYERS_ERROR_OTHERS_PASS(("the submission has a syntax error in nnlayers/layers.py line ", ": invalid syntax"))),
    Case("binary_junk_module", _replace_layers(JUNK),
         LAYERS_ERROR_OTHERS_PASS(("the submission has a syntax error in ", "null bytes"))),
    Case("module_not_utf8", _latin1_layers,
         LAYERS_ERROR_OTHERS_PASS(("syntax error in nnlayers/layers.py line 22:", "(unicode error) 'utf-8' codec can't decode"))),
    Case("missing_module", _without_optim,
         {AFFINE: ("passed", ""), **{o: ("error", "the module nnlayers.optim is missing from the submission") for o in OTHERS}}),
    Case("odd_file_names", _odd_names, {**ALL_PASS, SPY: ("error", "FILES ")}),
    Case("symlinks_to_etc_passwd_and_the_reference", _symlinks, {**ALL_PASS, SPY: ("error", "FILES ")},
         notes=("skipped the symbolic link evil.py", "skipped the symbolic link reference.py"),
         absent=("evil.py", "reference.py")),
    Case("layers_py_symlinked_to_the_reference", _symlinked_layers,
         {**LAYERS_ERROR_OTHERS_PASS("the module nnlayers.layers is missing from the submission"), SPY: ("error", "FILES ")},
         notes=("skipped the symbolic link layers.py",), absent=("layers.py",)),
    Case("symlinked_nnlayers_folder", _symlinked_package, ALL_ERROR("is a symbolic link; submit the folder itself")),
    Case("symlinked_folder_inside_nnlayers", _symlinked_folder_inside, {**ALL_PASS, SPY: ("error", "FILES ")},
         notes=("skipped the symbolic link linked/",), absent=("linked/layers.py",)),
    Case("very_large_py_file", _very_large_file, ALL_PASS, notes=("skipped big.py: 20971530 bytes is more than 8388608",)),
]


def _fragments(fragment) -> tuple[str, ...]:
    return (fragment,) if isinstance(fragment, str) else tuple(fragment)


def _check_report(case: Case, report, out: Path) -> None:
    checks = by_id(report)
    assert sorted(checks) == sorted(case.only)
    wrong = [(cid, checks[cid].status, checks[cid].message[:300]) for cid, (status, fragment) in case.expect.items()
             if checks[cid].status != status or not all(f in checks[cid].message for f in _fragments(fragment))]
    assert not wrong, f"{case.id}: {wrong}"
    for fragment in case.notes:
        assert any(fragment in n for n in report.notes), (fragment, report.notes)
    if case.absent:
        files = checks[SPY].message.split("FILES ", 1)[1].split()
        assert "optim.py" in files  # the spy sees its own package
        assert not set(case.absent) & set(files), f"followed a symbolic link: {files}"
    # the same messages reach results.json, for Gradescope
    gradescope = json.loads((out / "results.json").read_text())
    tests = {t["name"].split(" [")[0]: t for t in gradescope["tests"]}
    for cid, (status, fragment) in case.expect.items():
        assert all(f in tests[cid]["output"] for f in _fragments(fragment)), (cid, tests[cid]["output"][:300])
        assert tests[cid]["status"] == ("passed" if status == "passed" else "failed")
    for fragment in case.notes:
        assert fragment in gradescope["output"]
    assert json.loads((out / "report.json").read_text())["score"] == report.score == gradescope["score"]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_submission_gets_a_clear_message(tmp_path, case):
    sub = case.build(tmp_path)
    out = tmp_path / "out"
    report = run(sub, "default", only=case.only, out=out)
    _check_report(case, report, out)


# Where the message or note exists but says too little: (case id, check or "notes", fragment that should be there).
GAPS = [
    pytest.param("binary_junk_module", AFFINE, "layers.py", id="junk_module_message_names_the_file"),
    pytest.param("symlinked_nnlayers_folder", AFFINE, "symbolic link", id="symlinked_package_message_says_why"),
    pytest.param("symlinked_folder_inside_nnlayers", "notes", "skipped the symbolic link linked", id="symlinked_subfolder_noted"),
]


@pytest.mark.parametrize("case_id, where, fragment", GAPS)
def test_malformed_message_says_enough(tmp_path, case_id, where, fragment):
    case = next(c for c in CASES if c.id == case_id)
    report = run(case.build(tmp_path), "default", only=case.only)
    text = " ".join(report.notes) if where == "notes" else by_id(report)[where].message
    assert fragment in text, text


# ============================================================================ broken notebooks
def _not_json(path: Path) -> None:
    path.write_text('{"cells": [ this is not json')


def _json_not_a_notebook(path: Path) -> None:
    path.write_text(json.dumps({"hello": "world", "answer": 42}))


def _binary_junk(path: Path) -> None:
    path.write_bytes(JUNK)


def _huge(path: Path) -> None:
    cell = {"cell_type": "markdown", "metadata": {}, "source": "x" * (30 * 2**20)}
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))


# one broken notebook per name: (how it is broken, message fragment)
BROKEN_NOTEBOOKS = [
    (_not_json, "is not a valid notebook: Notebook does not appear to be JSON"),
    (_json_not_a_notebook, "is not a valid notebook:"),
    (_binary_junk, "is not a valid notebook:"),
    (_huge, "is too large (31457"),
]


def test_broken_notebooks_are_errors_and_layer_checks_are_still_graded(tmp_path, monkeypatch):
    if not notebook_table.NOTEBOOK_CHECKS:  # no graded cells listed yet: grade one zero-point cell per notebook
        monkeypatch.setattr(notebook_table, "NOTEBOOK_CHECKS", [
            notebook_table.NotebookCheck(name, "graded-cell", "checkpoint", 0.0) for name in notebook_table.NOTEBOOKS])
    names = list(dict.fromkeys(c.notebook for c in notebook_table.NOTEBOOK_CHECKS))
    sub = make_submission(tmp_path)
    (sub / "notebooks").mkdir()
    expected = {}
    for name, (breaker, fragment) in zip(names, itertools.cycle(BROKEN_NOTEBOOKS)):
        breaker(sub / "notebooks" / f"{name}.ipynb")
        expected[name] = f"{name}.ipynb {fragment}"
    out = tmp_path / "out"
    # only= keeps the layer checks few and names the notebooks to grade (all of them: each one is broken)
    report = run(sub, "default", only=[AFFINE, *OTHERS, *names], out=out, notebooks=True)
    checks = by_id(report)
    assert all(checks[c].status == "passed" for c in [AFFINE, *OTHERS])
    gradescope = json.loads((out / "results.json").read_text())
    for row in notebook_table.NOTEBOOK_CHECKS:
        check = checks[row.id]
        assert check.status == "error" and expected[row.notebook] in check.message, check
        assert any(expected[row.notebook] in n for n in report.notes)
        assert expected[row.notebook] in gradescope["output"]
    assert all(run_["status"] == "invalid" for run_ in report.notebooks)


# ============================================================================ the command line
CLI_CASES = ["empty_folder", "two_packages_one_level_down", "syntax_error_in_layers", "layers_py_symlinked_to_the_reference",
             "symlinked_nnlayers_folder", "very_large_py_file"]


@pytest.mark.parametrize("case_id", CLI_CASES)
def test_cli_on_malformed_submissions(tmp_path, case_id):
    case = next(c for c in CASES if c.id == case_id)
    sub = case.build(tmp_path)
    out = tmp_path / "out"
    only = [arg for cid in case.only for arg in ("--only", cid)]
    done = subprocess.run([sys.executable, "-m", "grader.cli", str(sub), "--out", str(out), "--no-notebooks", *only,
                           "--seed", "1", "--reference", str(SOLUTIONS)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if k != "GRADER_REFERENCE"})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr
    assert (out / "results.json").is_file() and (out / "report.json").is_file()
    checks = {c["id"]: c for c in json.loads((out / "report.json").read_text())["checks"]}
    for cid, (status, fragment) in case.expect.items():
        assert checks[cid]["status"] == status and all(f in checks[cid]["message"] for f in _fragments(fragment))
