"""rmsprop updates a local cache but leaves config['cache'] at its old value."""
TARGET = "optim.py"
FAILS = ("rmsprop.fixed", "rmsprop.reference")
MISTAKE = "rmsprop.cache_not_stored"

# --- patch ---
def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    d = config["decay_rate"]
    cache = d * config["cache"] + (1 - d) * dw ** 2
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config
