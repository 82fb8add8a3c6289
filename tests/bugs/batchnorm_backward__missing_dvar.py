"""batchnorm_backward forgets the path through the variance (the dvar term of dx)."""
TARGET = "layers.py"
FAILS = ("batchnorm_backward.numgrad", "batchnorm_backward.reference")
PASSES = ("batchnorm_backward_alt.numgrad", "batchnorm_backward_alt.reference", "batchnorm.inputs_unmodified")
MISTAKE = "batchnorm_backward.missing_dvar"

# --- patch ---
def batchnorm_backward(dout, cache):
    x_hat, x_mu, inv_std, gamma = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_mu = dout * gamma * inv_std
    dmean = -dx_mu.sum(axis=0)
    dx = dx_mu + dmean / N
    return dx, dgamma, dbeta
