"""relu_forward multiplies by a float64 mask ((x > 0).astype(float)): float32 in, float64 out."""
TARGET = "layers.py"
FAILS = ("relu.dtype_preserved",)
PASSES = ("relu_forward.fixed", "relu.numgrad", "relu.reference", "relu.inputs_unmodified")
MISTAKE = "relu_forward.float64_mask"

# --- patch ---
def relu_forward(x):
    out = x * (x > 0).astype(float)
    return out, x
