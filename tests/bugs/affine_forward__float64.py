"""affine_forward casts x to float (float64) 'for precision': float32 inputs give float64 outputs."""
TARGET = "layers.py"
FAILS = ("affine.dtype_preserved",)
PASSES = ("affine_forward.fixed", "affine.numgrad", "affine.reference", "affine.inputs_unmodified")
MISTAKE = "affine_forward.float64"

# --- patch ---
def affine_forward(x, w, b):
    x_rows = x.reshape(x.shape[0], -1).astype(float)
    out = x_rows @ w + b
    cache = (x, w)
    return out, cache
