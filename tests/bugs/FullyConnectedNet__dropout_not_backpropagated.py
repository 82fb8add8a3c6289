"""FullyConnectedNet skips dropout_backward: gradients ignore the dropout mask."""
TARGET = "classifiers/fc_net.py"
FAILS = ("fc_net.numgrad_dropout",)
PASSES = ("fc_net.numgrad", "fc_net.reference", "fc_net.scores", "fc_net.initial_loss")
MISTAKE = "FullyConnectedNet.dropout_not_backpropagated"

# --- patch ---

def _loss(self, X, y=None):
    X = X.astype(self.dtype)
    mode = "test" if y is None else "train"
    if self.use_dropout:
        self.dropout_param["mode"] = mode
    for bn_param in self.bn_params:
        bn_param["mode"] = mode
    caches = []
    out = X
    for i in range(1, self.num_layers):
        W, b = self.params[f"W{i}"], self.params[f"b{i}"]
        if self.normalization is None:
            out, cache = affine_relu_forward(out, W, b)
        else:
            out, cache = affine_norm_relu_forward(out, W, b, self.params[f"gamma{i}"], self.params[f"beta{i}"],
                                                  self.bn_params[i - 1], self.normalization)
        dropout_cache = None
        if self.use_dropout:
            out, dropout_cache = dropout_forward(out, self.dropout_param)
        caches.append((cache, dropout_cache))
    L = self.num_layers
    scores, scores_cache = affine_forward(out, self.params[f"W{L}"], self.params[f"b{L}"])
    if mode == "test":
        return scores
    grads = {}
    loss, dout = softmax_loss(scores, y)
    dout, grads[f"W{L}"], grads[f"b{L}"] = affine_backward(dout, scores_cache)
    for i in range(L - 1, 0, -1):
        cache, dropout_cache = caches[i - 1]
        # (no dropout_backward here)
        if self.normalization is None:
            dout, grads[f"W{i}"], grads[f"b{i}"] = affine_relu_backward(dout, cache)
        else:
            dout, grads[f"W{i}"], grads[f"b{i}"], grads[f"gamma{i}"], grads[f"beta{i}"] = affine_norm_relu_backward(dout, cache)
    for i in range(1, L + 1):
        W = self.params[f"W{i}"]
        loss += 0.5 * self.reg * np.sum(W * W)
        grads[f"W{i}"] = grads[f"W{i}"] + self.reg * W
    return loss, grads

FullyConnectedNet.loss = _loss
