"""The Dask path (``grade --scheduler``) on a real LocalCluster gives the same grades and folders as local grading."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from test_classroom import buggy, correct, zip_of

distributed = pytest.importorskip("distributed", reason="pip install '.[dask]' (the test extra installs it)")

from grader.classroom import grade_class  # noqa: E402
from grader.classroom.archives import ArchiveLimits  # noqa: E402
from grader.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "solutions"
# no timing checks: their verdicts may differ between two runs on a busy machine, wherever they run
ONLY = ["relu_forward.fixed", "relu.numgrad", "relu.reference", "relu.inputs_unmodified",
        "affine_forward.fixed", "affine.numgrad", "affine.reference", "dropout*"]
SEED = 21


def _checks(report: dict) -> list[tuple]:
    return [(c["id"], c["status"], c["score"], c["max_score"]) for c in report["checks"]]


def test_local_cluster_grades_like_local(tmp_path):
    subs = tmp_path / "subs"
    correct(subs / "alice")
    buggy(subs / "bob", ROOT / "tests" / "bugs" / "dropout_forward__keep_prob.py")
    zip_of(buggy(tmp_path / "carol"), subs / "carol.zip")
    sources = sorted(subs.iterdir())
    kw = dict(only=ONLY, notebooks=False, seed=SEED, reference=REFERENCE)
    # local first: a grader that reaps stray children must not share its process with a running cluster
    local = {r.name: r for r in grade_class(submissions=sources, out=tmp_path / "local", jobs=2, **kw)}
    assert local["alice"].report["score"] == local["alice"].report["max_score"] > local["bob"].report["score"]
    assert local["carol"].report["score"] < local["alice"].report["score"]

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = {r.name: r for r in grade_class(submissions=sources, out=tmp_path / "dask",
                                                 scheduler=cluster.scheduler_address, **kw)}
        # the CLI path too, and a re-run that skips what is unchanged
        args = [*map(str, sources), "--out", str(tmp_path / "cli"), "--scheduler", cluster.scheduler_address,
                "--no-notebooks", "--seed", str(SEED), "--reference", str(REFERENCE), *sum((["--only", p] for p in ONLY), [])]
        assert main(args) == 0
        again = grade_class(submissions=sources, out=tmp_path / "dask", scheduler=cluster.scheduler_address, **kw)
        assert all(r.skipped for r in again)

    for name in ("alice", "bob", "carol"):
        assert not remote[name].error
        assert _checks(remote[name].report) == _checks(local[name].report), name
        on_disk = json.loads((tmp_path / "dask" / name / "report.json").read_text())
        assert on_disk == remote[name].report and on_disk["submission"] == local[name].report["submission"]
        assert _checks(json.loads((tmp_path / "cli" / name / "report.json").read_text())) == _checks(local[name].report)
        files = {p.name for p in (tmp_path / "local" / name).iterdir()}
        assert files == {p.name for p in (tmp_path / "dask" / name).iterdir()} >= {"report.json", "report.html", "cache.json"}
    bob = {c["id"]: c["status"] for c in remote["bob"].report["checks"]}
    assert bob["relu_forward.fixed"] == "passed" and any(s == "failed" for i, s in bob.items() if i.startswith("dropout"))
    gradebooks = [list(csv.reader(open(tmp_path / d / "gradebook.csv"))) for d in ("local", "dask", "cli")]
    assert gradebooks[0] == gradebooks[1] == gradebooks[2]


def test_a_task_that_fails_on_the_cluster_is_one_error_row(tmp_path, monkeypatch):
    from grader.classroom import distributed as dist_path

    subs = tmp_path / "subs"
    correct(subs / "alice")
    (subs / "big").mkdir()
    (subs / "big" / "data.bin").write_bytes(bytes(2048))
    real_pack = dist_path.pack

    def small_pack(folder, *, limits=ArchiveLimits()):  # a folder too large to send is refused before it leaves the driver
        return real_pack(folder, limits=ArchiveLimits(max_total_bytes=1024) if folder.name == "big" else limits)

    monkeypatch.setattr(dist_path, "pack", small_pack)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        got = {r.name: r for r in grade_class(submissions=sorted(subs.iterdir()), out=tmp_path / "out", only=["relu_forward.fixed"],
                                              notebooks=False, seed=1, reference=REFERENCE, scheduler=cluster.scheduler_address)}
    assert "too large to send" in got["big"].error and (tmp_path / "out" / "big" / "report.md").is_file()
    assert got["alice"].report["score"] == got["alice"].report["max_score"] == 1
    shutil.rmtree(subs)
