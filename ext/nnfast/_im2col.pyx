# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""im2col / col2im for convolutions with any stride, zero padding and filter size.

Layout: ``cols[(c*HH + i)*WW + j, n, h*W' + w] = xpad[n, c, h*stride + i, w*stride + j]``.
``cols`` is 3-D, (C*HH*WW, N, H'*W'), with a contiguous last axis and any strides
on the first two, so a caller can hand in a transposed view of an (N, K, H'*W')
buffer and feed each image's (K, H'*W') block straight to a matmul.
The padding is never materialised: out-of-range taps read as 0 (im2col) or are
dropped (col2im).
"""
from cython cimport floating
from libc.string cimport memset


cdef inline void _valid_range(Py_ssize_t j, Py_ssize_t W, Py_ssize_t Wo, Py_ssize_t stride,
                              Py_ssize_t pad, Py_ssize_t *lo, Py_ssize_t *hi) noexcept nogil:
    """Output positions ``[lo, hi)`` whose tap ``w*stride - pad + j`` lies in ``[0, W)``."""
    cdef Py_ssize_t a = pad - j, b = W - 1 + pad - j
    lo[0] = 0 if a <= 0 else (a + stride - 1) // stride
    hi[0] = 0 if b < 0 else b // stride + 1
    if hi[0] > Wo:
        hi[0] = Wo
    if hi[0] < lo[0]:
        hi[0] = lo[0]


cdef _check(bint last_contiguous, Py_ssize_t N, Py_ssize_t C, Py_ssize_t H, Py_ssize_t W,
            Py_ssize_t K, Py_ssize_t Nc, Py_ssize_t L,
            Py_ssize_t HH, Py_ssize_t WW, Py_ssize_t stride, Py_ssize_t pad):
    """Raise ValueError unless cols is (C*HH*WW, N, H'*W') with a contiguous last axis."""
    if not last_contiguous:
        raise ValueError("the last axis of cols must be contiguous")
    if stride < 1 or pad < 0 or HH < 1 or WW < 1:
        raise ValueError(f"need stride >= 1, pad >= 0, filter >= 1; "
                         f"got stride={stride}, pad={pad}, filter={HH}x{WW}")
    cdef Py_ssize_t Ho = H + 2 * pad - HH, Wo = W + 2 * pad - WW
    if Ho < 0 or Wo < 0:
        raise ValueError(f"filter {HH}x{WW} larger than padded input {H + 2 * pad}x{W + 2 * pad}")
    Ho = 1 + Ho // stride
    Wo = 1 + Wo // stride
    if K != C * HH * WW or Nc != N or L != Ho * Wo:
        raise ValueError(f"cols has shape ({K}, {Nc}, {L}), expected ({C * HH * WW}, {N}, {Ho * Wo})")


def im2col(const floating[:, :, :, ::1] x, floating[:, :, :] cols,
           Py_ssize_t HH, Py_ssize_t WW, Py_ssize_t stride, Py_ssize_t pad):
    """Write the im2col columns of x (N, C, H, W) into cols (C*HH*WW, N, H'*W')."""
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    _check(cols.strides[2] == sizeof(floating) or cols.shape[2] <= 1, N, C, H, W,
           cols.shape[0], cols.shape[1], cols.shape[2], HH, WW, stride, pad)
    cdef Py_ssize_t Ho = 1 + (H + 2 * pad - HH) // stride, Wo = 1 + (W + 2 * pad - WW) // stride
    cdef Py_ssize_t n, c, i, j, oh, ow, h, lo, hi, off
    cdef floating *dst
    cdef const floating *src
    if N == 0 or C == 0:
        return
    with nogil:
        for n in range(N):
            for c in range(C):
                for i in range(HH):
                    for j in range(WW):
                        _valid_range(j, W, Wo, stride, pad, &lo, &hi)
                        off = j - pad
                        dst = &cols[(c * HH + i) * WW + j, n, 0]
                        for oh in range(Ho):
                            h = oh * stride - pad + i
                            if h < 0 or h >= H:
                                memset(dst, 0, Wo * sizeof(floating))
                            else:
                                src = &x[n, c, h, 0]
                                for ow in range(lo):
                                    dst[ow] = 0
                                if stride == 1:
                                    for ow in range(lo, hi):
                                        dst[ow] = src[ow + off]
                                else:
                                    for ow in range(lo, hi):
                                        dst[ow] = src[ow * stride + off]
                                for ow in range(hi, Wo):
                                    dst[ow] = 0
                            dst += Wo


def col2im(const floating[:, :, :] cols, floating[:, :, :, ::1] dx,
           Py_ssize_t HH, Py_ssize_t WW, Py_ssize_t stride, Py_ssize_t pad):
    """Add cols (C*HH*WW, N, H'*W') back into dx (N, C, H, W); taps in the padding are dropped."""
    cdef Py_ssize_t N = dx.shape[0], C = dx.shape[1], H = dx.shape[2], W = dx.shape[3]
    _check(cols.strides[2] == sizeof(floating) or cols.shape[2] <= 1, N, C, H, W,
           cols.shape[0], cols.shape[1], cols.shape[2], HH, WW, stride, pad)
    cdef Py_ssize_t Ho = 1 + (H + 2 * pad - HH) // stride, Wo = 1 + (W + 2 * pad - WW) // stride
    cdef Py_ssize_t n, c, i, j, oh, ow, h, lo, hi, off
    cdef const floating *src
    cdef floating *dst
    if N == 0 or C == 0:
        return
    with nogil:
        for n in range(N):
            for c in range(C):
                for i in range(HH):
                    for j in range(WW):
                        _valid_range(j, W, Wo, stride, pad, &lo, &hi)
                        off = j - pad
                        src = &cols[(c * HH + i) * WW + j, n, 0]
                        for oh in range(Ho):
                            h = oh * stride - pad + i
                            if h >= 0 and h < H:
                                dst = &dx[n, c, h, 0]
                                if stride == 1:
                                    for ow in range(lo, hi):
                                        dst[ow + off] += src[ow]
                                else:
                                    for ow in range(lo, hi):
                                        dst[ow * stride + off] += src[ow]
                            src += Wo
