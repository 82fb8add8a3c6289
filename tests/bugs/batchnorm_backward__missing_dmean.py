"""batchnorm_backward forgets the path through the batch mean (the dmean term of dx)."""
TARGET = "layers.py"
FAILS = ("batchnorm_backward.numgrad", "batchnorm_backward.reference")
PASSES = ("batchnorm_backward_alt.numgrad", "batchnorm_backward_alt.reference")
MISTAKE = "batchnorm_backward.missing_dmean"

# --- patch ---
def batchnorm_backward(dout, cache):
    x_hat, x_mu, inv_std, gamma = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dvar = -0.5 * (dx_hat * x_mu).sum(axis=0) * inv_std ** 3
    dx = dx_hat * inv_std + 2 * x_mu * dvar / N
    return dx, dgamma, dbeta
