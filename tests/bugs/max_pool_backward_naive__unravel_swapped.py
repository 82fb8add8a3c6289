"""max_pool_backward_naive unravels the argmax with (pool_width, pool_height): right only for square windows."""
TARGET = "layers.py"
FAILS = ("max_pool_naive.reference_overlap", "max_pool_naive.reference_stride")
PASSES = ("max_pool_naive.numgrad", "max_pool_forward_naive.fixed")
MISTAKE = "max_pool_backward_naive.unravel_swapped"

# --- patch ---
def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    N, C, H, W = x.shape
    _, _, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    n_idx, c_idx = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride:i * stride + ph, j * stride:j * stride + pw].reshape(N, C, -1)
            di, dj = np.unravel_index(window.argmax(axis=2), (pw, ph))
            dx[n_idx, c_idx, i * stride + di, j * stride + dj] += dout[:, :, i, j]
    return dx
