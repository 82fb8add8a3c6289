"""affine_forward flattens x with x.reshape(D, N).T, which scrambles the entries of each example."""
TARGET = "layers.py"
FAILS = ("affine_forward.fixed", "affine.numgrad", "affine.reference")
PASSES = ("affine.reference_n1",)
MISTAKE = "affine_forward.reshape_transposed"

# --- patch ---
def affine_forward(x, w, b):
    x_rows = x.reshape(w.shape[0], x.shape[0]).T
    out = x_rows @ w + b
    cache = (x, w)
    return out, cache
