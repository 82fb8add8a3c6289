"""FullyConnectedNet's backward pass calls batchnorm_backward whatever the normalization (breaks layernorm)."""
TARGET = "classifiers/fc_net.py"
FAILS = ("fc_net.numgrad_layernorm",)
PASSES = ("fc_net.numgrad_batchnorm", "fc_net.reference", "fc_net.scores", "fc_net.numgrad")
MISTAKE = "FullyConnectedNet.backward_always_batchnorm"

# --- patch ---
from nnlayers.layers import batchnorm_backward as _batchnorm_backward, relu_backward as _relu_backward


def _norm_relu_backward(dout, cache):
    fc_cache, normalization, norm_cache, relu_cache = cache
    da, dgamma, dbeta = _batchnorm_backward(_relu_backward(dout, relu_cache), norm_cache)
    dx, dw, db = affine_backward(da, fc_cache)
    return dx, dw, db, dgamma, dbeta

affine_norm_relu_backward = _norm_relu_backward
