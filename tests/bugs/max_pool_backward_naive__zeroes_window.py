"""max_pool_backward_naive builds its mask by zeroing the non-max entries of a view of x (window[window < max] = 0)."""
TARGET = "layers.py"
FAILS = ("max_pool_naive.inputs_unmodified",)
PASSES = ("max_pool_naive.numgrad", "max_pool_naive.reference_stride", "max_pool_forward_naive.fixed")
MISTAKE = "max_pool_backward_naive.zeroes_window"

# --- patch ---
def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    N, C, H, W = x.shape
    _, _, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(H_out):
                for j in range(W_out):
                    window = x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw]
                    window[window < window.max()] = 0
                    mask = window != 0
                    dx[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw] += mask * dout[n, c, i, j]
    return dx
