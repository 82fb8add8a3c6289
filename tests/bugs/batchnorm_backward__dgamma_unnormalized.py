"""batchnorm_backward computes dgamma from the centred x (x - mean) instead of the normalized x_hat."""
TARGET = "layers.py"
FAILS = ("batchnorm_backward.numgrad", "batchnorm_backward.reference")
PASSES = ("batchnorm_backward_alt.reference",)
MISTAKE = "batchnorm_backward.dgamma_unnormalized"

# --- patch ---
_reference_batchnorm_backward = batchnorm_backward


def batchnorm_backward(dout, cache):
    x_hat, x_mu, inv_std, gamma = cache
    dx, _, dbeta = _reference_batchnorm_backward(dout, cache)
    dgamma = (dout * x_mu).sum(axis=0)
    return dx, dgamma, dbeta
