"""spatial_batchnorm_forward/backward loop over examples and channels (N * C slices of H x W)."""
TARGET = "layers.py"
FAILS = ("spatial_batchnorm.timing",)
PASSES = ("spatial_batchnorm.reference", "spatial_batchnorm_forward.fixed")

# --- patch ---
def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    eps = float(bn_param.get("eps", 1e-5))
    momentum = float(bn_param.get("momentum", 0.9))
    M = N * H * W
    mean = np.zeros(C, dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            mean[c] += x[n, c].sum() / M
    var = np.zeros(C, dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            var[c] += ((x[n, c] - mean[c]) ** 2).sum() / M
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = np.empty_like(x)
    out = np.empty_like(x)
    for n in range(N):
        for c in range(C):
            x_hat[n, c] = (x[n, c] - mean[c]) * inv_std[c]
            out[n, c] = gamma[c] * x_hat[n, c] + beta[c]
    bn_param["running_mean"] = momentum * bn_param.get("running_mean", np.zeros(C, dtype=x.dtype)) + (1 - momentum) * mean
    bn_param["running_var"] = momentum * bn_param.get("running_var", np.zeros(C, dtype=x.dtype)) + (1 - momentum) * var
    return out, (x_hat, inv_std, gamma)


def spatial_batchnorm_backward(dout, cache):
    x_hat, inv_std, gamma = cache
    N, C, H, W = dout.shape
    M = N * H * W
    dbeta = np.zeros(C, dtype=dout.dtype)
    dgamma = np.zeros(C, dtype=dout.dtype)
    for n in range(N):
        for c in range(C):
            dbeta[c] += dout[n, c].sum()
            dgamma[c] += (dout[n, c] * x_hat[n, c]).sum()
    dx = np.empty_like(dout)
    for n in range(N):
        for c in range(C):
            dx[n, c] = gamma[c] * inv_std[c] / M * (M * dout[n, c] - dbeta[c] - x_hat[n, c] * dgamma[c])
    return dx, dgamma, dbeta
