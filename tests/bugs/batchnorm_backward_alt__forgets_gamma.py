"""batchnorm_backward_alt uses dout where dx_hat = dout * gamma belongs (forgets gamma in dx)."""
TARGET = "layers.py"
FAILS = ("batchnorm_backward_alt.numgrad", "batchnorm_backward_alt.reference")
PASSES = ("batchnorm_backward.numgrad",)
MISTAKE = "batchnorm_backward_alt.forgets_gamma"

# --- patch ---
def batchnorm_backward_alt(dout, cache):
    x_hat, _, inv_std, gamma = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = (inv_std / N) * (N * dout - dout.sum(axis=0) - x_hat * (dout * x_hat).sum(axis=0))
    return dx, dgamma, dbeta
