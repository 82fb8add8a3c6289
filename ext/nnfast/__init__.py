"""Compiled kernels behind ``nnlayers.fast_layers`` (im2col/col2im and max pooling).

Importing this package raises ``ImportError`` if the extension modules were not
built (run ``pip install .`` in the harness folder).

Functions (all work in place on caller-allocated float32 or float64 arrays of
one dtype, C-contiguous except ``cols``; each raises ValueError on shapes that
do not fit; sizes ``H' = 1 + (H + 2*pad - HH) // stride`` for a
convolution and ``H' = 1 + (H - ph) // stride`` for pooling):

- ``im2col(x, cols, HH, WW, stride, pad)``: x (N, C, H, W) -> cols (C*HH*WW, N, H'*W'),
  ``cols[(c*HH + i)*WW + j, n, h*W' + w] = xpad[n, c, h*stride + i, w*stride + j]`` with
  zero padding implied; cols may be any strided view whose last axis is contiguous
  (e.g. ``buf.transpose(1, 0, 2)`` of an (N, C*HH*WW, H'*W') buffer).
- ``col2im(cols, dx, HH, WW, stride, pad)``: adds cols (same layout) back into
  dx (N, C, H, W), dropping what falls in the padding.
- ``max_pool_forward(x, out, argmax, ph, pw, stride)``: out (N, C, H', W') gets each
  window's maximum, argmax (intp, same shape) its flat position ``h*W + w`` (first
  maximum in row-major window order; a NaN counts as the maximum).
- ``max_pool_backward(dout, argmax, dx)``: ``dx[n, c].flat[argmax[n, c, i, j]] += dout[n, c, i, j]``
  (positions outside the plane raise ValueError instead of writing out of bounds).
"""
try:
    from nnfast._im2col import col2im, im2col
    from nnfast._pool import max_pool_backward, max_pool_forward
except Exception as exc:  # a stale or broken build must read as "not available"
    raise ImportError(f"nnfast extension modules are not built or failed to load: {exc}") from exc

COMPILED = True

__all__ = ["COMPILED", "col2im", "im2col", "max_pool_backward", "max_pool_forward"]
