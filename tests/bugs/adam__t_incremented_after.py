"""adam bias-corrects with the old t and increments it afterwards (the first step divides by 1 - beta**0 = 0)."""
TARGET = "optim.py"
FAILS = ("adam.fixed", "adam.reference", "adam.first_step")
MISTAKE = "adam.t_incremented_after"

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
    t = config["t"]
    m_hat = m / (1 - b1 ** t)
    v_hat = v / (1 - b2 ** t)
    config["m"], config["v"], config["t"] = m, v, t + 1
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), config
