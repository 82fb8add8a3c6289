"""held-out: batchnorm_forward takes np.var(x, axis=0, ddof=1), the unbiased variance, in train mode."""
TARGET = "layers.py"
FAILS = ('batchnorm_forward.fixed', 'batchnorm_forward.running_averages', 'batchnorm_backward.numgrad', 'batchnorm_backward_alt.numgrad', 'batchnorm_forward.reference', 'batchnorm_forward.large_offset', 'batchnorm_backward.reference', 'batchnorm_backward_alt.reference')
PASSES = ('batchnorm_forward.test_mode', 'batchnorm_forward.invalid_mode', 'batchnorm.inputs_unmodified', 'batchnorm.dtype_preserved')
MISTAKE = "batchnorm_forward.unbiased_var"

# --- patch ---
_reference_bn = batchnorm_forward


def batchnorm_forward(x, gamma, beta, bn_param):
    if bn_param.get("mode") != "train":
        return _reference_bn(x, gamma, beta, bn_param)
    eps, momentum = bn_param.get("eps", 1e-5), bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))
    mu = np.mean(x, axis=0)
    var = np.var(x, axis=0, ddof=1)
    xc = x - mu
    std = np.sqrt(var + eps)
    xn = xc / std
    out = gamma * xn + beta
    bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mu
    bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    return out, (xn, xc, 1.0 / std, gamma)
