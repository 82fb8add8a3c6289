"""A three-layer convolutional network (alternative solution).

Composes the fast convolution / pooling and the plain layers directly rather
than going through the sandwich helpers.
"""
from __future__ import annotations

import numpy as np

from nnlayers.fast_layers import (
    conv_backward_fast,
    conv_forward_fast,
    max_pool_backward_fast,
    max_pool_forward_fast,
)
from nnlayers.layers import affine_backward, affine_forward, relu_backward, relu_forward, softmax_loss


class ThreeLayerConvNet:
    """conv - relu - 2x2 max pool - affine - relu - affine - softmax."""

    def __init__(self, input_dim=(3, 32, 32), num_filters=32, filter_size=7, hidden_dim=100,
                 num_classes=10, weight_scale=1e-3, reg=0.0, dtype=np.float32):
        self.reg = reg
        self.dtype = dtype
        self.conv_param = {"stride": 1, "pad": (filter_size - 1) // 2}
        self.pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}

        C, H, W = input_dim
        pad = self.conv_param["pad"]
        conv_h = H + 2 * pad - filter_size + 1
        conv_w = W + 2 * pad - filter_size + 1
        pooled = num_filters * ((conv_h - 2) // 2 + 1) * ((conv_w - 2) // 2 + 1)

        shapes = {
            "W1": (num_filters, C, filter_size, filter_size),
            "W2": (pooled, hidden_dim),
            "W3": (hidden_dim, num_classes),
        }
        self.params = {}
        for idx, (name, shape) in enumerate(shapes.items(), start=1):
            self.params[name] = (weight_scale * np.random.randn(*shape)).astype(dtype)
            self.params[f"b{idx}"] = np.zeros(shape[-1] if name != "W1" else shape[0], dtype=dtype)

    def loss(self, X, y=None):
        X = X.astype(self.dtype)
        P = self.params

        a1, c_conv = conv_forward_fast(X, P["W1"], P["b1"], self.conv_param)
        r1, c_relu1 = relu_forward(a1)
        p1, c_pool = max_pool_forward_fast(r1, self.pool_param)
        a2, c_aff2 = affine_forward(p1, P["W2"], P["b2"])
        r2, c_relu2 = relu_forward(a2)
        scores, c_aff3 = affine_forward(r2, P["W3"], P["b3"])

        if y is None:
            return scores

        loss, d = softmax_loss(scores, y)
        grads = {}
        d, grads["W3"], grads["b3"] = affine_backward(d, c_aff3)
        d = relu_backward(d, c_relu2)
        d, grads["W2"], grads["b2"] = affine_backward(d, c_aff2)
        d = max_pool_backward_fast(d, c_pool)
        d = relu_backward(d, c_relu1)
        _, grads["W1"], grads["b1"] = conv_backward_fast(d, c_conv)

        for name in ("W1", "W2", "W3"):
            W = P[name]
            loss += 0.5 * self.reg * float(np.sum(W ** 2))
            grads[name] = grads[name] + self.reg * W
        return loss, grads
