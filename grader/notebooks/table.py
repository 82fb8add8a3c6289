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


CHECKPOINT_POINTS = 0.2
RESULT_POINTS = 1.2

NOTEBOOK_CHECKS: list[NotebookCheck] = (
    _rows("FullyConnectedNets",
          ("affine_forward", "affine_backward", "relu", "softmax_loss", "svm_loss", "affine_relu", "fc_init",
           "two_layer_loss", "fc_gradcheck", "sgd_momentum", "rmsprop", "adam"),
          {"fc_overfit_train_acc": 0.99, "fc_best_val_acc": 0.90}, points=CHECKPOINT_POINTS, result_points=RESULT_POINTS)
    + _rows("BatchNormalization",
            ("bn_train_forward", "bn_test_forward", "bn_backward", "bn_backward_alt", "fc_bn_gradcheck", "ln_forward",
             "ln_backward", "fc_ln_gradcheck"),
            {"bn_best_val_acc": 0.95}, points=CHECKPOINT_POINTS, result_points=RESULT_POINTS)
    + _rows("Dropout", ("dropout_forward", "dropout_backward", "fc_dropout_gradcheck"),
            {"dropout_best_val_acc": 0.90}, points=CHECKPOINT_POINTS, result_points=RESULT_POINTS)
    + _rows("ConvolutionalNetworks",
            ("conv_forward_naive", "conv_backward_naive", "max_pool_forward_naive", "max_pool_backward_naive", "fast_conv",
             "fast_pool", "conv_relu", "conv_relu_pool", "cnn_initial_loss", "cnn_gradcheck", "sbn_train_forward",
             "sbn_test_forward", "sbn_backward", "conv_bn_relu", "gn_forward", "gn_backward"),
            {"cnn_overfit_train_acc": 0.90, "cnn_best_val_acc": 0.90}, points=CHECKPOINT_POINTS, result_points=RESULT_POINTS)
)
