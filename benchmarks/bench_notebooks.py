"""Time the four notebooks with the reference under the grader, and the cost of starting a kernel.

Usage: ``python benchmarks/bench_notebooks.py [--isolation strict|basic]``

Grades a submission made of ``solutions/nnlayers`` and ``notebooks/`` (notebook checks only), prints each
notebook's execution time and the total (target: at most 3 minutes), then runs an almost empty notebook
(one cell) the same way: its time is the kernel start cost plus the runner's own overhead.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402

from grader.api import grade  # noqa: E402
from grader.isolation.policy import choose  # noqa: E402
from grader.notebooks.grade import grade_notebooks  # noqa: E402
from grader.notebooks.table import NotebookCheck  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--isolation", choices=("strict", "basic"))
    args = parser.parse_args()
    iso = choose(args.isolation)
    with tempfile.TemporaryDirectory() as tmp:
        sub = Path(tmp) / "sub"
        shutil.copytree(ROOT / "solutions" / "nnlayers", sub / "nnlayers")
        shutil.copytree(ROOT / "notebooks", sub / "notebooks")
        t0 = time.perf_counter()
        report = grade(submission=sub, seed=1, only=["notebook.*"], reference=ROOT / "solutions", notebooks=True, isolation=iso)
        total = time.perf_counter() - t0
        print(f"isolation: {iso.describe()}")
        for nb in report.notebooks:
            print(f"{nb['name']:<24} {nb['duration_s']:6.1f} s  {nb['status']}")
        passed = sum(c.status == "passed" for c in report.checks)
        print(f"all four: {total:.1f} s wall (target <= 180 s); graded cells passed: {passed}/{len(report.checks)}")

        empty = Path(tmp) / "empty"
        shutil.copytree(ROOT / "solutions" / "nnlayers", empty / "nnlayers")
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("1 + 1")
        cell.metadata.update(tags=["checkpoint"], nnlayers={"id": "one"})
        nb.cells = [cell]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        (empty / "notebooks").mkdir()
        nbformat.write(nb, empty / "notebooks" / "Empty.ipynb")
        scratch = Path(tmp) / "scratch"
        scratch.mkdir()
        starts = []
        for _ in range(3):
            t0 = time.perf_counter()
            grade_notebooks(folder=empty, root=empty, scratch=scratch, out=None,
                            checks=[NotebookCheck("Empty", "one", "checkpoint")], isolation=iso)
            starts.append(time.perf_counter() - t0)
        print(f"kernel start + runner overhead (one-cell notebook, median of 3): {sorted(starts)[1]:.2f} s")


if __name__ == "__main__":
    main()
