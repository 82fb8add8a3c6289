"""sgd_momentum computes the new velocity but never writes it back into config (no momentum across steps)."""
TARGET = "optim.py"
FAILS = ("sgd_momentum.fixed", "sgd_momentum.reference")
MISTAKE = "sgd_momentum.velocity_not_stored"

# --- patch ---
def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros_like(w))
    v = config["momentum"] * config["velocity"] - config["learning_rate"] * dw
    return w + v, config
