"""affine_forward flattens x in place with x.shape = (N, -1), changing the caller's array (not seen: 2-d case)."""
TARGET = "layers.py"
FAILS = ("affine.inputs_unmodified",)
PASSES = ("affine_forward.fixed", "affine.reference_n1")
MISTAKE = "affine_forward.inplace_shape"

# --- patch ---
def affine_forward(x, w, b):
    x.shape = (x.shape[0], -1)
    out = x @ w + b
    cache = (x, w)
    return out, cache
