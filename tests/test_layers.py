"""Tests of the reference layers (``nnlayers.layers``) and sandwiches (``layer_utils``).

Most checks are rows of a table fed to one engine:

- ``CASES``: a layer set-up (inputs, forward, backward). Each case is checked
  against numerical gradients in float64, for inputs left untouched, and for
  float32 in -> float32 out.
- ``CHECKPOINTS``: the course's published outputs, reproduced to every
  printed digit.
- ``CONV_GEOMETRIES`` / ``POOL_GEOMETRIES``: shapes where indexing bugs hide
  (stride > 1 with padding, non-square, overlapping, leftover rows), checked
  against an independent ``sliding_window_view`` reference.

The remaining tests pin behaviour a gradient check cannot see (running
averages, dropout statistics, tie-breaking in max pooling, ...).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from nnlayers import layers as L
from nnlayers.gradient_check import (
    eval_numerical_gradient,
    eval_numerical_gradient_array,
    rel_error,
)

SEED = 231


def layer_utils():
    """Import the sandwiches lazily: they need ``fast_layers``."""
    from nnlayers import layer_utils as module

    return module


# --------------------------------------------------------------------------- #
# Input makers: rng -> tuple of float64 arrays                                #
# --------------------------------------------------------------------------- #

def normal(*shapes, loc=0.0, scale=1.0):
    """Standard-normal arrays of the given shapes (the first shifted/scaled)."""
    def make(rng):
        arrays = [rng.standard_normal(shape) for shape in shapes]
        arrays[0] = loc + scale * arrays[0]
        return tuple(arrays)
    return make


def away_from_zero(shape):
    """Normal values pushed at least 0.1 away from the ReLU kink."""
    def make(rng):
        x = rng.standard_normal(shape)
        return (x + 0.1 * np.sign(x),)
    return make


def distinct(shape):
    """A permutation of evenly spaced values: no ties, no near-ties in a window."""
    def make(rng):
        n = int(np.prod(shape))
        return ((rng.permutation(n).reshape(shape) - n / 2) / n,)
    return make


# --------------------------------------------------------------------------- #
# The layer table                                                             #
# --------------------------------------------------------------------------- #

@dataclass(frozen=True)
class Case:
    """One layer set-up.

    Attributes
    ----------
    name : str
        Test id.
    make : callable
        ``rng -> tuple of arrays``: the differentiable inputs, in the order of
        the gradients that ``backward`` returns.
    forward : callable
        ``(*arrays) -> (out, cache)``, every non-array parameter bound.
    backward : callable
        ``(dout, cache) -> grad or tuple of grads``.
    tol : float
        Largest accepted ``rel_error`` against the numerical gradient.
    vanishing : tuple of int
        Gradients that are exactly zero in exact arithmetic (a bias followed
        by batch normalization): relative error is meaningless for them, so
        they are compared with an absolute tolerance instead.
    """

    name: str
    make: Callable
    forward: Callable
    backward: Callable
    tol: float = 1e-7
    vanishing: tuple = ()


def conv_case(name, x_shape, w_shape, stride, pad, tol=1e-7):
    cp = {"stride": stride, "pad": pad}
    return Case(
        name,
        normal(x_shape, w_shape, (w_shape[0],)),
        lambda x, w, b: L.conv_forward_naive(x, w, b, cp),
        L.conv_backward_naive,
        tol,
    )


def pool_case(name, x_shape, ph, pw, stride):
    pp = {"pool_height": ph, "pool_width": pw, "stride": stride}
    return Case(
        name,
        distinct(x_shape),
        lambda x: L.max_pool_forward_naive(x, pp),
        L.max_pool_backward_naive,
        1e-8,
    )


def bn_train(x, gamma, beta):
    return L.batchnorm_forward(x, gamma, beta, {"mode": "train"})


def spatial_bn_train(x, gamma, beta):
    return L.spatial_batchnorm_forward(x, gamma, beta, {"mode": "train"})


def ln(x, gamma, beta):
    return L.layernorm_forward(x, gamma, beta, {})


def gn(G):
    return lambda x, gamma, beta: L.spatial_groupnorm_forward(x, gamma, beta, G, {})


def dropout(p, mode):
    # A fixed seed gives the same mask at every call of the numerical gradient.
    return lambda x: L.dropout_forward(x, {"p": p, "mode": mode, "seed": 0})


CP1 = {"stride": 1, "pad": 1}
POOL2 = {"pool_height": 2, "pool_width": 2, "stride": 2}

CASES = [
    # affine
    Case("affine", normal((3, 2, 3), (6, 4), (4,)), L.affine_forward, L.affine_backward),
    Case("affine-N1-M1", normal((1, 5), (5, 1), (1,)), L.affine_forward, L.affine_backward),
    # relu
    Case("relu", away_from_zero((3, 4)), L.relu_forward, L.relu_backward),
    Case("relu-4d", away_from_zero((2, 3, 2, 2)), L.relu_forward, L.relu_backward),
    # batch normalization (the shift and scale of x make the mean matter)
    Case("batchnorm", normal((4, 5), (5,), (5,), loc=12, scale=5), bn_train,
         L.batchnorm_backward, 1e-6),
    Case("batchnorm-alt", normal((4, 5), (5,), (5,), loc=12, scale=5), bn_train,
         L.batchnorm_backward_alt, 1e-6),
    Case("batchnorm-D1", normal((6, 1), (1,), (1,), loc=-3, scale=2), bn_train,
         L.batchnorm_backward, 1e-6),
    Case("batchnorm-alt-N3", normal((3, 2), (2,), (2,)), bn_train,
         L.batchnorm_backward_alt, 1e-6),
    # layer normalization
    Case("layernorm", normal((4, 5), (5,), (5,), loc=12, scale=5), ln,
         L.layernorm_backward, 1e-6),
    Case("layernorm-N1", normal((1, 6), (6,), (6,)), ln, L.layernorm_backward, 1e-6),
    # dropout
    Case("dropout-train", normal((3, 4, 5)), dropout(0.3, "train"), L.dropout_backward),
    Case("dropout-train-p0", normal((2, 3)), dropout(0.0, "train"), L.dropout_backward),
    Case("dropout-test", normal((3, 4)), dropout(0.3, "test"), L.dropout_backward),
    # convolution: the notebook's set-up, then shapes where bugs hide
    conv_case("conv-notebook", (4, 3, 5, 5), (2, 3, 3, 3), 1, 1),
    conv_case("conv-stride2-pad1-nonsquare", (2, 2, 5, 7), (3, 2, 3, 2), 2, 1),
    conv_case("conv-stride3-pad2-leftover", (1, 2, 6, 5), (2, 2, 2, 3), 3, 2),
    conv_case("conv-pad0", (2, 1, 4, 3), (2, 1, 2, 2), 1, 0),
    conv_case("conv-stride2-pad0-leftover", (1, 1, 6, 6), (1, 1, 3, 3), 2, 0),
    conv_case("conv-N1-full-filter", (1, 3, 3, 3), (4, 3, 3, 3), 1, 0),
    # max pooling
    pool_case("pool-notebook", (3, 2, 8, 8), 2, 2, 2),
    pool_case("pool-3x2-stride2-overlap", (2, 2, 6, 6), 3, 2, 2),
    pool_case("pool-2x3-stride1-overlap", (2, 1, 5, 7), 2, 3, 1),
    pool_case("pool-stride3-leftover", (1, 2, 5, 5), 2, 2, 3),
    pool_case("pool-global-N1", (1, 1, 4, 4), 4, 4, 1),
    # spatial batch normalization and group normalization
    Case("spatial-batchnorm", normal((2, 3, 4, 5), (3,), (3,), loc=12, scale=5),
         spatial_bn_train, L.spatial_batchnorm_backward, 1e-6),
    Case("spatial-batchnorm-N1", normal((1, 2, 3, 4), (2,), (2,)),
         spatial_bn_train, L.spatial_batchnorm_backward, 1e-6),
    # (a few entries of dx are ~1e-5 here; their finite differences are noisier)
    Case("groupnorm-G2", normal((2, 6, 4, 5), (1, 6, 1, 1), (1, 6, 1, 1), loc=12, scale=5),
         gn(2), L.spatial_groupnorm_backward, 1e-5),
    Case("groupnorm-G1", normal((2, 4, 2, 3), (1, 4, 1, 1), (1, 4, 1, 1)),
         gn(1), L.spatial_groupnorm_backward, 1e-6),
    Case("groupnorm-G=C", normal((2, 4, 3, 2), (1, 4, 1, 1), (1, 4, 1, 1)),
         gn(4), L.spatial_groupnorm_backward, 1e-6),
    # sandwiches (layer_utils)
    Case("affine_relu", normal((2, 3, 4), (12, 5), (5,)),
         lambda *a: layer_utils().affine_relu_forward(*a),
         lambda d, c: layer_utils().affine_relu_backward(d, c)),
    Case("affine_batchnorm_relu", normal((4, 3), (3, 5), (5,), (5,), (5,)),
         lambda x, w, b, g, be: layer_utils().affine_norm_relu_forward(
             x, w, b, g, be, {"mode": "train"}, "batchnorm"),
         lambda d, c: layer_utils().affine_norm_relu_backward(d, c), 1e-6, vanishing=(2,)),
    Case("affine_layernorm_relu", normal((4, 3), (3, 5), (5,), (5,), (5,)),
         lambda x, w, b, g, be: layer_utils().affine_norm_relu_forward(
             x, w, b, g, be, {}, "layernorm"),
         lambda d, c: layer_utils().affine_norm_relu_backward(d, c), 1e-6),
    Case("conv_relu", normal((2, 3, 6, 6), (3, 3, 3, 3), (3,)),
         lambda x, w, b: layer_utils().conv_relu_forward(x, w, b, CP1),
         lambda d, c: layer_utils().conv_relu_backward(d, c)),
    Case("conv_bn_relu", normal((2, 3, 5, 5), (4, 3, 3, 3), (4,), (4,), (4,)),
         lambda x, w, b, g, be: layer_utils().conv_bn_relu_forward(
             x, w, b, g, be, CP1, {"mode": "train"}),
         lambda d, c: layer_utils().conv_bn_relu_backward(d, c), 1e-6, vanishing=(2,)),
    Case("conv_relu_pool", normal((2, 3, 6, 6), (3, 3, 3, 3), (3,)),
         lambda x, w, b: layer_utils().conv_relu_pool_forward(x, w, b, CP1, POOL2),
         lambda d, c: layer_utils().conv_relu_pool_backward(d, c)),
]


def run(case, dtype=np.float64, seed=SEED):
    """Make the inputs, run forward and backward; return everything."""
    rng = np.random.default_rng(seed)
    inputs = [a.astype(dtype) for a in case.make(rng)]
    out, cache = case.forward(*inputs)
    dout = rng.standard_normal(out.shape).astype(dtype)
    grads = case.backward(dout, cache)
    grads = grads if isinstance(grads, tuple) else (grads,)
    return inputs, out, dout, grads


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_backward_matches_numerical_gradient(case):
    inputs, out, dout, grads = run(case)
    assert len(grads) == len(inputs)
    for k, (x, grad) in enumerate(zip(inputs, grads)):
        assert grad.shape == x.shape, f"gradient {k}: shape {grad.shape} != {x.shape}"
        numerical = eval_numerical_gradient_array(
            lambda _: case.forward(*inputs)[0], x, dout
        )
        if k in case.vanishing:
            assert np.abs(grad).max() < 1e-10 and np.abs(numerical).max() < 1e-6
            continue
        error = rel_error(grad, numerical)
        assert error < case.tol, f"gradient {k}: rel_error {error:.2e} >= {case.tol:.0e}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_inputs_are_not_modified(case):
    rng = np.random.default_rng(SEED)
    inputs = list(case.make(rng))
    saved = [a.copy() for a in inputs]
    out, cache = case.forward(*inputs)
    dout = rng.standard_normal(out.shape)
    dout_saved = dout.copy()
    case.backward(dout, cache)
    for k, (a, b) in enumerate(zip(inputs, saved)):
        assert np.array_equal(a, b), f"input {k} was modified"
    assert np.array_equal(dout, dout_saved), "dout was modified"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_float32_stays_float32(case):
    inputs, out, dout, grads = run(case, dtype=np.float32)
    assert out.dtype == np.float32
    for k, grad in enumerate(grads):
        assert grad.dtype == np.float32, f"gradient {k} is {grad.dtype}"
    # and the float32 results agree with the float64 ones
    _, out64, _, grads64 = run(case)
    for got, want in zip((out, *grads), (out64, *grads64)):
        np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-4)


# --------------------------------------------------------------------------- #
# Losses                                                                      #
# --------------------------------------------------------------------------- #

LOSSES = [
    pytest.param(L.softmax_loss, 5, 4, id="softmax"),
    pytest.param(L.softmax_loss, 1, 3, id="softmax-N1"),
    pytest.param(L.svm_loss, 5, 4, id="svm"),
    pytest.param(L.svm_loss, 1, 3, id="svm-N1"),
]


@pytest.mark.parametrize("loss_fn, N, C", LOSSES)
def test_loss_gradient_matches_numerical_gradient(loss_fn, N, C):
    rng = np.random.default_rng(SEED)
    x = rng.standard_normal((N, C))
    y = rng.integers(C, size=N)
    saved = x.copy()
    _, dx = loss_fn(x, y)
    numerical = eval_numerical_gradient(lambda a: loss_fn(a, y)[0], x, verbose=False)
    assert np.array_equal(x, saved)
    assert rel_error(dx, numerical) < 1e-7


@pytest.mark.parametrize("loss_fn, N, C", LOSSES)
def test_loss_keeps_float32(loss_fn, N, C):
    rng = np.random.default_rng(SEED)
    x = rng.standard_normal((N, C)).astype(np.float32)
    loss, dx = loss_fn(x, rng.integers(C, size=N))
    assert dx.dtype == np.float32
    assert np.asarray(loss).dtype == np.float32


@pytest.mark.parametrize("N, C", [(3, 10), (1, 2)])
def test_loss_values_at_zero_scores(N, C):
    x = np.zeros((N, C))
    y = np.arange(N) % C
    onehot = np.eye(C)[y]
    loss, dx = L.softmax_loss(x, y)
    assert loss == pytest.approx(np.log(C))
    np.testing.assert_allclose(dx, (1 / C - onehot) / N)
    loss, dx = L.svm_loss(x, y)
    assert loss == pytest.approx(C - 1)  # every wrong class has margin exactly 1
    np.testing.assert_allclose(dx, (1 - C * onehot) / N)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_is_stable_for_huge_logits(dtype):
    x = np.array([[1e4, 0.0, -1e4], [1e4, 1e4 - 1, 0.0]], dtype=dtype)
    y = np.array([1, 0])
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # no inf, log(0), 0/0
        loss, dx = L.softmax_loss(x, y)
    assert np.isfinite(loss) and np.all(np.isfinite(dx))
    expected = (1e4 + np.log1p(np.exp(-1e4)) + np.log1p(np.exp(-1.0))) / 2
    assert float(loss) == pytest.approx(expected, rel=1e-6)
    np.testing.assert_allclose(dx.sum(axis=1), 0, atol=1e-6)


# --------------------------------------------------------------------------- #
# The course's published outputs                                              #
# --------------------------------------------------------------------------- #

def _affine_checkpoint():
    x = np.linspace(-0.1, 0.5, num=2 * 4 * 5 * 6).reshape(2, 4, 5, 6)
    w = np.linspace(-0.2, 0.3, num=120 * 3).reshape(120, 3)
    b = np.linspace(-0.3, 0.1, num=3)
    return L.affine_forward(x, w, b)[0]


def _relu_checkpoint():
    return L.relu_forward(np.linspace(-0.5, 0.5, num=12).reshape(3, 4))[0]


def _conv_checkpoint():
    x = np.linspace(-0.1, 0.5, num=2 * 3 * 4 * 4).reshape(2, 3, 4, 4)
    w = np.linspace(-0.2, 0.3, num=3 * 3 * 4 * 4).reshape(3, 3, 4, 4)
    b = np.linspace(-0.1, 0.2, num=3)
    return L.conv_forward_naive(x, w, b, {"stride": 2, "pad": 1})[0]


def _pool_checkpoint():
    x = np.linspace(-0.3, 0.4, num=2 * 3 * 4 * 4).reshape(2, 3, 4, 4)
    return L.max_pool_forward_naive(x, POOL2)[0]


def _spatial_bn_train_stats(gamma, beta):
    np.random.seed(231)
    x = 4 * np.random.randn(2, 3, 4, 5) + 10
    out, _ = L.spatial_batchnorm_forward(x, gamma, beta, {"mode": "train"})
    return np.concatenate([out.mean(axis=(0, 2, 3)), out.std(axis=(0, 2, 3))])


def _spatial_bn_test_stats():
    np.random.seed(231)
    N, C, H, W = 10, 4, 11, 12
    bn_param = {"mode": "train"}
    gamma, beta = np.ones(C), np.zeros(C)
    for _ in range(50):
        x = 2.3 * np.random.randn(N, C, H, W) + 13
        L.spatial_batchnorm_forward(x, gamma, beta, bn_param)
    bn_param["mode"] = "test"
    x = 2.3 * np.random.randn(N, C, H, W) + 13
    out, _ = L.spatial_batchnorm_forward(x, gamma, beta, bn_param)
    return np.concatenate([out.mean(axis=(0, 2, 3)), out.std(axis=(0, 2, 3))])


def _groupnorm_stds():
    np.random.seed(231)
    x = 4 * np.random.randn(2, 6, 4, 5) + 10
    out, _ = L.spatial_groupnorm_forward(
        x, np.ones((1, 6, 1, 1)), np.zeros((1, 6, 1, 1)), 2, {}
    )
    return out.reshape(4, -1).std(axis=1)


CHECKPOINTS = [
    pytest.param(_affine_checkpoint, [[1.49834967, 1.70660132, 1.91485297],
                                      [3.25553199, 3.5141327, 3.77273342]], id="affine"),
    pytest.param(_relu_checkpoint, [[0.0, 0.0, 0.0, 0.0],
                                    [0.0, 0.0, 0.04545455, 0.13636364],
                                    [0.22727273, 0.31818182, 0.40909091, 0.5]], id="relu"),
    pytest.param(_conv_checkpoint, [[[[-0.08759809, -0.10987781], [-0.18387192, -0.2109216]],
                                     [[0.21027089, 0.21661097], [0.22847626, 0.23004637]],
                                     [[0.50813986, 0.54309974], [0.64082444, 0.67101435]]],
                                    [[[-0.98053589, -1.03143541], [-1.19128892, -1.24695841]],
                                     [[0.69108355, 0.66880383], [0.59480972, 0.56776003]],
                                     [[2.36270298, 2.36904306], [2.38090835, 2.38247847]]]],
                 id="conv_forward_naive"),
    pytest.param(_pool_checkpoint, [[[[-0.26315789, -0.24842105], [-0.20421053, -0.18947368]],
                                     [[-0.14526316, -0.13052632], [-0.08631579, -0.07157895]],
                                     [[-0.02736842, -0.01263158], [0.03157895, 0.04631579]]],
                                    [[[0.09052632, 0.10526316], [0.14947368, 0.16421053]],
                                     [[0.20842105, 0.22315789], [0.26736842, 0.28210526]],
                                     [[0.32631579, 0.34105263], [0.38526316, 0.4]]]],
                 id="max_pool_forward_naive"),
    pytest.param(lambda: _spatial_bn_train_stats(np.ones(3), np.zeros(3)),
                 [0, 0, 0, 0.99999962, 0.99999951, 0.9999996], id="spatial-bn-train-stats"),
    pytest.param(lambda: _spatial_bn_train_stats(np.array([3, 4, 5]), np.array([6, 7, 8])),
                 [6, 7, 8, 2.99999885, 3.99999804, 4.99999798], id="spatial-bn-train-stats-gamma"),
    pytest.param(_spatial_bn_test_stats,
                 [-0.08034406, 0.07562881, 0.05716371, 0.04378383,
                  0.96718744, 1.0299714, 1.02887624, 1.00585577], id="spatial-bn-test-stats"),
    pytest.param(_groupnorm_stds, [0.99999963, 0.99999948, 0.99999973, 0.99999968],
                 id="groupnorm-stds"),
]


@pytest.mark.parametrize("compute, expected", CHECKPOINTS)
def test_published_checkpoint(compute, expected):
    expected = np.array(expected)
    out = compute()
    assert out.shape == expected.shape
    # the figures are printed with 8 decimals: agree to every printed digit
    np.testing.assert_allclose(out, expected, rtol=0, atol=5.0001e-9)


# --------------------------------------------------------------------------- #
# Convolution and pooling geometry against an independent reference          #
# --------------------------------------------------------------------------- #

def conv_reference(x, w, b, stride, pad):
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = sliding_window_view(x_pad, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("nchwij,fcij->nfhw", windows, w) + b[:, None, None]


def pool_reference(x, ph, pw, stride):
    windows = sliding_window_view(x, (ph, pw), axis=(2, 3))[:, :, ::stride, ::stride]
    return windows.max(axis=(4, 5))


CONV_GEOMETRIES = [
    # x_shape, w_shape, stride, pad, expected (H', W')
    ((2, 3, 4, 4), (3, 3, 4, 4), 2, 1, (2, 2)),
    ((2, 2, 5, 7), (3, 2, 3, 2), 2, 1, (3, 4)),
    ((1, 2, 6, 5), (2, 2, 2, 3), 3, 2, (3, 3)),
    ((1, 1, 7, 9), (2, 1, 3, 5), 2, 0, (3, 3)),
    ((3, 2, 4, 3), (1, 2, 1, 1), 1, 0, (4, 3)),
    ((1, 1, 3, 3), (1, 1, 5, 5), 1, 1, (1, 1)),
]


@pytest.mark.parametrize("x_shape, w_shape, stride, pad, hw", CONV_GEOMETRIES)
def test_conv_forward_matches_reference(x_shape, w_shape, stride, pad, hw):
    rng = np.random.default_rng(SEED)
    x, w, b = normal(x_shape, w_shape, (w_shape[0],))(rng)
    out, _ = L.conv_forward_naive(x, w, b, {"stride": stride, "pad": pad})
    assert out.shape == (x_shape[0], w_shape[0], *hw)
    assert rel_error(out, conv_reference(x, w, b, stride, pad)) < 1e-10


POOL_GEOMETRIES = [
    # x_shape, pool_height, pool_width, stride, expected (H', W')
    ((2, 3, 4, 4), 2, 2, 2, (2, 2)),
    ((2, 2, 6, 6), 3, 2, 2, (2, 3)),
    ((1, 1, 5, 7), 2, 3, 1, (4, 5)),
    ((1, 2, 5, 5), 2, 2, 3, (2, 2)),
    ((1, 1, 4, 6), 1, 3, 3, (2, 2)),
]


@pytest.mark.parametrize("x_shape, ph, pw, stride, hw", POOL_GEOMETRIES)
def test_max_pool_forward_matches_reference(x_shape, ph, pw, stride, hw):
    x = np.random.default_rng(SEED).standard_normal(x_shape)
    pp = {"pool_height": ph, "pool_width": pw, "stride": stride}
    out, _ = L.max_pool_forward_naive(x, pp)
    assert out.shape == (*x_shape[:2], *hw)
    assert np.array_equal(out, pool_reference(x, ph, pw, stride))


def test_conv_refuses_channel_mismatch():
    with pytest.raises(ValueError, match="channels"):
        L.conv_forward_naive(np.zeros((1, 3, 4, 4)), np.zeros((2, 2, 3, 3)), np.zeros(2), CP1)


def test_max_pool_backward_routes_ties_to_the_first_maximum():
    x = np.zeros((1, 1, 4, 4))
    _, cache = L.max_pool_forward_naive(x, POOL2)
    dx = L.max_pool_backward_naive(np.arange(1.0, 5.0).reshape(1, 1, 2, 2), cache)
    expected = np.zeros((4, 4))
    expected[0, 0], expected[0, 2], expected[2, 0], expected[2, 2] = 1, 2, 3, 4
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_max_pool_backward_accumulates_over_overlapping_windows():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 1.0  # the maximum of all four 2x2 windows
    _, cache = L.max_pool_forward_naive(x, {"pool_height": 2, "pool_width": 2, "stride": 1})
    dx = L.max_pool_backward_naive(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), cache)
    expected = np.zeros((3, 3))
    expected[1, 1] = 10.0
    np.testing.assert_array_equal(dx[0, 0], expected)


# --------------------------------------------------------------------------- #
# Batch normalization                                                         #
# --------------------------------------------------------------------------- #

def _bn_data(N=200, D=4, seed=SEED):
    rng = np.random.default_rng(seed)
    return rng.normal(loc=[5.0, -3.0, 0.0, 12.0][:D], scale=[3.0, 0.5, 1.0, 7.0][:D], size=(N, D))


@pytest.mark.parametrize(
    "gamma, beta",
    [([1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]), ([1.0, 2.0, 3.0, 0.5], [11.0, 12.0, 13.0, -1.0])],
    ids=["plain", "nontrivial"],
)
def test_batchnorm_train_output_statistics(gamma, beta):
    x = _bn_data()
    out, _ = L.batchnorm_forward(x, np.array(gamma), np.array(beta), {"mode": "train"})
    np.testing.assert_allclose(out.mean(axis=0), beta, atol=1e-9)
    np.testing.assert_allclose(out.std(axis=0), gamma, rtol=1e-4)


def test_batchnorm_running_averages_follow_the_formula():
    x = _bn_data(N=7)
    rm0, rv0 = np.arange(4.0), np.arange(1.0, 5.0)
    rm0_saved, rv0_saved = rm0.copy(), rv0.copy()
    bn_param = {"mode": "train", "momentum": 0.7, "running_mean": rm0, "running_var": rv0}
    L.batchnorm_forward(x, np.ones(4), np.zeros(4), bn_param)
    np.testing.assert_allclose(bn_param["running_mean"], 0.7 * rm0_saved + 0.3 * x.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(bn_param["running_var"], 0.7 * rv0_saved + 0.3 * x.var(axis=0), rtol=1e-12)
    # the caller's arrays were replaced in the dict, not overwritten
    assert np.array_equal(rm0, rm0_saved) and np.array_equal(rv0, rv0_saved)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_batchnorm_default_running_averages(dtype):
    x = _bn_data(N=9).astype(dtype)
    bn_param = {"mode": "train"}
    L.batchnorm_forward(x, np.ones(4, dtype), np.zeros(4, dtype), bn_param)
    assert bn_param["running_mean"].shape == (4,)
    assert bn_param["running_mean"].dtype == dtype and bn_param["running_var"].dtype == dtype
    # zeros to start with, momentum 0.9, biased variance
    np.testing.assert_allclose(bn_param["running_mean"], 0.1 * x.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(bn_param["running_var"], 0.1 * x.var(axis=0), rtol=1e-5)


def test_batchnorm_test_mode_uses_the_running_averages():
    x = _bn_data(N=5)
    gamma, beta = np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.5, 0.0, -0.5, 1.0])
    rm, rv = np.array([1.0, 2.0, 3.0, 4.0]), np.array([4.0, 3.0, 2.0, 1.0])
    bn_param = {"mode": "test", "running_mean": rm, "running_var": rv, "eps": 1e-3}
    out, _ = L.batchnorm_forward(x, gamma, beta, bn_param)
    np.testing.assert_allclose(out, gamma * (x - rm) / np.sqrt(rv + 1e-3) + beta, rtol=1e-12)
    np.testing.assert_array_equal(bn_param["running_mean"], [1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(bn_param["running_var"], [4.0, 3.0, 2.0, 1.0])


def test_batchnorm_test_mode_after_warm_up():
    rng = np.random.default_rng(SEED)
    W1, W2 = rng.standard_normal((50, 60)), rng.standard_normal((60, 3))
    bn_param = {"mode": "train"}
    gamma, beta = np.ones(3), np.zeros(3)
    for _ in range(50):
        a = np.maximum(0, rng.standard_normal((200, 50)) @ W1) @ W2
        L.batchnorm_forward(a, gamma, beta, bn_param)
    bn_param["mode"] = "test"
    a = np.maximum(0, rng.standard_normal((200, 50)) @ W1) @ W2
    out, _ = L.batchnorm_forward(a, gamma, beta, bn_param)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=0.15)
    np.testing.assert_allclose(out.std(axis=0), 1, atol=0.15)


INVALID_MODE_CALLS = [
    pytest.param(lambda p: L.batchnorm_forward(np.ones((2, 3)), np.ones(3), np.zeros(3), p),
                 id="batchnorm"),
    pytest.param(lambda p: L.spatial_batchnorm_forward(np.ones((2, 3, 2, 2)), np.ones(3),
                                                       np.zeros(3), p), id="spatial_batchnorm"),
    pytest.param(lambda p: L.dropout_forward(np.ones((2, 3)), {"p": 0.5, **p}), id="dropout"),
]


@pytest.mark.parametrize("mode", ["eval", "Train", "", None])
@pytest.mark.parametrize("call", INVALID_MODE_CALLS)
def test_invalid_mode_raises_naming_the_mode(call, mode):
    param = {"mode": mode}
    with pytest.raises(ValueError) as info:
        call(param)
    assert repr(mode) in str(info.value)
    assert "running_mean" not in param


NORMALIZATIONS = [
    pytest.param(lambda x: L.batchnorm_forward(x, np.ones(4, x.dtype), np.zeros(4, x.dtype),
                                               {"mode": "train"})[0], (0,), id="batchnorm"),
    pytest.param(lambda x: L.layernorm_forward(x.T, np.ones(64, x.dtype), np.zeros(64, x.dtype),
                                               {})[0].T, (0,), id="layernorm"),
    pytest.param(lambda x: L.spatial_batchnorm_forward(x.reshape(16, 4, 2, 2), np.ones(4, x.dtype),
                                                       np.zeros(4, x.dtype), {"mode": "train"})[0],
                 (0, 2, 3), id="spatial_batchnorm"),
    pytest.param(lambda x: L.spatial_groupnorm_forward(x.T.reshape(4, 4, 4, 4),
                                                       np.ones((1, 4, 1, 1), x.dtype),
                                                       np.zeros((1, 4, 1, 1), x.dtype), 1, {})[0],
                 (1, 2, 3), id="groupnorm"),
]


@pytest.mark.parametrize("normalize, axes", NORMALIZATIONS)
def test_normalization_is_stable_for_a_large_offset(normalize, axes):
    """Data with mean 1e4 and std 1 in float32: the variance must not cancel out.

    (Computing the variance as mean(x**2) - mean(x)**2 loses every digit here.)
    """
    x = (1e4 + np.random.default_rng(SEED).standard_normal((64, 4))).astype(np.float32)
    out = normalize(x)
    assert out.dtype == np.float32 and np.all(np.isfinite(out))
    np.testing.assert_allclose(out.mean(axis=axes), 0, atol=0.02)
    np.testing.assert_allclose(out.std(axis=axes), 1, atol=0.02)


@pytest.mark.parametrize("shape", [(4, 5), (3, 2), (50, 7), (3, 1)])
def test_batchnorm_backward_equals_backward_alt(shape):
    rng = np.random.default_rng(SEED)
    x, gamma, beta = normal(shape, shape[1:], shape[1:], loc=3, scale=2)(rng)
    _, cache = L.batchnorm_forward(x, gamma, beta, {"mode": "train"})
    dout = rng.standard_normal(shape)
    for graph, alt in zip(L.batchnorm_backward(dout, cache), L.batchnorm_backward_alt(dout, cache)):
        assert rel_error(graph, alt) < 1e-9


# --------------------------------------------------------------------------- #
# Layer normalization                                                         #
# --------------------------------------------------------------------------- #

def test_layernorm_normalizes_each_row_on_its_own():
    x = _bn_data(N=6).T * np.arange(1.0, 5.0)[:, None] + 100  # rows on very different scales
    gamma, beta = np.array([2.0, 1.0, 0.5, -1.0, 3.0, 1.0]), np.linspace(-1, 1, 6)
    out, _ = L.layernorm_forward(x, np.ones(6), np.zeros(6), {})
    np.testing.assert_allclose(out.mean(axis=1), 0, atol=1e-9)
    np.testing.assert_allclose(out.std(axis=1), 1, rtol=1e-4)
    scaled, _ = L.layernorm_forward(x, gamma, beta, {"eps": 1e-5})
    np.testing.assert_allclose(scaled, gamma * out + beta, rtol=1e-12, atol=1e-12)
    # no batch statistics: a row alone gives the same result as in the batch
    alone, _ = L.layernorm_forward(x[2:3], gamma, beta, {})
    np.testing.assert_allclose(alone[0], scaled[2], rtol=1e-12)


# --------------------------------------------------------------------------- #
# Dropout                                                                     #
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("p", [0.25, 0.4, 0.7])
def test_dropout_drops_a_share_p_and_preserves_the_mean(p):
    x = np.random.default_rng(SEED).normal(10.0, 1.0, size=(400, 500))
    out, _ = L.dropout_forward(x, {"p": p, "mode": "train", "seed": 0})
    dropped = out == 0
    assert abs(dropped.mean() - p) < 0.01
    np.testing.assert_allclose(out[~dropped], x[~dropped] / (1 - p), rtol=1e-12)
    assert out.mean() == pytest.approx(x.mean(), rel=0.01)


def test_dropout_test_mode_is_the_identity():
    x = np.random.default_rng(SEED).standard_normal((5, 6))
    out, cache = L.dropout_forward(x, {"p": 0.7, "mode": "test"})
    np.testing.assert_array_equal(out, x)
    dout = np.ones_like(x)
    np.testing.assert_array_equal(L.dropout_backward(dout, cache), dout)


def test_dropout_masks_differ_across_samples():
    x = np.ones((2, 3, 8, 8))
    out, _ = L.dropout_forward(x, {"p": 0.5, "mode": "train", "seed": 1})
    assert not np.array_equal(out[0], out[1])
    for sample in out:  # every sample has its own, full-shape mask
        assert 0.3 < (sample == 0).mean() < 0.7
        assert not np.array_equal(sample[0], sample[1])


def test_dropout_backward_uses_the_forward_mask():
    rng = np.random.default_rng(SEED)
    x = np.ones((20, 30))
    out, cache = L.dropout_forward(x, {"p": 0.4, "mode": "train"})
    np.random.seed(999)  # a later draw must not change the mask
    dout = rng.standard_normal(x.shape)
    dx = L.dropout_backward(dout, cache)
    np.testing.assert_allclose(dx, dout * out, rtol=1e-12)  # out == mask, as x == 1
    assert np.array_equal(dx == 0, out == 0)


def test_dropout_seed_follows_the_course_convention():
    """With 'seed', the mask comes from np.random.seed(seed); np.random.rand(*x.shape).

    The reference drops the units whose draw is < p; the check here only pins
    what notebooks rely on: reseeding, one rand() call of x's shape, and
    reproducibility.
    """
    x = np.ones((4, 5))
    param = {"p": 0.3, "mode": "train", "seed": 42}
    out1, _ = L.dropout_forward(x, param)
    after_first = np.random.rand()
    out2, _ = L.dropout_forward(x, param)
    np.testing.assert_array_equal(out1, out2)
    np.random.seed(42)
    draws = np.random.rand(4, 5)
    assert np.random.rand() == after_first  # exactly x.size draws were consumed
    np.testing.assert_array_equal(out1 == 0, draws < 0.3)
    out3, _ = L.dropout_forward(x, {**param, "seed": 43})
    assert not np.array_equal(out1, out3)


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_dropout_refuses_p_outside_0_1(p):
    with pytest.raises(ValueError, match="p"):
        L.dropout_forward(np.ones(3), {"p": p, "mode": "train"})


def test_dropout_keeps_float32_with_a_numpy_p():
    out, _ = L.dropout_forward(np.ones((3, 4), np.float32),
                               {"p": np.float64(0.3), "mode": "train", "seed": 0})
    assert out.dtype == np.float32


# --------------------------------------------------------------------------- #
# Group normalization                                                         #
# --------------------------------------------------------------------------- #

def test_groupnorm_normalizes_each_group_of_consecutive_channels():
    rng = np.random.default_rng(SEED)
    N, C, H, W, G = 2, 6, 3, 4, 3
    x = rng.normal(size=(N, C, H, W)) * np.arange(1.0, 7.0)[None, :, None, None] + 5
    gamma = rng.standard_normal((1, C, 1, 1))
    beta = rng.standard_normal((1, C, 1, 1))
    out, _ = L.spatial_groupnorm_forward(x, np.ones((1, C, 1, 1)), np.zeros((1, C, 1, 1)), G, {})
    groups = out.reshape(N, G, -1)
    np.testing.assert_allclose(groups.mean(axis=2), 0, atol=1e-9)
    np.testing.assert_allclose(groups.std(axis=2), 1, rtol=1e-4)
    # same as layer norm of each (sample, group) row of consecutive channels
    rows, _ = L.layernorm_forward(x.reshape(N * G, -1), np.ones(C // G * H * W),
                                  np.zeros(C // G * H * W), {})
    np.testing.assert_allclose(out, rows.reshape(x.shape), rtol=1e-10, atol=1e-12)
    scaled, _ = L.spatial_groupnorm_forward(x, gamma, beta, G, {"eps": 1e-5})
    np.testing.assert_allclose(scaled, gamma * out + beta, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("G", [4, 0, 7])
def test_groupnorm_refuses_a_non_divisor(G):
    with pytest.raises(ValueError, match="G"):
        L.spatial_groupnorm_forward(np.ones((1, 6, 2, 2)), np.ones((1, 6, 1, 1)),
                                    np.zeros((1, 6, 1, 1)), G, {})


# --------------------------------------------------------------------------- #
# Spatial batch normalization and sandwiches                                  #
# --------------------------------------------------------------------------- #

def test_spatial_batchnorm_running_averages_have_shape_C():
    x = np.random.default_rng(SEED).normal(3.0, 2.0, size=(2, 3, 4, 5))
    bn_param = {"mode": "train", "momentum": 0.5}
    L.spatial_batchnorm_forward(x, np.ones(3), np.zeros(3), bn_param)
    assert bn_param["running_mean"].shape == (3,)
    np.testing.assert_allclose(bn_param["running_mean"], 0.5 * x.mean(axis=(0, 2, 3)))
    np.testing.assert_allclose(bn_param["running_var"], 0.5 * x.var(axis=(0, 2, 3)))


@pytest.mark.parametrize("normalization", ["groupnorm", "BatchNorm", None])
def test_affine_norm_relu_refuses_an_unknown_normalization(normalization):
    with pytest.raises(ValueError) as info:
        layer_utils().affine_norm_relu_forward(
            np.ones((2, 3)), np.ones((3, 4)), np.zeros(4), np.ones(4), np.zeros(4),
            {"mode": "train"}, normalization,
        )
    assert "batchnorm" in str(info.value) and "layernorm" in str(info.value)
