"""batchnorm_forward/batchnorm_backward_alt with Python loops over the examples (one row at a time)."""
TARGET = "layers.py"
FAILS = ("batchnorm_alt.timing",)
PASSES = ("batchnorm_backward_alt.reference", "batchnorm_forward.reference", "batchnorm_forward.running_averages")
XFAIL = ("weak check: batchnorm_alt.timing reports a forward/backward that loops over the 1000 rows as ~6x the "
         "reference (the layer alone is ~10-15x slower, but the timed program includes generating the inputs), "
         "under the 10x limit")

# --- patch ---
_reference_batchnorm_forward = batchnorm_forward


def batchnorm_forward(x, gamma, beta, bn_param):
    if bn_param["mode"] != "train":
        return _reference_batchnorm_forward(x, gamma, beta, bn_param)
    eps = float(bn_param.get("eps", 1e-5))
    momentum = float(bn_param.get("momentum", 0.9))
    N, D = x.shape
    mean = np.zeros(D, dtype=x.dtype)
    for i in range(N):
        mean = mean + x[i] / N
    var = np.zeros(D, dtype=x.dtype)
    for i in range(N):
        var = var + np.square(x[i] - mean) / N
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = np.empty_like(x)
    out = np.empty_like(x)
    for i in range(N):
        x_hat[i] = np.multiply(np.subtract(x[i], mean), inv_std)
        out[i] = np.add(np.multiply(gamma, x_hat[i]), beta)
    bn_param["running_mean"] = momentum * bn_param.get("running_mean", np.zeros(D, dtype=x.dtype)) + (1 - momentum) * mean
    bn_param["running_var"] = momentum * bn_param.get("running_var", np.zeros(D, dtype=x.dtype)) + (1 - momentum) * var
    return out, (x_hat, x - mean, inv_std, gamma)


def batchnorm_backward_alt(dout, cache):
    x_hat, _, inv_std, gamma = cache
    N, D = dout.shape
    dbeta = np.zeros(D, dtype=dout.dtype)
    dgamma = np.zeros(D, dtype=dout.dtype)
    for i in range(N):
        dbeta = dbeta + dout[i]
        dgamma = dgamma + np.multiply(dout[i], x_hat[i])
    s1 = dbeta * gamma
    s2 = dgamma * gamma
    dx = np.empty_like(dout)
    for i in range(N):
        dx_hat = np.multiply(dout[i], gamma)
        dx[i] = np.multiply(inv_std / N, np.subtract(np.subtract(N * dx_hat, s1), np.multiply(x_hat[i], s2)))
    return dx, dgamma, dbeta
