"""layernorm_backward copies batchnorm's formula: sums over the batch (axis 0) instead of the features."""
TARGET = "layers.py"
FAILS = ("layernorm.numgrad", "layernorm.reference")
PASSES = ("layernorm_forward.fixed", "layernorm.dtype_preserved")
MISTAKE = "layernorm_backward.batch_sums"

# --- patch ---
def layernorm_backward(dout, cache):
    x_hat, inv_std, gamma = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = (inv_std / N) * (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    return dx, dgamma, dbeta
