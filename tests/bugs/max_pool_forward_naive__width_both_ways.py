"""max_pool_forward_naive sizes the window by pool_width in both directions (seed 001)."""
TARGET = "layers.py"
FAILS = ("max_pool_naive.reference_overlap", "max_pool_naive.reference_stride")
PASSES = ("max_pool_forward_naive.fixed", "max_pool_naive.numgrad", "max_pool_naive.inputs_unmodified")
MISTAKE = "max_pool_forward_naive.width_both_ways"

# --- patch ---
def max_pool_forward_naive(x, pool_param):
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    N, C, H, W = x.shape
    H_out = 1 + (H - ph) // stride
    W_out = 1 + (W - pw) // stride
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for h in range(H_out):
                for w in range(W_out):
                    out[n, c, h, w] = np.max(x[n, c, h * stride:h * stride + pw, w * stride:w * stride + pw])
    return out, (x, pool_param)
