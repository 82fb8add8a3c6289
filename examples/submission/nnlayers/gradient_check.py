"""Numerical gradients and the relative error used to compare them.

This module is provided to students. It is the only place where these helpers
are defined: the notebooks, the grader and the test-suite all import them from
here, so that every check uses the same finite differences and tolerances.

All estimates are centred differences, ``(f(x + h) - f(x - h)) / (2 h)``,
computed one element at a time. The array ``x`` is perturbed *in place* (so
that closures over ``x`` see the change) and always restored afterwards, even
if ``f`` raises.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

__all__ = [
    "eval_numerical_gradient",
    "eval_numerical_gradient_array",
    "grad_check_sparse",
    "rel_error",
]

#: Denominator floor of :func:`rel_error`, so that two zeros compare as equal.
REL_ERROR_FLOOR = 1e-8


def _require_float_array(x, name="x"):
    """Raise ``TypeError`` unless ``x`` is a floating-point ndarray.

    The helpers write ``x[i] + h`` back into ``x``; in an integer array that
    would be truncated silently and the "gradient" would be garbage.
    """
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} must be a numpy ndarray, got {type(x).__name__}")
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"{name} must have a floating dtype to be perturbed, got {x.dtype}; "
            f"convert it first, e.g. {name}.astype(np.float64)"
        )


def _centred_difference(f, x, index, h):
    """Return ``(f(x + h e_i), f(x - h e_i))`` for one index, restoring ``x``."""
    old = x[index].copy()
    try:
        x[index] = old + h
        plus = np.array(f(x), dtype=np.float64, copy=True)
        x[index] = old - h
        minus = np.array(f(x), dtype=np.float64, copy=True)
    finally:
        x[index] = old
    return plus, minus


def eval_numerical_gradient(
    f: Callable[[np.ndarray], float],
    x: np.ndarray,
    verbose: bool = True,
    h: float = 1e-5,
) -> np.ndarray:
    """Numerical gradient of a scalar function at ``x``.

    Parameters
    ----------
    f : callable
        Maps the array ``x`` to a scalar (for example a loss).
    x : ndarray of any shape, floating dtype
        Point at which to evaluate the gradient. It is perturbed in place one
        element at a time and restored before returning.
    verbose : bool, default True
        Print every index with its estimated partial derivative.
    h : float, default 1e-5
        Step of the centred difference.

    Returns
    -------
    grad : ndarray of shape x.shape, dtype float64
        ``grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2 h)``.
    """
    _require_float_array(x)
    grad = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(x.shape):
        plus, minus = _centred_difference(f, x, index, h)
        grad[index] = (plus - minus) / (2 * h)
        if verbose:
            print(index, grad[index])
    return grad


def eval_numerical_gradient_array(
    f: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    df: np.ndarray,
    h: float = 1e-5,
) -> np.ndarray:
    """Numerical gradient through an array-valued function, given upstream ``df``.

    This is the numerical counterpart of a layer's backward pass: for
    ``out = f(x)`` and upstream gradient ``df = dL/dout`` it estimates
    ``dL/dx``.

    Parameters
    ----------
    f : callable
        Maps the array ``x`` to an array ``out``.
    x : ndarray of any shape, floating dtype
        Point at which to evaluate. Perturbed in place and restored.
    df : ndarray of shape f(x).shape
        Upstream gradient.
    h : float, default 1e-5
        Step of the centred difference.

    Returns
    -------
    grad : ndarray of shape x.shape, dtype float64
        ``grad[i] = sum((f(x + h e_i) - f(x - h e_i)) * df) / (2 h)``.
    """
    _require_float_array(x)
    df = np.asarray(df, dtype=np.float64)
    grad = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(x.shape):
        plus, minus = _centred_difference(f, x, index, h)
        if plus.shape != df.shape:
            raise ValueError(
                f"f(x) has shape {plus.shape} but df has shape {df.shape}"
            )
        grad[index] = np.sum((plus - minus) * df) / (2 * h)
    return grad


def grad_check_sparse(
    f: Callable[[np.ndarray], float],
    x: np.ndarray,
    analytic_grad: np.ndarray,
    num_checks: int = 10,
    h: float = 1e-5,
    seed: int | None = None,
    verbose: bool = True,
) -> list[float]:
    """Compare an analytic gradient with centred differences at random entries.

    Useful when ``x`` is too large for a full numerical gradient.

    Parameters
    ----------
    f : callable
        Maps the array ``x`` to a scalar.
    x : ndarray of any shape, floating dtype
        Point at which to check. Perturbed in place and restored.
    analytic_grad : ndarray of shape x.shape
        The gradient to check.
    num_checks : int, default 10
        Number of entries to sample (with replacement).
    h : float, default 1e-5
        Step of the centred difference.
    seed : int or None, default None
        Seed of the generator that picks the entries; the global numpy
        random state is not touched.
    verbose : bool, default True
        Print one line per sampled entry.

    Returns
    -------
    errors : list of float
        The :func:`rel_error` of each sampled entry, in sampling order.
    """
    _require_float_array(x)
    analytic_grad = np.asarray(analytic_grad)
    if analytic_grad.shape != x.shape:
        raise ValueError(
            f"analytic_grad has shape {analytic_grad.shape} but x has shape {x.shape}"
        )
    if x.size == 0:
        return []
    rng = np.random.default_rng(seed)
    errors = []
    for _ in range(num_checks):
        index = tuple(int(rng.integers(n)) for n in x.shape)
        plus, minus = _centred_difference(f, x, index, h)
        numerical = float((plus - minus) / (2 * h))
        analytic = float(analytic_grad[index])
        error = rel_error(numerical, analytic)
        errors.append(error)
        if verbose:
            print(
                f"numerical: {numerical:f} analytic: {analytic:f}, "
                f"relative error: {error:e}"
            )
    return errors


def rel_error(x, y) -> float:
    """Largest elementwise relative error between two arrays.

    ``max(|x - y| / max(1e-8, |x| + |y|))``, computed in float64.

    Parameters
    ----------
    x, y : array_like of the same shape
        The values to compare, e.g. an analytic and a numerical gradient.

    Returns
    -------
    error : float
        0.0 for identical arrays (and for empty ones). ``nan`` if either array
        contains a NaN, so that a broken result can never pass a
        ``rel_error(...) < tol`` check. Infinities also give ``nan``.

    Raises
    ------
    ValueError
        If the shapes differ. Broadcasting is refused on purpose: comparing a
        (D,) gradient with a (1, D) one usually hides a bug.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError(
            f"rel_error needs arrays of the same shape, got {x.shape} and {y.shape}"
        )
    if x.size == 0:
        return 0.0
    if np.isnan(x).any() or np.isnan(y).any():
        return float("nan")
    with np.errstate(invalid="ignore"):
        ratio = np.abs(x - y) / np.maximum(REL_ERROR_FLOOR, np.abs(x) + np.abs(y))
    if np.isnan(ratio).any():
        return float("nan")
    return float(np.max(ratio))
