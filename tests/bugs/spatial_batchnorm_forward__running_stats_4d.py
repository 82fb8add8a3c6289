"""spatial_batchnorm_forward keeps running statistics of shape (1, C, 1, 1) instead of (C,) (seed 000)."""
TARGET = "layers.py"
FAILS = ("spatial_batchnorm_forward.running_averages",)
PASSES = ("spatial_batchnorm_forward.fixed", "spatial_batchnorm.numgrad", "spatial_batchnorm.reference")
MISTAKE = "spatial_batchnorm_forward.running_stats_4d"

# --- patch ---
def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    C = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros((1, C, 1, 1), dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros((1, C, 1, 1), dtype=x.dtype))
    cache = None
    if bn_param["mode"] == "train":
        sample_mean = np.mean(x, axis=(0, 2, 3), keepdims=True)
        sample_var = np.var(x, axis=(0, 2, 3), keepdims=True)
        normal_x = (x - sample_mean) / np.sqrt(sample_var + eps)
        out = gamma.reshape(1, C, 1, 1) * normal_x + beta.reshape(1, C, 1, 1)
        running_mean = momentum * running_mean + (1 - momentum) * sample_mean
        running_var = momentum * running_var + (1 - momentum) * sample_var
        cache = (gamma, beta, sample_mean, sample_var, normal_x, eps, x)
    else:
        normal_x = (x - running_mean) / np.sqrt(running_var + eps)
        out = gamma.reshape(1, C, 1, 1) * normal_x + beta.reshape(1, C, 1, 1)
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    gamma, beta, sample_mean, sample_var, normal_x, eps, x = cache
    N, C, H, W = x.shape
    m = N * H * W
    dnormal_x = dout * gamma.reshape(1, C, 1, 1)
    dvar = np.sum(dnormal_x * (x - sample_mean), axis=(0, 2, 3), keepdims=True) * (-0.5) * (sample_var + eps) ** (-1.5)
    dmean = (np.sum(-1 / np.sqrt(sample_var + eps) * dnormal_x, axis=(0, 2, 3), keepdims=True)
             + dvar * np.sum(-2 * (x - sample_mean), axis=(0, 2, 3), keepdims=True) / m)
    dx = 1 / np.sqrt(sample_var + eps) * dnormal_x + dvar * 2 * (x - sample_mean) / m + dmean / m
    dgamma = np.sum(dout * normal_x, axis=(0, 2, 3))
    dbeta = np.sum(dout, axis=(0, 2, 3))
    return dx, dgamma, dbeta
