"""Grading a class: report folders, gradebook.csv, summary, re-runs, archives (safe unpacking), the CLI."""
from __future__ import annotations

import csv
import html.parser
import io
import json
import re
import shutil
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from support import buggy_copy, reference_copy

from grader.classroom import grade_class, run as class_run
from grader.classroom.archives import ArchiveError, ArchiveLimits, pack, unpack
from grader.classroom.progress import Progress
from grader.classroom.run import folder_names
from grader.cli import main

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "solutions"
ONLY = ["relu_forward.fixed", "relu.numgrad", "relu.reference", "relu.inputs_unmodified"]
LIMITS = ArchiveLimits(max_members=200, max_total_bytes=2 * 2**20, max_member_bytes=2 * 2**20)
BUG = ROOT / "tests" / "bugs" / "relu_forward__leaky.py"


# ----------------------------------------------------------------------------- building submissions

def correct(dest: Path) -> Path:
    return reference_copy(dest)


def buggy(dest: Path, bug: Path = BUG) -> Path:
    """The reference with a bug file's patch appended to its target (as tests/test_grader_checks.py does)."""
    return buggy_copy(dest, bug)


def zip_of(folder: Path, path: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(folder.parent).as_posix())
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def tar_with(path: Path, members: list[tuple[str, str, bytes | str]]) -> Path:
    """A .tar.gz of (name, kind, data) members; kind is file, symlink or hardlink (data: the target)."""
    with tarfile.open(path, "w:gz") as tf:
        for name, kind, data in members:
            info = tarfile.TarInfo(name)
            if kind == "file":
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
            else:
                info.type = tarfile.SYMTYPE if kind == "symlink" else tarfile.LNKTYPE
                info.linkname = data
                tf.addfile(info)
    return path


def symlink_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("sub/nnlayers/layers.py")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    return path


# ----------------------------------------------------------------------------- unpacking, no grading

HOSTILE = {
    "traversal.zip": (lambda p: zip_of(correct(p.parent / "t"), p, {"../evil.py": b"x"}), "leaves the archive"),
    "absolute.tar.gz": (lambda p: tar_with(p, [("/tmp/evil.py", "file", b"x")]), "absolute path"),
    "symlink.tar.gz": (lambda p: tar_with(p, [("sub/nnlayers", "symlink", "/etc")]), "is a link"),
    "hardlink.tar.gz": (lambda p: tar_with(p, [("a", "file", b"x"), ("b", "hardlink", "/etc/passwd")]), "is a link"),
    "symlink.zip": (symlink_zip, "symbolic link"),
    "oversized.zip": (lambda p: zip_of(correct(p.parent / "o"), p, {"data.bin": bytes(3 * 2**20)}), "more than"),
    "many.tar.gz": (lambda p: tar_with(p, [(f"f{i}.txt", "file", b"") for i in range(201)]), "more than 200 members"),
    "broken.zip": (lambda p: p.write_bytes(b"PK\x03\x04 this is not a zip at all") and p, "not a readable"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_archive_is_refused_with_a_clear_message(tmp_path, name):
    make, expected = HOSTILE[name]
    (tmp_path / "src").mkdir()
    archive = make(tmp_path / "src" / name) or tmp_path / "src" / name
    dest = tmp_path / "box" / "dest"
    with pytest.raises(ArchiveError, match=re.escape(expected)):
        unpack(archive, dest, limits=LIMITS)
    assert not (tmp_path / "box" / "evil.py").exists() and not Path("/tmp/evil.py").exists()
    assert not any(p.is_symlink() for p in dest.rglob("*"))


def test_declared_size_smaller_than_content_is_refused(tmp_path):
    # a zip whose directory declares a 10-byte member that inflates to 1 MiB (the shape of a zip bomb)
    path = zip_of(correct(tmp_path / "z"), tmp_path / "bomb.zip", {"bomb.bin": bytes(2**20)})
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        pos = data.rfind(sig)  # the last entry is the bomb
        data[pos + offset: pos + offset + 4] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveError, match="declares|not a readable"):
        unpack(path, tmp_path / "out", limits=LIMITS)
    bomb = tmp_path / "out" / "z" / "bomb.bin"
    assert not bomb.exists() or bomb.stat().st_size <= 10


def test_good_archives_unpack_to_the_folder(tmp_path):
    src = correct(tmp_path / "alice")
    for archive in (zip_of(src, tmp_path / "alice.zip"), tmp_path / "alice.tar.gz"):
        if archive.suffix == ".gz":
            archive.write_bytes(pack(tmp_path / "alice"))
        dest = unpack(archive, tmp_path / ("u" + archive.name))
        got = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*.py"))
        want = sorted(p.relative_to(src).as_posix() for p in src.rglob("*.py"))
        assert got and {g.split("/", 1)[-1] if g.startswith("alice/") else g for g in got} == set(want)


def test_folder_names_are_unique_and_deterministic(tmp_path):
    paths = [tmp_path / "b" / "alice.zip", tmp_path / "a" / "alice", tmp_path / "bob.tar.gz", tmp_path / "gradebook.csv.zip"]
    names = folder_names(paths)
    assert names == ["alice-2", "alice", "bob", "gradebook.csv-2"]
    assert folder_names(list(reversed(paths))) == list(reversed(names))


def test_progress_lines_and_tty_bar():
    log = io.StringIO()
    p = Progress(3, stream=log, tty=False)
    p.update("alice", "5 / 10")
    p.update("bob", "error", graded=False)
    assert log.getvalue().splitlines()[0].startswith("[1/3] alice: 5 / 10") and len(log.getvalue().splitlines()) == 2
    tty = io.StringIO()
    bar = Progress(2, stream=tty, tty=True, width=4)
    bar.update("alice", "ok")
    bar.update("bob", "ok")
    bar.close()
    assert tty.getvalue().count("\r") == 2 and "[####] 2/2" in tty.getvalue() and "ETA" in tty.getvalue()
    assert tty.getvalue().endswith("\n")


# ----------------------------------------------------------------------------- a class run

@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    subs = base / "submissions"
    subs.mkdir()
    good = correct(subs / "alice")
    buggy(subs / "bob")
    shutil.copytree(ROOT / "starter", subs / "carol", ignore=shutil.ignore_patterns("__pycache__"))
    zip_of(good, subs / "dora.zip")
    tf = subs / "eve.tar.gz"
    tf.write_bytes(pack(good))
    for name in ("traversal.zip", "symlink.tar.gz", "oversized.zip", "broken.zip", "many.tar.gz"):
        HOSTILE[name][0](subs / name)
    for leftover in ("t", "o"):
        shutil.rmtree(subs / leftover, ignore_errors=True)
    out = base / "reports"
    sources = sorted(subs.iterdir())
    results = grade_class(submissions=sources, out=out, jobs=2, only=ONLY, notebooks=False, seed=5,
                          reference=REFERENCE, archive_limits=LIMITS)
    return sources, out, {r.name: r for r in results}


def test_every_submission_has_a_report_folder(klass):
    sources, out, results = klass
    assert set(results) == {"alice", "bob", "carol", "dora", "eve", "traversal", "symlink", "oversized", "broken", "many"}
    for name, r in results.items():
        assert (out / name / "report.json").is_file(), name
        assert json.loads((out / name / "report.json").read_text()) == r.report
    assert results["alice"].report["score"] == results["alice"].report["max_score"] > 0
    assert results["alice"].report["seed"] == 5 and json.loads((out / "class.json").read_text())["seed"] == 5


def test_archives_are_graded_like_the_folder(klass):
    _, _, results = klass
    want = [(c["id"], c["status"], c["score"]) for c in results["alice"].report["checks"]]
    for name in ("dora", "eve"):
        assert [(c["id"], c["status"], c["score"]) for c in results[name].report["checks"]] == want
        assert results[name].report["submission"].endswith((".zip", ".tar.gz"))


def test_hostile_archives_are_error_rows_with_a_message(klass):
    _, out, results = klass
    expected = {"traversal": "leaves the archive", "symlink": "is a link", "oversized": "more than",
                "broken": "not a readable", "many": "more than 200 members"}
    for name, text in expected.items():
        assert text in results[name].error, (name, results[name].error)
        assert results[name].report["checks"] == [] and text in (out / name / "report.md").read_text()


def test_gradebook_matches_the_reports(klass):
    _, out, results = klass
    with open(out / "gradebook.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0])
    ids = [c["id"] for c in results["alice"].report["checks"]]
    assert header == ["submission", "score", "max_score", *ids, "error"]
    assert [r["submission"] for r in rows] == sorted(results)
    for row in rows:
        r = results[row["submission"]]
        checks = {c["id"]: c["score"] for c in r.report["checks"]}
        if r.error:
            assert row["score"] == "0" and row["error"] and all(row[i] == "" for i in ids)
            continue
        assert float(row["score"]) == r.report["score"] == pytest.approx(sum(float(row[i]) for i in ids))
        assert float(row["max_score"]) == r.report["max_score"]
        assert {i: float(row[i]) for i in ids} == checks and row["error"] == ""
    bob = next(r for r in rows if r["submission"] == "bob")
    assert float(bob["relu_forward.fixed"]) == 0 and float(bob["relu.inputs_unmodified"]) > 0


def _md_table(text: str, heading: str) -> list[list[str]]:
    block = text.split(heading, 1)[1].split("\n## ", 1)[0]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in block.splitlines() if ln.startswith("| ") and "---" not in ln][1:]


def test_summary_counts_and_pass_rates(klass):
    _, out, results = klass
    md = (out / "summary.md").read_text()
    graded = [r for r in results.values() if not r.error]
    hist = {b: int(n) for b, n in _md_table(md, "## Score histogram")}
    assert sum(hist.values()) == len(graded) == 5
    assert hist["90–100%"] == 3 and hist["0–10%"] == 1  # alice, dora, eve; carol (the starter)
    rates = {cid.strip("`"): (int(p), int(n)) for cid, p, n, _ in _md_table(md, "## Pass rate per check")}
    for cid, (p, n) in rates.items():
        ran = [c for r in graded for c in r.report["checks"] if c["id"] == cid and c["status"] != "skipped"]
        assert n == len(ran) and p == sum(c["status"] == "passed" for c in ran)
    assert rates["relu_forward.fixed"] == (3, 5)
    assert "Seed 5" in md and "## Not graded" in md and "broken" in md
    # what the class got wrong: bob's leaky ReLU, named once however many checks it failed
    assert _md_table(md, "## Likely mistakes named") == [["`relu_forward.leaky`", "1"]]
    assert "<code>relu_forward.leaky</code></td><td>1</td>" in (out / "summary.html").read_text()


class _Page(html.parser.HTMLParser):
    VOID = {"meta", "br", "img", "input", "link", "hr", "line", "rect"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.external, self.bins = [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.external += tag == "script" or "src" in attrs or (tag == "link" and "href" in attrs)
        self.bins += tag == "rect" and attrs.get("class") == "bin"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()


def test_summary_html_is_self_contained_with_plots(klass):
    _, out, _ = klass
    text = (out / "summary.html").read_text()
    page = _Page()
    page.feed(text)
    assert not page.errors and page.stack == [] and page.external == 0
    assert page.bins == 10 and text.count("<svg") == 2 and "relu_forward.fixed" in text


def test_summary_escapes_names():
    from grader.classroom.run import ClassResult
    from grader.classroom.summary import summarize, summary_html

    evil = "<script>alert(1)</script>"
    report = {"score": 0, "max_score": 1, "checks": [{"id": evil, "status": "failed", "score": 0}]}
    page = summary_html(summarize([ClassResult("x", "x", Path("x"), report), ClassResult("y", "y", Path("y"), None, evil)],
                                  seed=1))
    assert "<script>" not in page and "&lt;script&gt;" in page


# ----------------------------------------------------------------------------- re-runs

def _mtimes(out: Path) -> dict[str, int]:
    return {p.parent.name: p.stat().st_mtime_ns for p in out.glob("*/report.json")}


def test_rerun_skips_unchanged_regrades_changed_and_force(tmp_path):
    subs = tmp_path / "subs"
    correct(subs / "alice")
    correct(subs / "bob")
    out = tmp_path / "out"
    kw = dict(out=out, only=["relu_forward.fixed"], notebooks=False, reference=REFERENCE, jobs=2)
    sources = sorted(subs.iterdir())
    first = grade_class(submissions=sources, **kw)
    assert not any(r.skipped for r in first)
    before = _mtimes(out)
    again = grade_class(submissions=sources, **kw)  # no --seed: the recorded class seed is reused
    assert all(r.skipped for r in again) and _mtimes(out) == before
    assert [r.report for r in again] == [r.report for r in first]
    buggy(subs / "bob2")
    shutil.rmtree(subs / "bob")
    (subs / "bob2").rename(subs / "bob")  # bob now has the bug
    third = {r.name: r for r in grade_class(submissions=sources, **kw)}
    assert third["alice"].skipped and not third["bob"].skipped
    assert third["bob"].report["score"] < third["alice"].report["score"]
    assert _mtimes(out)["alice"] == before["alice"] and _mtimes(out)["bob"] != before["bob"]
    forced = grade_class(submissions=sources, force=True, **kw)
    assert not any(r.skipped for r in forced) and _mtimes(out)["alice"] != before["alice"]
    other_seed = grade_class(submissions=sources, seed=first[0].report["seed"] + 1, **kw)
    assert not any(r.skipped for r in other_seed)


def test_a_crash_is_one_error_row_and_ctrl_c_keeps_finished_folders(tmp_path, monkeypatch):
    for name in ("alice", "bob", "carol"):
        correct(tmp_path / "subs" / name)
    real = class_run.grade_source

    def flaky(**kw):
        if kw["display"].endswith("bob"):
            raise RuntimeError("boom")
        return real(**kw)

    monkeypatch.setattr(class_run, "grade_source", flaky)
    out = tmp_path / "out"
    kw = dict(only=["relu_forward.fixed"], notebooks=False, reference=REFERENCE)
    results = {r.name: r for r in grade_class(submissions=sorted((tmp_path / "subs").iterdir()), out=out, jobs=2, **kw)}
    assert "boom" in results["bob"].error and results["bob"].report is None
    assert results["alice"].report["score"] == results["carol"].report["score"] > 0
    assert "boom" in (out / "gradebook.csv").read_text() and "boom" in (out / "summary.md").read_text()

    def interrupted(**kw):
        if kw["display"].endswith("bob"):
            raise KeyboardInterrupt
        return real(**kw)

    monkeypatch.setattr(class_run, "grade_source", interrupted)
    out2 = tmp_path / "out2"
    with pytest.raises(KeyboardInterrupt):
        grade_class(submissions=sorted((tmp_path / "subs").iterdir()), out=out2, jobs=1, **kw)
    assert (out2 / "alice" / "report.json").is_file() and (out2 / "alice" / "cache.json").is_file()
    assert "alice" in (out2 / "gradebook.csv").read_text()


# ----------------------------------------------------------------------------- the command line

def test_cli_class_end_to_end(tmp_path, capsys):
    subs = tmp_path / "subs"
    correct(subs / "alice")
    shutil.copytree(ROOT / "starter", subs / "carol", ignore=shutil.ignore_patterns("__pycache__"))
    (subs / "broken.zip").write_bytes(b"not an archive")
    args = [*map(str, sorted(subs.iterdir())), "--out", str(tmp_path / "out"), "--only", "relu_forward.fixed",
            "--no-notebooks", "--jobs", "2", "--seed", "9", "--reference", str(REFERENCE)]
    assert main(args) == 0
    printed = capsys.readouterr()
    assert "alice: 1 / 1 (100.0%)" in printed.out and "broken: not graded" in printed.out
    assert "3 submissions: 2 graded" in printed.out and "[3/3]" in printed.err
    assert (tmp_path / "out" / "gradebook.csv").read_text().count("\n") == 4
    assert main([*args, "--fail-under", "50"]) == 1  # carol and broken are below 50 %
    assert "3 unchanged" in capsys.readouterr().out
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    assert main([str(notes), "--out", str(tmp_path / "o")]) == 2
    assert "not a folder, a .zip or a .tar.gz" in capsys.readouterr().err


def test_cli_scheduler_without_dask_says_how_to_install(tmp_path, capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)
    code = main([str(REFERENCE), "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:1", "--no-notebooks"])
    assert code == 2 and "pip install '.[dask]'" in capsys.readouterr().err
