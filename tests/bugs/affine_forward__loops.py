"""affine_forward computed with two Python loops (one dot product per output entry) instead of one matmul."""
TARGET = "layers.py"
FAILS = ("affine.timing",)
PASSES = ("affine.reference", "affine.numgrad")

# --- patch ---
def affine_forward(x, w, b):
    N = x.shape[0]
    x_rows = x.reshape(N, -1)
    M = w.shape[1]
    out = np.zeros((N, M), dtype=np.result_type(x, w))
    for i in range(N):
        for j in range(M):
            out[i, j] = np.dot(x_rows[i], w[:, j]) + b[j]
    return out, (x, w)
