"""Known wrong variants of the update rules (instructor-only).

See ``layers.py`` beside this file for how entries are written and used.
"""
import numpy as np

from grader.mistakes import Catalog
from nnlayers import optim as O

CATALOG = Catalog()
entry = CATALOG.entry

sgd_momentum, rmsprop, adam = O.sgd_momentum, O.rmsprop, O.adam


def _defaults(w, config, **defaults):
    config = {} if config is None else config
    for k, v in defaults.items():
        config.setdefault(k, v)
    return config


# ----------------------------------------------------------------------------- sgd with momentum

def _momentum(w, dw, config, *, sign=-1.0, store=True):
    c = _defaults(w, config, learning_rate=1e-2, momentum=0.9, velocity=np.zeros_like(w))
    v = c["momentum"] * c["velocity"] + sign * c["learning_rate"] * dw
    if store:
        c["velocity"] = v
    return w + v, c


CATALOG.entry("sgd_momentum.ascends", "momentum that adds the gradient step (gradient ascent)",
              "Which way does a step along the gradient move the loss?", ("sgd_momentum.fixed", "sgd_momentum.reference")
              )(lambda w, dw, config=None: _momentum(w, dw, config, sign=1.0))
CATALOG.entry("sgd_momentum.velocity_not_stored", "momentum whose new velocity is never written back into config",
              "config carries the state from one step to the next.", ("sgd_momentum.fixed", "sgd_momentum.reference")
              )(lambda w, dw, config=None: _momentum(w, dw, config, store=False))


@entry("sgd_momentum.velocity_sign", "momentum with the velocity's sign flipped (v = mu * v + lr * dw, then w - v)",
       "Compare what you store in config['velocity'] with the v of the docstring's formula.",
       ("sgd_momentum.fixed", "sgd_momentum.reference"))
def _momentum_sign(w, dw, config=None):
    c = _defaults(w, config, learning_rate=1e-2, momentum=0.9, velocity=np.zeros_like(w))
    v = c["momentum"] * c["velocity"] + c["learning_rate"] * dw
    c["velocity"] = v
    return w - v, c


@entry("sgd_momentum.updates_in_place", "momentum that updates the caller's w in place (w += v)",
       "Return a new array: next_w = w + v, not w += v.", ("sgd_momentum.inputs_unmodified",))
def _momentum_in_place(w, dw, config=None):
    next_w, config = sgd_momentum(w, dw, config)
    w[...] = next_w
    return w, config


# ----------------------------------------------------------------------------- rmsprop

def _rmsprop(w, dw, config, *, swapped=False, sqrt=True, store=True):
    c = _defaults(w, config, learning_rate=1e-2, decay_rate=0.99, epsilon=1e-8, cache=np.zeros_like(w))
    d = 1 - c["decay_rate"] if swapped else c["decay_rate"]
    cache = d * c["cache"] + (1 - d) * dw ** 2
    next_w = w - c["learning_rate"] * dw / ((np.sqrt(cache) if sqrt else cache) + c["epsilon"])
    if store:
        c["cache"] = cache
    return next_w, c


CATALOG.entry("rmsprop.cache_not_stored", "RMSProp whose new cache is never written back into config",
              "config carries the state from one step to the next.", ("rmsprop.fixed", "rmsprop.reference")
              )(lambda w, dw, config=None: _rmsprop(w, dw, config, store=False))
CATALOG.entry("rmsprop.decay_swapped", "RMSProp with the decay weights swapped ((1 - d) * cache + d * dw**2)",
              "decay_rate is the share of the OLD cache that survives.", ("rmsprop.fixed", "rmsprop.reference")
              )(lambda w, dw, config=None: _rmsprop(w, dw, config, swapped=True))
CATALOG.entry("rmsprop.no_sqrt", "RMSProp that divides by the cache instead of its square root",
              "The cache averages squared gradients: what brings it back to the gradient's scale?",
              ("rmsprop.fixed", "rmsprop.reference"))(lambda w, dw, config=None: _rmsprop(w, dw, config, sqrt=False))


@entry("rmsprop.updates_in_place", "RMSProp that subtracts the step from the caller's w in place (w -= ...)",
       "Return a new array instead of writing into w.", ("rmsprop.inputs_unmodified",))
def _rmsprop_in_place(w, dw, config=None):
    next_w, config = rmsprop(w, dw, config)
    w[...] = next_w
    return w, config


# ----------------------------------------------------------------------------- adam

def _adam(w, dw, config, *, correct_m=True, correct_v=True, t_first=True, store_t=True):
    c = _defaults(w, config, learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8,
                  m=np.zeros_like(w), v=np.zeros_like(w), t=0)
    b1, b2 = c["beta1"], c["beta2"]
    t = c["t"] + 1
    tc = t if t_first else c["t"]
    m = b1 * c["m"] + (1 - b1) * dw
    v = b2 * c["v"] + (1 - b2) * dw ** 2
    m_hat = m / (1 - b1 ** tc) if correct_m else m
    v_hat = v / (1 - b2 ** tc) if correct_v else v
    next_w = w - c["learning_rate"] * m_hat / (np.sqrt(v_hat) + c["epsilon"])
    c["m"], c["v"] = m, v
    if store_t:
        c["t"] = t
    return next_w, c


CATALOG.entry("adam.no_bias_correction", "Adam without bias correction (stepping with the raw m and v)",
              "m and v start at zero: what corrects them in the first steps?", ("adam.fixed", "adam.reference", "adam.first_step")
              )(lambda w, dw, config=None: _adam(w, dw, config, correct_m=False, correct_v=False))
CATALOG.entry("adam.corrects_m_only", "Adam that bias-corrects the first moment but not the second",
              "Both moment estimates start at zero.", ("adam.fixed", "adam.reference", "adam.first_step")
              )(lambda w, dw, config=None: _adam(w, dw, config, correct_v=False))
CATALOG.entry("adam.t_incremented_after", "Adam that bias-corrects with the old t and increments it afterwards",
              "Read the docstring on when t is incremented; what is 1 - beta**0?", ("adam.fixed", "adam.reference")
              )(lambda w, dw, config=None: _adam(w, dw, config, t_first=False))
CATALOG.entry("adam.t_not_stored", "Adam that uses t + 1 but never stores the new t in config",
              "config carries the state from one step to the next, t included.", ("adam.fixed", "adam.reference")
              )(lambda w, dw, config=None: _adam(w, dw, config, store_t=False))


@entry("adam.clips_dw_in_place", "Adam that rescales the caller's dw in place",
       "np.clip(..., out=dw), dw *= ... and dw[...] = ... all write into the caller's gradient.", ("adam.inputs_unmodified",))
def _adam_dw_in_place(w, dw, config=None):
    dw *= 0.5
    return adam(w, dw, config)
