"""Tests of ``nnlayers.gradient_check``: the helpers every other check relies on."""
import math

import numpy as np
import pytest

from nnlayers.gradient_check import (
    eval_numerical_gradient,
    eval_numerical_gradient_array,
    grad_check_sparse,
    rel_error,
)


# --------------------------------------------------------------------------- #
# rel_error                                                                   #
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize(
    "x, y, expected",
    [
        (np.arange(6.0), np.arange(6.0), 0.0),
        (1.0, 1.1, 0.1 / 2.1),
        ([0.0, 0.0], [0.0, 0.0], 0.0),
        (0.0, 1e-10, 1e-10 / 1e-8),  # the 1e-8 floor of the denominator
        ([1.0, -2.0], [1.0, 2.0], 1.0),
        (np.zeros((0, 3)), np.zeros((0, 3)), 0.0),
    ],
    ids=["identical", "scalar", "zeros", "floor", "sign-flip", "empty"],
)
def test_rel_error_values(x, y, expected):
    result = rel_error(x, y)
    assert isinstance(result, float)
    assert result == pytest.approx(expected, rel=1e-12, abs=0)


@pytest.mark.parametrize(
    "shape_x, shape_y",
    [((3,), (1, 3)), ((2, 2), (4,)), ((), (1,)), ((5,), (6,))],
)
def test_rel_error_refuses_different_shapes(shape_x, shape_y):
    with pytest.raises(ValueError) as info:
        rel_error(np.zeros(shape_x), np.zeros(shape_y))
    assert str(shape_x) in str(info.value) and str(shape_y) in str(info.value)


@pytest.mark.parametrize(
    "x, y",
    [
        ([1.0, np.nan], [1.0, 1.0]),
        ([1.0, 1.0], [np.nan, 1.0]),
        ([np.nan], [np.nan]),
        ([np.inf, 1.0], [1.0, 1.0]),
        ([np.inf], [np.inf]),
    ],
    ids=["nan-left", "nan-right", "nan-both", "inf-one-side", "inf-both"],
)
def test_rel_error_is_nan_for_non_finite_values(x, y):
    result = rel_error(np.array(x), np.array(y))
    assert math.isnan(result)
    assert not result < 1e-7  # a broken gradient can never pass a threshold


def test_rel_error_compares_in_float64():
    a = np.float32(1.0)
    assert rel_error(a, np.float64(1.0 + 1e-9)) == pytest.approx(5e-10, rel=1e-6)


# --------------------------------------------------------------------------- #
# eval_numerical_gradient / eval_numerical_gradient_array                     #
# --------------------------------------------------------------------------- #

def test_numerical_gradient_of_a_quadratic():
    x = np.random.default_rng(0).standard_normal((3, 4))
    before = x.copy()
    grad = eval_numerical_gradient(lambda a: np.sum(a ** 2), x, verbose=False)
    assert grad.shape == x.shape
    assert rel_error(grad, 2 * x) < 1e-8
    assert np.array_equal(x, before)  # restored bit for bit


def test_numerical_gradient_prints_only_when_verbose(capsys):
    x = np.ones(3)
    eval_numerical_gradient(np.sum, x, verbose=False)
    assert capsys.readouterr().out == ""
    eval_numerical_gradient(np.sum, x, verbose=True)
    assert len(capsys.readouterr().out.strip().splitlines()) == 3


def test_numerical_gradient_restores_x_when_f_raises():
    x = np.arange(4.0)
    before = x.copy()
    calls = []

    def f(a):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return a.sum()

    with pytest.raises(RuntimeError):
        eval_numerical_gradient(f, x, verbose=False)
    assert np.array_equal(x, before)


@pytest.mark.parametrize(
    "helper",
    [
        lambda x: eval_numerical_gradient(np.sum, x, verbose=False),
        lambda x: eval_numerical_gradient_array(lambda a: a, x, np.ones(x.shape)),
        lambda x: grad_check_sparse(np.sum, x, np.ones(x.shape), verbose=False),
    ],
    ids=["scalar", "array", "sparse"],
)
def test_integer_arrays_are_refused(helper):
    with pytest.raises(TypeError, match="floating"):
        helper(np.array([0, 128]))


def test_numerical_gradient_array_is_a_vector_jacobian_product():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3))
    m = rng.standard_normal((3, 4))
    df = rng.standard_normal((2, 4))
    grad = eval_numerical_gradient_array(lambda a: a @ m, x, df)
    assert rel_error(grad, df @ m.T) < 1e-8


def test_numerical_gradient_array_copes_with_f_reusing_its_output_buffer():
    x = np.arange(1.0, 5.0)
    buffer = np.empty(4)

    def f(a):  # always returns the same array object
        np.multiply(a, 3.0, out=buffer)
        return buffer

    grad = eval_numerical_gradient_array(f, x, np.ones(4))
    assert rel_error(grad, np.full(4, 3.0)) < 1e-8


def test_numerical_gradient_array_checks_df_shape():
    with pytest.raises(ValueError, match="df"):
        eval_numerical_gradient_array(lambda a: a, np.ones(3), np.ones(4))


# --------------------------------------------------------------------------- #
# grad_check_sparse                                                           #
# --------------------------------------------------------------------------- #

def _quadratic():
    x = np.random.default_rng(2).standard_normal((5, 6))
    return (lambda a: np.sum(a ** 2)), x


def test_sparse_check_accepts_a_correct_gradient():
    f, x = _quadratic()
    errors = grad_check_sparse(f, x, 2 * x, num_checks=7, seed=0, verbose=False)
    assert len(errors) == 7
    assert max(errors) < 1e-8


def test_sparse_check_flags_a_wrong_gradient():
    f, x = _quadratic()
    errors = grad_check_sparse(f, x, 3 * x, num_checks=5, seed=0, verbose=False)
    assert min(errors) > 0.1


def test_sparse_check_is_reproducible_and_leaves_global_state_alone(capsys):
    f, x = _quadratic()
    np.random.seed(123)
    state = np.random.get_state()[1].copy()
    first = grad_check_sparse(f, x, 2.001 * x, seed=4, verbose=True)
    printed = capsys.readouterr().out
    second = grad_check_sparse(f, x, 2.001 * x, seed=4, verbose=False)
    assert first == second
    assert len(printed.strip().splitlines()) == 10
    assert capsys.readouterr().out == ""
    assert np.array_equal(np.random.get_state()[1], state)


def test_sparse_check_refuses_a_gradient_of_the_wrong_shape():
    f, x = _quadratic()
    with pytest.raises(ValueError, match="shape"):
        grad_check_sparse(f, x, (2 * x).T, verbose=False)
