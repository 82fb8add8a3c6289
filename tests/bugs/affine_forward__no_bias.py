"""affine_forward forgets to add the bias b."""
TARGET = "layers.py"
FAILS = ("affine_forward.fixed", "affine.numgrad", "affine.reference", "affine.reference_n1")
PASSES = ("affine.inputs_unmodified", "affine.dtype_preserved")
MISTAKE = "affine_forward.no_bias"

# --- patch ---
def affine_forward(x, w, b):
    out = x.reshape(x.shape[0], -1) @ w
    cache = (x, w)
    return out, cache
