"""Execute one notebook with nbclient: ``python -I -m grader.notebooks.runner IN OUT``.

Runs under the same isolation as a worker (the grader starts it); the kernel it
launches inherits the limits and the scrubbed environment.  Every cell gets a
timeout; a cell that times out is interrupted and execution goes on; errors
are recorded in the cells and execution goes on.  Outputs are capped before
the executed notebook is written.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

TEXT_CAP = 20_000
OUTPUTS_PER_CELL = 50
BINARY_CAP = 2_000_000


def clear_outputs(nb) -> None:
    """Drop stored outputs, execution counts and timings in place: only what runs counts, and handouts start clean."""
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cell.get("metadata", {}).pop("execution", None)


def cap_outputs(nb) -> None:
    """Trim long text, many outputs and huge images in place."""
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        outs = cell.get("outputs", [])
        if len(outs) > OUTPUTS_PER_CELL:
            cell["outputs"] = outs = outs[:OUTPUTS_PER_CELL] + [nbformat.v4.new_output(
                "stream", name="stderr", text=f"...({len(outs) - OUTPUTS_PER_CELL} more outputs dropped by the grader)\n")]
        for out in outs:
            if out.get("output_type") == "stream" and len(out.get("text", "")) > TEXT_CAP:
                out["text"] = out["text"][:TEXT_CAP] + "\n...(output truncated by the grader)\n"
            if out.get("output_type") == "error":
                out["traceback"] = [line[:TEXT_CAP] for line in out.get("traceback", [])[-30:]]
            data = out.get("data")
            if isinstance(data, dict):
                for mime, value in list(data.items()):
                    if isinstance(value, str) and len(value) > (BINARY_CAP if mime.startswith("image/") else TEXT_CAP):
                        data[mime] = "" if mime.startswith("image/") else value[:TEXT_CAP] + "\n...(truncated)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grader.notebooks.runner")
    parser.add_argument("notebook")
    parser.add_argument("out")
    parser.add_argument("--cwd", required=True, help="working folder of the kernel")
    parser.add_argument("--cell-timeout", type=float, default=120.0)
    parser.add_argument("--startup-timeout", type=float, default=60.0)
    parser.add_argument("--landlock", help="JSON {read_only, read_write}: restrict the file system (Landlock)")
    args = parser.parse_args(argv)
    from grader.isolation.policy import apply_self_restrictions

    apply_self_restrictions(args.landlock, False)  # inherited by the kernel
    nb = nbformat.read(args.notebook, as_version=4)
    from jupyter_client.manager import AsyncKernelManager  # nbclient is async: a blocking manager hangs on interrupts

    # Unix-socket transport: the kernel needs no TCP (Landlock denies it), only files in the scratch folder.
    km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(Path(tempfile.gettempdir()) / "kernel"))
    client = NotebookClient(
        nb, km=km, timeout=args.cell_timeout, startup_timeout=args.startup_timeout, kernel_name="python3",
        allow_errors=True, interrupt_on_timeout=True, record_timing=True,
        error_on_timeout={"ename": "CellTimeoutError",
                          "evalue": f"the cell did not finish within {args.cell_timeout:g} s and was interrupted",
                          "traceback": []},
        resources={"metadata": {"path": args.cwd}},
    )
    try:
        client.execute()
        status = 0
    except Exception as exc:  # the kernel died or would not start: keep what ran
        print(f"notebook execution stopped: {type(exc).__name__}: {exc}", file=sys.stderr)
        status = 3
    cap_outputs(nb)
    nbformat.write(nb, args.out)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
