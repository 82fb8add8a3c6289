"""relu_forward uses np.vectorize (a Python loop over every entry) instead of np.maximum."""
TARGET = "layers.py"
FAILS = ("relu.timing",)
PASSES = ("relu_forward.fixed", "relu.reference")

# --- patch ---
_relu_scalar = np.vectorize(lambda v: v if v > 0 else 0.0, otypes=[float])


def relu_forward(x):
    out = _relu_scalar(x).astype(x.dtype)
    return out, x
