"""held-out: relu_forward written with np.where keeps 0.01 * x for negative inputs (a leaky ReLU)."""
TARGET = "layers.py"
FAILS = ('relu_forward.fixed', 'relu.numgrad', 'relu.reference')
PASSES = ('relu.inputs_unmodified', 'relu.dtype_preserved')
MISTAKE = "relu_forward.leaky"

# --- patch ---
def relu_forward(x):
    out = np.where(x > 0, x, 0.01 * x)
    return out, x
