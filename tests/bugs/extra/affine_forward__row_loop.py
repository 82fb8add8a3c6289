"""affine_forward/affine_backward loop over the examples (one vector-matrix product per row)."""
TARGET = "layers.py"
FAILS = ("affine.timing",)
PASSES = ("affine.reference", "affine.numgrad")
XFAIL = ("weak check: affine.timing reports a forward/backward that loops over the 256 rows as ~4-6x the reference "
         "(each row is still a BLAS product), under the 10x limit")

# --- patch ---
def affine_forward(x, w, b):
    N = x.shape[0]
    x_rows = x.reshape(N, -1)
    out = np.empty((N, w.shape[1]), dtype=np.result_type(x, w))
    for i in range(N):
        out[i] = x_rows[i] @ w + b
    return out, (x, w)


def affine_backward(dout, cache):
    x, w = cache
    N = x.shape[0]
    x_rows = x.reshape(N, -1)
    dx = np.empty_like(x_rows)
    dw = np.zeros_like(w)
    for i in range(N):
        dx[i] = w @ dout[i]
        dw += np.outer(x_rows[i], dout[i])
    return dx.reshape(x.shape), dw, dout.sum(axis=0)
