"""relu_forward computes a leaky ReLU (max(x, 0.01 x)) while the backward is a plain ReLU's."""
TARGET = "layers.py"
FAILS = ("relu_forward.fixed", "relu.numgrad", "relu.reference")
PASSES = ("relu.inputs_unmodified", "relu.dtype_preserved")
MISTAKE = "relu_forward.leaky"

# --- patch ---
def relu_forward(x):
    out = np.maximum(x, 0.01 * x)
    return out, x
