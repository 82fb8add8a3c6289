"""First-order update rules for training neural networks.

Every rule has the same interface::

    next_w, config = rule(w, dw, config)

Parameters
----------
w : ndarray
    Current weights. Never modified in place.
dw : ndarray of the same shape as ``w``
    Gradient of the loss with respect to ``w``. Never modified in place.
config : dict or None
    Hyperparameters (learning rate, decay rates, ...) and the rule's state
    between steps (velocity, moving averages, step count). Missing entries
    get their defaults through ``config.setdefault``. The same dict is
    returned, with its state entries replaced by the new values, so it can be
    passed back in on the next step.

Returns
-------
next_w : ndarray of the same shape and dtype as ``w``
config : dict

This module is the lookup table of rules: ``Solver(update_rule="adam")``
finds ``adam`` here by name. A new rule is a new public function in this
file; helpers that are not rules must start with an underscore.
"""
from __future__ import annotations

import numpy as np


def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent: ``w - learning_rate * dw``.

    config keys
    -----------
    learning_rate : float, default 1e-2
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)

    next_w = w - config["learning_rate"] * dw
    return next_w, config


def sgd_momentum(w, dw, config=None):
    """Stochastic gradient descent with momentum.

    The velocity is a running, decaying sum of past steps::

        v = momentum * v - learning_rate * dw
        next_w = w + v

    config keys
    -----------
    learning_rate : float, default 1e-2
    momentum : float in [0, 1), default 0.9
        Setting momentum = 0 reduces to plain sgd.
    velocity : ndarray of the same shape as w, default zeros
        State carried between steps.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("velocity", np.zeros_like(w))

    next_w = None
    # Update the velocity from the gradient, then move w along it. Build new
    # arrays rather than updating w, dw or v in place; store the new velocity
    # in config["velocity"].
    ###########################################################################
    # TODO: write this part of sgd_momentum.
    # The docstring above gives the shapes; the comment above gives a hint.
    ###########################################################################
    raise NotImplementedError("sgd_momentum is not implemented yet")
    return next_w, config


def rmsprop(w, dw, config=None):
    """RMSProp: scale each step by a moving average of squared gradients.

    ::

        cache = decay_rate * cache + (1 - decay_rate) * dw**2
        next_w = w - learning_rate * dw / (sqrt(cache) + epsilon)

    config keys
    -----------
    learning_rate : float, default 1e-2
    decay_rate : float in [0, 1), default 0.99
        How much of the old squared-gradient average survives each step.
    epsilon : float, default 1e-8
        Keeps the division finite where the cache is zero.
    cache : ndarray of the same shape as w, default zeros
        Moving average of dw**2; state carried between steps.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("cache", np.zeros_like(w))

    next_w = None
    # Refresh the moving average of squared gradients, then take a step whose
    # size is divided, element by element, by its square root. Store the new
    # average in config["cache"] without changing the old array in place.
    ###########################################################################
    # TODO: write this part of rmsprop.
    # The docstring above gives the shapes; the comment above gives a hint.
    ###########################################################################
    raise NotImplementedError("rmsprop is not implemented yet")
    return next_w, config


def adam(w, dw, config=None):
    """Adam: momentum on the gradient plus RMSProp-style scaling, bias-corrected.

    One step, with ``t`` counting steps taken so far::

        t = t + 1
        m = beta1 * m + (1 - beta1) * dw
        v = beta2 * v + (1 - beta2) * dw**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        next_w = w - learning_rate * m_hat / (sqrt(v_hat) + epsilon)

    config keys
    -----------
    learning_rate : float, default 1e-3
    beta1 : float in [0, 1), default 0.9
        Decay rate of the first moment (mean of gradients).
    beta2 : float in [0, 1), default 0.999
        Decay rate of the second moment (mean of squared gradients).
    epsilon : float, default 1e-8
    m : ndarray of the same shape as w, default zeros
        First-moment estimate; state carried between steps.
    v : ndarray of the same shape as w, default zeros
        Second-moment estimate; state carried between steps.
    t : int, default 0
        Number of steps already taken. It is incremented *before* it is used,
        so the first step uses t = 1 and the bias corrections never divide
        by zero.
    """
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)

    next_w = None
    # Count this step first, update both moment estimates, correct BOTH for
    # their start at zero, then step. Write m, v and t back into config as
    # new values (no in-place updates of the arrays you were given).
    ###########################################################################
    # TODO: write this part of adam.
    # The docstring above gives the shapes; the comment above gives a hint.
    ###########################################################################
    raise NotImplementedError("adam is not implemented yet")
    return next_w, config
