"""spatial_groupnorm_forward/backward loop over examples and groups (N * G blocks)."""
TARGET = "layers.py"
FAILS = ("spatial_groupnorm.timing",)
PASSES = ("spatial_groupnorm.reference", "spatial_groupnorm_forward.fixed")

# --- patch ---
def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    N, C, H, W = x.shape
    eps = float(gn_param.get("eps", 1e-5))
    cg = C // G
    x_hat = np.empty_like(x)
    inv_std = np.empty((N, G, 1), dtype=x.dtype)
    for n in range(N):
        for g in range(G):
            block = x[n, g * cg:(g + 1) * cg]
            mu = block.mean()
            inv_std[n, g] = 1.0 / np.sqrt(((block - mu) ** 2).mean() + eps)
            x_hat[n, g * cg:(g + 1) * cg] = (block - mu) * inv_std[n, g]
    return gamma * x_hat + beta, (x_hat, inv_std, gamma, G)


def spatial_groupnorm_backward(dout, cache):
    x_hat, inv_std, gamma, G = cache
    N, C, H, W = dout.shape
    cg = C // G
    M = cg * H * W
    dx_hat = dout * gamma
    dx = np.empty_like(dout)
    for n in range(N):
        for g in range(G):
            s = slice(g * cg, (g + 1) * cg)
            d, h = dx_hat[n, s], x_hat[n, s]
            dx[n, s] = inv_std[n, g] / M * (M * d - d.sum() - h * (d * h).sum())
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3), keepdims=True)
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    return dx, dgamma, dbeta
