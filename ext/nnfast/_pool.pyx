# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Max pooling that records, and later scatters into, the argmax of every window."""
from cython cimport floating


def max_pool_forward(const floating[:, :, :, ::1] x, floating[:, :, :, ::1] out,
                     Py_ssize_t[:, :, :, ::1] argmax, Py_ssize_t ph, Py_ssize_t pw,
                     Py_ssize_t stride):
    """Window maxima of x (N, C, H, W) into out (N, C, H', W') and their flat h*W+w into argmax.

    The first maximum in row-major window order wins; a NaN counts as the maximum.
    """
    cdef Py_ssize_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3]
    if stride < 1 or ph < 1 or pw < 1 or ph > H or pw > W:
        raise ValueError(f"bad pooling {ph}x{pw} stride {stride} for input {H}x{W}")
    cdef Py_ssize_t Ho = 1 + (H - ph) // stride, Wo = 1 + (W - pw) // stride
    if (out.shape[0] != N or out.shape[1] != C or out.shape[2] != Ho or out.shape[3] != Wo
            or argmax.shape[0] != N or argmax.shape[1] != C
            or argmax.shape[2] != Ho or argmax.shape[3] != Wo):
        raise ValueError(f"out and argmax must have shape ({N}, {C}, {Ho}, {Wo})")
    cdef Py_ssize_t n, c, oh, ow, i, j, h0, w0, best_at, at
    cdef floating best, v
    cdef const floating *plane
    if N == 0 or C == 0 or Ho < 1 or Wo < 1:
        return
    with nogil:
        for n in range(N):
            for c in range(C):
                plane = &x[n, c, 0, 0]
                for oh in range(Ho):
                    h0 = oh * stride
                    for ow in range(Wo):
                        w0 = ow * stride
                        best_at = h0 * W + w0
                        best = plane[best_at]
                        for i in range(ph):
                            at = (h0 + i) * W + w0
                            for j in range(pw):
                                v = plane[at + j]
                                # strictly larger, or the first NaN (which then stays)
                                if v > best or (v != v and best == best):
                                    best = v
                                    best_at = at + j
                        out[n, c, oh, ow] = best
                        argmax[n, c, oh, ow] = best_at


def max_pool_backward(const floating[:, :, :, ::1] dout, const Py_ssize_t[:, :, :, ::1] argmax,
                      floating[:, :, :, ::1] dx):
    """``dx[n, c].flat[argmax[n, c, i, j]] += dout[n, c, i, j]`` for every window."""
    cdef Py_ssize_t N = dx.shape[0], C = dx.shape[1], HW = dx.shape[2] * dx.shape[3]
    cdef Py_ssize_t Ho = dout.shape[2], Wo = dout.shape[3]
    if (dout.shape[0] != N or dout.shape[1] != C or argmax.shape[0] != N or argmax.shape[1] != C
            or argmax.shape[2] != Ho or argmax.shape[3] != Wo):
        raise ValueError("dout, argmax and dx do not agree in shape")
    cdef Py_ssize_t n, c, k, at, P = Ho * Wo
    cdef bint bad = False
    cdef floating *plane
    cdef const floating *d
    cdef const Py_ssize_t *a
    if N == 0 or C == 0 or P == 0:
        return
    with nogil:
        for n in range(N):
            for c in range(C):
                plane = &dx[n, c, 0, 0]
                d = &dout[n, c, 0, 0]
                a = &argmax[n, c, 0, 0]
                for k in range(P):
                    at = a[k]
                    if at < 0 or at >= HW:
                        bad = True
                    else:
                        plane[at] += d[k]
    if bad:
        raise ValueError("argmax holds positions outside the input plane")
