# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""Max pooling that records, and later scatters into, the argmax of every window."""
from cython cimport floating

cdef extern from *:
    """
    /* One window at a time in plain C. The select is integer mask arithmetic
       so that gcc emits no branch (random data mispredicts them); a constant
       2x2 window unrolls. Strictly larger wins, so the first maximum in
       row-major window order is kept. A window holding a NaN is rescanned so
       that its first NaN wins, as with numpy's argmax. Kept out of line: gcc
       optimises it about 2x better on its own than inlined into Cython's code. */
    #if defined(__GNUC__)
    #define NNFAST_NOINLINE __attribute__((noinline))
    #else
    #define NNFAST_NOINLINE
    #endif
    #define NNFAST_POOL_FWD(T, NAME, PH, PW)                                        \\
    static NNFAST_NOINLINE void NAME(const T *x, T *out, Py_ssize_t *am, Py_ssize_t planes,         \\
                     Py_ssize_t H, Py_ssize_t W, Py_ssize_t Ho, Py_ssize_t Wo,     \\
                     Py_ssize_t ph, Py_ssize_t pw, Py_ssize_t s) {                 \\
        for (Py_ssize_t p = 0; p < planes; p++) {                                 \\
            const T *plane = x + p * H * W;                                       \\
            for (Py_ssize_t oh = 0; oh < Ho; oh++) {                              \\
                for (Py_ssize_t ow = 0; ow < Wo; ow++) {                          \\
                    Py_ssize_t base = oh * s * W + ow * s, at = base, nan = 0;    \\
                    T best = plane[base];                                         \\
                    for (Py_ssize_t i = 0; i < (PH); i++) {                       \\
                        for (Py_ssize_t j = 0; j < (PW); j++) {                   \\
                            Py_ssize_t k = base + i * W + j;                      \\
                            T v = plane[k];                                       \\
                            Py_ssize_t m = -(Py_ssize_t)(v > best);               \\
                            nan |= (v != v);                                      \\
                            best = v > best ? v : best;                           \\
                            at = (at & ~m) | (k & m);                             \\
                        }                                                         \\
                    }                                                             \\
                    for (Py_ssize_t i = 0; nan && i < (PH); i++) {                \\
                        for (Py_ssize_t j = 0; j < (PW); j++) {                   \\
                            Py_ssize_t k = base + i * W + j;                      \\
                            if (plane[k] != plane[k]) {                           \\
                                best = plane[k]; at = k; nan = 0; break;          \\
                            }                                                     \\
                        }                                                         \\
                    }                                                             \\
                    *out++ = best;                                                \\
                    *am++ = at;                                                   \\
                }                                                                 \\
            }                                                                     \\
        }                                                                         \\
    }
    NNFAST_POOL_FWD(double, nnfast_pool_fwd_d, ph, pw)
    NNFAST_POOL_FWD(float, nnfast_pool_fwd_f, ph, pw)
    NNFAST_POOL_FWD(double, nnfast_pool_fwd_d22, 2, 2)
    NNFAST_POOL_FWD(float, nnfast_pool_fwd_f22, 2, 2)
    """
    void nnfast_pool_fwd_d(const double *x, double *out, Py_ssize_t *am, Py_ssize_t planes,
                           Py_ssize_t H, Py_ssize_t W, Py_ssize_t Ho, Py_ssize_t Wo,
                           Py_ssize_t ph, Py_ssize_t pw, Py_ssize_t s) noexcept nogil
    void nnfast_pool_fwd_f(const float *x, float *out, Py_ssize_t *am, Py_ssize_t planes,
                           Py_ssize_t H, Py_ssize_t W, Py_ssize_t Ho, Py_ssize_t Wo,
                           Py_ssize_t ph, Py_ssize_t pw, Py_ssize_t s) noexcept nogil
    void nnfast_pool_fwd_d22(const double *x, double *out, Py_ssize_t *am, Py_ssize_t planes,
                             Py_ssize_t H, Py_ssize_t W, Py_ssize_t Ho, Py_ssize_t Wo,
                             Py_ssize_t ph, Py_ssize_t pw, Py_ssize_t s) noexcept nogil
    void nnfast_pool_fwd_f22(const float *x, float *out, Py_ssize_t *am, Py_ssize_t planes,
                             Py_ssize_t H, Py_ssize_t W, Py_ssize_t Ho, Py_ssize_t Wo,
                             Py_ssize_t ph, Py_ssize_t pw, Py_ssize_t s) noexcept nogil


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
    if N == 0 or C == 0:
        return
    cdef bint two_by_two = ph == 2 and pw == 2
    with nogil:
        if floating is double:
            if two_by_two:
                nnfast_pool_fwd_d22(&x[0, 0, 0, 0], &out[0, 0, 0, 0], &argmax[0, 0, 0, 0],
                                    N * C, H, W, Ho, Wo, ph, pw, stride)
            else:
                nnfast_pool_fwd_d(&x[0, 0, 0, 0], &out[0, 0, 0, 0], &argmax[0, 0, 0, 0],
                                  N * C, H, W, Ho, Wo, ph, pw, stride)
        else:
            if two_by_two:
                nnfast_pool_fwd_f22(&x[0, 0, 0, 0], &out[0, 0, 0, 0], &argmax[0, 0, 0, 0],
                                    N * C, H, W, Ho, Wo, ph, pw, stride)
            else:
                nnfast_pool_fwd_f(&x[0, 0, 0, 0], &out[0, 0, 0, 0], &argmax[0, 0, 0, 0],
                                  N * C, H, W, Ho, Wo, ph, pw, stride)


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
