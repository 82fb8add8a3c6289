"""FullyConnectedNet and ThreeLayerConvNet: initialisation, loss, and every
parameter's gradient against centred differences (in float64)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from nnlayers.classifiers import FullyConnectedNet, ThreeLayerConvNet
from nnlayers.gradient_check import eval_numerical_gradient, rel_error

# A gradient passes if its rel_error is below GRAD_TOL, or if it is off by less
# than GRAD_ATOL everywhere: the latter covers gradients that are exactly zero
# (biases in front of batchnorm), where rel_error only measures the noise of
# the finite differences.
GRAD_TOL = 1e-5
GRAD_ATOL = 1e-9
H = 1e-5


def assert_gradients_match(model, X, y):
    loss, grads = model.loss(X, y)
    assert set(grads) == set(model.params)
    for name, param in model.params.items():
        assert grads[name].shape == param.shape, name
        numeric = eval_numerical_gradient(lambda _: model.loss(X, y)[0], param,
                                          verbose=False, h=H)
        err = rel_error(numeric, grads[name])
        abs_err = float(np.max(np.abs(numeric - grads[name])))
        assert err < GRAD_TOL or abs_err < GRAD_ATOL, (
            f"{name}: rel_error {err:.2e}, max abs error {abs_err:.2e}\n"
            f"analytic:\n{grads[name]}\nnumeric:\n{numeric}"
        )


# ----------------------------------------------------------- FullyConnectedNet

N, D, C = 5, 6, 4
HIDDEN = [10, 8]


def small_fc(init_seed=0, **kwargs):
    """A small float64 net; ``init_seed`` seeds its weights, ``seed`` (if
    given) goes to the dropout layers."""
    np.random.seed(init_seed)
    kwargs = {"input_dim": D, "num_classes": C, "dtype": np.float64, **kwargs}
    return FullyConnectedNet(HIDDEN, **kwargs)


def fc_batch(seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(N, D)), rng.integers(C, size=N)


@pytest.mark.parametrize("reg", [0.0, 0.7], ids=["noreg", "reg"])
@pytest.mark.parametrize("dropout", [0.0, 0.25], ids=["nodrop", "drop"])
@pytest.mark.parametrize("normalization", [None, "batchnorm", "layernorm"])
def test_fc_gradients(normalization, dropout, reg):
    model = small_fc(normalization=normalization, dropout=dropout, reg=reg,
                     weight_scale=0.3, seed=123)
    X, y = fc_batch()
    assert_gradients_match(model, X, y)


def test_fc_dropout_seed_is_passed_on():
    model = small_fc(dropout=0.5, seed=7)
    assert model.dropout_param == {"mode": "train", "p": 0.5, "seed": 7}
    X, y = fc_batch()
    assert model.loss(X, y)[0] == model.loss(X, y)[0]


@pytest.mark.parametrize("normalization", [None, "batchnorm", "layernorm"])
def test_fc_parameter_shapes(normalization):
    model = small_fc(normalization=normalization)
    expected = {"W1": (D, 10), "b1": (10,), "W2": (10, 8), "b2": (8,), "W3": (8, C), "b3": (C,)}
    if normalization:
        expected.update({"gamma1": (10,), "beta1": (10,), "gamma2": (8,), "beta2": (8,)})
        np.testing.assert_array_equal(model.params["gamma2"], 1.0)
        np.testing.assert_array_equal(model.params["beta1"], 0.0)
        assert model.bn_params == [{"mode": "train"}, {"mode": "train"}]
    else:
        assert model.bn_params == []
    assert {k: v.shape for k, v in model.params.items()} == expected
    for i in (1, 2, 3):
        np.testing.assert_array_equal(model.params[f"b{i}"], 0.0)
    assert model.num_layers == 3


def test_fc_weight_scale():
    model = FullyConnectedNet([200], input_dim=300, num_classes=10, weight_scale=0.05,
                              dtype=np.float64)
    assert model.params["W1"].std() == pytest.approx(0.05, rel=0.02)


def test_fc_initial_loss_is_log_num_classes():
    np.random.seed(0)
    X = np.random.randn(50, 3 * 32 * 32)
    y = np.random.randint(10, size=50)
    model = FullyConnectedNet([100, 100], weight_scale=1e-3, dtype=np.float64)
    loss, _ = model.loss(X, y)
    assert loss == pytest.approx(math.log(10), abs=1e-3)


def test_fc_regularization_adds_half_reg_sum_of_squared_weights():
    X, y = fc_batch()
    reg = 0.7
    plain = small_fc(normalization="batchnorm", init_seed=1)
    regularized = small_fc(normalization="batchnorm", init_seed=1, reg=reg)
    penalty = 0.5 * reg * sum(np.sum(plain.params[f"W{i}"] ** 2) for i in (1, 2, 3))
    loss0, grads0 = plain.loss(X, y)
    loss1, grads1 = regularized.loss(X, y)
    assert loss1 > loss0
    assert loss1 == pytest.approx(loss0 + penalty, rel=1e-12)
    for name in grads0:   # biases, gammas and betas are not regularized
        extra = reg * plain.params[name] if name.startswith("W") else 0.0
        np.testing.assert_allclose(grads1[name], grads0[name] + extra, rtol=1e-12, atol=1e-15)


def test_fc_scores_in_test_mode():
    model = small_fc(normalization="batchnorm", dropout=0.5)
    X, _ = fc_batch()
    scores = model.loss(X)
    assert scores.shape == (N, C)
    assert model.dropout_param["mode"] == "test"
    assert all(p["mode"] == "test" for p in model.bn_params)
    model.loss(X, np.zeros(N, dtype=int))
    assert model.dropout_param["mode"] == "train"
    assert all(p["mode"] == "train" for p in model.bn_params)


def test_fc_flattens_image_inputs():
    model = FullyConnectedNet([7], input_dim=2 * 3 * 3, num_classes=C, dtype=np.float64)
    X = np.random.default_rng(0).normal(size=(N, 2, 3, 3))
    np.testing.assert_allclose(model.loss(X), model.loss(X.reshape(N, -1)))


@pytest.mark.parametrize("normalization", [None, "batchnorm", "layernorm"])
def test_fc_float32(normalization):
    model = small_fc(normalization=normalization, dropout=0.2, dtype=np.float32)
    assert all(p.dtype == np.float32 for p in model.params.values())
    X, y = fc_batch()
    loss, grads = model.loss(X, y)   # float64 input is cast to the model's dtype
    assert np.isfinite(loss)
    assert all(g.dtype == np.float32 for g in grads.values())
    assert model.loss(X).dtype == np.float32


def test_fc_rejects_bad_arguments():
    with pytest.raises(ValueError, match="batchnorm"):
        FullyConnectedNet([5], normalization="groupnorm")
    with pytest.raises(ValueError, match="dropping"):
        FullyConnectedNet([5], dropout=1.0)


# ----------------------------------------------------------- ThreeLayerConvNet

CONV_INPUT = (3, 8, 8)


def tiny_cnn(seed=0, **kwargs):
    np.random.seed(seed)
    kwargs = {"input_dim": CONV_INPUT, "num_filters": 3, "filter_size": 3, "hidden_dim": 5,
              "dtype": np.float64, **kwargs}
    return ThreeLayerConvNet(**kwargs)


def cnn_batch(n=2, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, *CONV_INPUT)), rng.integers(10, size=n)


def test_cnn_parameter_shapes():
    model = ThreeLayerConvNet(input_dim=(3, 16, 16), num_filters=4, filter_size=5, hidden_dim=6)
    shapes = {k: v.shape for k, v in model.params.items()}
    assert shapes == {"W1": (4, 3, 5, 5), "b1": (4,), "W2": (4 * 8 * 8, 6), "b2": (6,),
                      "W3": (6, 10), "b3": (10,)}
    assert all(p.dtype == np.float32 for p in model.params.values())
    assert model.conv_param == {"stride": 1, "pad": 2}


def test_cnn_initial_loss_is_log_num_classes():
    model = ThreeLayerConvNet(input_dim=(3, 16, 16), num_filters=4, filter_size=3,
                              hidden_dim=20, dtype=np.float64)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 3, 16, 16)), rng.integers(10, size=10)
    loss, _ = model.loss(X, y)
    assert loss == pytest.approx(math.log(10), abs=1e-3)
    assert model.loss(X).shape == (10, 10)


@pytest.mark.parametrize("reg", [0.0, 0.5], ids=["noreg", "reg"])
def test_cnn_gradients(reg):
    model = tiny_cnn(weight_scale=0.1, reg=reg)
    X, y = cnn_batch()
    assert_gradients_match(model, X, y)


def test_cnn_regularization():
    X, y = cnn_batch()
    plain, regularized = tiny_cnn(seed=3), tiny_cnn(seed=3, reg=0.5)
    penalty = 0.25 * sum(np.sum(plain.params[f"W{i}"] ** 2) for i in (1, 2, 3))
    assert regularized.loss(X, y)[0] == pytest.approx(plain.loss(X, y)[0] + penalty, rel=1e-12)


def test_cnn_float32():
    model = tiny_cnn(dtype=np.float32)
    X, y = cnn_batch()
    loss, grads = model.loss(X, y)
    assert np.isfinite(loss)
    assert all(g.dtype == np.float32 for g in grads.values())
