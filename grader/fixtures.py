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


FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


def compute_apart(reference: Path) -> dict[str, dict[str, np.ndarray]]:
    """:func:`compute` in a fresh process, with the grader of the checkout that holds ``reference``.

    A process that already imported one ``nnlayers`` (or one grader) cannot
    load another: regenerating for another checkout must not mix them up.
    """
    import subprocess
    import sys
    import tempfile

    reference = Path(reference).resolve()
    code = ("import sys; from pathlib import Path; from grader import fixtures as f; "
            "Path(sys.argv[2]).write_bytes(f.to_bytes(f.compute(Path(sys.argv[1]))))")
    with tempfile.TemporaryDirectory(prefix="fixtures-") as tmp:
        out = Path(tmp) / FIXTURE_FILE
        done = subprocess.run([sys.executable, "-c", code, str(reference), str(out)], cwd=reference.parent,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError("computing the expected values failed: " + (done.stderr.strip().splitlines() or ["?"])[-1])
        return load(out)


def _expected_files(reference: Path, notebooks: Path) -> dict[str, bytes]:
    """The stored files, as they should be: ``{file name: bytes}``."""
    import json

    hashes = notebook_hashes(notebooks)
    return {
        NOTEBOOK_HASH_FILE: (json.dumps(hashes, indent=1, sort_keys=True) + "\n").encode(),
        FIXTURE_FILE: to_bytes(compute_apart(reference)),
    }


def same_values(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal up to the last bits a different CPU's BLAS may change (same shape and dtype)."""
    return a.shape == b.shape and a.dtype == b.dtype and bool(np.allclose(a, b, rtol=1e-10, atol=1e-14, equal_nan=True))


def write(*, reference: Path, notebooks: Path, folder: Path = FIXTURES_DIR) -> list[Path]:
    """Regenerate the stored expected values and checkpoint hashes; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in _expected_files(reference, notebooks).items():
        (folder / name).write_bytes(data)
        written.append(folder / name)
    return written


def stale(*, reference: Path, notebooks: Path, folder: Path = FIXTURES_DIR) -> list[str]:
    """Names of stored files that differ from what :func:`write` would store (compared by content)."""
    import json

    out = []
    hash_file = folder / NOTEBOOK_HASH_FILE
    if not hash_file.is_file() or json.loads(hash_file.read_text()) != notebook_hashes(notebooks):
        out.append(NOTEBOOK_HASH_FILE)
    stored = load(folder / FIXTURE_FILE) if (folder / FIXTURE_FILE).is_file() else {}
    expected = compute_apart(reference)
    same = stored.keys() == expected.keys() and all(
        stored[c].keys() == expected[c].keys() and all(same_values(stored[c][k], v) for k, v in expected[c].items())
        for c in expected)
    if not same:
        out.append(FIXTURE_FILE)
    return out


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(prog="python -m grader.fixtures", description="Regenerate the stored expected values.")
    parser.add_argument("--reference", type=Path, default=root / "solutions")
    parser.add_argument("--notebooks", type=Path, default=root / "notebooks")
    parser.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")
    args = parser.parse_args(argv)
    if args.check:
        names = stale(reference=args.reference, notebooks=args.notebooks)
        for name in names:
            print(f"out of date: grader/fixtures/{name}")
        return 1 if names else 0
    for path in write(reference=args.reference, notebooks=args.notebooks):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
