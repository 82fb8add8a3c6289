"""spatial_batchnorm_forward reshapes x straight to (-1, C) without moving the channel axis last (mixes channels)."""
TARGET = "layers.py"
FAILS = ("spatial_batchnorm_forward.fixed", "spatial_batchnorm.numgrad", "spatial_batchnorm.reference",
         "spatial_batchnorm_forward.running_averages")
MISTAKE = "spatial_batchnorm_forward.reshape_no_transpose"

# --- patch ---
def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    out_cols, cache = batchnorm_forward(x.reshape(-1, C), gamma, beta, bn_param)
    return out_cols.reshape(N, C, H, W), cache
