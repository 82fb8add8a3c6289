"""dropout_forward zeroes units but does not rescale the kept ones by 1/(1-p) (non-inverted dropout)."""
TARGET = "layers.py"
FAILS = ("dropout.scaling",)
PASSES = ("dropout.rate", "dropout.independent", "dropout.test_identity", "dropout.backward_mask")
MISTAKE = "dropout_forward.no_rescale"

# --- patch ---
def dropout_forward(x, dropout_param):
    p, mode = float(dropout_param["p"]), dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = (np.random.rand(*x.shape) >= p).astype(x.dtype)
        out = x * mask
    else:
        out = x.copy()
    return out, (mode, mask)
