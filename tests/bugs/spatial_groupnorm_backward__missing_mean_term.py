"""spatial_groupnorm_backward forgets the -sum(dx_hat) term (the gradient through the group mean)."""
TARGET = "layers.py"
FAILS = ("spatial_groupnorm.numgrad", "spatial_groupnorm.reference")
MISTAKE = "spatial_groupnorm_backward.missing_mean_term"

# --- patch ---
def spatial_groupnorm_backward(dout, cache):
    x_hat, inv_std, gamma, G = cache
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3), keepdims=True)
    dx_hat = (dout * gamma).reshape(N, G, -1)
    xh = x_hat.reshape(N, G, -1)
    M = xh.shape[2]
    dx = (inv_std / M) * (M * dx_hat - xh * (dx_hat * xh).sum(axis=2, keepdims=True))
    return dx.reshape(N, C, H, W), dgamma, dbeta
