"""adam steps with the raw moments m and v (no bias correction)."""
TARGET = "optim.py"
FAILS = ("adam.fixed", "adam.reference", "adam.first_step")
MISTAKE = "adam.no_bias_correction"

# --- patch ---
def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)
    b1, b2, lr, eps = config["beta1"], config["beta2"], config["learning_rate"], config["epsilon"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw ** 2
    config["m"], config["v"], config["t"] = m, v, config["t"] + 1
    return w - lr * m / (np.sqrt(v) + eps), config
