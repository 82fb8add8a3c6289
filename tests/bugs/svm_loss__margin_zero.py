"""svm_loss uses margin 0 instead of 1 (max(0, s_j - s_y)); forward and gradient agree with each other."""
TARGET = "layers.py"
FAILS = ("svm_loss.fixed", "svm_loss.reference")
PASSES = ("svm_loss.numgrad",)
MISTAKE = "svm_loss.margin_zero"

# --- patch ---
def svm_loss(x, y):
    n = x.shape[0]
    rows = np.arange(n)
    margins = np.maximum(x - x[rows, y][:, None], 0)
    margins[rows, y] = 0
    loss = margins.sum() / n
    dx = (margins > 0).astype(x.dtype)
    dx[rows, y] = -dx.sum(axis=1)
    dx /= n
    return loss, dx
