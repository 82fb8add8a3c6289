"""dropout_forward multiplies by (1 - p) at test time (mixing inverted and classic dropout)."""
TARGET = "layers.py"
FAILS = ("dropout.test_identity",)
PASSES = ("dropout.rate", "dropout.scaling", "dropout.independent", "dropout.backward_mask")
MISTAKE = "dropout_forward.test_scales"

# --- patch ---
def dropout_forward(x, dropout_param):
    p, mode = float(dropout_param["p"]), dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = (np.random.rand(*x.shape) >= p) / (1 - p)
        out = x * mask
    else:
        out = x * (1 - p)
    return out, (mode, mask)
