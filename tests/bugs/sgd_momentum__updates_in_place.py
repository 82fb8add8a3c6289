"""sgd_momentum updates w and the velocity in place (w += v) although the docstring says inputs are never modified."""
TARGET = "optim.py"
FAILS = ('sgd_momentum.inputs_unmodified',)
PASSES = ("sgd_momentum.fixed",)
MISTAKE = "sgd_momentum.updates_in_place"

# --- patch ---
def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros_like(w))
    v = config["velocity"]
    v *= config["momentum"]
    v -= config["learning_rate"] * dw
    w += v
    return w, config
