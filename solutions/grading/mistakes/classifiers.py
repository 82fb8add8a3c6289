"""Known wrong variants of the two models (instructor-only).

A variant is a subclass of the reference model; see ``layers.py`` beside this
file for how entries are written and used.
"""
import inspect

import numpy as np

from grader.mistakes import Catalog
from nnlayers import layer_utils as U
from nnlayers import layers as L
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


# ----------------------------------------------------------------------------- slips in the passes of the models

_NORM_BACKWARD = {"batchnorm": L.batchnorm_backward, "layernorm": L.layernorm_backward}


def _fc_loss(model, X, y, *slips):
    """FullyConnectedNet.loss with the named slips: "set_no_test_mode", "forward_batchnorm", "svm",
    "no_dropout_backward", "no_relu_backward", "backward_batchnorm"."""
    X = X.astype(model.dtype)
    mode = "test" if y is None else "train"
    if y is not None or "set_no_test_mode" not in slips:
        if model.use_dropout:
            model.dropout_param["mode"] = mode
        for bn_param in model.bn_params:
            bn_param["mode"] = mode
    norm = "batchnorm" if model.normalization and "forward_batchnorm" in slips else model.normalization
    caches, out, last = [], X, model.num_layers
    for i in range(1, last):
        W, b = model.params[f"W{i}"], model.params[f"b{i}"]
        if norm is None:
            out, cache = U.affine_relu_forward(out, W, b)
        else:
            out, cache = U.affine_norm_relu_forward(out, W, b, model.params[f"gamma{i}"], model.params[f"beta{i}"],
                                                    model.bn_params[i - 1], norm)
        drop = None
        if model.use_dropout:
            out, drop = L.dropout_forward(out, model.dropout_param)
        caches.append((cache, drop))
    scores, scores_cache = L.affine_forward(out, model.params[f"W{last}"], model.params[f"b{last}"])
    if y is None:
        return scores
    grads = {}
    loss, dout = (L.svm_loss if "svm" in slips else L.softmax_loss)(scores, y)
    dout, grads[f"W{last}"], grads[f"b{last}"] = L.affine_backward(dout, scores_cache)
    for i in range(last - 1, 0, -1):
        cache, drop = caches[i - 1]
        if model.use_dropout and "no_dropout_backward" not in slips:
            dout = L.dropout_backward(dout, drop)
        fc_cache, relu_cache = (cache[0], cache[-1])
        if "no_relu_backward" not in slips:
            dout = L.relu_backward(dout, relu_cache)
        if norm is not None:
            backward = L.batchnorm_backward if "backward_batchnorm" in slips else _NORM_BACKWARD[cache[1]]
            dout, grads[f"gamma{i}"], grads[f"beta{i}"] = backward(dout, cache[2])
        dout, grads[f"W{i}"], grads[f"b{i}"] = L.affine_backward(dout, fc_cache)
    for i in range(1, last + 1):
        W = model.params[f"W{i}"]
        loss += 0.5 * model.reg * np.sum(W * W)
        grads[f"W{i}"] = grads[f"W{i}"] + model.reg * W
    return loss, grads


def _fc_slip(*slips):
    class Variant(FullyConnectedNet):
        def loss(self, X, y=None):
            return _fc_loss(self, X, y, *slips)
    return Variant


entry("FullyConnectedNet.test_mode_not_set", "a network that leaves its dropout and batch norm layers in train mode when y is None",
      "Without labels, loss() runs the network in test mode: what tells each layer which mode it is in?",
      ("fc_net.scores",))(_fc_slip("set_no_test_mode"))
entry("FullyConnectedNet.layernorm_runs_batchnorm", "a network that applies batch norm whenever normalization is set",
      "Pass the network's normalization on to its layers.", ("fc_net.reference_layernorm",))(_fc_slip("forward_batchnorm"))
entry("FullyConnectedNet.svm_instead_of_softmax", "a network trained with the multiclass SVM loss instead of softmax",
      "Which loss function does the architecture end with?", ("fc_net.initial_loss", "fc_net.reference"))(_fc_slip("svm"))
entry("FullyConnectedNet.dropout_not_backpropagated", "a network whose backward pass skips dropout_backward",
      "Every layer of the forward pass has its backward step, dropout included.", ("fc_net.numgrad_dropout",)
      )(_fc_slip("no_dropout_backward"))
entry("FullyConnectedNet.hidden_relu_not_backpropagated", "a network whose backward pass skips the hidden layers' ReLU",
      "Every layer of the forward pass has its backward step, the ReLUs included.",
      ("fc_net.numgrad", "fc_net.numgrad_reg", "fc_net.numgrad_dropout"))(_fc_slip("no_relu_backward"))
entry("FullyConnectedNet.backward_always_batchnorm", "a network whose backward pass calls batchnorm_backward whatever the normalization",
      "The backward pass must undo the normalization the forward pass applied.", ("fc_net.numgrad_layernorm",)
      )(_fc_slip("backward_batchnorm"))


@entry("FullyConnectedNet.norm_on_last_layer", "a network that gives its output layer a gamma and beta too",
       "Only the hidden layers are normalized; the scores come straight out of the last affine layer.", ("fc_net.params",))
class _FcNormLast(FullyConnectedNet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.normalization is not None:
            C = self.params[f"b{self.num_layers}"].shape[0]
            self.params[f"gamma{self.num_layers}"] = np.ones(C, dtype=self.dtype)
            self.params[f"beta{self.num_layers}"] = np.zeros(C, dtype=self.dtype)
            self.bn_params.append({"mode": "train"})


@entry("ThreeLayerConvNet.no_relu_after_affine", "a network without the ReLU after its hidden affine layer",
       "conv - relu - pool - affine - relu - affine: count the ReLUs in your passes.", ("cnn.reference",))
class _CnnNoHiddenRelu(ThreeLayerConvNet):
    def loss(self, X, y=None):
        X = X.astype(self.dtype)
        p = self.params
        out1, cache1 = U.conv_relu_pool_forward(X, p["W1"], p["b1"], self.conv_param, self.pool_param)
        out2, cache2 = L.affine_forward(out1, p["W2"], p["b2"])
        scores, cache3 = L.affine_forward(out2, p["W3"], p["b3"])
        if y is None:
            return scores
        grads = {}
        loss, dscores = L.softmax_loss(scores, y)
        dout2, grads["W3"], grads["b3"] = L.affine_backward(dscores, cache3)
        dout1, grads["W2"], grads["b2"] = L.affine_backward(dout2, cache2)
        _, grads["W1"], grads["b1"] = U.conv_relu_pool_backward(dout1, cache1)
        for k in ("W1", "W2", "W3"):
            loss += 0.5 * self.reg * np.sum(p[k] * p[k])
            grads[k] = grads[k] + self.reg * p[k]
        return loss, grads


@entry("ThreeLayerConvNet.pad_zero", "a network whose convolution has no padding (pad 0), so W2 is sized for a smaller map",
       "The convolution keeps the input's height and width: which pad does that take for this filter size?",
       ("cnn.params",))
class _CnnPadZero(ThreeLayerConvNet):
    def __init__(self, *args, **kwargs):
        bound = inspect.signature(ThreeLayerConvNet.__init__).bind(self, *args, **kwargs)
        bound.apply_defaults()
        a = bound.arguments
        state = np.random.get_state()
        super().__init__(*args, **kwargs)
        np.random.set_state(state)  # draw again with the smaller map
        self.conv_param["pad"] = 0
        (C, H, W), F, k = a["input_dim"], a["num_filters"], a["filter_size"]
        shapes = {"W1": (F, C, k, k), "W2": (F * ((H - k + 1) // 2) * ((W - k + 1) // 2), a["hidden_dim"]),
                  "W3": (a["hidden_dim"], a["num_classes"])}
        for name, shape in shapes.items():
            self.params[name] = (a["weight_scale"] * np.random.randn(*shape)).astype(a["dtype"])
