"""svm_loss forgets to divide dx by N."""
TARGET = "layers.py"
FAILS = ("svm_loss.fixed", "svm_loss.numgrad", "svm_loss.reference")
MISTAKE = "svm_loss.dx_not_averaged"

# --- patch ---
def svm_loss(x, y):
    n = x.shape[0]
    rows = np.arange(n)
    margins = np.maximum(x - x[rows, y][:, None] + 1, 0)
    margins[rows, y] = 0
    loss = margins.sum() / n
    dx = (margins > 0).astype(x.dtype)
    dx[rows, y] = -dx.sum(axis=1)
    return loss, dx
