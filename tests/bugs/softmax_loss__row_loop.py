"""softmax_loss computed with a Python loop over the examples."""
TARGET = "layers.py"
FAILS = ("softmax_loss.timing",)
PASSES = ("softmax_loss.fixed", "softmax_loss.reference")

# --- patch ---
def softmax_loss(x, y):
    N = x.shape[0]
    loss = 0.0
    dx = np.zeros_like(x)
    for i in range(N):
        s = x[i] - np.max(x[i])
        log_p = s - np.log(np.sum(np.exp(s)))
        loss -= log_p[y[i]]
        p = np.exp(log_p)
        p[y[i]] -= 1
        dx[i] = p / N
    return loss / N, dx
