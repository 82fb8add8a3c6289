"""max_pool_backward_naive assigns (=) the gradient instead of adding (+=): overlapping windows overwrite (seed 002)."""
TARGET = "layers.py"
FAILS = ("max_pool_naive.reference_overlap",)
PASSES = ("max_pool_naive.numgrad", "max_pool_naive.reference_stride", "max_pool_naive.inputs_unmodified")
MISTAKE = "max_pool_backward_naive.assign_not_add"

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
                    di, dj = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * stride + di, j * stride + dj] = dout[n, c, i, j]
    return dx
