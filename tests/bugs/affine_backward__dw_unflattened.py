"""affine_backward computes dw = x.T @ dout without flattening x (right only for 2-d x)."""
TARGET = "layers.py"
FAILS = ("affine.numgrad", "affine.reference")
PASSES = ("affine.reference_n1",)
MISTAKE = "affine_backward.dw_unflattened"

# --- patch ---
def affine_backward(dout, cache):
    x, w = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
