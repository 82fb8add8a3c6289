"""spatial_groupnorm_forward normalizes over all channels of an example (layer norm), ignoring G."""
TARGET = "layers.py"
FAILS = ("spatial_groupnorm_forward.fixed", "spatial_groupnorm.numgrad", "spatial_groupnorm.reference")
MISTAKE = "spatial_groupnorm_forward.ignores_groups"

# --- patch ---
def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    N, C, H, W = x.shape
    eps = gn_param.get("eps", 1e-5)
    xg = x.reshape(N, 1, -1)
    x_mu = xg - xg.mean(axis=2, keepdims=True)
    inv_std = 1.0 / np.sqrt((x_mu ** 2).mean(axis=2, keepdims=True) + eps)
    x_hat = (x_mu * inv_std).reshape(N, C, H, W)
    return gamma * x_hat + beta, (x_hat, np.repeat(inv_std, G, axis=1), gamma, G)
