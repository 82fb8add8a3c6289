"""Helpers for the assignment's notebooks (provided code).

- :func:`record` marks a result (an accuracy, a loss) so the grader can read it
  from the executed notebook;
- :func:`visualize_grid` tiles images (e.g. first-layer conv filters) for plotting.
"""
from __future__ import annotations

import math

import numpy as np

RESULT_MIME = "application/vnd.nnlayers.result+json"


def record(name: str, value: float) -> float:
    """Show ``value`` and mark it as the notebook's result ``name`` for the grader.

    Parameters
    ----------
    name : str
        The result's name, as the grader knows it (e.g. ``"fc_overfit_train_acc"``).
    value : float
        A number (an accuracy, a loss...).

    Returns
    -------
    float
        ``value`` as a float, so a cell can end with ``record(...)``.
    """
    value = float(value)
    try:
        from IPython.display import display

        display({RESULT_MIME: {"name": str(name), "value": value}, "text/plain": f"{name} = {value:.6g}"}, raw=True)
    except ImportError:  # outside IPython: just print
        print(f"{name} = {value:.6g}")
    return value


def visualize_grid(images: np.ndarray, ubound: float = 255.0, padding: int = 1) -> np.ndarray:
    """Tile images into one grid, each rescaled to ``[0, ubound]``.

    Parameters
    ----------
    images : ndarray of shape (N, H, W, C)
        The images (for conv filters: ``W1.transpose(0, 2, 3, 1)``).
    ubound : float
        Largest value in the grid.
    padding : int
        Blank pixels between images.

    Returns
    -------
    ndarray of shape (G * (H + padding) - padding, G * (W + padding) - padding, C)
        With ``G = ceil(sqrt(N))``.
    """
    N, H, W, C = images.shape
    side = int(math.ceil(math.sqrt(N)))
    grid = np.zeros((side * (H + padding) - padding, side * (W + padding) - padding, C))
    for k in range(N):
        r, c = divmod(k, side)
        img = images[k]
        lo, hi = float(img.min()), float(img.max())
        scaled = ubound * (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img, dtype=float)
        grid[r * (H + padding): r * (H + padding) + H, c * (W + padding): c * (W + padding) + W] = scaled
    return grid
