"""Compare a student's arrays with expected ones, and say how they differ.

The error measure is the course's relative error, ``|a - b| / max(floor, |a| + |b|)``,
taken element by element, with a floor that scales with the expected values so
that round-off on near-zero entries of an otherwise large array does not count.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Mismatch:
    """Why one array did not match; ``text(hidden)`` renders it for a student."""

    name: str
    reason: str
    detail: str = ""

    def text(self, hidden: bool = False) -> str:
        return f"{self.name}: {self.reason}" + ("" if hidden or not self.detail else f" ({self.detail})")


def relative_errors(got: np.ndarray, expected: np.ndarray) -> np.ndarray:
    got = got.astype(np.float64)
    expected = expected.astype(np.float64)
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    floor = max(1e-8, 1e-6 * scale)
    return np.abs(got - expected) / np.maximum(floor, np.abs(got) + np.abs(expected))


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def compare_array(name: str, got: np.ndarray | None, expected: np.ndarray, tol: float, *,
                  check_dtype: bool = False, atol: float = 0.0,
                  positions: list[tuple[int, ...]] | None = None, metric: str = "relative") -> Mismatch | None:
    """Return None if ``got`` matches ``expected`` within ``tol``, else a :class:`Mismatch`.

    Entries whose absolute difference is at most ``atol`` always pass (for
    numeric gradients, whose noise floor is absolute).  ``positions`` maps the
    entries of 1-d ``got``/``expected`` back to indices of a larger array, for
    the message.  ``metric="scaled"`` measures ``|got - expected|`` against the
    largest ``|expected|`` instead of element by element (for float32 results
    whose near-zero entries carry round-off of the whole array's scale).
    """
    if got is None:
        return Mismatch(name, "missing from the results")
    if got.shape != expected.shape:
        if got.size == expected.size and got.squeeze().shape == expected.squeeze().shape:
            return Mismatch(name, f"has shape {got.shape}, expected {expected.shape} (same values, wrong shape?)")
        return Mismatch(name, f"has shape {got.shape}, expected {expected.shape}")
    if check_dtype and got.dtype != expected.dtype:
        return Mismatch(name, f"has dtype {got.dtype}, expected {expected.dtype}")
    if got.dtype.kind == "b" or expected.dtype.kind == "b":
        bad = np.argwhere(got.astype(bool) != expected.astype(bool))
        if len(bad):
            return Mismatch(name, f"{len(bad)} of {got.size} entries differ", f"first at index {tuple(int(i) for i in bad[0])}")
        return None
    g_nan, e_nan = np.isnan(got.astype(np.float64)), np.isnan(expected.astype(np.float64))
    if g_nan.any() and not e_nan.any():
        return Mismatch(name, f"contains {int(g_nan.sum())} NaN of {got.size} values")
    g_inf = np.isinf(got.astype(np.float64))
    if g_inf.any() and not np.isinf(expected.astype(np.float64)).any():
        return Mismatch(name, f"contains {int(g_inf.sum())} infinite values of {got.size}")
    if got.size == 0:
        return None
    if metric == "scaled":
        g, e = np.nan_to_num(got).astype(np.float64), np.nan_to_num(expected).astype(np.float64)
        err = np.abs(g - e) / max(float(np.max(np.abs(e))), 1e-12)
    else:
        err = relative_errors(np.nan_to_num(got), np.nan_to_num(expected))
    if atol:
        err = np.where(np.abs(got.astype(np.float64) - expected.astype(np.float64)) <= atol, 0.0, err)
    worst = int(np.argmax(err))
    if err.flat[worst] <= tol:
        return None
    idx = np.unravel_index(worst, got.shape)
    shown = positions[worst] if positions is not None else tuple(int(i) for i in idx)
    where = f" at index {shown}" if got.ndim else ""
    return Mismatch(
        name,
        f"max {'scaled' if metric == 'scaled' else 'relative'} error {err.flat[worst]:.2e} > tolerance {tol:.0e}",
        (f"{where.strip()}: " if where else "") + f"expected {_fmt(expected[idx])}, got {_fmt(got[idx])}",
    )


def max_relative_error(got: np.ndarray, expected: np.ndarray) -> float:
    if got.shape != expected.shape or got.size == 0:
        return float("inf") if got.shape != expected.shape else 0.0
    return float(np.max(relative_errors(got, expected)))
