"""relu_backward multiplies dout by a float64 mask ((x > 0).astype(np.float64))."""
TARGET = "layers.py"
FAILS = ("relu.dtype_preserved",)
PASSES = ("relu.numgrad", "relu.reference", "relu.inputs_unmodified")

# --- patch ---
def relu_backward(dout, cache):
    x = cache
    return dout * (x > 0).astype(np.float64)
