"""relu_backward zeroes the gradient where x <= 0 via np.where (harmless variant: nothing may fail)."""
TARGET = "layers.py"
FAILS = ()
PASSES = ("relu.numgrad", "relu.reference", "relu.inputs_unmodified", "relu.dtype_preserved")

# --- patch ---
def relu_backward(dout, cache):
    x = cache
    return np.where(x <= 0, 0, dout).astype(dout.dtype)
