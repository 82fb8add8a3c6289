"""held-out: affine_forward uses np.dot(x, w) on the unflattened x (ValueError for x with more than two axes)."""
TARGET = "layers.py"
FAILS = ('affine_forward.fixed', 'affine.numgrad', 'affine.inputs_unmodified', 'affine.reference')
PASSES = ('affine.dtype_preserved', 'affine.reference_n1')
MISTAKE = "affine_forward.no_reshape"

# --- patch ---
def affine_forward(x, w, b):
    scores = np.dot(x, w)
    scores += b
    return scores, (x, w)
