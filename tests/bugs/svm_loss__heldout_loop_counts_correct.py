"""held-out: svm_loss written with a loop over examples adds the margin of the correct class too (loss + 1)."""
TARGET = "layers.py"
FAILS = ('svm_loss.fixed', 'svm_loss.reference')
PASSES = ('svm_loss.numgrad',)
MISTAKE = "svm_loss.counts_correct_class"

# --- patch ---
def svm_loss(x, y):
    N = x.shape[0]
    loss = 0.0
    dx = np.zeros_like(x)
    for n in range(N):
        margins = x[n] - x[n, y[n]] + 1.0
        pos = margins > 0
        loss += margins[pos].sum()
        dx[n, pos] += 1.0
        dx[n, y[n]] -= pos.sum()
    return loss / N, dx / N
