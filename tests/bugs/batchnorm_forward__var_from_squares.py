"""batchnorm_forward computes the variance as E[x^2] - E[x]^2 (catastrophic cancellation in float32 at large offsets) (seed 000)."""
TARGET = "layers.py"
FAILS = ("batchnorm_forward.large_offset",)
PASSES = ("batchnorm_forward.fixed", "batchnorm_forward.reference", "batchnorm_forward.running_averages", "batchnorm_backward.numgrad", "batchnorm.dtype_preserved")
MISTAKE = "batchnorm_forward.var_from_squares"

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
        sample_mean = np.mean(x, axis=0)
        sample_var = np.mean(x ** 2, axis=0) - sample_mean ** 2
        x_mu = x - sample_mean
        inv_std = 1.0 / np.sqrt(sample_var + eps)
        x_hat = x_mu * inv_std
        out = gamma * x_hat + beta
        cache = (x_hat, x_mu, inv_std, gamma)
        running_mean = momentum * running_mean + (1 - momentum) * sample_mean
        running_var = momentum * running_var + (1 - momentum) * sample_var
    else:
        out = gamma * ((x - running_mean) / np.sqrt(running_var + eps)) + beta
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache
