"""svm_loss does not exclude the correct class from the sum: every example gains a margin of 1 (its gradient is still right)."""
TARGET = "layers.py"
FAILS = ("svm_loss.fixed", "svm_loss.reference")
PASSES = ("svm_loss.numgrad",)
MISTAKE = "svm_loss.counts_correct_class"

# --- patch ---
def svm_loss(x, y):
    n = x.shape[0]
    rows = np.arange(n)
    margins = np.maximum(x - x[rows, y][:, None] + 1, 0)
    loss = margins.sum() / n
    dx = (margins > 0).astype(x.dtype)
    dx[rows, y] -= (margins > 0).sum(axis=1)
    dx /= n
    return loss, dx
