"""spatial_groupnorm_forward groups channels non-consecutively (reshape (N, C//G, G, ...): channel c goes to group c % G)."""
TARGET = "layers.py"
FAILS = ("spatial_groupnorm_forward.fixed", "spatial_groupnorm.numgrad", "spatial_groupnorm.reference")
MISTAKE = "spatial_groupnorm_forward.interleaved_groups"

# --- patch ---
_reference_spatial_groupnorm_forward = spatial_groupnorm_forward


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    _, cache = _reference_spatial_groupnorm_forward(x, gamma, beta, G, gn_param)
    N, C, H, W = x.shape
    eps = gn_param.get("eps", 1e-5)
    xg = x.reshape(N, C // G, G, H, W)
    mean = xg.mean(axis=(1, 3, 4), keepdims=True)
    var = xg.var(axis=(1, 3, 4), keepdims=True)
    x_hat = ((xg - mean) / np.sqrt(var + eps)).reshape(N, C, H, W)
    return gamma * x_hat + beta, cache
