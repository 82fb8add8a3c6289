"""max_pool_forward_naive computes the output size with / (Python 2 habit), giving float sizes (seed 001)."""
TARGET = "layers.py"
FAILS = ("max_pool_forward_naive.fixed", "max_pool_naive.numgrad", "max_pool_naive.reference_overlap",
         "max_pool_naive.reference_stride", "max_pool_naive.inputs_unmodified")
MISTAKE = "max_pool_forward_naive.py2_division"

# --- patch ---
def max_pool_forward_naive(x, pool_param):
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    N, C, H, W = x.shape
    H_out = (H - ph) / stride + 1
    W_out = (W - pw) / stride + 1
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for h in range(H_out):
        for w in range(W_out):
            out[:, :, h, w] = x[:, :, h * stride:h * stride + ph, w * stride:w * stride + pw].max(axis=(2, 3))
    return out, (x, pool_param)
