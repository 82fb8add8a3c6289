"""affine_backward returns dx flattened to (N, D) instead of x's original shape."""
TARGET = "layers.py"
FAILS = ("affine.numgrad", "affine.reference")
PASSES = ("affine.reference_n1", "affine_forward.fixed")
MISTAKE = "affine_backward.dx_not_reshaped"

# --- patch ---
def affine_backward(dout, cache):
    x, w = cache
    dx = dout @ w.T
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
