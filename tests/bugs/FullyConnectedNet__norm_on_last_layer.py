"""FullyConnectedNet gives the last layer a gamma/beta and normalizes the scores too (norm on every layer)."""
TARGET = "classifiers/fc_net.py"
FAILS = ("fc_net.params", "fc_net.reference", "fc_net.scores")
PASSES = ("fc_net.numgrad", "fc_net.numgrad_batchnorm", "fc_net.initial_loss")
MISTAKE = "FullyConnectedNet.norm_on_last_layer"

# --- patch ---
def _init(self, hidden_dims, input_dim=3 * 32 * 32, num_classes=10, dropout=0.0,
          normalization=None, reg=0.0, weight_scale=1e-2, dtype=np.float32, seed=None):
    hidden_dims = list(hidden_dims)
    self.normalization = normalization
    self.use_dropout = dropout > 0
    self.reg = reg
    self.num_layers = 1 + len(hidden_dims)
    self.dtype = dtype
    self.params = {}
    dims = [input_dim, *hidden_dims, num_classes]
    for i in range(1, self.num_layers + 1):
        self.params[f"W{i}"] = weight_scale * np.random.randn(dims[i - 1], dims[i])
        self.params[f"b{i}"] = np.zeros(dims[i])
        if normalization is not None:
            self.params[f"gamma{i}"] = np.ones(dims[i])
            self.params[f"beta{i}"] = np.zeros(dims[i])
    self.dropout_param = {}
    if self.use_dropout:
        self.dropout_param = {"mode": "train", "p": dropout}
        if seed is not None:
            self.dropout_param["seed"] = seed
    self.bn_params = []
    if self.normalization is not None:
        self.bn_params = [{"mode": "train"} for _ in range(self.num_layers - 1)]
    for name, value in self.params.items():
        self.params[name] = value.astype(dtype)
    self.bn_params = [{"mode": "train"} for _ in range(self.num_layers)] if self.normalization else []


FullyConnectedNet.__init__ = _init


def _loss(self, X, y=None):
    X = X.astype(self.dtype)
    mode = "test" if y is None else "train"
    for bn_param in self.bn_params:
        bn_param["mode"] = mode
    caches = []
    out = X
    L = self.num_layers
    for i in range(1, L + 1):
        W, b = self.params[f"W{i}"], self.params[f"b{i}"]
        if self.normalization is None:
            out, cache = affine_relu_forward(out, W, b) if i < L else affine_forward(out, W, b)
        elif i < L:
            out, cache = affine_norm_relu_forward(out, W, b, self.params[f"gamma{i}"], self.params[f"beta{i}"],
                                                  self.bn_params[i - 1], self.normalization)
        else:
            a, fc_cache = affine_forward(out, W, b)
            fwd = batchnorm_forward if self.normalization == "batchnorm" else _ln_forward
            out, norm_cache = fwd(a, self.params[f"gamma{i}"], self.params[f"beta{i}"], self.bn_params[i - 1])
            cache = (fc_cache, norm_cache)
        caches.append(cache)
    scores = out
    if mode == "test":
        return scores
    loss, dout = softmax_loss(scores, y)
    grads = {}
    for i in range(L, 0, -1):
        cache = caches[i - 1]
        if self.normalization is None:
            if i == L:
                dout, grads[f"W{i}"], grads[f"b{i}"] = affine_backward(dout, cache)
            else:
                dout, grads[f"W{i}"], grads[f"b{i}"] = affine_relu_backward(dout, cache)
        elif i < L:
            dout, grads[f"W{i}"], grads[f"b{i}"], grads[f"gamma{i}"], grads[f"beta{i}"] = affine_norm_relu_backward(dout, cache)
        else:
            fc_cache, norm_cache = cache
            bwd = batchnorm_backward if self.normalization == "batchnorm" else _ln_backward
            dout, grads[f"gamma{i}"], grads[f"beta{i}"] = bwd(dout, norm_cache)
            dout, grads[f"W{i}"], grads[f"b{i}"] = affine_backward(dout, fc_cache)
    for i in range(1, L + 1):
        W = self.params[f"W{i}"]
        loss += 0.5 * self.reg * np.sum(W * W)
        grads[f"W{i}"] = grads[f"W{i}"] + self.reg * W
    return loss, grads


from nnlayers.layers import batchnorm_backward, batchnorm_forward, layernorm_backward, layernorm_forward  # noqa: E402

_ln_forward, _ln_backward = layernorm_forward, layernorm_backward
FullyConnectedNet.loss = _loss
