"""Grade a submission's notebooks: find, validate, execute in isolation, read tagged cells."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from grader.notebooks.table import NOTEBOOK_CHECKS, NotebookCheck
from grader.results import CheckResult
from grader.sandbox import WorkerLimits, run_isolated

RESULT_MIME = "application/vnd.nnlayers.result+json"
MAX_NOTEBOOK_BYTES = 20 * 2**20
MAX_EXECUTED_BYTES = 60 * 2**20
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class NotebookLimits:
    """Time limits of notebook execution: per cell, and per notebook (kernel start included)."""

    cell: float = 120.0
    notebook: float = 300.0


@dataclass
class NotebookRun:
    """What happened to one notebook (``report.json``'s ``notebooks`` entries)."""

    name: str
    status: str  # executed | missing | invalid | timeout | crashed
    message: str = ""
    duration_s: float = 0.0
    executed_path: str | None = None
    html_path: str | None = None
    answers: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def normalize_source(source: str) -> str:
    lines = [ln.rstrip() for ln in source.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def source_hash(source: str) -> str:
    return hashlib.sha256(normalize_source(source).encode("utf-8")).hexdigest()


def handout_hashes() -> dict[str, dict[str, str]]:
    """Stored hashes of the handout's checkpoint cells (``grader/fixtures/notebook_cells.json``)."""
    res = resources.files("grader").joinpath("fixtures", "notebook_cells.json")
    return json.loads(res.read_text()) if res.is_file() else {}


def graded_cells(nb) -> dict[str, dict]:
    """Map ``nnlayers.id`` to cell for every tagged cell of a notebook."""
    cells = {}
    for index, cell in enumerate(nb.get("cells", [])):
        cell["_index"] = index  # position in the notebook, for messages (not written back)
        meta = cell.get("metadata", {})
        cid = (meta.get("nnlayers") or {}).get("id") if isinstance(meta.get("nnlayers"), dict) else None
        if isinstance(cid, str):
            tags = meta.get("tags") or []
            key = cid + (":answer" if "answer" in tags else "")
            cells.setdefault(key, cell)
    return cells


def find_notebook(folder: Path, name: str) -> Path | None:
    for cand in (folder / "notebooks" / f"{name}.ipynb", folder / f"{name}.ipynb"):
        if cand.is_file() and not cand.is_symlink():
            return cand
    return None


def _error_text(cell, cell_timeout: float | None = None) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            ename, evalue = str(out.get("ename", "Error")), str(out.get("evalue", ""))
            if ename in ("KeyboardInterrupt", "CellTimeoutError") and cell_timeout is not None:
                return f"the cell did not finish within {cell_timeout:g} s and was interrupted"
            tb = [_ANSI.sub("", str(t)) for t in out.get("traceback", [])][-6:]
            text = f"{ename}: {evalue}"[:600]
            if tb and ename not in ("AssertionError", "CellTimeoutError"):
                text += "\n" + "\n".join(tb)[-1500:]
            return text
    return None


def _result_value(cell, name: str) -> float | None:
    value = None
    for out in cell.get("outputs", []):
        data = out.get("data") if isinstance(out.get("data"), dict) else {}
        rec = data.get(RESULT_MIME)
        if isinstance(rec, dict) and rec.get("name") == name and isinstance(rec.get("value"), (int, float)):
            value = float(rec["value"])
    return value


def evaluate(check: NotebookCheck, cells: dict[str, dict], hashes: dict[str, str], threshold: float | None,
             cell_timeout: float | None = None) -> tuple[str, str, dict]:
    """(status, message, details) of one graded cell of an executed notebook."""
    cell = cells.get(check.cell)
    if cell is None:
        return "error", (f"{check.notebook}.ipynb: the graded cell '{check.cell}' is missing "
                         f"(its metadata must keep nnlayers.id = {check.cell!r})"), {}
    where = f"{check.notebook}.ipynb, cell {cell.get('_index', '?')} ('{check.cell}')"
    if check.kind == "checkpoint" and check.cell in hashes and source_hash(cell.get("source", "")) != hashes[check.cell]:
        return "failed", f"{where}: the checkpoint cell was changed; restore it from the handout so it checks your code", {}
    timing = (cell.get("metadata") or {}).get("execution") or {}
    if "iopub.execute_input" not in timing:
        return "error", f"{where}: the cell did not run (an earlier cell stopped the notebook or it ran out of time)", {}
    err = _error_text(cell, cell_timeout)
    if err is None and "iopub.status.idle" not in timing:  # interrupted but never came back
        err = f"the cell did not finish within {cell_timeout:g} s" if cell_timeout else "the cell did not finish"
    if check.kind == "checkpoint":
        if err:
            return "failed", f"{where}: {err}", {}
        return "passed", "", {}
    value = _result_value(cell, check.cell)
    if err and value is None:
        return "failed", f"{where}: {err}", {}
    if value is None:
        return "failed", f"{where}: no result recorded (the cell must end with record({check.cell!r}, value))", {}
    details = {"value": value, "threshold": threshold}
    if threshold is not None and not value >= threshold:
        return "failed", f"{where}: {check.cell} = {value:.4g}, needs at least {threshold:g}", details
    return "passed", f"{where}: {check.cell} = {value:.4g}", details


def _html(executed: Path, dest: Path) -> str | None:
    try:
        import nbformat
        from nbconvert import HTMLExporter

        nb = nbformat.read(executed, as_version=4)
        body, _ = HTMLExporter(sanitize_html=True, embed_images=True).from_notebook_node(nb)
        dest.write_text(body, encoding="utf-8")
        return str(dest)
    except Exception:  # rendering is a convenience: never fail a grade on it
        return None


def _answers(nb, name: str) -> list[dict]:
    out = []
    cells = nb.get("cells", [])
    for i, cell in enumerate(cells):
        meta = cell.get("metadata", {})
        if "inline-question" in (meta.get("tags") or []):
            cid = (meta.get("nnlayers") or {}).get("id", f"cell{i}")
            answer = next((c for c in cells[i + 1:] if "answer" in (c.get("metadata", {}).get("tags") or [])), None)
            out.append({"notebook": name, "id": cid, "question": str(cell.get("source", ""))[:4000],
                        "answer": str(answer.get("source", ""))[:20000] if answer else ""})
    return out


def grade_notebooks(*, folder: Path, root: Path, scratch: Path, out: Path | None, checks: list[NotebookCheck] | None = None,
                    thresholds: dict[str, float] | None = None, limits: NotebookLimits = NotebookLimits(),
                    worker_limits: WorkerLimits = WorkerLimits(), isolation=None) -> tuple[list[CheckResult], list[NotebookRun]]:
    """Run and grade the notebooks that ``checks`` refer to.

    Parameters
    ----------
    folder : Path
        The submission folder that holds ``nnlayers/`` (notebooks are looked for in
        ``folder/notebooks/`` and ``folder/``).
    root : Path
        The private copy of the package's parent folder (``NNLAYERS_ROOT`` of the kernel).
    scratch : Path
        A private folder for the runner (notebooks are copied there).
    out : Path, optional
        Report folder; executed notebooks and their HTML go to ``out/notebooks/``.
    """
    import nbformat

    checks = NOTEBOOK_CHECKS if checks is None else checks
    thresholds = thresholds or {}
    hashes = handout_hashes()
    results: list[CheckResult] = []
    runs: list[NotebookRun] = []
    for name in dict.fromkeys(c.notebook for c in checks):
        rows = [c for c in checks if c.notebook == name]
        t0 = time.perf_counter()
        run, cells = _run_one(name, folder, root, scratch, out, limits, worker_limits, isolation, nbformat)
        runs.append(run)
        for row in rows:
            if cells is None:
                status, message, details = "error", run.message, {}
            else:
                status, message, details = evaluate(row, cells, hashes.get(name, {}), thresholds.get(row.cell, row.threshold),
                                                    limits.cell)
            results.append(CheckResult(
                id=row.id, functions=[f"{name}.ipynb"], kind="notebook", score=row.points if status == "passed" else 0.0,
                max_score=row.points, status=status, message=message, visibility="public",
                condition=f"{row.kind} cell '{row.cell}'", duration_s=round(time.perf_counter() - t0, 3) if row is rows[0] else 0.0,
                details=details))
    return results, runs


def _run_one(name, folder, root, scratch, out, limits, worker_limits, isolation, nbformat):
    from grader.isolation.policy import Isolation, readable_roots, self_restriction_args

    isolation = isolation or Isolation("basic", "none")
    src = find_notebook(folder, name)
    if src is None:
        return NotebookRun(name, "missing", f"{name}.ipynb is missing from the submission (expected in notebooks/)"), None
    size = src.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        return NotebookRun(name, "invalid", f"{name}.ipynb is too large ({size} bytes; the limit is {MAX_NOTEBOOK_BYTES})"), None
    try:
        nb = nbformat.reads(src.read_text(encoding="utf-8"), as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # JSON errors, validation errors, binary junk
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        return NotebookRun(name, "invalid", f"{name}.ipynb is not a valid notebook: {first}"), None
    from grader.notebooks.runner import clear_outputs

    clear_outputs(nb)  # only what runs here counts
    nbdir = root / "notebooks"
    nbdir.mkdir(parents=True, exist_ok=True)
    inp = nbdir / f"{name}.ipynb"
    nbformat.write(nb, inp)
    executed = scratch / f"{name}.executed.ipynb"
    started = time.perf_counter()
    readable = readable_roots("nbclient", "ipykernel", "matplotlib") + [Path(root).resolve()]
    writable = [Path(scratch).resolve(), nbdir.resolve()]
    done = run_isolated(
        [sys.executable, "-I", "-B", "-m", "grader.notebooks.runner", str(inp), str(executed), "--cwd", str(nbdir),
         "--cell-timeout", str(limits.cell), *self_restriction_args(isolation, readable=readable, writable=writable, seccomp=False)],
        isolation=isolation, cwd=nbdir, scratch=scratch, limits=worker_limits, timeout=limits.notebook,
        readable=readable, writable=writable,
        extra_env={"NNLAYERS_ROOT": str(root), "PYTHONPATH": str(root), "MPLBACKEND": "Agg", "NNLAYERS_UNDER_GRADER": "1"},
    )
    duration = time.perf_counter() - started
    if not executed.is_file() or executed.stat().st_size > MAX_EXECUTED_BYTES:
        if done.timed_out:
            msg = f"{name}.ipynb did not finish within {limits.notebook:g} s and was stopped"
            status = "timeout"
        else:
            msg = f"{name}.ipynb could not be executed: {done.output.strip()[-300:] or 'the runner stopped'}"
            status = "crashed"
        return NotebookRun(name, status, msg, duration), None
    try:
        executed_nb = nbformat.read(executed, as_version=4)
    except Exception as exc:
        return NotebookRun(name, "crashed", f"{name}.ipynb: the executed notebook could not be read ({type(exc).__name__})", duration), None
    run = NotebookRun(name, "executed", "" if done.returncode == 0 else done.output.strip()[-300:], duration)
    run.answers = _answers(executed_nb, name)
    if out is not None:
        dest = Path(out) / "notebooks"
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(executed, dest / f"{name}.ipynb")
        run.executed_path = str(dest / f"{name}.ipynb")
        run.html_path = _html(executed, dest / f"{name}.html")
    return run, graded_cells(executed_nb)
