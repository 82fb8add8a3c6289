"""dropout_forward draws one mask of shape (1, D) shared by every example (seed 001)."""
TARGET = "layers.py"
FAILS = ("dropout.independent",)
PASSES = ("dropout.test_identity", "dropout.backward_mask")
MISTAKE = "dropout_forward.shared_mask"

# --- patch ---
def dropout_forward(x, dropout_param):
    p, mode = float(dropout_param["p"]), dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = (np.random.rand(1, x.shape[1]) >= p) / (1 - p)
        out = x * mask
    else:
        out = x.copy()
    return out, (mode, mask)
