"""affine_backward sums dout over axis 1 (the outputs) for db instead of over the batch."""
TARGET = "layers.py"
FAILS = ("affine.numgrad", "affine.reference", "affine.reference_n1")
PASSES = ("affine_forward.fixed", "affine.inputs_unmodified")
MISTAKE = "affine_backward.db_wrong_axis"

# --- patch ---
def affine_backward(dout, cache):
    x, w = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = np.sum(dout, axis=1)
    return dx, dw, db
