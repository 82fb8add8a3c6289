"""``grade release``: the student handout holds no answer, and the public checks run from it.

The handout is built from a clean clone of this checkout, like a real release.
The student edition of the grader is then installed from the handout's own
sdist (compiled, as pip does on a student's machine) into a fresh environment,
and graded from inside the handout folder, where no reference can be found.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from grader.cli import main
from grader.release import ReleaseError
from grader.release.handout import build_handout
from grader.release.leaks import block_prints, read_tree, scan, secrets
from grader.starter import all_blocks

ROOT = Path(__file__).resolve().parents[1]


def independent_secrets(root: Path = ROOT) -> set[str]:
    """Solution-block lines and hidden rows, computed here without the grader's scanner."""
    lines = set()
    for block in all_blocks(root / "solutions"):
        lines |= {ln.strip() for ln in block.code.splitlines() if len(ln.strip()) > 30 and not ln.strip().startswith("#")}
    hidden = (root / "solutions" / "grading" / "hidden_checks.py").read_text().splitlines()
    return lines | {ln.strip() for ln in hidden if ln.strip().startswith("row(")}


def a_solution_line(root: Path = ROOT) -> str:
    return sorted(s for s in independent_secrets(root) if not s.startswith("row("))[0]


def every_file(folder: Path) -> dict[str, str]:
    """Text of every file of ``folder``, and of every member of the archives in it (two levels)."""
    out: dict[str, str] = {}

    def add(name: str, data: bytes, depth: int) -> None:
        if depth < 2 and name.endswith(".zip"):
            with zipfile.ZipFile(__import__("io").BytesIO(data)) as zf:
                for member in zf.namelist():
                    add(f"{name}!{member}", zf.read(member), depth + 1)
        elif depth < 2 and name.endswith(".tar.gz"):
            with tarfile.open(fileobj=__import__("io").BytesIO(data)) as tar:
                for m in tar.getmembers():
                    if m.isfile():
                        add(f"{name}!{m.name}", tar.extractfile(m).read(), depth + 1)
        else:
            out[name] = data.decode("utf-8", "replace")

    for path in folder.parent.glob(f"{folder.name}*"):
        if path.is_dir():
            for f in path.rglob("*"):
                if f.is_file():
                    add(str(f.relative_to(folder.parent)), f.read_bytes(), 0)
        else:
            add(path.name, path.read_bytes(), 0)
    return out


@pytest.fixture(scope="module")
def handout(course_clone, tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "assignment2"
    built = build_handout(root=course_clone, out=out)
    return built


def test_the_handout_holds_the_starter_notebooks_readme_workflow_and_grader(handout, course_clone):
    files = set(handout.files)
    starter = {f"nnlayers/{p}" for p in read_tree(course_clone / "starter" / "nnlayers") if "__pycache__" not in p}
    assert starter <= files
    for rel in starter:
        assert (handout.folder / rel).read_bytes() == (course_clone / "starter" / rel).read_bytes()
    notebooks = sorted(p.name for p in (handout.folder / "notebooks").glob("*.ipynb"))
    assert notebooks == sorted(p.name for p in (course_clone / "notebooks").glob("*.ipynb")) and len(notebooks) == 4
    for nb in (handout.folder / "notebooks").glob("*.ipynb"):
        cells = json.loads(nb.read_text())["cells"]
        assert all(not c.get("outputs") for c in cells if c["cell_type"] == "code")
    sdists = list((handout.folder / "tools").glob("*.tar.gz"))
    assert len(sdists) == 1
    assert f"./tools/{sdists[0].name}" in (handout.folder / "requirements.txt").read_text()
    readme = (handout.folder / "README.md").read_text()
    assert "{{" not in readme and "grade ." in readme and "official grading" in readme
    assert handout.archive.is_file() and handout.archive.name == "assignment2.zip"
    with zipfile.ZipFile(handout.archive) as zf:
        names = set(zf.namelist())
    assert {f"assignment2/{f}" for f in files if not f.startswith(".built")} == names


def test_the_workflow_grades_reports_and_cannot_write(handout):
    text = (handout.folder / ".github" / "workflows" / "grade.yml").read_text()
    yaml = pytest.importorskip("yaml")
    flow = yaml.safe_load(text)
    steps = flow["jobs"]["grade"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    assert flow["permissions"] == {"contents": "read"}
    assert [s.get("name") for s in steps].index("Grade") < [s.get("name") for s in steps].index("Report in the summary")
    assert "persist-credentials: false" in text
    assert "contents: read" in text
    assert "grade . --out grade-report" in text
    assert 'grade-report/report.md >> "$GITHUB_STEP_SUMMARY"' in text
    assert "actions/upload-artifact@" in text and "path: grade-report/" in text
    assert "pip install -r requirements.txt" in text
    assert text.count("if: always()") == 2  # the report and the artifact also after a failed grade step


def test_no_solution_block_or_hidden_check_reaches_the_handout(handout, course_clone):
    texts = every_file(handout.folder)
    assert any("!" in name and name.endswith("layers.py") for name in texts)  # the archives were opened
    wanted = independent_secrets(course_clone)
    assert len(wanted) > 50
    leaks = [f"{name}: {s}" for name, text in texts.items() for s in wanted
             if s in {ln.strip() for ln in text.splitlines()}]
    assert not leaks, leaks[:10]
    assert not any("hidden_checks" in name or "grading/rubric" in name for name in texts)
    # the grader's own scanner agrees, on the folder and on the zip
    assert scan(read_tree(handout.folder), secrets(course_clone), block_prints(course_clone)) == []
    assert handout.checked == len(secrets(course_clone)) + len(block_prints(course_clone))


def test_the_scanner_finds_a_solution_line_wherever_it_hides(tmp_path):
    line = a_solution_line()
    nb = json.dumps({"cells": [{"cell_type": "code", "source": ["x = 1\n", "    " + line + "\n"]}]})
    inner = tmp_path / "inner.tar.gz"
    payload = tmp_path / "helper.py"
    payload.write_text(f"def f():\n    {line}\n")
    with tarfile.open(inner, "w:gz") as tar:
        tar.add(payload, arcname="pkg/helper.py")
    with zipfile.ZipFile(tmp_path / "outer.zip", "w") as zf:
        zf.write(inner, "tools/inner.tar.gz")
    s = secrets(ROOT)
    assert [leak.where for leak in scan({"a.ipynb": nb.encode()}, s)] == ["a.ipynb"]
    found = scan({"outer.zip": (tmp_path / "outer.zip").read_bytes()}, s)
    assert [leak.where for leak in found] == ["outer.zip!tools/inner.tar.gz!pkg/helper.py"]
    assert scan({"broken.zip": b"PK not really"}, s)[0].line.startswith("<unreadable archive")
    assert scan({"data.gz": b"anything"}, s)[0].line == "<compressed file that cannot be checked>"
    # every string of a notebook counts: outputs, metadata, attachments
    for cell in ({"cell_type": "code", "source": [], "metadata": {"note": line}, "outputs": []},
                 {"cell_type": "code", "source": [], "outputs": [{"output_type": "stream", "name": "stdout", "text": ["x\n", line + "\n"]}]},
                 {"cell_type": "markdown", "source": [], "attachments": {"a.txt": {"text/plain": [line]}}}):
        assert scan({"nb.ipynb": json.dumps({"cells": [cell]}).encode()}, s), cell
    # a short block none of whose lines is distinctive, re-spaced and commented: found as a whole
    relu = next(b for b in all_blocks(ROOT / "solutions") if b.owner == "relu_backward")
    disguised = "\n".join("  # mine\n" + "  " + ln.strip().replace(" ", "  ") for ln in relu.code.splitlines())
    assert not scan({"mine.py": disguised.encode()}, s)
    assert [leak.where for leak in scan({"mine.py": disguised.encode()}, s, block_prints(ROOT))] == ["mine.py"]
    # the example submission is a completed package: the scanner must see answers in it
    assert scan(read_tree(ROOT / "examples" / "submission"), s)


def test_a_release_that_would_leak_is_refused_and_removed(course_copy, tmp_path):
    line = a_solution_line(course_copy)
    nb_path = course_copy / "notebooks" / "Dropout.ipynb"
    nb = json.loads(nb_path.read_text())
    nb["cells"].append({"cell_type": "markdown", "id": "leak", "metadata": {}, "source": ["A hint:\n", line + "\n"]})
    nb_path.write_text(json.dumps(nb))
    subprocess.run([sys.executable, "-m", "grader.fixtures", "--reference", str(course_copy / "solutions"),
                    "--notebooks", str(course_copy / "notebooks")], check=True, capture_output=True)  # (hashes only)
    out = tmp_path / "handout"
    with pytest.raises(ReleaseError, match="refusing to release") as err:
        build_handout(root=course_copy, out=out, grader_spec="nnlayers-harness")
    assert "notebooks/Dropout.ipynb" in str(err.value)
    assert not out.exists() and not (tmp_path / "handout.zip").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["checkout"]  # no staging folder left behind


def test_hidden_rows_pasted_into_a_notebook_are_found(course_copy, tmp_path):
    row = sorted(s for s in independent_secrets(course_copy) if s.startswith("row("))[0]
    nb_path = course_copy / "notebooks" / "Dropout.ipynb"
    nb = json.loads(nb_path.read_text())
    nb["cells"].append({"cell_type": "code", "id": "pasted", "metadata": {}, "outputs": [], "execution_count": None,
                        "source": [row + "\n"]})
    nb_path.write_text(json.dumps(nb))
    subprocess.run(["git", "-C", str(course_copy), "commit", "-qam", "a notebook with a hidden row"], check=True)
    subprocess.run([sys.executable, "-m", "grader.fixtures", "--reference", str(course_copy / "solutions"),
                    "--notebooks", str(course_copy / "notebooks")], check=True, capture_output=True)
    with pytest.raises(ReleaseError, match="refusing to release"):
        build_handout(root=course_copy, out=tmp_path / "h", grader_spec="x")


def test_a_refused_rebuild_keeps_the_previous_handout(course_copy, tmp_path):
    out = tmp_path / "h"
    build_handout(root=course_copy, out=out, grader_spec="x")
    before = read_tree(out)
    nb_path = course_copy / "notebooks" / "Dropout.ipynb"
    nb = json.loads(nb_path.read_text())
    nb["cells"].append({"cell_type": "markdown", "id": "leak", "metadata": {}, "source": [a_solution_line(course_copy)]})
    nb_path.write_text(json.dumps(nb))
    subprocess.run([sys.executable, "-m", "grader.fixtures", "--reference", str(course_copy / "solutions"),
                    "--notebooks", str(course_copy / "notebooks")], check=True, capture_output=True)
    with pytest.raises(ReleaseError):
        build_handout(root=course_copy, out=out, grader_spec="x")
    assert read_tree(out) == before
    assert not (tmp_path / "h.zip").exists(), "the zip of the older build is removed, never left beside a refused one"
    (out / ".git").mkdir()
    with pytest.raises(ReleaseError, match="is a git repository"):
        build_handout(root=course_copy, out=out, grader_spec="x")


def test_untracked_files_in_the_grader_are_refused(course_copy, tmp_path):
    draft = course_copy / "grader" / "checks" / "hidden_draft.py"
    draft.write_text((course_copy / "solutions" / "grading" / "hidden_checks.py").read_text())
    with pytest.raises(ReleaseError, match="untracked files.*grader/checks/hidden_draft.py"):
        build_handout(root=course_copy, out=tmp_path / "h")
    # and an untracked file never makes a secret line public
    from grader.release.leaks import secrets as find_secrets

    assert any(s.startswith("row(") for s in find_secrets(course_copy))


def test_a_stale_starter_is_refused(course_copy, tmp_path):
    layers = course_copy / "solutions" / "nnlayers" / "layers.py"
    layers.write_text(layers.read_text() + "\n\ndef extra_helper():\n    return 1\n")
    with pytest.raises(ReleaseError, match="out of date.*starter/nnlayers/layers.py.*grader.regenerate"):
        build_handout(root=course_copy, out=tmp_path / "h", grader_spec="x")


def test_the_cli_builds_and_explains_refusals(course_clone, tmp_path, capsys):
    assert main(["release", "--root", str(course_clone), "--out", str(tmp_path / "h"), "--grader-spec", "nnlayers-harness==0.1.0"]) == 0
    printed = capsys.readouterr().out
    assert "handout:" in printed and "none found" in printed
    assert (tmp_path / "h" / "requirements.txt").read_text().strip().endswith("nnlayers-harness==0.1.0")
    assert not (tmp_path / "h" / "tools").exists()
    # rebuilding over an earlier build is fine; over anything else is refused
    assert main(["release", "--root", str(course_clone), "--out", str(tmp_path / "h"), "--grader-spec", "x"]) == 0
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    assert main(["release", "--root", str(course_clone), "--out", str(tmp_path / "mine")]) == 2
    assert "was not built by 'grade release'" in capsys.readouterr().err
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"
    assert main(["release", "--root", str(tmp_path / "nowhere")]) == 2
    assert "no course checkout" in capsys.readouterr().err
    assert main(["release", "--bogus"]) == 2


@pytest.fixture(scope="module")
def student_python(handout, tmp_path_factory):
    """A fresh environment with the student edition installed from the handout's sdist (compiled by pip).

    The grader's dependencies (numpy, nbclient, ...) come from this test
    environment through a ``.pth`` line; the grader and the fast layers only
    from the sdist (this checkout's editable install is not visible there).
    """
    base = tmp_path_factory.mktemp("student-env")
    site = base / "site"
    sdist = next((handout.folder / "tools").glob("*.tar.gz"))
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                           "--target", str(site), str(sdist)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(base / "venv")], check=True)
    python = base / "venv" / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "deps.pth").write_text(f"{site}\n{sysconfig.get_paths()['purelib']}\n")
    return python, site


def _grade_in(python: Path, folder: Path, out: Path) -> tuple[str, dict]:
    code = ("import sys, grader, nnfast; print(grader.__file__); print(nnfast.__file__); "
            "from grader.cli import main; sys.exit(main(['.', '--no-notebooks', '--out', sys.argv[1], '--quiet']))")
    env = {k: v for k, v in os.environ.items() if k not in ("GRADER_REFERENCE", "PYTHONPATH")}
    done = subprocess.run([str(python), "-c", code, str(out)], cwd=folder, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, json.loads((out / "report.json").read_text())


def test_the_student_edition_installed_from_the_handout_runs_the_public_checks(student_python, handout, course_clone, tmp_path):
    python, site = student_python
    assert not list(site.rglob("hidden_checks*")) and not (site / "solutions").exists()
    assert scan(read_tree(site), secrets(course_clone), block_prints(course_clone)) == []
    # a student who completed the package correctly: every public check passes, nothing else runs
    done = tmp_path / "done"
    subprocess.run(["cp", "-r", str(handout.folder), str(done)], check=True)
    subprocess.run(["rm", "-rf", str(done / "nnlayers")], check=True)
    subprocess.run(["cp", "-r", str(course_clone / "solutions" / "nnlayers"), str(done / "nnlayers")], check=True)
    printed, report = _grade_in(python, done, tmp_path / "r1")
    assert printed.splitlines()[0].startswith(str(site)) and printed.splitlines()[1].startswith(str(site))
    assert report["reference"] is False
    ran = [c for c in report["checks"] if c["status"] != "skipped"]
    assert len(ran) > 40 and all(c["status"] == "passed" for c in ran), [c["id"] for c in ran if c["status"] != "passed"]
    assert all(c["visibility"] == "public" for c in report["checks"])
    assert report["score"] == report["max_score"] > 0
    assert any("official grading" in n for n in report["notes"])
    # the handout as shipped: everything is still to do
    printed, report = _grade_in(python, handout.folder, tmp_path / "r2")
    assert report["score"] == 0
    assert sum("not implemented" in c["message"] for c in report["checks"]) > 30
