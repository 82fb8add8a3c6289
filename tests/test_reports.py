"""Reports: schema-valid report.json, Gradescope results.json, markdown, HTML; CLI exit codes; determinism."""
from __future__ import annotations

import html.parser
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from grader import fixtures
from grader.api import grade

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "grader/schema/report.schema.json").read_text())
STATUSES = {"passed", "failed", "error", "timeout", "skipped"}


@pytest.fixture(scope="module")
def solution_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("sol")
    report = grade(submission=ROOT / "solutions", out=out, seed=11, reference=ROOT / "solutions", notebooks=False)
    return report, out


@pytest.fixture(scope="module")
def starter_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("starter")
    report = grade(submission=ROOT / "starter", out=out, seed=11, reference=ROOT / "solutions", notebooks=False)
    return report, out


def test_solutions_get_full_marks(solution_report):
    report, _ = solution_report
    bad = [(c.id, c.status, c.message) for c in report.checks if c.status != "passed"]
    assert not bad
    assert report.score == report.max_score == 85  # + 15 points of notebooks, not run here


def test_starter_gets_zero_and_says_not_implemented(starter_report):
    report, _ = starter_report
    assert report.score == 0
    for c in report.checks:
        assert c.status == "error", c
        assert "not implemented yet" in c.message, (c.id, c.message)


@pytest.mark.parametrize("which", ["solution_report", "starter_report"])
def test_report_json_matches_schema(which, request):
    report, out = request.getfixturevalue(which)
    data = json.loads((out / "report.json").read_text())
    jsonschema.validate(data, SCHEMA)
    assert data["seed"] == 11 and data["submission"].endswith(("solutions", "starter"))
    assert {c["status"] for c in data["checks"]} <= STATUSES


def test_schema_rejects_a_broken_report(solution_report):
    _, out = solution_report
    data = json.loads((out / "report.json").read_text())
    data["checks"][0]["status"] = "great"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


GRADESCOPE_TEST_KEYS = {"score", "max_score", "status", "name", "number", "output", "visibility"}


def test_results_json_is_gradescope_format(starter_report):
    report, out = starter_report
    data = json.loads((out / "results.json").read_text())
    assert set(data) >= {"score", "output", "execution_time", "tests"}
    assert len(data["tests"]) == len(report.checks)
    for t in data["tests"]:
        assert set(t) >= GRADESCOPE_TEST_KEYS
        assert t["status"] in ("passed", "failed") and t["visibility"] in ("visible", "after_published", "hidden", "after_due_date")
    hidden = [t for t in data["tests"] if t["visibility"] != "visible"]
    assert hidden, "hidden checks should not be visible before publication"


def test_markdown_lists_every_check(solution_report):
    report, out = solution_report
    text = (out / "report.md").read_text()
    assert text.startswith("# Grade report: 85 / 85")
    for c in report.checks:
        assert f"`{c.id}`" in text


class _Checker(html.parser.HTMLParser):
    VOID = {"meta", "br", "img", "input", "link", "hr"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script" or any(k == "src" or (k == "href" and tag == "link") for k, _ in attrs):
            self.scripts += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()


def test_html_is_self_contained_and_well_formed(starter_report):
    _, out = starter_report
    checker = _Checker()
    checker.feed((out / "report.html").read_text())
    assert not checker.errors and checker.stack == []
    assert checker.scripts == 0


def test_html_escapes_student_output(tmp_path):
    from grader.reports import report_html
    from grader.results import CheckResult, Report

    evil = "<script>alert(1)</script>"
    report = Report("s", 0, 1, 1, 0.1, [CheckResult("a.b", ["f"], "fixed", 0, 1, "failed", evil, output=evil)])
    assert "<script>" not in report_html(report)


def test_same_seed_same_report(tmp_path):
    runs = [grade(submission=ROOT / "starter", seed=5, only=["affine*", "dropout*"], notebooks=False, reference=ROOT / "solutions")
            for _ in range(2)]
    strip = [[(c.id, c.status, c.score, c.message) for c in r.checks] for r in runs]
    assert strip[0] == strip[1]


def test_stored_fixtures_are_fresh():
    stored = fixtures.load()
    fresh = fixtures.compute(ROOT / "solutions")
    assert stored.keys() == fresh.keys(), "run python -m grader.fixtures"
    for cid, outs in fresh.items():
        for name, arr in outs.items():
            assert np.array_equal(stored[cid][name], arr), f"{cid}/{name} is stale: run python -m grader.fixtures"


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "grader.cli", *map(str, args)], cwd=cwd, capture_output=True, text=True)


def test_cli_exit_codes(tmp_path):
    ok = _cli("solutions", "--out", tmp_path / "a", "--no-notebooks", "--only", "relu*", "--seed", "3")
    assert ok.returncode == 0, ok.stderr
    assert "solutions:" in ok.stdout and (tmp_path / "a/report.json").is_file()
    low = _cli("starter", "--out", tmp_path / "b", "--no-notebooks", "--only", "relu*", "--fail-under", "50")
    assert low.returncode == 1
    high = _cli("solutions", "--out", tmp_path / "c", "--no-notebooks", "--only", "relu*", "--fail-under", "50")
    assert high.returncode == 0
    for bad in (["missing-folder"], ["solutions", "--jobs", "0"], ["solutions", "--fail-under", "150"],
                ["solutions", "--seed", "x"], ["solutions", "--bogus"], ["solutions", "--rubric", tmp_path / "none.toml"]):
        res = _cli(*bad, "--out", tmp_path / "d")
        assert res.returncode == 2, (bad, res.stdout, res.stderr)
        assert "Traceback" not in res.stderr and "error" in res.stderr
        assert len(res.stderr.strip().splitlines()) <= 2


def test_cli_bad_rubric_is_a_one_line_error(tmp_path):
    bad = tmp_path / "r.toml"
    bad.write_text('[checks."nope.x"]\npoints = 1\n')
    res = _cli("solutions", "--rubric", bad, "--out", tmp_path / "o")
    assert res.returncode == 2 and "nope.x" in res.stderr and "Traceback" not in res.stderr


def test_cli_grades_several_submissions_into_subfolders(tmp_path):
    res = _cli("solutions", "starter", "--out", tmp_path, "--no-notebooks", "--only", "relu_forward*", "--jobs", "2")
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "solutions/report.json").is_file() and (tmp_path / "starter/report.json").is_file()


def test_without_reference_hidden_checks_are_absent_and_reference_checks_skipped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GRADER_REFERENCE", raising=False)
    report = grade(submission=ROOT / "solutions", seed=1, only=["affine*"], notebooks=False)
    by_status = {c.id: c.status for c in report.checks}
    assert "affine.reference" not in by_status, "hidden checks must not exist without the reference"
    assert by_status["affine.timing"] == "skipped" and by_status["affine.numgrad"] == "passed"
    assert by_status["affine_forward.fixed"] == "passed"
    assert any("official grading" in n for n in report.notes)
