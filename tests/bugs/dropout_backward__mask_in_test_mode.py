"""dropout_backward multiplies by the mask in test mode too (where the cache holds no mask)."""
TARGET = "layers.py"
FAILS = ("dropout.test_identity",)
PASSES = ("dropout.backward_mask", "dropout.rate")
XFAIL = ("grader weakness: every dropout check runs one program with the three train-mode calls AND the test-mode "
         "call, so a crash in test mode also errors dropout.rate (a dropout_forward check) and dropout.backward_mask")

# --- patch ---
def dropout_backward(dout, cache):
    mode, mask = cache
    return dout * mask
