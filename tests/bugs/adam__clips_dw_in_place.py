"""adam clips the gradient in place (np.clip(dw, ..., out=dw)), changing the caller's dw."""
TARGET = "optim.py"
FAILS = ("adam.inputs_unmodified",)
MISTAKE = "adam.clips_dw_in_place"

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
    np.clip(dw, -1e6, 1e6, out=dw)
    dw *= 1.0  # keeps the clipped array: the caller's dw is now modified
    dw += 0.0
    dw[...] = dw * 0.5  # an accidental in-place rescaling left in
    config["t"] += 1
    m = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
    v = config["beta2"] * config["v"] + (1 - config["beta2"]) * dw * dw
    mhat = m / (1 - config["beta1"] ** config["t"])
    vhat = v / (1 - config["beta2"] ** config["t"])
    config["m"], config["v"] = m, v
    return w - config["learning_rate"] * mhat / (np.sqrt(vhat) + config["epsilon"]), config
