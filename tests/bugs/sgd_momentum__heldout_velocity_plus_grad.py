"""held-out: sgd_momentum keeps v = mu * v + dw and steps w - lr * v (the velocity holds gradients, not steps; not in the catalog)."""
TARGET = "optim.py"
FAILS = ('sgd_momentum.fixed', 'sgd_momentum.reference')
PASSES = ('sgd_momentum.inputs_unmodified',)

# --- patch ---
def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    v = config["momentum"] * v + dw
    next_w = w - config["learning_rate"] * v
    config["velocity"] = v
    return next_w, config
