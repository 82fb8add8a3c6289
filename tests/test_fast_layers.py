"""The fast layers against a direct loop reference, on both kernel backends.

The reference below is written from the definition (loops over images, filters
and output positions), independent of ``nnlayers.layers``.
"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnlayers import fast_layers as fl

ROOT = Path(__file__).resolve().parents[1]
FAST_LAYERS_SRC = ROOT / "solutions" / "nnlayers" / "fast_layers.py"
BACKENDS = ["nnfast", "numpy"]
TOL = {np.float64: 1e-9, np.float32: 2e-5}
HYPOTHESIS = settings(max_examples=100, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture])


def rel_err(mine, ref):
    """Largest absolute difference relative to the reference's largest magnitude."""
    mine, ref = np.asarray(mine, np.float64), np.asarray(ref, np.float64)
    assert mine.shape == ref.shape, f"shape mine {mine.shape} vs reference {ref.shape}"
    return float(np.abs(mine - ref).max(initial=0.0) / max(np.abs(ref).max(initial=0.0), 1e-30))


# ---------------------------------------------------------------------------
# Direct loop references (float64)
# ---------------------------------------------------------------------------
def conv_ref(x, w, b, stride, pad):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    Ho, Wo = 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride
    out = np.zeros((N, F, Ho, Wo))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    win = xp[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(win * w[f]) + b[f]
    return out


def conv_ref_backward(dout, x, w, stride, pad):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros_like(xp), np.zeros(w.shape)
    _, _, Ho, Wo = dout.shape
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    hs, ws = slice(i * stride, i * stride + HH), slice(j * stride, j * stride + WW)
                    dxp[n, :, hs, ws] += w[f] * dout[n, f, i, j]
                    dw[f] += xp[n, :, hs, ws] * dout[n, f, i, j]
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, dout.sum(axis=(0, 2, 3), dtype=np.float64)


def pool_ref(x, ph, pw, stride):
    """Returns out and dx-scatter positions: first maximum in row-major window order."""
    N, C, H, W = x.shape
    Ho, Wo = 1 + (H - ph) // stride, 1 + (W - pw) // stride
    out = np.zeros((N, C, Ho, Wo))
    where = np.zeros((N, C, Ho, Wo, 2), int)
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    win = x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw]
                    k = int(np.argmax(win))
                    out[n, c, i, j] = win.flat[k]
                    where[n, c, i, j] = (i * stride + k // pw, j * stride + k % pw)
    return out, where


def pool_ref_backward(dout, where, x_shape):
    dx = np.zeros(x_shape)
    N, C, Ho, Wo = dout.shape
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    h, w = where[n, c, i, j]
                    dx[n, c, h, w] += dout[n, c, i, j]
    return dx


# ---------------------------------------------------------------------------
# Fixtures and strategies
# ---------------------------------------------------------------------------
def available(name):
    return name == "numpy" or fl._nnfast is not None


@pytest.fixture(params=BACKENDS)
def backend(request):
    if not available(request.param):
        pytest.skip("nnfast is not built (test_extension_is_built says so)")
    previous = fl.set_backend(request.param)
    yield request.param
    fl.set_backend(previous)


@st.composite
def conv_cases(draw):
    stride, pad = draw(st.integers(1, 3)), draw(st.integers(0, 2))
    HH, WW = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    H = draw(st.integers(max(1, HH - 2 * pad), 9))
    W = draw(st.integers(max(1, WW - 2 * pad), 9))
    N, C, F = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    chunk = draw(st.sampled_from([1, 3000, 4 << 20]))  # one image, a few, all per chunk
    return (N, C, H, W), (F, C, HH, WW), stride, pad, chunk, draw(st.integers(0, 2**32 - 1))


@st.composite
def pool_cases(draw):
    ph, pw, stride = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 5))
    H, W = draw(st.integers(ph, 10)), draw(st.integers(pw, 10))
    N, C = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    ties = draw(st.booleans())
    return (N, C, H, W), ph, pw, stride, ties, draw(st.integers(0, 2**32 - 1))


def make_pool_input(shape, ties, rng, dtype):
    if ties:  # few distinct values: most windows hold several maxima
        return rng.integers(-1, 2, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


# ---------------------------------------------------------------------------
# Convolution
# ---------------------------------------------------------------------------
def test_extension_is_built():
    assert fl._nnfast is not None, "nnfast is not built: run `pip install -e .` in the harness folder"
    assert fl.get_backend() == "nnfast" or os.environ.get("NNLAYERS_NO_EXT")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@HYPOTHESIS
@given(case=conv_cases())
def test_conv_matches_loop_reference(backend, dtype, case):
    x_shape, w_shape, stride, pad, chunk, seed = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(x_shape).astype(dtype)
    w = rng.standard_normal(w_shape).astype(dtype)
    b = rng.standard_normal(w_shape[0]).astype(dtype)
    saved, fl.CHUNK_BYTES = fl.CHUNK_BYTES, chunk
    try:
        out, cache = fl.conv_forward_fast(x, w, b, {"stride": stride, "pad": pad})
        dout = rng.standard_normal(out.shape).astype(dtype)
        dx, dw, db = fl.conv_backward_fast(dout, cache)
    finally:
        fl.CHUNK_BYTES = saved
    ref_dx, ref_dw, ref_db = conv_ref_backward(dout, x, w, stride, pad)
    tol = TOL[dtype]
    for name, mine, ref in [("out", out, conv_ref(x, w, b, stride, pad)),
                            ("dx", dx, ref_dx), ("dw", dw, ref_dw), ("db", db, ref_db)]:
        assert mine.dtype == dtype, f"{name}: dtype {mine.dtype}, expected {dtype}"
        err = rel_err(mine, ref)
        if name == "db":  # a plain sum of dout: measure round-off against the sum of the magnitudes it adds
            err = float(np.abs(np.asarray(mine, np.float64) - ref).max() / np.abs(dout.astype(np.float64)).sum(axis=(0, 2, 3)).max())
        assert err < tol, f"{name}: error {err:.2e} (case {case})"


def test_conv_backends_agree():
    if not available("nnfast"):
        pytest.skip("nnfast is not built")
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((4, 3, 11, 9)), rng.standard_normal((5, 3, 3, 2)), rng.standard_normal(5)
    results = []
    for name in BACKENDS:
        previous = fl.set_backend(name)
        try:
            out, cache = fl.conv_forward_fast(x, w, b, {"stride": 2, "pad": 1})
            results.append((out, *fl.conv_backward_fast(np.ones_like(out), cache)))
        finally:
            fl.set_backend(previous)
    for mine, ref in zip(*results):
        assert rel_err(mine, ref) < 1e-12


def test_conv_inputs_unmodified_and_noncontiguous(backend):
    rng = np.random.default_rng(1)
    x = np.asfortranarray(rng.standard_normal((3, 2, 7, 8)))[:, :, ::-1]
    w, b = rng.standard_normal((4, 2, 3, 3)), rng.standard_normal(4)
    copies = [a.copy() for a in (x, w, b)]
    out, cache = fl.conv_forward_fast(x, w, b, {"stride": 1, "pad": 1})
    dout = rng.standard_normal(out.shape)[..., ::-1]
    dout_copy = dout.copy()
    dx, dw, db = fl.conv_backward_fast(dout, cache)
    for a, c in zip((x, w, b, dout), (*copies, dout_copy)):
        np.testing.assert_array_equal(a, c)
    ref_dx, ref_dw, _ = conv_ref_backward(dout_copy, copies[0], copies[1], 1, 1)
    assert rel_err(out, conv_ref(copies[0], copies[1], copies[2], 1, 1)) < 1e-12
    assert rel_err(dx, ref_dx) < 1e-12 and rel_err(dw, ref_dw) < 1e-12


def test_conv_cache_survives_later_calls(backend):
    """Work buffers are reused between calls: a cache must not point into them."""
    rng = np.random.default_rng(2)
    x1, x2 = rng.standard_normal((2, 3, 6, 6)), rng.standard_normal((2, 3, 6, 6))
    w, b = rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)
    out1, cache1 = fl.conv_forward_fast(x1, w, b, {"stride": 1, "pad": 1})
    fl.conv_forward_fast(x2, 2 * w, b, {"stride": 1, "pad": 1})
    dout = rng.standard_normal(out1.shape)
    dx, dw, db = fl.conv_backward_fast(dout, cache1)
    ref = conv_ref_backward(dout, x1, w, 1, 1)
    for mine, r in zip((dx, dw, db), ref):
        assert rel_err(mine, r) < 1e-12


def test_conv_threads_do_not_share_work_buffers(backend):
    from concurrent.futures import ThreadPoolExecutor
    rng = np.random.default_rng(6)
    w, b = rng.standard_normal((8, 8, 3, 3)), rng.standard_normal(8)
    xs = [rng.standard_normal((4, 8, 24, 24)) for _ in range(8)]  # big enough to interleave

    def run(x):
        out, cache = fl.conv_forward_fast(x, w, b, {"stride": 1, "pad": 1})
        return out, fl.conv_backward_fast(out, cache)[0]
    expected = [run(x) for x in xs]
    with ThreadPoolExecutor(4) as pool:
        for _ in range(3):
            for (out, dx), (ref_out, ref_dx) in zip(pool.map(run, xs), expected):
                np.testing.assert_array_equal(out, ref_out)
                np.testing.assert_array_equal(dx, ref_dx)


@pytest.mark.parametrize("dtypes, expected", [
    ((np.float32, np.float32, np.float32), np.float32),
    ((np.float64, np.float64, np.float64), np.float64),
    ((np.float32, np.float64, np.float32), np.float64),
    ((np.int64, np.int64, np.int64), np.float64),
])
def test_conv_dtype(backend, dtypes, expected):
    x = np.arange(2 * 2 * 5 * 5).reshape(2, 2, 5, 5).astype(dtypes[0])
    w = np.ones((3, 2, 3, 3), dtypes[1])
    b = np.arange(3).astype(dtypes[2])
    out, cache = fl.conv_forward_fast(x, w, b, {"stride": 2, "pad": 0})
    grads = fl.conv_backward_fast(np.ones(out.shape, np.float64), cache)
    assert [a.dtype for a in (out, *grads)] == [np.dtype(expected)] * 4


def test_conv_rejects_bad_shapes():
    x, w, b = np.zeros((1, 2, 3, 3)), np.zeros((1, 3, 2, 2)), np.zeros(1)
    with pytest.raises(ValueError, match="channels"):
        fl.conv_forward_fast(x, w, b, {"stride": 1, "pad": 0})
    with pytest.raises(ValueError, match="larger"):
        fl.conv_forward_fast(x, np.zeros((1, 2, 5, 5)), b, {"stride": 1, "pad": 0})
    out, cache = fl.conv_forward_fast(x, np.zeros((1, 2, 2, 2)), b, {"stride": 1, "pad": 0})
    with pytest.raises(ValueError, match="dout"):
        fl.conv_backward_fast(np.zeros((1, 1, 3, 3)), cache)


# ---------------------------------------------------------------------------
# Max pooling
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@HYPOTHESIS
@given(case=pool_cases())
def test_pool_matches_loop_reference(backend, dtype, case):
    x_shape, ph, pw, stride, ties, seed = case
    rng = np.random.default_rng(seed)
    x = make_pool_input(x_shape, ties, rng, dtype)
    out, cache = fl.max_pool_forward_fast(x, {"pool_height": ph, "pool_width": pw, "stride": stride})
    ref_out, where = pool_ref(x, ph, pw, stride)
    np.testing.assert_array_equal(out, ref_out)
    dout = rng.standard_normal(out.shape).astype(dtype)
    dx = fl.max_pool_backward_fast(dout, cache)
    assert out.dtype == dtype and dx.dtype == dtype
    assert rel_err(dx, pool_ref_backward(dout, where, x_shape)) < TOL[dtype]


def test_pool_ties_go_to_first_maximum_only(backend):
    x = np.zeros((1, 1, 4, 4))  # every window is all ties
    out, cache = fl.max_pool_forward_fast(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
    dx = fl.max_pool_backward_fast(np.ones_like(out), cache)
    expected = np.zeros((4, 4))
    expected[::2, ::2] = 1
    np.testing.assert_array_equal(dx[0, 0], expected)


def test_pool_overlapping_windows_accumulate(backend):
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 5  # the maximum of all four overlapping 2x2 windows
    out, cache = fl.max_pool_forward_fast(x, {"pool_height": 2, "pool_width": 2, "stride": 1})
    dx = fl.max_pool_backward_fast(np.arange(1.0, 5.0).reshape(1, 1, 2, 2), cache)
    assert dx[0, 0, 1, 1] == 10 and dx.sum() == 10


def test_pool_nan_wins_like_numpy_argmax(backend):
    x = np.array([[[[1.0, np.nan], [np.nan, 3.0]]]])
    out, cache = fl.max_pool_forward_fast(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
    assert np.isnan(out[0, 0, 0, 0])
    dx = fl.max_pool_backward_fast(np.ones_like(out), cache)
    np.testing.assert_array_equal(dx[0, 0], [[0, 1], [0, 0]])


def test_pool_inputs_unmodified_and_noncontiguous(backend):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 8, 6)).transpose(0, 1, 3, 2)
    x_copy = x.copy()
    out, cache = fl.max_pool_forward_fast(x, {"pool_height": 3, "pool_width": 2, "stride": 2})
    dout = rng.standard_normal(out.shape)
    dout_copy = dout.copy()
    dx = fl.max_pool_backward_fast(dout, cache)
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(dout, dout_copy)
    ref_out, where = pool_ref(x_copy, 3, 2, 2)
    np.testing.assert_array_equal(out, ref_out)
    np.testing.assert_array_equal(dx, pool_ref_backward(dout_copy, where, x.shape))


def test_pool_rejects_bad_params():
    with pytest.raises(ValueError):
        fl.max_pool_forward_fast(np.zeros((1, 1, 2, 2)), {"pool_height": 3, "pool_width": 1, "stride": 1})
    with pytest.raises(ValueError):
        fl.max_pool_forward_fast(np.zeros((1, 1, 2, 2)), {"pool_height": 1, "pool_width": 1, "stride": 0})


# ---------------------------------------------------------------------------
# Numeric gradients (central differences)
# ---------------------------------------------------------------------------
def numeric_grad(f, x, dout, h=1e-6):
    """d(sum(f(x) * dout))/dx by central differences; x is perturbed in place and restored."""
    grad = np.zeros_like(x)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        plus = np.sum(f(x) * dout)
        x[ix] = old - h
        minus = np.sum(f(x) * dout)
        x[ix] = old
        grad[ix] = (plus - minus) / (2 * h)
    return grad


@pytest.mark.parametrize("x_shape, w_shape, stride, pad", [
    ((2, 3, 5, 5), (2, 3, 3, 3), 1, 1),
    ((1, 2, 6, 5), (3, 2, 2, 3), 2, 2),
])
def test_conv_numeric_gradient(backend, x_shape, w_shape, stride, pad):
    rng = np.random.default_rng(4)
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
    cp = {"stride": stride, "pad": pad}
    out, cache = fl.conv_forward_fast(x, w, b, cp)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = fl.conv_backward_fast(dout, cache)
    assert rel_err(dx, numeric_grad(lambda v: fl.conv_forward_fast(v, w, b, cp)[0], x, dout)) < 1e-7
    assert rel_err(dw, numeric_grad(lambda v: fl.conv_forward_fast(x, v, b, cp)[0], w, dout)) < 1e-7
    assert rel_err(db, numeric_grad(lambda v: fl.conv_forward_fast(x, w, v, cp)[0], b, dout)) < 1e-7


@pytest.mark.parametrize("x_shape, ph, pw, stride", [((2, 2, 6, 6), 2, 2, 2), ((1, 2, 7, 5), 3, 2, 1)])
def test_pool_numeric_gradient(backend, x_shape, ph, pw, stride):
    rng = np.random.default_rng(5)
    x = rng.permutation(np.prod(x_shape)).reshape(x_shape) / 7.0  # distinct values: no ties
    pp = {"pool_height": ph, "pool_width": pw, "stride": stride}
    out, cache = fl.max_pool_forward_fast(x, pp)
    dout = rng.standard_normal(out.shape)
    dx = fl.max_pool_backward_fast(dout, cache)
    assert rel_err(dx, numeric_grad(lambda v: fl.max_pool_forward_fast(v, pp)[0], x, dout)) < 1e-7


# ---------------------------------------------------------------------------
# Backend selection, the missing-extension warning, the compiled kernels' checks
# ---------------------------------------------------------------------------
def run_python(code, **env):
    """Run code in a fresh interpreter with solutions/ on the path; return stdout."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT / "solutions"), **env}
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=full_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


USE_ALL_LAYERS = """
    import warnings
    import numpy as np
    warnings.simplefilter("always")
    with warnings.catch_warnings(record=True) as caught:
        from nnlayers import fast_layers as fl
        x, w, b = np.ones((1, 1, 4, 4)), np.ones((1, 1, 3, 3)), np.zeros(1)
        for _ in range(2):
            out, cache = fl.conv_forward_fast(x, w, b, {"stride": 1, "pad": 1})
            fl.conv_backward_fast(out, cache)
            out, cache = fl.max_pool_forward_fast(x, {"pool_height": 2, "pool_width": 2, "stride": 2})
            fl.max_pool_backward_fast(out, cache)
    print(fl.get_backend(), len(caught))
    for w in caught:
        print(w.message)
"""


def test_missing_extension_warns_once_and_falls_back():
    out = run_python("import sys; sys.modules['nnfast'] = None\n" + textwrap.dedent(USE_ALL_LAYERS))
    lines = out.splitlines()
    assert lines[0] == "numpy 1", out
    assert "nnfast" in lines[1] and "pip install ." in lines[1]


def test_env_var_forces_numpy_without_warning():
    assert run_python(USE_ALL_LAYERS, NNLAYERS_NO_EXT="1").splitlines() == ["numpy 0"]


def test_set_backend_validates():
    with pytest.raises(ValueError, match="unknown backend"):
        fl.set_backend("cuda")


def test_nnfast_import_error_when_not_built():
    code = """
        import sys
        sys.modules["nnfast._im2col"] = None  # as if the .so were missing
        try:
            import nnfast
        except ImportError:
            print("ImportError")
    """
    assert run_python(code) == "ImportError"


def test_fast_layers_stands_alone():
    """The file is copied verbatim into the starter package: numpy, nnfast and stdlib only."""
    tree = ast.parse(FAST_LAYERS_SRC.read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "os", "threading", "warnings", "types", "numpy", "nnfast"}


def test_nnfast_kernels_check_their_arguments():
    nnfast = pytest.importorskip("nnfast")
    x = np.zeros((1, 1, 4, 4))
    with pytest.raises(ValueError, match="cols"):
        nnfast.im2col(x, np.zeros((9, 1, 3)), 3, 3, 1, 1)
    with pytest.raises(ValueError, match="contiguous"):
        nnfast.im2col(x, np.zeros((9, 1, 32))[:, :, ::2], 3, 3, 1, 1)
    bad = np.full((1, 1, 2, 2), 16, np.intp)
    with pytest.raises(ValueError, match="outside"):
        nnfast.max_pool_backward(np.ones((1, 1, 2, 2)), bad, np.zeros_like(x))
