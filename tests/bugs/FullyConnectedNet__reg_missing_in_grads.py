"""FullyConnectedNet adds the L2 penalty to the loss but forgets reg * W in the weight gradients."""
TARGET = "classifiers/fc_net.py"
FAILS = ("fc_net.numgrad_reg", "fc_net.reference", "fc_net.numgrad_batchnorm")
PASSES = ("fc_net.numgrad", "fc_net.initial_loss")
MISTAKE = "FullyConnectedNet.reg_missing_in_grads"

# --- patch ---
_reference_loss = FullyConnectedNet.loss


def _loss(self, X, y=None):
    result = _reference_loss(self, X, y)
    if y is None:
        return result
    loss, grads = result
    for i in range(1, self.num_layers + 1):
        grads[f"W{i}"] = grads[f"W{i}"] - self.reg * self.params[f"W{i}"]
    return loss, grads


FullyConnectedNet.loss = _loss
