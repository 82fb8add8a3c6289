"""The bundled example submission stays in sync with the handout and shows its three mistakes."""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.api import grade

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "submission"
PROVIDED = ["__init__.py", "fast_layers.py", "layer_utils.py", "solver.py", "gradient_check.py", "data.py", "notebook.py",
            "classifiers/__init__.py"]


@pytest.mark.parametrize("name", PROVIDED)
def test_provided_files_are_the_starters(name):
    assert (EXAMPLE / "nnlayers" / name).read_bytes() == (ROOT / "starter" / "nnlayers" / name).read_bytes(), \
        f"examples/submission/nnlayers/{name} differs from starter/: copy it again"


def test_notebooks_are_the_handouts():
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        assert (EXAMPLE / "notebooks" / nb.name).read_bytes() == nb.read_bytes(), f"copy notebooks/{nb.name} again"


def test_example_fails_exactly_its_three_mistakes():
    report = grade(submission=EXAMPLE, seed=4, reference=ROOT / "solutions", notebooks=False)
    failed = {c.id for c in report.checks if c.status != "passed"}
    assert failed == {"relu.inputs_unmodified", "dropout.scaling", "softmax_loss.large_logits"}, failed


def test_the_command_line_names_the_three_mistakes(tmp_path, capsys):
    from grader.cli import main

    assert main([str(EXAMPLE), "--out", str(tmp_path), "--seed", "4", "--reference", str(ROOT / "solutions"),
                 "--no-notebooks", "--only", "relu*", "--only", "dropout*", "--only", "softmax*"]) == 0
    printed = capsys.readouterr().out
    for mistake in ("relu_backward.inplace_dout", "dropout_forward.keep_prob_scale", "softmax_loss.no_max_shift"):
        assert f"likely mistake: {mistake}" in printed, printed
