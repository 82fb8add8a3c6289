"""batchnorm_forward normalizes with the unbiased variance np.var(x, ddof=1) instead of the biased one."""
TARGET = "layers.py"
FAILS = ("batchnorm_forward.fixed", "batchnorm_forward.reference", "batchnorm_forward.running_averages", "batchnorm_backward.numgrad")
PASSES = ("batchnorm_forward.test_mode", "batchnorm_forward.invalid_mode")
MISTAKE = "batchnorm_forward.unbiased_var"

# --- patch ---
def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    _check_mode(mode, "batchnorm")
    eps = float(bn_param.get("eps", 1e-5))
    momentum = float(bn_param.get("momentum", 0.9))
    N, D = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))
    cache = None
    if mode == "train":
        mean = x.mean(axis=0)
        x_mu = x - mean
        var = np.var(x, axis=0, ddof=1)
        inv_std = 1.0 / np.sqrt(var + eps)
        x_hat = x_mu * inv_std
        out = gamma * x_hat + beta
        cache = (x_hat, x_mu, inv_std, gamma)
        running_mean = momentum * running_mean + (1 - momentum) * mean
        running_var = momentum * running_var + (1 - momentum) * var
    else:
        out = gamma * ((x - running_mean) / np.sqrt(running_var + eps)) + beta
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache
