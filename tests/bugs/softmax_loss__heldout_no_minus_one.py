"""held-out: softmax_loss returns dx = probs / N, forgetting to subtract 1 at the correct class (not in the catalog)."""
TARGET = "layers.py"
FAILS = ('softmax_loss.fixed', 'softmax_loss.numgrad', 'softmax_loss.reference', 'softmax_loss.large_logits')
PASSES = ('softmax_loss.inputs_unmodified',)

# --- patch ---
def softmax_loss(x, y):
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    N = x.shape[0]
    loss = -log_probs[np.arange(N), y].mean()
    dx = np.exp(log_probs) / N
    return loss, dx
