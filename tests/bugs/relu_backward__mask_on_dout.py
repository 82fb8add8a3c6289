"""relu_backward masks with the sign of dout instead of the sign of x."""
TARGET = "layers.py"
FAILS = ("relu.numgrad", "relu.reference")
PASSES = ("relu_forward.fixed", "relu.inputs_unmodified")

# --- patch ---
def relu_backward(dout, cache):
    return dout * (dout > 0)
