"""dropout_backward applies the 0/1 pattern of the mask but not its 1/(1-p) scale."""
TARGET = "layers.py"
FAILS = ("dropout.backward_mask",)
PASSES = ("dropout.rate", "dropout.scaling", "dropout.test_identity")
MISTAKE = "dropout_backward.mask_unscaled"

# --- patch ---
def dropout_backward(dout, cache):
    mode, mask = cache
    if mode == "train":
        return dout * (mask != 0)
    return dout.copy()
