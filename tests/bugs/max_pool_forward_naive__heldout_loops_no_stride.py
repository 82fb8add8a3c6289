"""held-out: max_pool_forward_naive, four nested loops, starts window (i, j) at (i, j) instead of (i*stride, j*stride)."""
TARGET = "layers.py"
FAILS = ('max_pool_forward_naive.fixed', 'max_pool_naive.numgrad', 'max_pool_naive.reference_stride')
PASSES = ('max_pool_naive.inputs_unmodified', 'max_pool_naive.reference_overlap')
MISTAKE = "max_pool_forward_naive.ignores_stride"

# --- patch ---
def max_pool_forward_naive(x, pool_param):
    ph, pw, st = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    Ho, Wo = 1 + (H - ph) // st, 1 + (W - pw) // st
    out = np.zeros((N, C, Ho, Wo), dtype=x.dtype)
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    out[n, c, i, j] = np.max(x[n, c, i:i + ph, j:j + pw])
    return out, (x, pool_param)
