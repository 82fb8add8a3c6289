"""``grade gradescope``: the bundle Gradescope runs, its ``run_autograder``, and staleness.

``run_autograder`` is run as Gradescope runs it, against a stand-in for the
``/autograder`` folder (``AUTOGRADER_ROOT``), with this environment's Python
instead of the one ``setup.sh`` would install (``GRADE_PYTHON``).
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader.cli import main
from grader.regenerate import main as regenerate_main
from grader.release.gradescope import MANIFEST, build_gradescope, check_bundle, source_hashes

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundle(course_clone, tmp_path_factory):
    return build_gradescope(root=course_clone, out=tmp_path_factory.mktemp("gs"))


def test_the_bundle_holds_the_scripts_the_grader_and_the_reference(bundle, course_clone):
    with zipfile.ZipFile(bundle.archive) as zf:
        infos = {i.filename: i for i in zf.infolist()}
    for script in ("setup.sh", "run_autograder"):
        assert script in infos, "Gradescope wants both scripts at the top of the zip"
        assert (infos[script].external_attr >> 16) & stat.S_IXUSR, f"{script} must be executable"
    assert "reference/nnlayers/layers.py" in infos and "reference/grading/hidden_checks.py" in infos
    assert (bundle.folder / "reference/nnlayers/layers.py").read_bytes() == (course_clone / "solutions/nnlayers/layers.py").read_bytes()
    sdist = [n for n in infos if n.startswith("tools/") and n.endswith(".tar.gz")]
    assert len(sdist) == 1
    setup = (bundle.folder / "setup.sh").read_text()
    assert Path(sdist[0]).name in setup and "bubblewrap" in setup and "/autograder/venv" in setup
    assert "{{" not in setup + (bundle.folder / "run_autograder").read_text()
    manifest = json.loads((bundle.folder / MANIFEST).read_text())
    assert manifest["sources"] == source_hashes(course_clone)
    assert "solutions/grading/hidden_checks.py" in manifest["sources"] and "grader/api.py" in manifest["sources"]


def _autograder_root(bundle, tmp_path: Path, submission: Path) -> Path:
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle.archive) as zf:
        zf.extractall(root / "source")
    shutil.copytree(submission, root / "submission")
    shutil.copyfile(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    return root


def _run_autograder(root: Path, *args: str, python: str = sys.executable) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "GRADER_REFERENCE"}
    env.update(AUTOGRADER_ROOT=str(root), GRADE_PYTHON=python)
    done = subprocess.run([str(root / "run_autograder"), *args], cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads((root / "results" / "results.json").read_text())


def _strict_or_skip() -> None:
    from grader.isolation.policy import IsolationError, choose

    try:
        choose("strict")
    except IsolationError:
        pytest.skip("no strict sandbox on this machine: the bundle's autograder refuses to grade (tested below)")


def test_run_autograder_grades_with_the_hidden_checks(bundle, tmp_path):
    _strict_or_skip()
    root = _autograder_root(bundle, tmp_path, ROOT / "examples" / "submission")
    results = _run_autograder(root, "--no-notebooks")
    tests = results["tests"]
    hidden = [t for t in tests if t["visibility"] != "visible"]
    assert hidden, "the bundle's reference must bring the hidden checks"
    report = json.loads((root / "results" / "report" / "report.json").read_text())
    assert report["isolation"] == "strict"
    assert not [c["id"] for c in report["checks"] if c["status"] == "skipped"], "every check runs with the reference"
    # the example submission's three planted bugs cost points; the rest pass
    failed = {t["name"].split(" ")[0] for t in tests if t["score"] < t["max_score"]}
    assert any(n.startswith("relu") for n in failed) and any(n.startswith("dropout") for n in failed)
    assert any(n.startswith("softmax") for n in failed)
    assert 0 < results["score"] < sum(t["max_score"] for t in tests)
    assert report["reference"] is True and report["score"] == pytest.approx(results["score"])
    # the planted bugs are named at official grading
    assert any(c.get("mistake") for c in report["checks"] if c["status"] == "failed")


def test_run_autograder_always_writes_results(bundle, tmp_path):
    _strict_or_skip()
    # an upload without the package: a clear message, not a crash
    empty = tmp_path / "empty"
    (empty / "stuff").mkdir(parents=True)
    (empty / "stuff" / "notes.txt").write_text("hello")
    results = _run_autograder(_autograder_root(bundle, tmp_path / "a", empty), "--no-notebooks")
    assert results["score"] == 0 and "nnlayers" in json.dumps(results)
    # an image whose setup failed (no Python): still a results.json that says so
    results = _run_autograder(_autograder_root(bundle, tmp_path / "b", ROOT / "examples" / "submission"), python="/nonexistent/python")
    assert results["score"] == 0 and "could not run" in results["output"]
    # a stale results.json from an earlier run is never taken for this one
    root = _autograder_root(bundle, tmp_path / "c", ROOT / "examples" / "submission")
    (root / "results").mkdir()
    (root / "results" / "results.json").write_text('{"score": 100, "tests": []}')
    results = _run_autograder(root, python="/nonexistent/python")
    assert results["score"] == 0


def test_without_a_sandbox_the_autograder_grades_nothing_and_says_why(bundle, tmp_path, monkeypatch):
    from grader.release.autograder import run

    import grader.isolation.policy as policy

    root = _autograder_root(bundle, tmp_path, ROOT / "examples" / "submission")

    def refuse(mode=None):
        raise policy.IsolationError("neither bubblewrap nor Landlock works here (test)")

    monkeypatch.setattr(policy, "choose", refuse)
    assert run(root=root, extra_args=["--no-notebooks"]) == 2
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["score"] == 0 and results["tests"] == []
    assert "sandbox could not be set up" in results["output"] and "(test)" in results["output"]
    assert not (root / "results" / "report").exists()


def test_student_code_cannot_read_the_bundled_reference(bundle, tmp_path):
    _strict_or_skip()
    submission = tmp_path / "hostile"
    shutil.copytree(ROOT / "starter" / "nnlayers", submission / "nnlayers")
    target = tmp_path / "ag" / "autograder" / "source" / "reference" / "nnlayers" / "layers.py"
    layers = submission / "nnlayers" / "layers.py"
    layers.write_text(layers.read_text() + f'''

def relu_forward(x):
    try:
        text = open({str(target)!r}).read()
        print("READ", len(text))
    except OSError as exc:
        print("DENIED", type(exc).__name__)
    return x * (x > 0), x
''')
    root = _autograder_root(bundle, tmp_path / "ag", submission)
    assert root / "source" / "reference" / "nnlayers" / "layers.py" == target
    _run_autograder(root, "--no-notebooks", "--only", "relu_forward*")
    report = json.loads((root / "results" / "report" / "report.json").read_text())
    printed = "".join(c["output"] for c in report["checks"])
    assert "DENIED" in printed and "READ" not in printed


def test_a_changed_source_makes_the_bundle_stale(course_copy, tmp_path, capsys):
    out = tmp_path / "gs"
    assert main(["gradescope", "--root", str(course_copy), "--out", str(out)]) == 0
    assert check_bundle(root=course_copy, bundle=out) == []
    assert main(["gradescope", "--root", str(course_copy), "--out", str(out), "--check"]) == 0
    rubric = course_copy / "solutions" / "grading" / "rubric.toml"
    rubric.write_text(rubric.read_text() + "\n# a changed weight\n")
    assert check_bundle(root=course_copy, bundle=out) == ["solutions/grading/rubric.toml changed since the bundle was built"]
    capsys.readouterr()
    assert main(["gradescope", "--root", str(course_copy), "--out", str(out), "--check"]) == 1
    assert "stale: solutions/grading/rubric.toml" in capsys.readouterr().out
    assert check_bundle(root=course_copy, bundle=tmp_path / "none") == [f"no bundle at {tmp_path / 'none'} ({tmp_path / 'none' / 'autograder.zip'} is missing)"]
    # the zip is what is uploaded: a folder without it, or a zip that disagrees with it, is stale
    rubric.write_text(rubric.read_text().replace("\n# a changed weight\n", ""))
    assert check_bundle(root=course_copy, bundle=out) == []
    (out / "autograder" / MANIFEST).write_text((out / "autograder" / MANIFEST).read_text().replace('"grader_version"', '"grader_version_"'))
    assert check_bundle(root=course_copy, bundle=out) == [f"{out / 'autograder'} does not match autograder.zip (rebuild both)"]
    (out / "autograder.zip").unlink()
    assert "autograder.zip is missing" in check_bundle(root=course_copy, bundle=out)[0]
    (out / "autograder.zip").write_bytes(b"not a zip")
    assert "not a readable bundle" in check_bundle(root=course_copy, bundle=out)[0]
    with zipfile.ZipFile(out / "autograder.zip", "w") as zf:
        zf.writestr(MANIFEST, json.dumps({"sources": ["a", "list"]}))
    assert check_bundle(root=course_copy, bundle=out) == [f"{out / 'autograder.zip'}!{MANIFEST} is not a bundle manifest"]


def test_one_command_regenerates_starter_fixtures_and_bundle(course_copy, capsys):
    bundle = course_copy / "dist" / "gradescope"
    assert regenerate_main(["--root", str(course_copy), "--check"]) == 0  # a fresh clone is current (no bundle yet)
    assert regenerate_main(["--root", str(course_copy)]) == 0
    assert (bundle / "autograder.zip").is_file()
    assert regenerate_main(["--root", str(course_copy), "--check"]) == 0
    # a reference change outside the solution blocks: the starter and the bundle are stale
    fc = course_copy / "solutions" / "nnlayers" / "classifiers" / "fc_net.py"
    fc.write_text(fc.read_text().replace('"""', '"""(changed) ', 1))
    capsys.readouterr()
    assert regenerate_main(["--root", str(course_copy), "--check"]) == 1
    printed = capsys.readouterr().out
    assert "starter/nnlayers/classifiers/fc_net.py is out of date" in printed
    assert "Gradescope bundle: solutions/nnlayers/classifiers/fc_net.py changed" in printed
    assert regenerate_main(["--root", str(course_copy)]) == 0
    assert regenerate_main(["--root", str(course_copy), "--check"]) == 0


def test_this_checkout_is_current():
    """The committed starter and fixtures match solutions/ and notebooks/ (the bundle is built on demand)."""
    assert regenerate_main(["--root", str(ROOT), "--check", "--no-gradescope"]) == 0
