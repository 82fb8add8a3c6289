"""The grader survives whatever a submission does, and says what happened.

Each test grades a tiny hand-written submission: a copy of the reference
package with one function replaced (or one module broken), and checks the
verdicts and messages of a few checks (``only=``) so the file stays fast.
"""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pytest

from support import append_code, reference_copy

from grader.api import Limits, grade

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "solutions"
FAILED = {"failed", "error"}


def submission(tmp_path: Path, patches: dict[str, str] | None = None, *, replace: dict[str, str] | None = None,
               layout: str = "") -> Path:
    """A copy of the reference package; ``patches`` appends code to modules, ``replace`` overwrites them.

    ``layout`` puts the package one folder down (``<folder>/<layout>/nnlayers``).
    """
    folder = reference_copy(tmp_path / "submission", layout=layout)
    append_code(folder, patches or {}, layout=layout)
    pkg = (folder / layout if layout else folder) / "nnlayers"
    for rel, code in (replace or {}).items():
        (pkg / rel).write_text(textwrap.dedent(code), encoding="utf-8")
    return folder


def run(folder: Path, only: list[str], **kwargs):
    kwargs.setdefault("seed", 7)
    kwargs.setdefault("reference", REFERENCE)
    kwargs.setdefault("notebooks", False)
    report = grade(submission=folder, only=only, **kwargs)
    return report, {c.id: c for c in report.checks}


# ----------------------------------------------------------------------------- the worker dies or hangs


def test_os_exit_in_the_middle_of_a_run(tmp_path):
    sub = submission(tmp_path, {"layers.py": """
        import os as _os

        def relu_backward(dout, cache):
            _os._exit(3)
    """})
    report, got = run(sub, ["relu_forward.fixed", "relu.numgrad", "softmax_loss.fixed", "svm_loss.fixed"])
    assert got["relu_forward.fixed"].status == "passed"
    bad = got["relu.numgrad"]
    assert bad.status == "error" and bad.score == 0
    assert "the process exited" in bad.message and "status 3" in bad.message, bad.message
    assert "relu_backward" in bad.message
    assert got["softmax_loss.fixed"].status == "passed"
    assert got["svm_loss.fixed"].status == "passed"
    assert any("restarted" in n for n in report.notes), report.notes


def test_infinite_loop_times_out(tmp_path):
    sub = submission(tmp_path, {"layers.py": """
        def relu_backward(dout, cache):
            while True:
                pass
    """})
    report, got = run(sub, ["relu_forward.fixed", "relu.numgrad", "softmax_loss.fixed"], limits=Limits(per_call=2))
    bad = got["relu.numgrad"]
    assert bad.status == "timeout" and bad.score == 0
    assert "2 s" in bad.message and "relu_backward" in bad.message, bad.message
    assert got["relu_forward.fixed"].status == "passed"
    assert got["softmax_loss.fixed"].status == "passed"


def test_segfault_is_reported_as_a_crash(tmp_path):
    sub = submission(tmp_path, {"layers.py": """
        import ctypes as _ctypes

        def softmax_loss(x, y):
            _ctypes.string_at(0)
    """})
    report, got = run(sub, ["relu_forward.fixed", "softmax_loss.fixed", "svm_loss.fixed"])
    bad = got["softmax_loss.fixed"]
    assert bad.status == "error" and bad.score == 0
    assert "crashed" in bad.message and "softmax_loss" in bad.message, bad.message
    assert got["relu_forward.fixed"].status == "passed"
    assert got["svm_loss.fixed"].status == "passed"


def test_sys_exit_at_import_time_of_layers(tmp_path):
    sub = submission(tmp_path, {"layers.py": """
        import sys as _sys
        _sys.exit("bye")
    """})
    layer_checks = ["affine_forward.fixed", "relu.numgrad", "softmax_loss.fixed", "batchnorm_forward.invalid_mode",
                    "dropout.rate", "conv_naive.reference"]
    optim_checks = ["sgd_momentum.fixed", "rmsprop.fixed", "adam.fixed", "adam.first_step"]
    report, got = run(sub, layer_checks + optim_checks)
    for cid in layer_checks:
        c = got[cid]
        assert c.status == "error", (cid, c.status, c.message)
        assert "tried to stop the process" in c.message and "imported" in c.message, c.message
    for cid in optim_checks:
        assert got[cid].status == "passed", (cid, got[cid].message)


def test_syntax_error_names_the_file_and_line(tmp_path):
    source = (REFERENCE / "nnlayers" / "layers.py").read_text(encoding="utf-8")
    lines = source.splitlines()
    lineno = next(i for i, line in enumerate(lines, 1) if line.startswith("def relu_forward"))
    lines[lineno - 1] = "def relu_forward(x)"  # the colon is missing
    sub = submission(tmp_path, replace={"layers.py": "\n".join(lines) + "\n"})
    report, got = run(sub, ["relu_forward.fixed", "affine.numgrad", "adam.fixed"])
    for cid in ("relu_forward.fixed", "affine.numgrad"):
        c = got[cid]
        assert c.status == "error"
        assert "syntax error" in c.message and "layers.py" in c.message and f"line {lineno}" in c.message, c.message
    assert got["adam.fixed"].status == "passed"


# ----------------------------------------------------------------------------- bad return values


def test_function_returning_none(tmp_path):
    sub = submission(tmp_path, {"layers.py": """
        def relu_forward(x):
            out, cache = None, x
            return out, cache
    """})
    report, got = run(sub, ["relu_forward.fixed", "relu.reference", "affine_forward.fixed"])
    for cid in ("relu_forward.fixed", "relu.reference"):
        c = got[cid]
        assert c.status in FAILED and "is None" in c.message and "relu_forward" in c.message, c.message
    assert got["affine_forward.fixed"].status == "passed"


def test_wrong_shape_gives_both_shapes(tmp_path):
    sub = submission(tmp_path, {"layers.py": """
        _reference_affine_forward = affine_forward

        def affine_forward(x, w, b):
            out, cache = _reference_affine_forward(x, w, b)
            return out.T, cache
    """})
    report, got = run(sub, ["affine_forward.fixed"])
    c = got["affine_forward.fixed"]
    assert c.status == "failed"
    assert "(3, 2)" in c.message and "(2, 3)" in c.message, c.message


def test_nan_output_is_counted(tmp_path):
    sub = submission(tmp_path, {"layers.py": """
        def relu_forward(x):
            out = np.maximum(x, 0)
            out[0, 0] = np.nan
            out[1, 2] = np.nan
            return out, x
    """})
    report, got = run(sub, ["relu_forward.fixed"])
    c = got["relu_forward.fixed"]
    assert c.status == "failed"
    assert "2 NaN" in c.message, c.message


_PRINTS_A_MEGABYTE = {"layers.py": """
    _reference_relu_forward = relu_forward

    def relu_forward(x):
        print("x" * (1 << 20))
        return _reference_relu_forward(x)
"""}


def test_megabyte_of_output_is_capped_and_the_check_still_graded(tmp_path):
    sub = submission(tmp_path, _PRINTS_A_MEGABYTE)
    report, got = run(sub, ["relu_forward.fixed", "relu.reference", "relu.numgrad"])
    for c in got.values():
        assert c.status == "passed", (c.id, c.message)
        assert len(c.output) < 80 * 1024, len(c.output)
    # The cap itself, where it is applied: the executor keeps 64 KiB and counts the rest.
    from grader.executor import WorkerExecutor

    with WorkerExecutor(sub) as worker:
        program = [{"op": "call", "fn": "layers.relu_forward", "args": ["$x"], "into": ["out", "cache"]},
                   {"op": "return", "names": ["out"]}]
        outcome = worker.run(program, {"x": np.ones((2, 3))}, timeout=20)
    assert outcome.ok
    assert len(outcome.output) < 80 * 1024 and "more bytes of output dropped" in outcome.output, outcome.output[-100:]


def test_printed_output_reaches_the_report(tmp_path):
    sub = submission(tmp_path, _PRINTS_A_MEGABYTE)
    report, got = run(sub, ["relu_forward.fixed"])
    assert "xxxx" in got["relu_forward.fixed"].output


_LIAR = """
class _Liar(np.ndarray):
    \"\"\"An array that claims to equal anything and answers every ufunc with the reference's values.\"\"\"

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.zeros(np.broadcast(*[np.asarray(i) for i in inputs if hasattr(i, "shape")]).shape)

    def __array_function__(self, func, types, args, kwargs):
        return True

    def __array__(self, dtype=None, copy=None):
        return np.maximum(self.view(np.ndarray), 0)

    def astype(self, *args, **kwargs):
        return np.maximum(self.view(np.ndarray), 0)

    def tolist(self):
        return np.maximum(self.view(np.ndarray), 0).tolist()

    def __float__(self):
        return 0.0


def relu_forward(x):
    out = {values}
    return out.view(_Liar), x
"""


@pytest.mark.parametrize("values, expected", [("x.copy()", "failed"), ("np.maximum(x, 0)", "passed")],
                         ids=["wrong-values", "right-values"])
def test_lying_ndarray_subclass(tmp_path, values, expected):
    sub = submission(tmp_path, {"layers.py": _LIAR.format(values=values)})
    report, got = run(sub, ["relu_forward.fixed", "relu.reference"])
    for c in got.values():
        assert c.status == expected, (c.id, c.status, c.message)


# ----------------------------------------------------------------------------- where the package is


@pytest.mark.parametrize("layout", ["empty", "no_package"])
def test_no_package_errors_every_check_and_writes_reports(tmp_path, layout):
    folder = tmp_path / "submission"
    folder.mkdir()
    if layout == "no_package":
        (folder / "README.md").write_text("my homework\n")
        (folder / "src").mkdir()
        (folder / "src" / "layers.py").write_text("def relu_forward(x):\n    return x, x\n")
    out = tmp_path / "out"
    report, got = run(folder, ["relu_forward.fixed", "affine.numgrad", "adam.fixed", "fc_net.params"], out=out)
    assert got
    for c in got.values():
        assert c.status == "error" and "no nnlayers/ package" in c.message, (c.id, c.message)
    assert report.score == 0
    for name in ("report.json", "results.json", "report.md", "report.html"):
        assert (out / name).is_file(), name
    data = json.loads((out / "report.json").read_text())
    assert data["score"] == 0 and all(c["status"] == "error" for c in data["checks"])


def test_package_one_level_down_is_found(tmp_path):
    sub = submission(tmp_path, layout="cs231n-assignment2")
    report, got = run(sub, ["relu_forward.fixed", "adam.fixed"])
    assert all(c.status == "passed" for c in got.values()), [(c.id, c.message) for c in got.values()]
    assert any("cs231n-assignment2" in n for n in report.notes), report.notes


# ----------------------------------------------------------------------------- whole packages


def test_starter_scores_zero_and_says_not_implemented(tmp_path):
    report = grade(submission=ROOT / "starter", seed=7, reference=REFERENCE, notebooks=False, out=tmp_path / "out")
    assert report.checks
    assert report.score == 0
    wrong = [(c.id, c.status, c.message[:200]) for c in report.checks
             if c.status not in FAILED or "not implemented yet" not in c.message]
    assert not wrong, wrong


def test_solutions_score_the_maximum(tmp_path):
    report = grade(submission=REFERENCE, seed=7, reference=REFERENCE, notebooks=False)
    bad = [(c.id, c.status, c.message[:200]) for c in report.checks if c.status != "passed"]
    assert not bad, bad
    assert report.score == pytest.approx(report.max_score) and report.max_score > 0
