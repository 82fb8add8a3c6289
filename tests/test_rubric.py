"""The rubric TOML is validated on load, with errors that name the key."""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.checks.registry import all_checks, instructor_rubric
from grader.checks.table import CHECKS
from grader.rubric import RubricError, load_rubric


ROOT = Path(__file__).resolve().parents[1]


def test_packaged_rubric_covers_exactly_the_public_checks():
    from grader.notebooks.table import NOTEBOOK_CHECKS

    rubric = load_rubric(None, CHECKS)
    assert set(rubric.entries) == {c.id for c in CHECKS} | {c.id for c in NOTEBOOK_CHECKS}
    assert {rubric.apply(c).visibility for c in CHECKS} == {"public"}


def test_instructor_rubric_covers_every_check_and_totals_100():
    table = all_checks(ROOT / "solutions")
    from grader.notebooks.table import NOTEBOOK_CHECKS

    rubric = load_rubric(instructor_rubric(ROOT / "solutions"), table)
    assert set(rubric.entries) == {c.id for c in table} | {c.id for c in NOTEBOOK_CHECKS}
    assert rubric.total == 100
    assert {rubric.apply(c).visibility for c in table} == {"public", "hidden"}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rubric.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("text,needle", [
    ('[checks."affine.nope"]\npoints = 1\n', "affine.nope"),
    ('[checks."affine.numgrad"]\npoints = -1\n', "checks.'affine.numgrad'.points"),
    ('[checks."affine.numgrad"]\npoints = "two"\n', "checks.'affine.numgrad'.points has the wrong type"),
    ('[checks."affine.numgrad"]\nvisibility = "secret"\n', "checks.'affine.numgrad'.visibility"),
    ('[checks."affine.numgrad"]\ntolerance = -1e-3\n', "checks.'affine.numgrad'.tolerance"),
    ('[checks."affine.numgrad"]\npoitns = 3\n', "checks.'affine.numgrad'.poitns is not a rubric setting"),
    ('totl = 100\n', "unknown top-level key 'totl'"),
    ('total = 100\n[checks."affine.numgrad"]\npoints = 50\n', "add up to"),
    ('[checks\n', "not valid TOML"),
])
def test_bad_rubrics_name_the_key(tmp_path, text, needle):
    with pytest.raises(RubricError) as err:
        load_rubric(_write(tmp_path, text), CHECKS)
    assert needle in str(err.value)


def test_overrides_apply_to_points_visibility_and_tolerance(tmp_path):
    rubric = load_rubric(_write(tmp_path, '[checks."affine.numgrad"]\npoints = 7\nvisibility = "hidden"\ntolerance = 0.5\n'), CHECKS)
    check = next(c for c in CHECKS if c.id == "affine.numgrad")
    applied = rubric.apply(check)
    assert (applied.points, applied.visibility, applied.tolerance) == (7.0, "hidden", 0.5)
    other = next(c for c in CHECKS if c.id == "relu.numgrad")
    assert rubric.apply(other) == other


def test_missing_rubric_file_is_a_clear_error(tmp_path):
    with pytest.raises(RubricError, match="cannot read the rubric"):
        load_rubric(tmp_path / "missing.toml", CHECKS)
