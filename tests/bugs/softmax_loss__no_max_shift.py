"""softmax_loss exponentiates the raw scores without subtracting the row maximum (overflow at 1e4) (seed)."""
TARGET = "layers.py"
FAILS = ("softmax_loss.large_logits",)
PASSES = ("softmax_loss.fixed", "softmax_loss.numgrad", "softmax_loss.reference", "softmax_loss.inputs_unmodified")
MISTAKE = "softmax_loss.no_max_shift"

# --- patch ---
def softmax_loss(x, y):
    N = x.shape[0]
    exp = np.exp(x)
    probs = exp / np.sum(exp, axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx
