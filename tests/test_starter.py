"""starter/ is generated from solutions/ and stays in sync; every student part is stubbed."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from grader.starter import MarkerError, all_blocks, diff_starter, find_blocks, strip_solutions

ROOT = Path(__file__).resolve().parents[1]


def test_starter_is_in_sync_with_solutions():
    stale = diff_starter(solutions=ROOT / "solutions", starter=ROOT / "starter")
    assert not stale, f"starter/ is out of date; run `python -m grader.starter`: {stale}"


def test_check_command_reports_sync(tmp_path):
    out = subprocess.run([sys.executable, "-m", "grader.starter", "--check", "--starter", str(tmp_path / "none")],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 1 and "out of date: layers.py" in out.stdout.replace("nnlayers/", "")


def test_no_solution_code_survives_in_starter():
    blocks = all_blocks(ROOT / "solutions")
    assert len(blocks) >= 30
    starter_text = "\n".join(p.read_text() for p in (ROOT / "starter").rglob("*.py"))
    starter_lines = {ln.strip() for ln in starter_text.splitlines()}
    for block in blocks:
        assert "### BEGIN SOLUTION" not in starter_text
        body = [ln.strip() for ln in block.code.splitlines() if ln.strip() and not ln.strip().startswith("#")]
        # a block's distinctive lines (long enough not to be boilerplate) never reach the starter
        for line in body:
            if len(line) > 30:
                assert line not in starter_lines, f"{block.path}:{block.first_line} ({block.owner}) leaks {line!r}"


def _student_functions():
    out = []
    for block in all_blocks(ROOT / "solutions"):
        out.append((block.path, block.owner))
    return sorted(set(out))


@pytest.mark.parametrize("path,owner", _student_functions())
def test_every_student_part_raises_not_implemented(path, owner):
    tree = ast.parse((ROOT / "starter" / path).read_text())
    names = owner.split(".")
    node = tree
    for name in names:
        node = next(n for n in ast.walk(node) if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == name)
    raises = [n for n in ast.walk(node) if isinstance(n, ast.Raise) and "NotImplementedError" in ast.unparse(n)]
    assert raises, f"{path}: {owner} has no raise NotImplementedError"


def test_starter_functions_raise_at_runtime():
    code = (
        "import sys; sys.path.insert(0, 'starter')\n"
        "import numpy as np\n"
        "from nnlayers import layers, optim\n"
        "from nnlayers.classifiers.fc_net import FullyConnectedNet\n"
        "bad = []\n"
        "for name, call in [('affine_forward', lambda: layers.affine_forward(np.ones((2, 3)), np.ones((3, 4)), np.ones(4))),\n"
        "                   ('relu_forward', lambda: layers.relu_forward(np.ones(3))),\n"
        "                   ('adam', lambda: optim.adam(np.ones(3), np.ones(3))),\n"
        "                   ('FullyConnectedNet', lambda: FullyConnectedNet([3], input_dim=4, num_classes=2))]:\n"
        "    try:\n"
        "        call(); bad.append(name)\n"
        "    except NotImplementedError:\n"
        "        pass\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_provided_code_is_copied_verbatim():
    for name in ("fast_layers.py", "solver.py", "gradient_check.py", "layer_utils.py", "data.py"):
        assert (ROOT / "starter/nnlayers" / name).read_bytes() == (ROOT / "solutions/nnlayers" / name).read_bytes()


@pytest.mark.parametrize("text,error", [
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n", "never closed"),
    ("def f():\n    return 1\n    ### END SOLUTION\n", "without a BEGIN"),
    ("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n", "inside another block"),
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n  ### END SOLUTION\n", "indented differently"),
])
def test_marker_errors_are_named(text, error):
    with pytest.raises(MarkerError, match=error):
        strip_solutions(text, "x.py")


def test_strip_keeps_everything_outside_markers():
    src = (
        "import numpy as np\n\n\n"
        "def f(x):\n"
        '    """Doc."""\n'
        "    mode = 1  # given\n"
        "    if mode:\n"
        "        # hint: add one\n"
        "        ### BEGIN SOLUTION\n"
        "        y = x + 1\n"
        "        ### END SOLUTION\n"
        "    return y\n"
    )
    out = strip_solutions(src, "m.py")
    assert "y = x + 1" not in out
    assert out.startswith("import numpy as np\n\n\ndef f(x):\n    \"\"\"Doc.\"\"\"\n    mode = 1  # given\n    if mode:\n        # hint: add one\n")
    assert '        raise NotImplementedError("f is not implemented yet")\n    return y\n' in out
    assert find_blocks(src)[0].owner == "f"
