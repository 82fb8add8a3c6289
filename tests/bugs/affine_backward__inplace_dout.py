"""affine_backward averages the upstream gradient in place (dout /= N), writing into the caller's dout."""
TARGET = "layers.py"
FAILS = ("affine.inputs_unmodified", "affine.numgrad", "affine.reference")
PASSES = ("affine_forward.fixed", "affine.reference_n1", "affine.dtype_preserved")
MISTAKE = "affine_backward.inplace_dout"

# --- patch ---
def affine_backward(dout, cache):
    x, w = cache
    dout /= dout.shape[0]
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db
