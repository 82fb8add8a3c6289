"""batchnorm_backward_alt drops the x_hat * sum(dx_hat * x_hat) term of the simplified formula."""
TARGET = "layers.py"
FAILS = ("batchnorm_backward_alt.numgrad", "batchnorm_backward_alt.reference")
PASSES = ("batchnorm_backward.numgrad", "batchnorm_backward.reference")
MISTAKE = "batchnorm_backward_alt.missing_xhat_term"

# --- patch ---
def batchnorm_backward_alt(dout, cache):
    x_hat, _, inv_std, gamma = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = (inv_std / N) * (N * dx_hat - dx_hat.sum(axis=0))
    return dx, dgamma, dbeta
