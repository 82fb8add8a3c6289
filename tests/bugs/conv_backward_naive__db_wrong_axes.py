"""conv_backward_naive sums dout over the spatial axes only for db (shape (N, F) instead of (F,))."""
TARGET = "layers.py"
FAILS = ("conv_naive.numgrad", "conv_naive.reference", "conv_naive.reference_n1")
PASSES = ("conv_forward_naive.fixed",)
MISTAKE = "conv_backward_naive.db_wrong_axes"

# --- patch ---
_reference_conv_backward_naive = conv_backward_naive


def conv_backward_naive(dout, cache):
    dx, dw, _ = _reference_conv_backward_naive(dout, cache)
    return dx, dw, np.sum(dout, axis=(2, 3))
