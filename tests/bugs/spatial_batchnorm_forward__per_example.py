"""spatial_batchnorm_forward normalizes each example's channel over H, W only (instance norm), not over the batch."""
TARGET = "layers.py"
FAILS = ("spatial_batchnorm_forward.fixed", "spatial_batchnorm.numgrad", "spatial_batchnorm.reference")
MISTAKE = "spatial_batchnorm_forward.per_example"

# --- patch ---
_reference_spatial_batchnorm_forward = spatial_batchnorm_forward


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    _, cache = _reference_spatial_batchnorm_forward(x, gamma, beta, bn_param)
    eps = bn_param.get("eps", 1e-5)
    mean = x.mean(axis=(2, 3), keepdims=True)
    var = x.var(axis=(2, 3), keepdims=True)
    out = gamma[None, :, None, None] * (x - mean) / np.sqrt(var + eps) + beta[None, :, None, None]
    return out, cache
