"""sgd_momentum stores the velocity with the opposite sign (v = mu v + lr dw; w -= v): same w, wrong config['velocity']."""
TARGET = "optim.py"
FAILS = ("sgd_momentum.fixed", "sgd_momentum.reference")
MISTAKE = "sgd_momentum.velocity_sign"

# --- patch ---
def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v + config["learning_rate"] * dw
    next_w = w - v
    config["velocity"] = v
    return next_w, config
