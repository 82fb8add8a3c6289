"""relu_backward masks with the sign of dout instead of the sign of x."""
TARGET = "layers.py"
FAILS = ("relu.numgrad", "relu.reference")
PASSES = ("relu_forward.fixed", "relu.inputs_unmodified")
MISTAKE = "relu_backward.mask_on_dout"

# --- patch ---
def relu_backward(dout, cache):
    return dout * (dout > 0)
