"""A fully connected network of any depth, built from the layers in nnlayers."""
from __future__ import annotations

import numpy as np

from nnlayers.layer_utils import (
    affine_norm_relu_backward,
    affine_norm_relu_forward,
    affine_relu_backward,
    affine_relu_forward,
)
from nnlayers.layers import (
    affine_backward,
    affine_forward,
    dropout_backward,
    dropout_forward,
    softmax_loss,
)

NORMALIZATIONS = (None, "batchnorm", "layernorm")


class FullyConnectedNet:
    """Fully connected ReLU network with a softmax loss.

    With L = len(hidden_dims) + 1 layers the architecture is::

        {affine - [batch/layer norm] - relu - [dropout]} x (L - 1) - affine - softmax

    where the norm is present only if ``normalization`` is set and dropout
    only if ``dropout > 0``.

    Parameters
    ----------
    hidden_dims : sequence of int
        Size of each hidden layer, e.g. ``[100, 100]``.
    input_dim : int, default 3*32*32
        Size of one flattened input; inputs of shape (N, d_1, ..., d_k) are
        flattened to (N, d_1 * ... * d_k).
    num_classes : int, default 10
    dropout : float in [0, 1), default 0.0
        Probability of DROPPING a hidden unit during training (``p`` in the
        dropout layer). 0 means the network has no dropout layers.
    normalization : {None, "batchnorm", "layernorm"}, default None
    reg : float, default 0.0
        L2 regularization strength: the loss gains ``0.5 * reg * sum(W**2)``
        for every weight matrix (not the biases, gammas or betas).
    weight_scale : float, default 1e-2
        Standard deviation of the normal distribution the weights are drawn
        from (with numpy's global random state).
    dtype : numpy dtype, default np.float32
        Type of every parameter and of the computation; use np.float64 for
        numeric gradient checks.
    seed : int or None, default None
        If given, the dropout layers use this seed, which makes their masks
        repeatable: meant for gradient checks only. Leave it None for
        training, since the dropout layer then reseeds numpy's global
        generator on every forward pass (and the Solver draws its minibatches
        from that generator).

    Attributes
    ----------
    params : dict of str -> ndarray
        ``W{i}`` of shape (dims[i-1], dims[i]) and ``b{i}`` of shape (dims[i],)
        for i = 1..L, where dims = [input_dim, *hidden_dims, num_classes];
        with normalization also ``gamma{i}`` and ``beta{i}`` of shape
        (hidden_dims[i-1],) for the hidden layers i = 1..L-1.
    bn_params : list of dict
        One dict per hidden layer for the norm layers (empty without
        normalization); they hold the running statistics of batchnorm.
    dropout_param : dict
        ``{"mode", "p"}`` and ``"seed"`` if given; empty without dropout.
    """

    def __init__(self, hidden_dims, input_dim=3 * 32 * 32, num_classes=10, dropout=0.0,
                 normalization=None, reg=0.0, weight_scale=1e-2, dtype=np.float32, seed=None):
        if normalization not in NORMALIZATIONS:
            raise ValueError(
                f"unknown normalization {normalization!r}; "
                f"valid values are: {', '.join(map(repr, NORMALIZATIONS))}"
            )
        if not 0.0 <= dropout < 1.0:
            raise ValueError(
                f"dropout is the probability of dropping a unit and must be in "
                f"[0, 1); got {dropout!r}"
            )
        hidden_dims = list(hidden_dims)
        self.normalization = normalization
        self.use_dropout = dropout > 0
        self.reg = reg
        self.num_layers = 1 + len(hidden_dims)
        self.dtype = dtype
        self.params = {}

        # Create W1..WL (normal, scaled by weight_scale) and b1..bL (zeros),
        # layer i mapping the size of layer i-1 to the size of layer i. With
        # normalization, also give every hidden layer a scale gamma{i} (ones)
        # and a shift beta{i} (zeros). Don't bother with dtypes: all
        # parameters are cast below.
        #######################################################################
        # TODO: write this part of FullyConnectedNet.__init__.
        # The docstring above gives the shapes; the comment above gives a hint.
        #######################################################################
        raise NotImplementedError("FullyConnectedNet.__init__ is not implemented yet")

        # Dropout layers share one parameter dict: they need to know the mode
        # (train / test) and p; a seed makes their masks repeatable.
        self.dropout_param = {}
        if self.use_dropout:
            self.dropout_param = {"mode": "train", "p": dropout}
            if seed is not None:
                self.dropout_param["seed"] = seed

        # Each norm layer needs its own dict: batchnorm keeps running means
        # and variances in it. The mode is set on every forward pass.
        self.bn_params = []
        if self.normalization is not None:
            self.bn_params = [{"mode": "train"} for _ in range(self.num_layers - 1)]

        for name, value in self.params.items():
            self.params[name] = value.astype(dtype)

    def loss(self, X, y=None):
        """Compute class scores, or the loss and its gradients.

        Parameters
        ----------
        X : ndarray of shape (N, d_1, ..., d_k)
            Input batch; d_1 * ... * d_k must equal input_dim.
        y : ndarray of int of shape (N,), optional
            Labels in [0, num_classes).

        Returns
        -------
        scores : ndarray of shape (N, num_classes)
            If y is None (test mode: dropout off, batchnorm uses running
            statistics).
        (loss, grads) : (float, dict of str -> ndarray)
            If y is given (train mode): the softmax loss plus L2
            regularization, and the gradient of that loss for every entry of
            ``self.params``, under the same name and with the same shape.
        """
        X = X.astype(self.dtype)
        mode = "test" if y is None else "train"
        if self.use_dropout:
            self.dropout_param["mode"] = mode
        for bn_param in self.bn_params:
            bn_param["mode"] = mode

        scores = None
        # Forward pass: run the hidden layers (affine, optional norm, relu,
        # optional dropout) then the last affine layer, storing scores in
        # `scores`. Keep every cache; the backward pass will need them. The
        # sandwich functions in nnlayers.layer_utils save work.
        #######################################################################
        # TODO: write this part of FullyConnectedNet.loss.
        # The docstring above gives the shapes; the comment above gives a hint.
        #######################################################################
        raise NotImplementedError("FullyConnectedNet.loss is not implemented yet")

        if mode == "test":
            return scores

        loss, grads = 0.0, {}
        # Backward pass: softmax loss on the scores, then back through the
        # layers in reverse order, filling grads with one entry per
        # parameter. Add 0.5 * reg * sum(W**2) for each weight matrix to the
        # loss and reg * W to its gradient; biases, gammas and betas are not
        # regularized.
        #######################################################################
        # TODO: write this part of FullyConnectedNet.loss.
        # The docstring above gives the shapes; the comment above gives a hint.
        #######################################################################
        raise NotImplementedError("FullyConnectedNet.loss is not implemented yet")
        return loss, grads
