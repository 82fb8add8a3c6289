"""A three-layer convolutional network, built from the fast layers."""
from __future__ import annotations

import numpy as np

from nnlayers.layer_utils import (
    affine_relu_backward,
    affine_relu_forward,
    conv_relu_pool_backward,
    conv_relu_pool_forward,
)
from nnlayers.layers import affine_backward, affine_forward, softmax_loss


class ThreeLayerConvNet:
    """Convolutional network with a softmax loss::

        conv - relu - 2x2 max pool - affine - relu - affine - softmax

    The convolution has stride 1 and zero padding ``(filter_size - 1) // 2``,
    so for an odd ``filter_size`` it keeps the height and width of its input;
    the pool (2x2, stride 2) then halves them.

    Parameters
    ----------
    input_dim : tuple (C, H, W), default (3, 32, 32)
        Shape of one input image.
    num_filters : int, default 32
        Number of convolution filters F.
    filter_size : int, default 7
        Height and width of each filter (odd sizes keep H and W).
    hidden_dim : int, default 100
        Units in the hidden affine layer.
    num_classes : int, default 10
    weight_scale : float, default 1e-3
        Standard deviation of the normal distribution the weights are drawn
        from (with numpy's global random state).
    reg : float, default 0.0
        L2 regularization strength: the loss gains ``0.5 * reg * sum(W**2)``
        for W1, W2 and W3 (not the biases).
    dtype : numpy dtype, default np.float32
        Type of every parameter and of the computation; use np.float64 for
        numeric gradient checks.

    Attributes
    ----------
    params : dict of str -> ndarray
        ``W1`` (F, C, filter_size, filter_size), ``b1`` (F,),
        ``W2`` (F * H_pool * W_pool, hidden_dim), ``b2`` (hidden_dim,),
        ``W3`` (hidden_dim, num_classes), ``b3`` (num_classes,), where
        H_pool, W_pool are the height and width after pooling (H // 2 and
        W // 2 for an odd filter size).
    conv_param : dict
        ``{"stride": 1, "pad": (filter_size - 1) // 2}``
    pool_param : dict
        ``{"pool_height": 2, "pool_width": 2, "stride": 2}``
    """

    def __init__(self, input_dim=(3, 32, 32), num_filters=32, filter_size=7, hidden_dim=100,
                 num_classes=10, weight_scale=1e-3, reg=0.0, dtype=np.float32):
        self.params = {}
        self.reg = reg
        self.dtype = dtype
        self.conv_param = {"stride": 1, "pad": (filter_size - 1) // 2}
        self.pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}

        C, H, W = input_dim
        pad, stride = self.conv_param["pad"], self.conv_param["stride"]
        H_conv = 1 + (H + 2 * pad - filter_size) // stride
        W_conv = 1 + (W + 2 * pad - filter_size) // stride
        H_pool = 1 + (H_conv - self.pool_param["pool_height"]) // self.pool_param["stride"]
        W_pool = 1 + (W_conv - self.pool_param["pool_width"]) // self.pool_param["stride"]

        # Create the weights W1, W2, W3 (normal, scaled by weight_scale) and
        # the biases b1, b2, b3 (zeros) with the shapes listed in the class
        # docstring; H_pool and W_pool above give the size of the pooled
        # feature maps that the hidden affine layer sees.
        ### BEGIN SOLUTION
        self.params["W1"] = weight_scale * np.random.randn(num_filters, C, filter_size, filter_size)
        self.params["b1"] = np.zeros(num_filters)
        self.params["W2"] = weight_scale * np.random.randn(num_filters * H_pool * W_pool, hidden_dim)
        self.params["b2"] = np.zeros(hidden_dim)
        self.params["W3"] = weight_scale * np.random.randn(hidden_dim, num_classes)
        self.params["b3"] = np.zeros(num_classes)
        ### END SOLUTION

        for name, value in self.params.items():
            self.params[name] = value.astype(dtype)

    def loss(self, X, y=None):
        """Compute class scores, or the loss and its gradients.

        Parameters
        ----------
        X : ndarray of shape (N, C, H, W)
        y : ndarray of int of shape (N,), optional
            Labels in [0, num_classes).

        Returns
        -------
        scores : ndarray of shape (N, num_classes)
            If y is None.
        (loss, grads) : (float, dict of str -> ndarray)
            If y is given: the softmax loss plus L2 regularization, and its
            gradient for every entry of ``self.params`` (same names, same
            shapes).
        """
        X = X.astype(self.dtype)
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        W3, b3 = self.params["W3"], self.params["b3"]

        scores = None
        # Forward pass through conv-relu-pool, affine-relu and affine,
        # storing the class scores in `scores`. The sandwich layers in
        # nnlayers.layer_utils (which use the fast convolution) do most of
        # the work; keep their caches for the backward pass.
        ### BEGIN SOLUTION
        out1, cache1 = conv_relu_pool_forward(X, W1, b1, self.conv_param, self.pool_param)
        out2, cache2 = affine_relu_forward(out1, W2, b2)
        scores, cache3 = affine_forward(out2, W3, b3)
        ### END SOLUTION

        if y is None:
            return scores

        loss, grads = 0.0, {}
        # Backward pass: softmax loss, then the three blocks in reverse,
        # filling grads["W1"] ... grads["b3"]. Add 0.5 * reg * sum(W**2) per
        # weight to the loss and reg * W to its gradient (not the biases).
        ### BEGIN SOLUTION
        loss, dscores = softmax_loss(scores, y)
        dout2, grads["W3"], grads["b3"] = affine_backward(dscores, cache3)
        dout1, grads["W2"], grads["b2"] = affine_relu_backward(dout2, cache2)
        _, grads["W1"], grads["b1"] = conv_relu_pool_backward(dout1, cache1)

        for name in ("W1", "W2", "W3"):
            W = self.params[name]
            loss += 0.5 * self.reg * np.sum(W * W)
            grads[name] = grads[name] + self.reg * W
        ### END SOLUTION
        return loss, grads
