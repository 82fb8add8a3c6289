"""dropout_backward passes dout through without applying the mask."""
TARGET = "layers.py"
FAILS = ("dropout.backward_mask",)
PASSES = ("dropout.rate", "dropout.scaling", "dropout.test_identity")
MISTAKE = "dropout_backward.no_mask"

# --- patch ---
def dropout_backward(dout, cache):
    return dout.copy()
