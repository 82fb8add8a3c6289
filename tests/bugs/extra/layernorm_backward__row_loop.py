"""layernorm_forward/layernorm_backward with a Python loop over the examples (one row at a time)."""
TARGET = "layers.py"
FAILS = ("layernorm.timing",)
PASSES = ("layernorm.reference", "layernorm.numgrad")
XFAIL = ("weak check: layernorm.timing reports a forward/backward that loops over the 1000 rows as ~9x the "
         "reference (the layer alone is ~16x slower, but the timed program includes generating the inputs), "
         "under the 10x limit")

# --- patch ---
def layernorm_forward(x, gamma, beta, ln_param):
    eps = float(ln_param.get("eps", 1e-5))
    N, D = x.shape
    out = np.empty_like(x)
    x_hat = np.empty_like(x)
    inv_std = np.empty((N, 1), dtype=x.dtype)
    for i in range(N):
        mu = np.mean(x[i])
        var = np.mean((x[i] - mu) ** 2)
        inv_std[i] = 1.0 / np.sqrt(var + eps)
        x_hat[i] = (x[i] - mu) * inv_std[i]
        out[i] = gamma * x_hat[i] + beta
    return out, (x_hat, inv_std, gamma)


def layernorm_backward(dout, cache):
    x_hat, inv_std, gamma = cache
    N, D = dout.shape
    dx = np.empty_like(dout)
    dgamma = np.zeros(D, dtype=dout.dtype)
    dbeta = np.zeros(D, dtype=dout.dtype)
    for i in range(N):
        dx_hat = dout[i] * gamma
        dx[i] = inv_std[i] / D * (D * dx_hat - np.sum(dx_hat) - x_hat[i] * np.sum(dx_hat * x_hat[i]))
        dgamma += dout[i] * x_hat[i]
        dbeta += dout[i]
    return dx, dgamma, dbeta
