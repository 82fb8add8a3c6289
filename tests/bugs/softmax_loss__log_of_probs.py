"""softmax_loss shifts by the max but takes log(probs): the correct class's probability underflows to 0 at 1e4."""
TARGET = "layers.py"
FAILS = ("softmax_loss.large_logits",)
PASSES = ("softmax_loss.fixed", "softmax_loss.numgrad", "softmax_loss.reference")
MISTAKE = "softmax_loss.log_of_probs"

# --- patch ---
def softmax_loss(x, y):
    N = x.shape[0]
    shifted = x - np.max(x, axis=1, keepdims=True)
    probs = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx
