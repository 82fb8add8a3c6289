"""layernorm_backward sums dgamma and dbeta over the features (axis 1) instead of the batch."""
TARGET = "layers.py"
FAILS = ("layernorm.numgrad", "layernorm.reference")
PASSES = ("layernorm_forward.fixed",)
MISTAKE = "layernorm_backward.dgamma_per_example"

# --- patch ---
_reference_layernorm_backward = layernorm_backward


def layernorm_backward(dout, cache):
    x_hat, inv_std, gamma = cache
    dx, _, _ = _reference_layernorm_backward(dout, cache)
    return dx, (dout * x_hat).sum(axis=1), dout.sum(axis=1)
