"""Array recipes: how check inputs are described as data and generated.

Shared by the trusted side (``Case.build``) and the worker (the ``gen`` step,
used by timing checks so large inputs need not cross the pipe).
"""
from __future__ import annotations

import numpy as np


def make_array(recipe: tuple | list, rng: np.random.Generator, dtype: str = "float64") -> np.ndarray:
    """Build one array from a recipe such as ``("randn", (2, 3), scale, shift)``."""
    kind, *rest = recipe
    if kind == "randn":
        shape, scale, shift = (*rest, 1.0, 0.0)[:3] if len(rest) == 1 else (*rest, 0.0)[:3]
        return np.asarray(scale * rng.standard_normal(tuple(shape)) + shift, dtype=dtype)
    if kind == "rand":
        return np.asarray(rng.random(tuple(rest[0])), dtype=dtype)
    if kind == "linspace":
        lo, hi, shape = rest
        return np.linspace(lo, hi, num=int(np.prod(shape))).reshape(tuple(shape)).astype(dtype)
    if kind == "labels":
        classes, n = rest
        return rng.integers(0, classes, size=n).astype(np.int64)
    if kind == "ones":
        return np.ones(tuple(rest[0]), dtype=dtype)
    if kind == "zeros":
        return np.zeros(tuple(rest[0]), dtype=dtype)
    raise ValueError(f"unknown array recipe {kind!r}")
