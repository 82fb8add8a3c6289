"""batchnorm_forward centres x in place (x -= mean), changing the caller's array."""
TARGET = "layers.py"
FAILS = ("batchnorm.inputs_unmodified",)
PASSES = ("batchnorm_forward.fixed", "batchnorm_forward.reference", "batchnorm_backward.numgrad")
MISTAKE = "batchnorm_forward.inplace_center"

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
        x -= mean
        x_mu = x
        var = (x_mu ** 2).mean(axis=0)
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
