"""rmsprop swaps the decay weights: cache = (1 - d) * cache + d * dw**2."""
TARGET = "optim.py"
FAILS = ("rmsprop.fixed", "rmsprop.reference")
MISTAKE = "rmsprop.decay_swapped"

# --- patch ---
def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    d = config["decay_rate"]
    cache = (1 - d) * config["cache"] + d * dw ** 2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config
