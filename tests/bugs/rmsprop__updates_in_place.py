"""rmsprop subtracts the step from w in place (w -= ...), so the caller's weights change under it."""
TARGET = "optim.py"
FAILS = ("rmsprop.inputs_unmodified",)
PASSES = ("rmsprop.fixed",)
MISTAKE = "rmsprop.updates_in_place"

# --- patch ---
def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))
    cache = config["decay_rate"] * config["cache"] + (1 - config["decay_rate"]) * dw * dw
    w -= config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    config["cache"] = cache
    return w, config
