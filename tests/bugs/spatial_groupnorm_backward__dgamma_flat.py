"""spatial_groupnorm_backward returns dgamma and dbeta of shape (C,) instead of gamma's shape (1, C, 1, 1)."""
TARGET = "layers.py"
FAILS = ("spatial_groupnorm.numgrad", "spatial_groupnorm.reference")
PASSES = ("spatial_groupnorm_forward.fixed",)
MISTAKE = "spatial_groupnorm_backward.dgamma_flat"

# --- patch ---
_reference_spatial_groupnorm_backward = spatial_groupnorm_backward


def spatial_groupnorm_backward(dout, cache):
    dx, dgamma, dbeta = _reference_spatial_groupnorm_backward(dout, cache)
    return dx, dgamma.reshape(-1), dbeta.reshape(-1)
