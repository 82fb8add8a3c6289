"""rmsprop divides by the cache itself instead of its square root."""
TARGET = "optim.py"
FAILS = ("rmsprop.fixed", "rmsprop.reference")
MISTAKE = "rmsprop.no_sqrt"

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
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (cache + config["epsilon"]), config
