"""affine_forward flattens x in place with x.shape = (N, -1), changing the caller's array (not seen: 2-d case)."""
TARGET = "layers.py"
FAILS = ("affine.inputs_unmodified",)
PASSES = ("affine_forward.fixed", "affine.reference_n1")
XFAIL = ("grader weakness: affine.inputs_unmodified uses a 2-d x (3, 4), so an in-place reshape of x changes "
         "nothing it can see; the bug only shows as a confusing dx shape error in affine.numgrad/reference")

# --- patch ---
def affine_forward(x, w, b):
    x.shape = (x.shape[0], -1)
    out = x @ w + b
    cache = (x, w)
    return out, cache
