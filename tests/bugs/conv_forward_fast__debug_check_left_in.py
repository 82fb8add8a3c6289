"""fast_layers.py edited to re-check every fast call against the naive layers (a debugging assert left in): no speedup."""
TARGET = "fast_layers.py"
FAILS = ("conv.fast_vs_naive",)

# --- patch ---
from .layers import conv_backward_naive as _naive_backward, conv_forward_naive as _naive_forward

_fast_forward, _fast_backward = conv_forward_fast, conv_backward_fast


def conv_forward_fast(x, w, b, conv_param):
    out, cache = _fast_forward(x, w, b, conv_param)
    expected, naive_cache = _naive_forward(x, w, b, conv_param)
    assert np.allclose(out, expected), "fast and naive convolutions disagree"
    return out, (cache, naive_cache)


def conv_backward_fast(dout, cache):
    cache, naive_cache = cache
    grads = _fast_backward(dout, cache)
    expected = _naive_backward(dout, naive_cache)
    assert all(np.allclose(g, e) for g, e in zip(grads, expected)), "fast and naive gradients disagree"
    return grads
