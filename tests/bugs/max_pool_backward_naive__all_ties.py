"""max_pool_backward_naive routes the gradient to every position equal to the window max (ties share it) (seed 002)."""
TARGET = "layers.py"
FAILS = ('max_pool_backward_naive.ties',)
MISTAKE = "max_pool_backward_naive.all_ties"

# --- patch ---
def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    N, C, H, W = x.shape
    _, _, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    for i in range(H_out):
        for j in range(W_out):
            window = x[:, :, i * stride:i * stride + ph, j * stride:j * stride + pw]
            mask = window == window.max(axis=(2, 3), keepdims=True)
            dx[:, :, i * stride:i * stride + ph, j * stride:j * stride + pw] += mask * dout[:, :, i, j][:, :, None, None]
    return dx
