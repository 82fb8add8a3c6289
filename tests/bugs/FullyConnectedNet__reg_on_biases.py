"""FullyConnectedNet regularizes the biases too (in the loss and, consistently, in their gradients)."""
TARGET = "classifiers/fc_net.py"
FAILS = ("fc_net.reference",)
PASSES = ("fc_net.numgrad_reg", "fc_net.numgrad", "fc_net.initial_loss")
MISTAKE = "FullyConnectedNet.reg_on_biases"

# --- patch ---
_reference_loss = FullyConnectedNet.loss


def _loss(self, X, y=None):
    result = _reference_loss(self, X, y)
    if y is None:
        return result
    loss, grads = result
    for i in range(1, self.num_layers + 1):
        b = self.params[f"b{i}"]
        loss += 0.5 * self.reg * np.sum(b * b)
        grads[f"b{i}"] = grads[f"b{i}"] + self.reg * b
    return loss, grads


FullyConnectedNet.loss = _loss
