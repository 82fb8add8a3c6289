"""held-out: affine_backward computes dx = dout @ w (w not transposed), which raises for non-square w (not in the catalog)."""
TARGET = "layers.py"
FAILS = ('affine.numgrad', 'affine.inputs_unmodified', 'affine.dtype_preserved', 'affine.reference', 'affine.reference_n1')

# --- patch ---
def affine_backward(dout, cache):
    x, w = cache
    x2 = x.reshape(x.shape[0], -1)
    dx = (dout @ w).reshape(x.shape)
    dw = x2.T @ dout
    db = np.sum(dout, axis=0)
    return dx, dw, db
