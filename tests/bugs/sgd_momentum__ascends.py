"""sgd_momentum adds the gradient step (v = mu v + lr dw; w += v): gradient ascent."""
TARGET = "optim.py"
FAILS = ("sgd_momentum.fixed", "sgd_momentum.reference")
MISTAKE = "sgd_momentum.ascends"

# --- patch ---
def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v + config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config
