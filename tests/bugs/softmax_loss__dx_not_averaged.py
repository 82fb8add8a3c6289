"""softmax_loss forgets to divide dx by N."""
TARGET = "layers.py"
FAILS = ("softmax_loss.fixed", "softmax_loss.numgrad", "softmax_loss.reference", "softmax_loss.large_logits")
PASSES = ("softmax_loss.inputs_unmodified",)
MISTAKE = "softmax_loss.dx_not_averaged"

# --- patch ---
def softmax_loss(x, y):
    N = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].sum() / N
    dx = np.exp(log_probs)
    dx[np.arange(N), y] -= 1
    return loss, dx
