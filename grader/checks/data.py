"""Small datasets the model checks train on (scikit-learn's bundled digits; no download)."""
from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=4)
def _digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    d = load_digits()
    X = (d.images / 16.0).astype(np.float64)[:, None, :, :]
    return X - X.mean(axis=0), d.target.astype(np.int64)


def tiny_digits(n: int, *, flat: bool = False) -> dict[str, np.ndarray]:
    """The first ``n`` digits as ``X`` (N, 1, 8, 8) or (N, 64), labels ``y``."""
    X, y = _digits()
    X = X[:n].copy()
    return {"X": X.reshape(n, -1) if flat else X, "y": y[:n].copy()}
