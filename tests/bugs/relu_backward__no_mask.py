"""relu_backward passes dout through unchanged (forgets the mask)."""
TARGET = "layers.py"
FAILS = ("relu.numgrad", "relu.reference")
PASSES = ("relu_forward.fixed", "relu.inputs_unmodified", "relu.dtype_preserved")
MISTAKE = "relu_backward.no_mask"

# --- patch ---
def relu_backward(dout, cache):
    return dout.copy()
