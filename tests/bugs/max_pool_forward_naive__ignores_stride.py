"""max_pool_forward_naive moves the window by one pixel (top = i) whatever the stride."""
TARGET = "layers.py"
FAILS = ("max_pool_forward_naive.fixed", "max_pool_naive.numgrad", "max_pool_naive.reference_stride")
PASSES = ("max_pool_naive.reference_overlap",)
MISTAKE = "max_pool_forward_naive.ignores_stride"

# --- patch ---
def max_pool_forward_naive(x, pool_param):
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    N, C, H, W = x.shape
    H_out = 1 + (H - ph) // stride
    W_out = 1 + (W - pw) // stride
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for h in range(H_out):
        for w in range(W_out):
            out[:, :, h, w] = x[:, :, h:h + ph, w:w + pw].max(axis=(2, 3))
    return out, (x, pool_param)
