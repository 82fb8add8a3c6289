"""layernorm_forward builds eps as a float64 array (np.array(eps)) and upcasts float32 inputs."""
TARGET = "layers.py"
FAILS = ("layernorm.dtype_preserved",)
PASSES = ("layernorm_forward.fixed", "layernorm.numgrad", "layernorm.reference")
MISTAKE = "layernorm_forward.float64"

# --- patch ---
def layernorm_forward(x, gamma, beta, ln_param):
    eps = np.array(ln_param.get("eps", 1e-5))
    x_mu = x - x.mean(axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt((x_mu ** 2).mean(axis=1, keepdims=True) + eps)
    x_hat = x_mu * inv_std
    out = gamma * x_hat + beta
    return out, (x_hat, inv_std, gamma)
