"""affine_forward multiplies x without flattening it to (N, D) first (works only for 2-d x)."""
TARGET = "layers.py"
FAILS = ("affine_forward.fixed", "affine.numgrad", "affine.reference")
PASSES = ('affine.reference_n1', 'affine.dtype_preserved')
MISTAKE = "affine_forward.no_reshape"

# --- patch ---
def affine_forward(x, w, b):
    out = x @ w + b
    cache = (x, w)
    return out, cache
