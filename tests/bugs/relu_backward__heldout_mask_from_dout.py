"""held-out: relu_backward computes dout * (dout > 0), masking by the gradient's sign instead of x's."""
TARGET = "layers.py"
FAILS = ('relu.numgrad', 'relu.reference')
PASSES = ('relu.inputs_unmodified', 'relu.dtype_preserved')
MISTAKE = "relu_backward.mask_on_dout"

# --- patch ---
def relu_backward(dout, cache):
    dx = dout.copy()
    dx[dout <= 0] = 0
    return dx
