"""relu_backward zeroes dout in place (dx = dout; dx[x < 0] = 0) (seed 001)."""
TARGET = "layers.py"
FAILS = ("relu.inputs_unmodified",)
PASSES = ("relu.numgrad", "relu.reference", "relu.dtype_preserved")
MISTAKE = "relu_backward.inplace_dout"

# --- patch ---
def relu_backward(dout, cache):
    x = cache
    dx = dout
    dx[x < 0] = 0
    return dx
