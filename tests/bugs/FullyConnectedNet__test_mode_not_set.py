"""FullyConnectedNet never switches its batchnorm/dropout layers to test mode when y is None."""
TARGET = "classifiers/fc_net.py"
FAILS = ("fc_net.scores",)
PASSES = ("fc_net.reference", "fc_net.numgrad_dropout", "fc_net.overfit")
MISTAKE = "FullyConnectedNet.test_mode_not_set"

# --- patch ---
_reference_loss = FullyConnectedNet.loss


def _loss(self, X, y=None):
    if y is not None:
        return _reference_loss(self, X, y)
    X = X.astype(self.dtype)
    out = X
    for i in range(1, self.num_layers):
        W, b = self.params[f"W{i}"], self.params[f"b{i}"]
        if self.normalization is None:
            out, _ = affine_relu_forward(out, W, b)
        else:
            out, _ = affine_norm_relu_forward(out, W, b, self.params[f"gamma{i}"], self.params[f"beta{i}"],
                                              self.bn_params[i - 1], self.normalization)
        if self.use_dropout:
            out, _ = dropout_forward(out, self.dropout_param)
    L = self.num_layers
    scores, _ = affine_forward(out, self.params[f"W{L}"], self.params[f"b{L}"])
    return scores


FullyConnectedNet.loss = _loss
