"""softmax_loss subtracts the row maximum in place (x -= x.max(...)), changing the caller's scores."""
TARGET = "layers.py"
FAILS = ("softmax_loss.inputs_unmodified",)
PASSES = ("softmax_loss.fixed", "softmax_loss.numgrad", "softmax_loss.reference", "softmax_loss.large_logits")
MISTAKE = "softmax_loss.inplace_shift"

# --- patch ---
def softmax_loss(x, y):
    N = x.shape[0]
    x -= np.max(x, axis=1, keepdims=True)
    log_probs = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].sum() / N
    dx = np.exp(log_probs)
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx
