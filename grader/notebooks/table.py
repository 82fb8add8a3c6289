"""The graded cells of the notebooks, as rows.

A notebook marks a graded cell with metadata ``{"tags": [kind], "nnlayers": {"id": ...}}``:

- ``checkpoint``: a code cell that asserts; it passes when it ran without error and its
  source is the handout's (a changed checkpoint cell scores 0: it no longer checks what it should);
- ``result``: a code cell that calls ``record(id, value)``; it passes when the value clears
  the threshold (the rubric's ``notebook_thresholds`` may change it);
- ``inline-question`` / ``answer``: a question and the student's written answer, collected for
  manual grading (not scored).
"""
from __future__ import annotations

from dataclasses import dataclass

NOTEBOOKS = ("FullyConnectedNets", "BatchNormalization", "Dropout", "ConvolutionalNetworks")


@dataclass(frozen=True)
class NotebookCheck:
    """One graded cell.

    Attributes
    ----------
    notebook : str
        Notebook name without ``.ipynb``.
    cell : str
        The cell's ``nnlayers.id``.
    kind : str
        ``checkpoint`` or ``result``.
    points : float
        Default points (the rubric may override them).
    threshold : float or None
        For results: the smallest value that passes.
    """

    notebook: str
    cell: str
    kind: str
    points: float = 0.5
    threshold: float | None = None

    @property
    def id(self) -> str:
        return f"notebook.{self.notebook}.{self.cell}"


def _rows(notebook: str, checkpoints: tuple[str, ...], results: dict[str, float], *, points: float = 0.25,
          result_points: float = 1.0) -> list[NotebookCheck]:
    return [NotebookCheck(notebook, c, "checkpoint", points) for c in checkpoints] + [
        NotebookCheck(notebook, r, "result", result_points, t) for r, t in results.items()]


NOTEBOOK_CHECKS: list[NotebookCheck] = []  # filled in below, once the notebooks' graded cells are known
