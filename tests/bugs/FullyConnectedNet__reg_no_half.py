"""FullyConnectedNet adds reg * sum(W**2) to the loss (no 0.5) but reg * W to the gradients."""
TARGET = "classifiers/fc_net.py"
FAILS = ("fc_net.numgrad_reg", "fc_net.reference", "fc_net.numgrad_batchnorm")
PASSES = ("fc_net.numgrad", "fc_net.initial_loss", "fc_net.numgrad_layernorm")
MISTAKE = "FullyConnectedNet.reg_no_half"

# --- patch ---
_reference_loss = FullyConnectedNet.loss


def _loss(self, X, y=None):
    result = _reference_loss(self, X, y)
    if y is None:
        return result
    loss, grads = result
    for i in range(1, self.num_layers + 1):
        W = self.params[f"W{i}"]
        loss += 0.5 * self.reg * np.sum(W * W)
    return loss, grads


FullyConnectedNet.loss = _loss
