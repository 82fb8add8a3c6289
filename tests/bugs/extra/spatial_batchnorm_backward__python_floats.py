"""spatial_batchnorm_forward/backward compute their per-channel sums entry by entry over Python lists (x.tolist())."""
TARGET = "layers.py"
FAILS = ("spatial_batchnorm.timing",)
PASSES = ("spatial_batchnorm.reference", "spatial_batchnorm_forward.fixed")

# --- patch ---
def _channel_sums(a, b=None):
    """Per-channel sums of a and of a * b (or a * a), one Python float at a time."""
    C = a.shape[1]
    s1, s2 = [0.0] * C, [0.0] * C
    b_list = a.tolist() if b is None else b.tolist()
    for a_n, b_n in zip(a.tolist(), b_list):
        for c in range(C):
            for a_row, b_row in zip(a_n[c], b_n[c]):
                for u, v in zip(a_row, b_row):
                    s1[c] += u
                    s2[c] += u * v
    return np.array(s1), np.array(s2)


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    eps = float(bn_param.get("eps", 1e-5))
    momentum = float(bn_param.get("momentum", 0.9))
    M = N * H * W
    s1, s2 = _channel_sums(x)
    mean = s1 / M
    var = np.maximum(s2 / M - mean ** 2, 0)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = ((x - mean[None, :, None, None]) * inv_std[None, :, None, None]).astype(x.dtype)
    out = gamma[None, :, None, None] * x_hat + beta[None, :, None, None]
    bn_param["running_mean"] = momentum * bn_param.get("running_mean", np.zeros(C, dtype=x.dtype)) + (1 - momentum) * mean
    bn_param["running_var"] = momentum * bn_param.get("running_var", np.zeros(C, dtype=x.dtype)) + (1 - momentum) * var
    return out, (x_hat, inv_std, gamma)


def spatial_batchnorm_backward(dout, cache):
    x_hat, inv_std, gamma = cache
    N, C, H, W = dout.shape
    M = N * H * W
    dbeta, dgamma = _channel_sums(dout, x_hat)
    g, s = gamma[None, :, None, None], inv_std[None, :, None, None]
    dx = g * s / M * (M * dout - dbeta[None, :, None, None] - x_hat * dgamma[None, :, None, None])
    return dx.astype(dout.dtype), dgamma.astype(dout.dtype), dbeta.astype(dout.dtype)
