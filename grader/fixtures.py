"""Expected values of the fixed-output checks, generated from the reference.

``python -m grader.fixtures`` runs every ``fixed`` check's program on the
reference package and stores the outputs, unrounded, in
``grader/fixtures/expected.npz`` (keys ``"<check id>/<output>"``); it also
stores the hashes of the handout notebooks' checkpoint cells
(``notebook_cells.json``) so a changed checkpoint cell is noticed.  The grader
compares against these, so public checks run without the reference; a test
regenerates them and fails when the stored file is stale.
"""
from __future__ import annotations

import argparse
import io
from importlib import resources
from pathlib import Path

import numpy as np

from grader.checks.kinds import fixed_rng, target_program
from grader.checks.spec import Check
from grader.checks.table import CHECKS

FIXTURE_FILE = "expected.npz"


def compute(reference_root: Path, checks: list[Check] = CHECKS) -> dict[str, dict[str, np.ndarray]]:
    """Run every fixed check on the reference; return ``{check_id: {output: array}}``."""
    from grader.executor import LocalExecutor

    ref = LocalExecutor(reference_root)
    result: dict[str, dict[str, np.ndarray]] = {}
    for check in checks:
        if check.kind != "fixed":
            continue
        arrays = check.case.build(fixed_rng(check))
        outcome = ref.run(target_program(check, arrays), arrays)
        if not outcome.ok:
            raise RuntimeError(f"the reference failed on {check.id}: {outcome.failure}")
        result[check.id] = {name: outcome.arrays[name] for name in check.outputs}
    return result


def to_bytes(expected: dict[str, dict[str, np.ndarray]]) -> bytes:
    buf = io.BytesIO()
    flat = {f"{cid}/{name}": arr for cid, outs in sorted(expected.items()) for name, arr in sorted(outs.items())}
    np.savez_compressed(buf, **flat)
    return buf.getvalue()


def load(path: Path | None = None) -> dict[str, dict[str, np.ndarray]]:
    """Load stored expected values (the packaged file by default; empty if absent)."""
    if path is None:
        res = resources.files("grader").joinpath("fixtures", FIXTURE_FILE)
        if not res.is_file():
            return {}
        data = res.read_bytes()
    else:
        data = Path(path).read_bytes()
    out: dict[str, dict[str, np.ndarray]] = {}
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        for key in npz.files:
            cid, _, name = key.rpartition("/")
            out.setdefault(cid, {})[name] = npz[key]
    return out


NOTEBOOK_HASH_FILE = "notebook_cells.json"


def notebook_hashes(notebooks: Path) -> dict[str, dict[str, str]]:
    """Hashes of the handout's checkpoint cells: ``{notebook: {cell id: sha256}}``."""
    import nbformat

    from grader.notebooks.grade import graded_cells, source_hash

    out: dict[str, dict[str, str]] = {}
    for path in sorted(Path(notebooks).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells = graded_cells(nb)
        out[path.stem] = {cid: source_hash(cell.get("source", "")) for cid, cell in sorted(cells.items())
                          if "checkpoint" in (cell.get("metadata", {}).get("tags") or [])}
    return out


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(prog="python -m grader.fixtures", description="Regenerate the stored expected values.")
    parser.add_argument("--reference", type=Path, default=root / "solutions")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "fixtures" / FIXTURE_FILE)
    parser.add_argument("--notebooks", type=Path, default=root / "notebooks")
    args = parser.parse_args(argv)
    import json

    hashes = notebook_hashes(args.notebooks)
    hash_file = Path(__file__).resolve().parent / "fixtures" / NOTEBOOK_HASH_FILE
    hash_file.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")
    print(f"wrote hashes of {sum(len(v) for v in hashes.values())} checkpoint cells to {hash_file}")
    expected = compute(args.reference)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(to_bytes(expected))
    print(f"wrote {sum(len(v) for v in expected.values())} arrays for {len(expected)} checks to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
