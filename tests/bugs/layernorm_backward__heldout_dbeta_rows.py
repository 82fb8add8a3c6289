"""held-out: layernorm_backward sums dout over the features for dgamma and dbeta (per example, shape (N,)), a row-wise habit."""
TARGET = "layers.py"
FAILS = ('layernorm.numgrad', 'layernorm.reference')
PASSES = ('layernorm.dtype_preserved',)
MISTAKE = "layernorm_backward.dgamma_per_example"

# --- patch ---
_reference_ln_backward = layernorm_backward


def layernorm_backward(dout, cache):
    dx, _, _ = _reference_ln_backward(dout, cache)
    x_hat = cache[0]
    return dx, np.sum(dout * x_hat, axis=1), np.sum(dout, axis=1)
