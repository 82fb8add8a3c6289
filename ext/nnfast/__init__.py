"""Compiled kernels behind ``nnlayers.fast_layers`` (im2col/col2im and max pooling).

Importing this package raises ``ImportError`` if the extension modules were not
built (run ``pip install .`` in the harness folder).

Functions (all work in place on caller-allocated C-contiguous float32 or float64
arrays of one dtype; sizes ``H' = 1 + (H + 2*pad - HH) // stride`` for a
convolution and ``H' = 1 + (H - ph) // stride`` for pooling):

- ``im2col(x, cols, HH, WW, stride, pad)``: x (N, C, H, W) -> cols (C*HH*WW, N*H'*W'),
  zero padding implied; row ``(c*HH + i)*WW + j``, column ``(n*H' + h)*W' + w``.
- ``col2im(cols, dx, HH, WW, stride, pad)``: adds cols back into dx (N, C, H, W),
  dropping what falls in the padding.
- ``max_pool_forward(x, out, argmax, ph, pw, stride)``: out (N, C, H', W') gets each
  window's maximum, argmax (intp, same shape) its flat position ``h*W + w`` (first
  maximum in row-major window order; a NaN counts as the maximum).
- ``max_pool_backward(dout, argmax, dx)``: ``dx[n, c].flat[argmax[n, c, i, j]] += dout[n, c, i, j]``.
"""
try:
    from nnfast._im2col import col2im, im2col
    from nnfast._pool import max_pool_backward, max_pool_forward
except Exception as exc:  # a stale or broken build must read as "not available"
    raise ImportError(f"nnfast extension modules are not built or failed to load: {exc}") from exc

COMPILED = True

__all__ = ["COMPILED", "col2im", "im2col", "max_pool_backward", "max_pool_forward"]
