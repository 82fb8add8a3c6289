"""held-out: dropout_forward draws the mask with np.random.binomial(1, p), reading p as the keep probability."""
TARGET = "layers.py"
FAILS = ('dropout.rate', 'dropout.scaling')
PASSES = ('dropout.independent', 'dropout.test_identity')

# --- patch ---
def dropout_forward(x, dropout_param):
    p, mode = dropout_param["p"], dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    if mode == "train":
        mask = np.random.binomial(1, p, size=x.shape) / p
        out = (x * mask).astype(x.dtype)
    elif mode == "test":
        mask = None
        out = x.copy()
    else:
        raise ValueError(f"invalid mode {mode!r}")
    return out, (mode, mask)
