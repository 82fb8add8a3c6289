"""layernorm_forward normalizes each feature over the batch (axis 0), i.e. batch norm, instead of each example."""
TARGET = "layers.py"
FAILS = ("layernorm_forward.fixed", "layernorm.numgrad", "layernorm.reference")
PASSES = ("layernorm.dtype_preserved",)
MISTAKE = "layernorm_forward.batch_axis"

# --- patch ---
def layernorm_forward(x, gamma, beta, ln_param):
    eps = float(ln_param.get("eps", 1e-5))
    x_mu = x - x.mean(axis=0, keepdims=True)
    inv_std = 1.0 / np.sqrt((x_mu ** 2).mean(axis=0, keepdims=True) + eps)
    x_hat = x_mu * inv_std
    out = gamma * x_hat + beta
    return out, (x_hat, inv_std, gamma)
