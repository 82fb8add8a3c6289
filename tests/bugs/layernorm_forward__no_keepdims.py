"""layernorm_forward takes the row statistics without keepdims, so they broadcast along the wrong axis."""
TARGET = "layers.py"
FAILS = ("layernorm_forward.fixed", "layernorm.numgrad", "layernorm.reference")
MISTAKE = "layernorm_forward.no_keepdims"

# --- patch ---
def layernorm_forward(x, gamma, beta, ln_param):
    eps = float(ln_param.get("eps", 1e-5))
    mean = x.mean(axis=1)
    var = x.var(axis=1)
    x_hat = (x - mean) / np.sqrt(var + eps)
    out = gamma * x_hat + beta
    return out, (x_hat, 1.0 / np.sqrt(var + eps), gamma)
