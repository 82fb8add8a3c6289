"""A fully connected network of any depth (alternative solution).

The forward pass keeps, per layer, a dict of the caches of its pieces; the
backward pass walks that list in reverse. No sandwich helpers are used.
"""
from __future__ import annotations

import numpy as np

from nnlayers import layers as L

NORMALIZATIONS = (None, "batchnorm", "layernorm")

_NORM_FNS = {
    "batchnorm": (L.batchnorm_forward, L.batchnorm_backward),
    "layernorm": (L.layernorm_forward, L.layernorm_backward),
}


class FullyConnectedNet:
    """{affine - [norm] - relu - [dropout]} x (L - 1) - affine - softmax."""

    def __init__(self, hidden_dims, input_dim=3 * 32 * 32, num_classes=10, dropout=0.0,
                 normalization=None, reg=0.0, weight_scale=1e-2, dtype=np.float32, seed=None):
        if normalization not in NORMALIZATIONS:
            raise ValueError(f"unknown normalization {normalization!r}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
        sizes = [input_dim, *list(hidden_dims), num_classes]
        self.normalization = normalization
        self.use_dropout = dropout > 0
        self.reg = reg
        self.num_layers = len(sizes) - 1
        self.dtype = dtype

        params = {}
        for k, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            params[f"W{k}"] = np.random.normal(0.0, weight_scale, size=(fan_in, fan_out))
            params[f"b{k}"] = np.zeros(fan_out)
            if normalization is not None and k < self.num_layers:
                params[f"gamma{k}"] = np.ones(fan_out)
                params[f"beta{k}"] = np.zeros(fan_out)
        self.params = {name: value.astype(dtype) for name, value in params.items()}

        self.dropout_param = {}
        if self.use_dropout:
            self.dropout_param = {"mode": "train", "p": dropout}
            if seed is not None:
                self.dropout_param["seed"] = seed
        self.bn_params = [{"mode": "train"} for _ in range(self.num_layers - 1)] if normalization else []

    def loss(self, X, y=None):
        X = X.astype(self.dtype)
        mode = "train" if y is not None else "test"
        if self.use_dropout:
            self.dropout_param["mode"] = mode
        for bn_param in self.bn_params:
            bn_param["mode"] = mode

        p = self.params
        h = X.reshape(X.shape[0], -1)
        tape = []  # one dict of caches per hidden layer
        for k in range(1, self.num_layers):
            entry = {}
            h, entry["affine"] = L.affine_forward(h, p[f"W{k}"], p[f"b{k}"])
            if self.normalization is not None:
                fwd, _ = _NORM_FNS[self.normalization]
                h, entry["norm"] = fwd(h, p[f"gamma{k}"], p[f"beta{k}"], self.bn_params[k - 1])
            h, entry["relu"] = L.relu_forward(h)
            if self.use_dropout:
                h, entry["drop"] = L.dropout_forward(h, self.dropout_param)
            tape.append(entry)
        last = self.num_layers
        scores, top_cache = L.affine_forward(h, p[f"W{last}"], p[f"b{last}"])

        if y is None:
            return scores

        data_loss, dscores = L.softmax_loss(scores, y)
        weights = [p[f"W{k}"] for k in range(1, last + 1)]
        reg_loss = 0.5 * self.reg * sum(float(np.sum(W * W)) for W in weights)

        grads = {}
        dh, grads[f"W{last}"], grads[f"b{last}"] = L.affine_backward(dscores, top_cache)
        for k in range(last - 1, 0, -1):
            entry = tape[k - 1]
            if "drop" in entry:
                dh = L.dropout_backward(dh, entry["drop"])
            dh = L.relu_backward(dh, entry["relu"])
            if "norm" in entry:
                _, bwd = _NORM_FNS[self.normalization]
                dh, grads[f"gamma{k}"], grads[f"beta{k}"] = bwd(dh, entry["norm"])
            dh, grads[f"W{k}"], grads[f"b{k}"] = L.affine_backward(dh, entry["affine"])
        for k in range(1, last + 1):
            grads[f"W{k}"] = grads[f"W{k}"] + self.reg * p[f"W{k}"]
        return data_loss + reg_loss, grads
