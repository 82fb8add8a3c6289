"""Update rules, written as in-place arithmetic on fresh copies.

Every rule: ``next_w, config = rule(w, dw, config)``; the caller's ``w``,
``dw`` and the state arrays found in ``config`` are never written into.
Helpers that are not rules start with an underscore.
"""
from __future__ import annotations

import numpy as np


def _defaults(config, **values):
    config = {} if config is None else config
    for key, value in values.items():
        config.setdefault(key, value)
    return config


def sgd(w, dw, config=None):
    """Vanilla stochastic gradient descent: ``w - learning_rate * dw``."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)

    next_w = w - config["learning_rate"] * dw
    return next_w, config


def sgd_momentum(w, dw, config=None):
    """v = momentum * v - learning_rate * dw; next_w = w + v."""
    config = _defaults(config, learning_rate=1e-2, momentum=0.9)
    config.setdefault("velocity", np.zeros_like(w))

    velocity = np.array(config["velocity"], copy=True)
    velocity *= config["momentum"]
    velocity -= config["learning_rate"] * dw
    moved = np.array(w, copy=True)
    moved += velocity
    config["velocity"] = velocity
    return moved, config


def rmsprop(w, dw, config=None):
    """cache = decay * cache + (1 - decay) * dw**2; step by dw / (sqrt(cache) + eps)."""
    config = _defaults(config, learning_rate=1e-2, decay_rate=0.99, epsilon=1e-8)
    config.setdefault("cache", np.zeros_like(w))

    rho = config["decay_rate"]
    sq_avg = np.array(config["cache"], copy=True)
    sq_avg *= rho
    sq_avg += (1 - rho) * np.square(dw)
    denom = np.sqrt(sq_avg)
    denom += config["epsilon"]
    moved = np.array(w, copy=True)
    moved -= config["learning_rate"] * dw / denom
    config["cache"] = sq_avg
    return moved, config


def adam(w, dw, config=None):
    """Adam with both moments bias-corrected; t counts steps and is bumped first."""
    config = _defaults(config, learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8, t=0)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))

    step = config["t"] + 1
    b1, b2 = config["beta1"], config["beta2"]

    first = np.array(config["m"], copy=True)
    first *= b1
    first += (1 - b1) * dw
    second = np.array(config["v"], copy=True)
    second *= b2
    second += (1 - b2) * (dw * dw)

    first_hat = first / (1 - b1 ** step)
    second_hat = second / (1 - b2 ** step)
    moved = np.array(w, copy=True)
    moved -= config["learning_rate"] * first_hat / (np.sqrt(second_hat) + config["epsilon"])

    config.update(m=first, v=second, t=step)
    return moved, config
