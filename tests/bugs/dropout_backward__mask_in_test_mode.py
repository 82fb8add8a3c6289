"""dropout_backward multiplies by the mask in test mode too (where the cache holds no mask)."""
TARGET = "layers.py"
FAILS = ("dropout.test_identity",)
PASSES = ("dropout.backward_mask", "dropout.rate")
MISTAKE = "dropout_backward.mask_in_test_mode"

# --- patch ---
def dropout_backward(dout, cache):
    mode, mask = cache
    return dout * mask
