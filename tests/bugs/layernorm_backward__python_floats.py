"""layernorm_forward/layernorm_backward compute their row sums entry by entry over Python lists (double loops)."""
TARGET = "layers.py"
FAILS = ("layernorm.timing",)
PASSES = ("layernorm.reference", "layernorm.numgrad")

# --- patch ---
def layernorm_forward(x, gamma, beta, ln_param):
    eps = float(ln_param.get("eps", 1e-5))
    N, D = x.shape
    mean, sq = [0.0] * N, [0.0] * N
    for i, row in enumerate(x.tolist()):
        for v in row:
            mean[i] += v / D
            sq[i] += v * v / D
    mean = np.array(mean)[:, None]
    inv_std = 1.0 / np.sqrt(np.maximum(np.array(sq)[:, None] - mean ** 2, 0) + eps)
    x_hat = ((x - mean) * inv_std).astype(x.dtype)
    return gamma * x_hat + beta, (x_hat, inv_std.astype(x.dtype), gamma)


def layernorm_backward(dout, cache):
    x_hat, inv_std, gamma = cache
    N, D = dout.shape
    g = gamma.tolist()
    dgamma, dbeta = [0.0] * D, [0.0] * D
    s1, s2 = [0.0] * N, [0.0] * N
    for i, (row_d, row_h) in enumerate(zip(dout.tolist(), x_hat.tolist())):
        for j in range(D):
            d, h = row_d[j], row_h[j]
            dbeta[j] += d
            dgamma[j] += d * h
            s1[i] += d * g[j]
            s2[i] += d * g[j] * h
    s1 = np.array(s1)[:, None]
    s2 = np.array(s2)[:, None]
    dx = (inv_std / D) * (D * dout * gamma - s1 - x_hat * s2)
    return dx.astype(dout.dtype), np.array(dgamma, dtype=dout.dtype), np.array(dbeta, dtype=dout.dtype)
