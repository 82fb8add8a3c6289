"""dropout_forward keeps units with probability p ((rand < p) / p): p read as the keep probability."""
TARGET = "layers.py"
FAILS = ("dropout.rate", "dropout.scaling")
PASSES = ("dropout.independent", "dropout.test_identity", "dropout.backward_mask")
MISTAKE = "dropout_forward.keep_prob"

# --- patch ---
def dropout_forward(x, dropout_param):
    p, mode = float(dropout_param["p"]), dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = (np.random.rand(*x.shape) < p) / p
        out = x * mask
    else:
        out = x.copy()
    return out, (mode, mask)
