"""adam bias-corrects the first moment but not the second."""
TARGET = "optim.py"
FAILS = ("adam.fixed", "adam.reference", "adam.first_step")
MISTAKE = "adam.corrects_m_only"

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
    t = config["t"] + 1
    m_hat = m / (1 - b1 ** t)
    config["m"], config["v"], config["t"] = m, v, t
    return w - lr * m_hat / (np.sqrt(v) + eps), config
