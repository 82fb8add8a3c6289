"""affine_backward builds its gradients in float64 buffers (np.zeros default dtype)."""
TARGET = "layers.py"
FAILS = ("affine.dtype_preserved",)
PASSES = ("affine.numgrad", "affine.reference", "affine.reference_n1")

# --- patch ---
def affine_backward(dout, cache):
    x, w = cache
    x_rows = x.reshape(x.shape[0], -1)
    dw = np.zeros(w.shape)
    dw += x_rows.T @ dout
    dx = (dout @ w.T).reshape(x.shape)
    db = dout.sum(axis=0)
    return dx, dw, db
