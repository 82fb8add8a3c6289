"""held-out: FullyConnectedNet regularizes every entry of self.params in one loop (biases, gammas and betas too)."""
TARGET = "classifiers/fc_net.py"
FAILS = ('fc_net.reference', 'fc_net.reference_layernorm')
PASSES = ('fc_net.params', 'fc_net.initial_loss', 'fc_net.numgrad', 'fc_net.numgrad_reg', 'fc_net.numgrad_batchnorm', 'fc_net.numgrad_layernorm', 'fc_net.numgrad_dropout', 'fc_net.scores')

# --- patch ---
_reference_loss = FullyConnectedNet.loss


def _loss(self, X, y=None):
    result = _reference_loss(self, X, y)
    if y is None:
        return result
    loss, grads = result
    for name, P in self.params.items():
        if not name.startswith("W"):
            loss += 0.5 * self.reg * np.sum(P ** 2)
            grads[name] = grads[name] + self.reg * P
    return loss, grads


FullyConnectedNet.loss = _loss
