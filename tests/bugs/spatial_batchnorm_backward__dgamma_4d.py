"""spatial_batchnorm_backward returns dgamma and dbeta with keepdims shape (1, C, 1, 1) instead of (C,)."""
TARGET = "layers.py"
FAILS = ("spatial_batchnorm.numgrad", "spatial_batchnorm.reference")
PASSES = ("spatial_batchnorm_forward.fixed",)
MISTAKE = "spatial_batchnorm_backward.dgamma_4d"

# --- patch ---
_reference_spatial_batchnorm_backward = spatial_batchnorm_backward


def spatial_batchnorm_backward(dout, cache):
    dx, dgamma, dbeta = _reference_spatial_batchnorm_backward(dout, cache)
    return dx, dgamma.reshape(1, -1, 1, 1), dbeta.reshape(1, -1, 1, 1)
