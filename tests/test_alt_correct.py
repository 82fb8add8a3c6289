"""A correct submission written differently from the reference gets full marks.

``tests/submissions/alt_correct/nnlayers`` holds only the student modules
(layers, optim, the two classifiers), written independently: dict caches,
einsum/tensordot, a node-by-node batchnorm graph, a per-example naive
convolution, argmax-in-cache pooling, axis-reduction spatial batchnorm... The
test overlays them on the starter (which provides the other modules) and
grades the result against the reference: every check must pass, so the
grader does not depend on the reference's caches, formulas or helpers.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.api import grade

ROOT = Path(__file__).resolve().parents[1]
ALT = ROOT / "tests" / "submissions" / "alt_correct" / "nnlayers"
STARTER_PKG = ROOT / "starter" / "nnlayers"

STUDENT_MODULES = ("layers.py", "optim.py", "classifiers/fc_net.py", "classifiers/cnn.py")


def assemble(dest: Path) -> Path:
    """Starter package with the alternative student modules copied over it."""
    pkg = dest / "nnlayers"
    shutil.copytree(STARTER_PKG, pkg, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for rel in STUDENT_MODULES:
        shutil.copyfile(ALT / rel, pkg / rel)
    return dest


def test_alt_submission_holds_only_student_modules():
    files = sorted(str(p.relative_to(ALT)) for p in ALT.rglob("*.py"))
    assert files == sorted(STUDENT_MODULES)


@pytest.mark.parametrize("seed", [0, 12345])
def test_alt_correct_submission_gets_full_marks(tmp_path, seed):
    sub = assemble(tmp_path / "sub")
    report = grade(submission=sub, seed=seed, reference=ROOT / "solutions", notebooks=False)
    bad = [c for c in report.checks if c.status != "passed"]
    assert not bad, "checks not passed:\n" + "\n".join(f"{c.id} [{c.status}]: {c.message}" for c in bad)
    assert report.score == pytest.approx(report.max_score)
