"""Fast convolution and max-pooling layers (provided code, not an exercise).

Same contract as the naive layers: ``*_forward(...) -> (out, cache)`` and
``*_backward(dout, cache) -> grads``. Convolution is im2col + BLAS: a chunk of
images at a time is unrolled into a reused column buffer (a few MB, so nothing
huge is allocated per call) and multiplied by the filters, one matmul per image,
straight into the output; the bias rides along as one more column. The backward
pass rebuilds the columns chunk by chunk for ``dw`` and folds ``w.T @ dout``
back with col2im for ``dx``. Pooling records the argmax of every window in the
forward pass; the backward pass scatters ``dout`` into those positions.

The inner loops come from the compiled package ``nnfast`` (built by
``pip install .`` in the harness folder). Without it, the same algorithm runs
on pure-numpy kernels, with one warning per process. Force the numpy kernels
with the environment variable ``NNLAYERS_NO_EXT=1`` (read at import) or
``set_backend("numpy")``.

This module stands alone (numpy and, optionally, ``nnfast``): it is copied
verbatim into the student starter package.
"""
from __future__ import annotations

import os
import threading
import warnings
from types import SimpleNamespace

import numpy as np
from numpy.lib.stride_tricks import as_strided

try:
    import nnfast as _nnfast
except ImportError:
    _nnfast = None

# Bytes of column buffers per chunk of images: small enough to stay in cache and
# be reused between calls (no fresh pages to fault in), big enough that the
# per-chunk Python overhead does not matter.
CHUNK_BYTES = 4 << 20

MISSING_EXTENSION_WARNING = (
    "nnfast (the compiled fast layers) is missing: using slower pure-numpy "
    "kernels; run `pip install .` in the harness folder to build it."
)


# ---------------------------------------------------------------------------
# Pure-numpy kernels: the same in-place contracts as the compiled ones.
# ---------------------------------------------------------------------------
def _cols6(cols, C, HH, WW, Ho, Wo):
    """View cols (C*HH*WW, nb, H'*W') as (C, HH, WW, nb, H', W'), never a copy."""
    sK, sN, sP = cols.strides
    _, nb, _ = cols.shape
    return as_strided(cols, (C, HH, WW, nb, Ho, Wo),
                      (sK * HH * WW, sK * WW, sK, sN, sP * Wo, sP))


def _np_im2col(x, cols, HH, WW, stride, pad):
    """Write the columns of ``x`` (nb, C, H, W) into ``cols`` (C*HH*WW, nb, H'*W')."""
    nb, C, H, W = x.shape
    Ho = 1 + (H + 2 * pad - HH) // stride
    Wo = 1 + (W + 2 * pad - WW) // stride
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))) if pad else x
    sN, sC, sH, sW = xp.strides
    windows = as_strided(
        xp, (C, HH, WW, nb, Ho, Wo), (sC, sH, sW, sN, sH * stride, sW * stride),
        writeable=False,
    )
    np.copyto(_cols6(cols, C, HH, WW, Ho, Wo), windows)


def _np_col2im(cols, dx, HH, WW, stride, pad):
    """Accumulate ``cols`` (C*HH*WW, nb, H'*W') into ``dx`` (nb, C, H, W), cropping the pad."""
    nb, C, H, W = dx.shape
    Ho = 1 + (H + 2 * pad - HH) // stride
    Wo = 1 + (W + 2 * pad - WW) // stride
    dxp = np.zeros((nb, C, H + 2 * pad, W + 2 * pad), dx.dtype)
    cols6 = _cols6(cols, C, HH, WW, Ho, Wo)
    for i in range(HH):
        for j in range(WW):
            dxp[:, :, i:i + stride * Ho:stride, j:j + stride * Wo:stride] += (
                cols6[:, i, j].transpose(1, 0, 2, 3))
    dx += dxp[:, :, pad:pad + H, pad:pad + W]


def _np_pool_forward(x, out, argmax, ph, pw, stride):
    """Fill ``out`` with window maxima and ``argmax`` with their flat h*W+w positions."""
    N, C, H, W = x.shape
    _, _, Ho, Wo = out.shape
    sN, sC, sH, sW = x.strides
    windows = as_strided(
        x, (N, C, Ho, Wo, ph, pw), (sN, sC, sH * stride, sW * stride, sH, sW),
        writeable=False,
    ).reshape(N, C, Ho, Wo, ph * pw)
    k = windows.argmax(axis=-1)  # first maximum in row-major window order
    out[...] = np.take_along_axis(windows, k[..., None], axis=-1)[..., 0]
    rows = np.arange(Ho)[:, None] * stride + k // pw
    colmn = np.arange(Wo) * stride + k % pw
    argmax[...] = rows * W + colmn


def _np_pool_backward(dout, argmax, dx):
    """Add ``dout`` into ``dx`` at the recorded ``argmax`` positions."""
    N, C, H, W = dx.shape
    plane = np.arange(N * C, dtype=np.intp)[:, None] * (H * W)
    flat = (plane + argmax.reshape(N * C, -1)).ravel()
    dx += np.bincount(flat, weights=dout.ravel(), minlength=dx.size).reshape(dx.shape)


_BACKENDS = {
    "numpy": SimpleNamespace(
        im2col=_np_im2col, col2im=_np_col2im,
        pool_forward=_np_pool_forward, pool_backward=_np_pool_backward,
    ),
}
if _nnfast is not None:
    _BACKENDS["nnfast"] = SimpleNamespace(
        im2col=_nnfast.im2col, col2im=_nnfast.col2im,
        pool_forward=_nnfast.max_pool_forward, pool_backward=_nnfast.max_pool_backward,
    )

_backend = "nnfast" if _nnfast is not None and os.environ.get("NNLAYERS_NO_EXT", "") in ("", "0") else "numpy"
_warned = False


def get_backend():
    """Return the name of the kernels in use: ``"nnfast"`` (compiled) or ``"numpy"``."""
    return _backend


def set_backend(name):
    """Select the kernels: ``"nnfast"`` (compiled) or ``"numpy"``; return the previous name.

    Raises
    ------
    ValueError
        If ``name`` is unknown, or is ``"nnfast"`` and the extension is not built.
    """
    global _backend
    if name not in ("nnfast", "numpy"):
        raise ValueError(f"unknown backend {name!r}: expected 'nnfast' or 'numpy'")
    if name not in _BACKENDS:
        raise ValueError(MISSING_EXTENSION_WARNING)
    previous, _backend = _backend, name
    return previous


def _kernels():
    global _warned
    if _nnfast is None and not _warned:
        _warned = True
        warnings.warn(MISSING_EXTENSION_WARNING, RuntimeWarning, stacklevel=3)
    return _BACKENDS[_backend]


# ---------------------------------------------------------------------------
# Helpers: dtypes, per-thread reusable work buffers, chunking.
# ---------------------------------------------------------------------------
def _float_dtype(*dtypes):
    dt = np.result_type(*dtypes)
    return dt if dt in (np.float32, np.float64) else np.dtype(np.float64)


_workspace = threading.local()


def _buffer(slot, shape, dtype):
    """A reusable per-thread scratch array (contents undefined); never returned to callers."""
    bufs = getattr(_workspace, "bufs", None)
    if bufs is None:
        bufs = _workspace.bufs = {}
    size = int(np.prod(shape))
    buf = bufs.get((slot, dtype))
    if buf is None or buf.size < size:
        buf = bufs[(slot, dtype)] = np.empty(size, dtype)
    return buf[:size].reshape(shape)


def _chunks(N, per_image_bytes):
    """Split range(N) into chunks of about CHUNK_BYTES of columns each."""
    nb = max(1, min(N, CHUNK_BYTES // max(per_image_bytes, 1)))
    return [(n0, min(n0 + nb, N)) for n0 in range(0, N, nb)]


def _fill_cols(kern, x, cols, HH, WW, stride, pad):
    """im2col of the chunk x (nb, C, H, W) into cols (nb, K+1, H'*W'); row K is all ones."""
    K = cols.shape[1] - 1
    kern.im2col(x, cols[:, :K].transpose(1, 0, 2), HH, WW, stride, pad)
    cols[:, K] = 1


def _conv_geometry(x_shape, w_shape, stride, pad):
    if len(x_shape) != 4 or len(w_shape) != 4:
        raise ValueError(f"need x (N, C, H, W) and w (F, C, HH, WW), got shapes {x_shape} and {w_shape}")
    N, C, H, W = x_shape
    F, Cw, HH, WW = w_shape
    if Cw != C:
        raise ValueError(f"x has {C} channels but w expects {Cw}")
    if stride < 1 or pad < 0:
        raise ValueError(f"need stride >= 1 and pad >= 0, got stride={stride}, pad={pad}")
    Ho = 1 + (H + 2 * pad - HH) // stride
    Wo = 1 + (W + 2 * pad - WW) // stride
    if Ho < 1 or Wo < 1:
        raise ValueError(f"filter {HH}x{WW} larger than padded input {H + 2 * pad}x{W + 2 * pad}")
    return N, C, H, W, F, HH, WW, Ho, Wo


# ---------------------------------------------------------------------------
# Convolution
# ---------------------------------------------------------------------------
def conv_forward_fast(x, w, b, conv_param):
    """Convolution forward pass (cross-correlation, zero padding on all sides).

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    w : ndarray of shape (F, C, HH, WW)
    b : ndarray of shape (F,)
    conv_param : dict with int keys ``'stride'`` and ``'pad'``

    Returns
    -------
    out : ndarray of shape (N, F, H', W'), where
        ``H' = 1 + (H + 2*pad - HH) // stride`` and ``W' = 1 + (W + 2*pad - WW) // stride``;
        dtype float32 if all inputs are float32, else float64.
    cache : opaque, for ``conv_backward_fast``
        ``(x, w_aug, conv_param)``: x contiguous in the compute dtype, w_aug of
        shape (F, C*HH*WW + 1) holding the flattened filters and, last, the bias.
    """
    stride, pad = int(conv_param["stride"]), int(conv_param["pad"])
    dt = _float_dtype(x, w, b)
    x = np.ascontiguousarray(x, dtype=dt)
    N, C, H, W, F, HH, WW, Ho, Wo = _conv_geometry(np.shape(x), np.shape(w), stride, pad)
    K, P = C * HH * WW, Ho * Wo
    # The bias rides along as one more filter tap that always sees a 1.
    w_aug = np.empty((F, K + 1), dt)
    w_aug[:, :K] = np.reshape(w, (F, K))
    w_aug[:, K] = np.reshape(b, (F,))
    kern = _kernels()
    out = np.empty((N, F, Ho, Wo), dt)
    for n0, n1 in _chunks(N, (K + 1) * P * dt.itemsize):
        cols = _buffer("cols", (n1 - n0, K + 1, P), dt)
        _fill_cols(kern, x[n0:n1], cols, HH, WW, stride, pad)
        np.matmul(w_aug, cols, out=out[n0:n1].reshape(n1 - n0, F, P))
    return out, (x, w_aug, {"stride": stride, "pad": pad, "filter": (HH, WW)})


def conv_backward_fast(dout, cache):
    """Convolution backward pass.

    Parameters
    ----------
    dout : ndarray of shape (N, F, H', W')
    cache : the cache returned by ``conv_forward_fast``

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dw : ndarray of shape (F, C, HH, WW)
    db : ndarray of shape (F,)
        All in the compute dtype of the forward pass.
    """
    x, w_aug, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    HH, WW = conv_param["filter"]
    dt = x.dtype
    F = w_aug.shape[0]
    N, C, H, W, F, HH, WW, Ho, Wo = _conv_geometry(x.shape, (F, x.shape[1], HH, WW), stride, pad)
    if np.shape(dout) != (N, F, Ho, Wo):
        raise ValueError(f"dout has shape {np.shape(dout)}, expected {(N, F, Ho, Wo)}")
    dout = np.ascontiguousarray(dout, dtype=dt)
    K, P = C * HH * WW, Ho * Wo
    kern = _kernels()
    w_t = w_aug[:, :K].T
    dx = np.zeros_like(x)
    dw_aug = np.zeros((F, K + 1), dt)  # last column: db
    for n0, n1 in _chunks(N, (2 * K + 1) * P * dt.itemsize):
        nb = n1 - n0
        cols = _buffer("cols", (nb, K + 1, P), dt)
        _fill_cols(kern, x[n0:n1], cols, HH, WW, stride, pad)
        d3 = dout[n0:n1].reshape(nb, F, P)
        part = _buffer("dw", (nb, F, K + 1), dt)
        np.matmul(d3, cols.transpose(0, 2, 1), out=part)
        dw_aug += part[0] if nb == 1 else part.sum(axis=0)
        dcols = _buffer("dcols", (nb, K, P), dt)
        np.matmul(w_t, d3, out=dcols)
        kern.col2im(dcols.transpose(1, 0, 2), dx[n0:n1], HH, WW, stride, pad)
    dw = np.ascontiguousarray(dw_aug[:, :K]).reshape(F, C, HH, WW)
    return dx, dw, dw_aug[:, K].copy()


# ---------------------------------------------------------------------------
# Max pooling
# ---------------------------------------------------------------------------
def max_pool_forward_fast(x, pool_param):
    """Max-pooling forward pass; any window shape and stride, windows may overlap.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    pool_param : dict with int keys ``'pool_height'``, ``'pool_width'``, ``'stride'``

    Returns
    -------
    out : ndarray of shape (N, C, H', W'), where
        ``H' = 1 + (H - pool_height) // stride`` and ``W' = 1 + (W - pool_width) // stride``;
        dtype of x (float64 for non-float32/64 inputs).
    cache : opaque, for ``max_pool_backward_fast``
        ``(x_shape, dtype, argmax)``, argmax an intp array of shape (N, C, H', W')
        holding the flat position ``h*W + w`` of the first maximum of each window.
    """
    ph, pw = int(pool_param["pool_height"]), int(pool_param["pool_width"])
    stride = int(pool_param["stride"])
    dt = _float_dtype(x)
    x = np.ascontiguousarray(x, dtype=dt)
    if x.ndim != 4:
        raise ValueError(f"need x of shape (N, C, H, W), got {x.shape}")
    N, C, H, W = x.shape
    if stride < 1 or not (1 <= ph <= H and 1 <= pw <= W):
        raise ValueError(f"bad pooling {ph}x{pw} stride {stride} for input {H}x{W}")
    Ho, Wo = 1 + (H - ph) // stride, 1 + (W - pw) // stride
    out = np.empty((N, C, Ho, Wo), dt)
    argmax = np.empty((N, C, Ho, Wo), np.intp)
    _kernels().pool_forward(x, out, argmax, ph, pw, stride)
    return out, (x.shape, dt, argmax)


def max_pool_backward_fast(dout, cache):
    """Max-pooling backward pass: each window's ``dout`` goes to its recorded argmax.

    Parameters
    ----------
    dout : ndarray of shape (N, C, H', W')
    cache : the cache returned by ``max_pool_forward_fast``

    Returns
    -------
    dx : ndarray of shape (N, C, H, W); overlapping windows add up.
    """
    x_shape, dt, argmax = cache
    if dout.shape != argmax.shape:
        raise ValueError(f"dout has shape {dout.shape}, expected {argmax.shape}")
    dout = np.ascontiguousarray(dout, dtype=dt)
    dx = np.zeros(x_shape, dt)
    _kernels().pool_backward(dout, argmax, dx)
    return dx
