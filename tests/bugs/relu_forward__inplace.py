"""relu_forward clamps x in place (x[x < 0] = 0; out = x), changing the caller's array."""
TARGET = "layers.py"
FAILS = ("relu.inputs_unmodified",)
PASSES = ("relu_forward.fixed", "relu.numgrad", "relu.reference", "relu.dtype_preserved")
MISTAKE = "relu_forward.inplace"

# --- patch ---
def relu_forward(x):
    x[x < 0] = 0
    out = x
    cache = x
    return out, cache
