"""Known wrong variants of the two models (instructor-only).

A variant is a subclass of the reference model; see ``layers.py`` beside this
file for how entries are written and used.
"""
import numpy as np

from grader.mistakes import Catalog
from nnlayers.classifiers.cnn import ThreeLayerConvNet
from nnlayers.classifiers.fc_net import FullyConnectedNet

CATALOG = Catalog()
entry = CATALOG.entry


def _weights(model):
    return sorted(k for k in model.params if k.startswith("W"))


def _zero_weights(cls):
    class Variant(cls):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for k in _weights(self):
                self.params[k] = np.zeros_like(self.params[k])
    return Variant


def _unscaled(cls):
    class Variant(cls):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "weight_scale": 1.0})
    return Variant


def _reg(cls, *, loss_factor=0.5, grad_factor=1.0, names=None):
    """A model whose L2 term is ``loss_factor * reg * sum(W**2)`` in the loss and ``grad_factor * reg * W`` in the gradients,
    over the parameters ``names(model)`` (the weights by default)."""
    class Variant(cls):
        def loss(self, X, y=None):
            result = super().loss(X, y)
            if y is None:
                return result
            loss, grads = result
            for k in _weights(self):  # undo the reference's own term
                W = self.params[k]
                loss -= 0.5 * self.reg * np.sum(W * W)
                grads[k] = grads[k] - self.reg * W
            for k in (names or _weights)(self):
                P = self.params[k]
                loss += loss_factor * self.reg * np.sum(P * P)
                grads[k] = grads[k] + grad_factor * self.reg * P
            return loss, grads
    return Variant


# ----------------------------------------------------------------------------- FullyConnectedNet

entry("FullyConnectedNet.init_zero_weights", "a network whose weights all start at zero",
      "Draw the weights from a normal distribution scaled by weight_scale.", ("fc_net.params",))(_zero_weights(FullyConnectedNet))
entry("FullyConnectedNet.init_unscaled_weights", "a network whose weights are drawn without weight_scale",
      "What standard deviation should the weights have?", ("fc_net.params", "fc_net.initial_loss"))(_unscaled(FullyConnectedNet))
entry("FullyConnectedNet.reg_no_half", "a network whose L2 penalty is reg * sum(W**2) (without the 1/2) in the loss",
      "The gradient of your penalty must be reg * W: check the factor in front of the loss term.",
      ("fc_net.numgrad_reg", "fc_net.reference"))(_reg(FullyConnectedNet, loss_factor=1.0))
entry("FullyConnectedNet.reg_missing_in_grads", "a network that adds the L2 penalty to the loss but not to the weight gradients",
      "Every term of the loss contributes to the gradients.", ("fc_net.numgrad_reg", "fc_net.reference")
      )(_reg(FullyConnectedNet, grad_factor=0.0))
entry("FullyConnectedNet.reg_on_biases", "a network that also regularizes its biases",
      "Only the weight matrices are regularized.", ("fc_net.reference",)
      )(_reg(FullyConnectedNet, names=lambda m: sorted(k for k in m.params if k[0] in "Wb" and not k.startswith("beta"))))


@entry("FullyConnectedNet.init_random_biases", "a network whose biases are drawn like the weights",
       "Biases start at zero.", ("fc_net.params",))
class _FcRandomBiases(FullyConnectedNet):
    def __init__(self, *args, weight_scale=1e-2, **kwargs):
        state = np.random.get_state()
        super().__init__(*args, weight_scale=weight_scale, **kwargs)
        np.random.set_state(state)  # draw again, layer by layer: W1, b1, W2, b2...
        for i in range(1, self.num_layers + 1):
            for k in (f"W{i}", f"b{i}"):
                P = self.params[k]
                self.params[k] = (weight_scale * np.random.randn(*P.shape)).astype(P.dtype)


@entry("FullyConnectedNet.scores_are_probabilities", "a network that returns softmax probabilities instead of scores when y is None",
       "Without labels, loss() returns the raw class scores.", ("fc_net.scores",))
class _FcProbabilities(FullyConnectedNet):
    def loss(self, X, y=None):
        result = super().loss(X, y)
        if y is not None:
            return result
        e = np.exp(result - result.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


# ----------------------------------------------------------------------------- ThreeLayerConvNet

entry("ThreeLayerConvNet.init_zero_weights", "a network whose weights all start at zero",
      "Draw the weights from a normal distribution scaled by weight_scale.", ("cnn.params",))(_zero_weights(ThreeLayerConvNet))
entry("ThreeLayerConvNet.init_unscaled_weights", "a network whose weights are drawn without weight_scale",
      "What standard deviation should the weights have?", ("cnn.params", "cnn.initial_loss"))(_unscaled(ThreeLayerConvNet))
entry("ThreeLayerConvNet.reg_no_half", "a network whose L2 penalty is reg * sum(W**2) (without the 1/2) in the loss",
      "The gradient of your penalty must be reg * W: check the factor in front of the loss term.",
      ("cnn.numgrad", "cnn.reference"))(_reg(ThreeLayerConvNet, loss_factor=1.0))
entry("ThreeLayerConvNet.no_reg_on_W1", "a network that regularizes W2 and W3 but not the convolution weights W1",
      "Every weight matrix is regularized, the filters included.", ("cnn.reference",)
      )(_reg(ThreeLayerConvNet, names=lambda m: ["W2", "W3"]))
entry("ThreeLayerConvNet.reg_missing_in_grads", "a network that adds the L2 penalty to the loss but not to the weight gradients",
      "Every term of the loss contributes to the gradients.", ("cnn.numgrad", "cnn.reference")
      )(_reg(ThreeLayerConvNet, grad_factor=0.0))
