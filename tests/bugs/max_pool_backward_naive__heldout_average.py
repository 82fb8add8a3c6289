"""held-out: max_pool_backward_naive spreads each window's gradient evenly, as for average pooling (not in the catalog)."""
TARGET = "layers.py"
FAILS = ('max_pool_naive.numgrad', 'max_pool_backward_naive.ties', 'max_pool_naive.reference_overlap', 'max_pool_naive.reference_stride')
PASSES = ('max_pool_naive.inputs_unmodified',)

# --- patch ---
def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    dx = np.zeros_like(x)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            dx[:, :, i * s:i * s + ph, j * s:j * s + pw] += dout[:, :, i, j][:, :, None, None] / (ph * pw)
    return dx
