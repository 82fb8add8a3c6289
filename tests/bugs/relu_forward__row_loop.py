"""relu_forward/relu_backward loop over the rows of x (np.maximum / mask one row at a time)."""
TARGET = "layers.py"
FAILS = ("relu.timing",)
PASSES = ("relu.reference", "relu_forward.fixed")

# --- patch ---
def relu_forward(x):
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        out[i] = np.maximum(x[i], 0)
    return out, x


def relu_backward(dout, cache):
    x = cache
    dx = np.empty_like(dout)
    for i in range(x.shape[0]):
        dx[i] = dout[i] * (x[i] > 0)
    return dx
