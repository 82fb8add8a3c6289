"""spatial_batchnorm_backward reshapes dx back with dx_cols.reshape(N, C, H, W) (forgets to transpose)."""
TARGET = "layers.py"
FAILS = ("spatial_batchnorm.numgrad", "spatial_batchnorm.reference")
PASSES = ("spatial_batchnorm_forward.fixed", "spatial_batchnorm_forward.running_averages")
MISTAKE = "spatial_batchnorm_backward.reshape_no_transpose"

# --- patch ---
def spatial_batchnorm_backward(dout, cache):
    N, C, H, W = dout.shape
    dx_cols, dgamma, dbeta = batchnorm_backward_alt(dout.transpose(0, 2, 3, 1).reshape(-1, C), cache)
    return dx_cols.reshape(N, C, H, W), dgamma, dbeta
