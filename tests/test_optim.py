"""Update rules of nnlayers.optim against the course's published values and a
plain scalar re-implementation.

The scalar references below walk the arrays element by element with ``math``
so that they share no vectorised code with the module under test.
"""
from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from nnlayers import optim
from nnlayers.gradient_check import rel_error

N, D = 4, 5

# Published arrays are rounded to 8 decimals; with entries as small as 0.02 that
# alone is a relative error of up to ~1.3e-7.
PUBLISHED_TOL = 2e-7
# The scalar reference computes the same formulas, so only rounding differs.
REFERENCE_TOL = 1e-12


def lin(start, stop):
    return np.linspace(start, stop, num=N * D).reshape(N, D)


# ------------------------------------------------------------------ references

def ref_sgd(w, dw, config):
    lr = config["learning_rate"]
    next_w = np.array([[w[i, j] - lr * dw[i, j] for j in range(D)] for i in range(N)])
    return next_w, {}


def ref_sgd_momentum(w, dw, config):
    lr, mu, v = config["learning_rate"], config["momentum"], config["velocity"]
    next_v = np.empty_like(w)
    next_w = np.empty_like(w)
    for i in range(N):
        for j in range(D):
            next_v[i, j] = mu * v[i, j] - lr * dw[i, j]
            next_w[i, j] = w[i, j] + next_v[i, j]
    return next_w, {"velocity": next_v}


def ref_rmsprop(w, dw, config):
    lr, rho, eps, cache = (config[k] for k in ("learning_rate", "decay_rate", "epsilon", "cache"))
    next_cache = np.empty_like(w)
    next_w = np.empty_like(w)
    for i in range(N):
        for j in range(D):
            next_cache[i, j] = rho * cache[i, j] + (1 - rho) * dw[i, j] ** 2
            next_w[i, j] = w[i, j] - lr * dw[i, j] / (math.sqrt(next_cache[i, j]) + eps)
    return next_w, {"cache": next_cache}


def ref_adam(w, dw, config):
    lr, b1, b2, eps = (config[k] for k in ("learning_rate", "beta1", "beta2", "epsilon"))
    t = config["t"] + 1
    next_m = np.empty_like(w)
    next_v = np.empty_like(w)
    next_w = np.empty_like(w)
    for i in range(N):
        for j in range(D):
            next_m[i, j] = b1 * config["m"][i, j] + (1 - b1) * dw[i, j]
            next_v[i, j] = b2 * config["v"][i, j] + (1 - b2) * dw[i, j] ** 2
            m_hat = next_m[i, j] / (1 - b1**t)
            v_hat = next_v[i, j] / (1 - b2**t)
            next_w[i, j] = w[i, j] - lr * m_hat / (math.sqrt(v_hat) + eps)
    return next_w, {"m": next_m, "v": next_v, "t": t}


REFERENCES = {
    "sgd": ref_sgd,
    "sgd_momentum": ref_sgd_momentum,
    "rmsprop": ref_rmsprop,
    "adam": ref_adam,
}

DEFAULTS = {
    "sgd": {"learning_rate": 1e-2},
    "sgd_momentum": {"learning_rate": 1e-2, "momentum": 0.9},
    "rmsprop": {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8},
    "adam": {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "t": 0},
}
STATE_KEYS = {
    "sgd": (),
    "sgd_momentum": ("velocity",),
    "rmsprop": ("cache",),
    "adam": ("m", "v"),
}
RULES = sorted(REFERENCES)


def full_config(rule, config):
    """Config with every default filled in, for the references."""
    filled = {**DEFAULTS[rule], **config}
    for key in STATE_KEYS[rule]:
        filled.setdefault(key, np.zeros((N, D)))
    return filled


# ------------------------------------------------------- published checkpoints
# The course's notebook checks (inputs, then expected arrays), rounded to 8 places.

CHECKPOINTS = [
    pytest.param(
        "sgd_momentum",
        {"learning_rate": 1e-3, "velocity": lin(0.6, 0.9)},
        {
            "next_w": [
                [0.1406, 0.20738947, 0.27417895, 0.34096842, 0.40775789],
                [0.47454737, 0.54133684, 0.60812632, 0.67491579, 0.74170526],
                [0.80849474, 0.87528421, 0.94207368, 1.00886316, 1.07565263],
                [1.14244211, 1.20923158, 1.27602105, 1.34281053, 1.4096]],
            "velocity": [
                [0.5406, 0.55475789, 0.56891579, 0.58307368, 0.59723158],
                [0.61138947, 0.62554737, 0.63970526, 0.65386316, 0.66802105],
                [0.68217895, 0.69633684, 0.71049474, 0.72465263, 0.73881053],
                [0.75296842, 0.76712632, 0.78128421, 0.79544211, 0.8096]],
        },
        id="sgd_momentum",
    ),
    pytest.param(
        "rmsprop",
        {"learning_rate": 1e-2, "cache": lin(0.6, 0.9)},
        {
            "next_w": [
                [-0.39223849, -0.34037513, -0.28849239, -0.23659121, -0.18467247],
                [-0.132737, -0.08078555, -0.02881884, 0.02316247, 0.07515774],
                [0.12716641, 0.17918792, 0.23122175, 0.28326742, 0.33532447],
                [0.38739248, 0.43947102, 0.49155973, 0.54365823, 0.59576619]],
            "cache": [
                [0.5976, 0.6126277, 0.6277108, 0.64284931, 0.65804321],
                [0.67329252, 0.68859723, 0.70395734, 0.71937285, 0.73484377],
                [0.75037008, 0.7659518, 0.78158892, 0.79728144, 0.81302936],
                [0.82883269, 0.84469141, 0.86060554, 0.87657507, 0.8926]],
        },
        id="rmsprop",
    ),
    pytest.param(
        "adam",
        {"learning_rate": 1e-2, "m": lin(0.6, 0.9), "v": lin(0.7, 0.5), "t": 5},
        {
            "next_w": [
                [-0.40094747, -0.34836187, -0.29577703, -0.24319299, -0.19060977],
                [-0.1380274, -0.08544591, -0.03286534, 0.01971428, 0.0722929],
                [0.1248705, 0.17744702, 0.23002243, 0.28259667, 0.33516969],
                [0.38774145, 0.44031188, 0.49288093, 0.54544852, 0.59801459]],
            "m": [
                [0.48, 0.49947368, 0.51894737, 0.53842105, 0.55789474],
                [0.57736842, 0.59684211, 0.61631579, 0.63578947, 0.65526316],
                [0.67473684, 0.69421053, 0.71368421, 0.73315789, 0.75263158],
                [0.77210526, 0.79157895, 0.81105263, 0.83052632, 0.85]],
            "v": [
                [0.69966, 0.68908382, 0.67851319, 0.66794809, 0.65738853],
                [0.64683452, 0.63628604, 0.6257431, 0.61520571, 0.60467385],
                [0.59414753, 0.58362676, 0.57311152, 0.56260183, 0.55209767],
                [0.54159906, 0.53110598, 0.52061845, 0.51013645, 0.49966]],
        },
        id="adam",
    ),
]


@pytest.mark.parametrize("rule, config, expected", CHECKPOINTS)
def test_published_checkpoint(rule, config, expected):
    w, dw = lin(-0.4, 0.6), lin(-0.6, 0.4)
    next_w, out_config = getattr(optim, rule)(w, dw, config=dict(config))

    for key, want in expected.items():
        got = next_w if key == "next_w" else out_config[key]
        err = rel_error(np.asarray(want), got)
        assert err < PUBLISHED_TOL, f"{rule} {key}: rel_error {err:.2e} vs published values"
        # ... and agrees with every printed decimal.
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-8, err_msg=f"{rule} {key}")


@pytest.mark.parametrize("rule, config, expected", CHECKPOINTS)
def test_checkpoint_matches_scalar_reference(rule, config, expected):
    """Same inputs, compared with the scalar reference at full precision."""
    w, dw = lin(-0.4, 0.6), lin(-0.6, 0.4)
    next_w, out_config = getattr(optim, rule)(w, dw, config=dict(config))
    ref_w, ref_state = REFERENCES[rule](w, dw, full_config(rule, config))

    assert rel_error(ref_w, next_w) < REFERENCE_TOL
    for key, want in ref_state.items():
        assert rel_error(np.asarray(want), np.asarray(out_config[key])) < REFERENCE_TOL, key


# ---------------------------------------------------------------- more checks

def nonzero_state(rule, rng):
    """A config with non-default hyperparameters and non-zero state."""
    return {
        "sgd": {"learning_rate": 3e-2},
        "sgd_momentum": {"learning_rate": 2e-2, "momentum": 0.8,
                         "velocity": rng.normal(size=(N, D))},
        "rmsprop": {"learning_rate": 5e-3, "decay_rate": 0.9,
                    "cache": rng.uniform(0.1, 1.0, size=(N, D))},
        "adam": {"learning_rate": 2e-2, "beta1": 0.8, "beta2": 0.99,
                 "m": rng.normal(size=(N, D)), "v": rng.uniform(0.1, 1.0, size=(N, D)), "t": 3},
    }[rule]


@pytest.mark.parametrize("rule", RULES)
def test_several_steps_from_nonzero_state(rule):
    rng = np.random.default_rng(0)
    w = rng.normal(size=(N, D))
    config = nonzero_state(rule, rng)
    ref_w, ref_config = w.copy(), full_config(rule, copy.deepcopy(config))

    for _ in range(5):
        dw = rng.normal(size=(N, D))
        w, config = getattr(optim, rule)(w, dw, config)
        ref_w, ref_state = REFERENCES[rule](ref_w, dw, ref_config)
        ref_config.update(ref_state)

    assert rel_error(ref_w, w) < 1e-10
    for key in STATE_KEYS[rule]:
        assert rel_error(ref_config[key], config[key]) < 1e-10, key


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("given", [None, dict], ids=["None", "empty"])
def test_defaults(rule, given):
    w, dw = lin(-0.4, 0.6), lin(-0.6, 0.4)
    next_w, config = getattr(optim, rule)(w, dw, given and given())

    for key, value in DEFAULTS[rule].items():
        if key != "t":
            assert config[key] == value, key
    ref_w, _ = REFERENCES[rule](w, dw, full_config(rule, {}))
    assert rel_error(ref_w, next_w) < REFERENCE_TOL


def test_adam_counts_steps():
    w = lin(-0.4, 0.6)
    config = None
    for step in range(1, 4):
        w, config = optim.adam(w, lin(-0.6, 0.4), config)
        assert config["t"] == step

    _, config = optim.adam(w, w, {"t": 5})
    assert config["t"] == 6


def test_adam_first_step_is_bias_corrected():
    """From zero moments, corrected m_hat / sqrt(v_hat) = sign(dw): the first
    step has size learning_rate for every entry, whatever the gradient scale."""
    w = np.zeros((N, D))
    dw = lin(-0.6, 0.4) * 1e-3 + 1e-4   # small, non-zero gradients
    next_w, _ = optim.adam(w, dw, {"learning_rate": 1e-2})
    np.testing.assert_allclose(next_w, -1e-2 * np.sign(dw), rtol=1e-3)


@pytest.mark.parametrize("rule", RULES)
def test_inputs_not_modified(rule):
    rng = np.random.default_rng(1)
    w, dw = rng.normal(size=(N, D)), rng.normal(size=(N, D))
    config = nonzero_state(rule, rng)
    originals = {"w": w.copy(), "dw": dw.copy()}
    originals.update({key: config[key].copy() for key in STATE_KEYS[rule]})
    state_arrays = {key: config[key] for key in STATE_KEYS[rule]}

    next_w, _ = getattr(optim, rule)(w, dw, config)

    assert next_w is not w
    np.testing.assert_array_equal(w, originals["w"])
    np.testing.assert_array_equal(dw, originals["dw"])
    for key, array in state_arrays.items():
        np.testing.assert_array_equal(array, originals[key], err_msg=f"{key} changed in place")


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_preserved(rule, dtype):
    w, dw = lin(-0.4, 0.6).astype(dtype), lin(-0.6, 0.4).astype(dtype)
    config = None
    for _ in range(2):
        w, config = getattr(optim, rule)(w, dw, config)
    assert w.dtype == dtype
    for key in STATE_KEYS[rule]:
        assert config[key].dtype == dtype, key
