"""Known wrong variants of the convolution, pooling and spatial norm layers (instructor-only).

See ``layers.py`` beside this file for how entries are written and used.
"""
import numpy as np

from grader.mistakes import Catalog
from nnlayers import layers as L

CATALOG = Catalog()
entry = CATALOG.entry

conv_forward_naive, conv_backward_naive = L.conv_forward_naive, L.conv_backward_naive
max_pool_forward_naive, max_pool_backward_naive = L.max_pool_forward_naive, L.max_pool_backward_naive
batchnorm_forward, batchnorm_backward_alt = L.batchnorm_forward, L.batchnorm_backward_alt
spatial_batchnorm_forward, spatial_batchnorm_backward = L.spatial_batchnorm_forward, L.spatial_batchnorm_backward
spatial_groupnorm_forward, spatial_groupnorm_backward = L.spatial_groupnorm_forward, L.spatial_groupnorm_backward


# ----------------------------------------------------------------------------- convolution

def _conv(x, w, b, stride, pads, step):
    """Cross-correlation over x padded by ``pads`` (top, bottom, left, right), windows ``step`` apart,
    with the output size of a correct layer; a window cut short by too little padding raises ValueError
    in the product, as the slip does."""
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    pad = max(pads)  # the pad the layer was asked for
    H_out, W_out = 1 + (H + 2 * pad - HH) // stride, 1 + (W + 2 * pad - WW) // stride
    xp = np.pad(x, ((0, 0), (0, 0), pads[:2], pads[2:]))
    out = np.zeros((N, F, H_out, W_out), dtype=np.result_type(x, w, b))
    for i in range(H_out):
        for j in range(W_out):
            win = xp[:, :, i * step:i * step + HH, j * step:j * step + WW]  # cut short past the border:
            out[:, :, i, j] = win.reshape(N, -1) @ w.reshape(F, -1).T + b
    return out, (x, w, b, {"stride": stride, "pad": pad})


@entry("conv_forward_naive.no_bias", "a convolution without its bias",
       "Which input does your output not depend on?", ("conv_forward_naive.fixed", "conv_naive.reference"))
def _conv_no_bias(x, w, b, conv_param):
    out, _ = conv_forward_naive(x, w, np.zeros_like(b), conv_param)
    return out, (x, w, b, conv_param)


@entry("conv_forward_naive.flipped_filters", "a true convolution (filters flipped) instead of a cross-correlation",
       "The layer slides the filter as it is over the input, without flipping it.", ("conv_forward_naive.fixed", "conv_naive.reference"))
def _conv_flipped(x, w, b, conv_param):
    out, _ = conv_forward_naive(x, w[:, :, ::-1, ::-1], b, conv_param)
    return out, (x, w, b, conv_param)


@entry("conv_forward_naive.pad_one_side", "a convolution padded on the top and left borders only",
       "pad pixels go on all four sides of the input.",
       ("conv_forward_naive.fixed", "conv_naive.numgrad", "conv_naive.reference"))
def _conv_pad_one_side(x, w, b, conv_param):
    s, p = conv_param["stride"], conv_param["pad"]
    out, _ = _conv(x, w, b, s, (p, 0, p, 0), s)
    return out, (x, w, b, conv_param)


@entry("conv_forward_naive.ignores_stride", "a convolution whose windows move by one pixel whatever the stride",
       "Where does the window of output position (i, j) start?", ("conv_forward_naive.fixed",))
def _conv_no_stride(x, w, b, conv_param):
    s, p = conv_param["stride"], conv_param["pad"]
    out, _ = _conv(x, w, b, s, (p, p, p, p), 1)
    return out, (x, w, b, conv_param)


@entry("conv_forward_naive.py2_division", "a convolution whose output size is computed with / (a float)",
       "In Python 3, / always gives a float, and array sizes and range() need ints.",
       ("conv_forward_naive.fixed", "conv_naive.numgrad", "conv_naive.reference"))
def _conv_py2_division(x, w, b, conv_param):
    s, p = conv_param["stride"], conv_param["pad"]
    (N, _, H, W), (F, _, HH, WW) = x.shape, w.shape
    np.zeros((N, F, 1 + (H + 2 * p - HH) / s, 1 + (W + 2 * p - WW) / s))  # TypeError, like the slip
    return conv_forward_naive(x, w, b, conv_param)


@entry("conv_backward_naive.ignores_stride", "a convolution backward pass whose windows move by one pixel whatever the stride",
       "Where did the window of output position (i, j) start in the forward pass?", ("conv_naive.numgrad", "conv_naive.reference"))
def _conv_back_no_stride(dout, cache):
    x, w, b, cp = cache
    p = cp["pad"]
    HH, WW = w.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            g = dout[:, :, i, j]
            dw += np.einsum("nf,nchw->fchw", g, xp[:, :, i:i + HH, j:j + WW])
            dxp[:, :, i:i + HH, j:j + WW] += np.einsum("nf,fchw->nchw", g, w)
    return dxp[:, :, p:p + x.shape[2], p:p + x.shape[3]], dw, dout.sum(axis=(0, 2, 3))


@entry("conv_backward_naive.db_wrong_axes", "a convolution backward pass whose db keeps the batch axis",
       "db must have the shape of b: sum over every axis but the filters.", ("conv_naive.numgrad", "conv_naive.reference"))
def _conv_db_axes(dout, cache):
    dx, dw, _ = conv_backward_naive(dout, cache)
    return dx, dw, dout.sum(axis=(2, 3))


@entry("conv_backward_naive.dx_not_cropped", "a convolution backward pass that returns the gradient of the padded input",
       "dx must have the shape of x: what did the padding add?", ("conv_naive.numgrad", "conv_naive.reference"))
def _conv_dx_padded(dout, cache):
    x, w, b, conv_param = cache
    p = conv_param["pad"]
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    return conv_backward_naive(dout, (xp, w, b, {"stride": conv_param["stride"], "pad": 0}))


@entry("conv_backward_naive.dw_overwritten", "a convolution backward pass that assigns dw at each position instead of adding",
       "Every output position contributes to the filters' gradient.", ("conv_naive.numgrad", "conv_naive.reference"))
def _conv_dw_assigned(dout, cache):
    x, w, b, conv_param = cache
    dx, _, db = conv_backward_naive(dout, cache)
    s, p = conv_param["stride"], conv_param["pad"]
    i, j = dout.shape[2] - 1, dout.shape[3] - 1
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    win = xp[:, :, i * s:i * s + w.shape[2], j * s:j * s + w.shape[3]]
    dw = np.einsum("nf,nchw->fchw", dout[:, :, i, j], win)
    return dx, dw, db


@entry("conv_backward_naive.dx_in_x_buffer", "a convolution backward pass that builds dx in the cached x's memory",
       "dx = x (or a view of x) does not copy: allocate dx with np.zeros_like.", ("conv_naive.inputs_unmodified",))
def _conv_dx_in_x(dout, cache):
    dx, dw, db = conv_backward_naive(dout, cache)
    x = cache[0]
    x[...] = dx
    return x, dw, db


# ----------------------------------------------------------------------------- max pooling

def _windows(x, ph, pw, stride, H_out, W_out):
    for i in range(H_out):
        for j in range(W_out):
            yield i, j, (slice(None), slice(None), slice(i * stride, i * stride + ph), slice(j * stride, j * stride + pw))


@entry("max_pool_forward_naive.width_both_ways", "max pooling with windows pool_width high and pool_width wide",
       "Which of pool_height and pool_width does each direction use?", ("max_pool_naive.reference_overlap",))
def _pool_width_both(x, pool_param):
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    H_out, W_out = 1 + (H - ph) // s, 1 + (W - pw) // s
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i, j, win in _windows(x, pw, pw, s, H_out, W_out):
        out[:, :, i, j] = x[win].max(axis=(2, 3))
    return out, (x, pool_param)


@entry("max_pool_forward_naive.ignores_stride", "max pooling whose windows move by one pixel whatever the stride",
       "Where does the window of output position (i, j) start?", ("max_pool_forward_naive.fixed",))
def _pool_no_stride(x, pool_param):
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    H_out, W_out = 1 + (H - ph) // s, 1 + (W - pw) // s
    out = np.zeros((N, C, H_out, W_out), dtype=x.dtype)
    for i, j, win in _windows(x, ph, pw, 1, H_out, W_out):
        out[:, :, i, j] = x[win].max(axis=(2, 3))
    return out, (x, pool_param)


@entry("max_pool_forward_naive.py2_division", "max pooling whose output size is computed with / (a float)",
       "In Python 3, / always gives a float, and array sizes and range() need ints.",
       ("max_pool_forward_naive.fixed", "max_pool_naive.numgrad", "max_pool_naive.reference_overlap"))
def _pool_py2_division(x, pool_param):
    ph, pw, s = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    np.zeros((N, C, (H - ph) / s + 1, (W - pw) / s + 1))  # TypeError, like the slip
    return max_pool_forward_naive(x, pool_param)


def _pool_back(dout, cache, *, route):
    """Max pooling backward; ``route(dx, win, top, left, ph, pw, g, x)`` sends one window's gradient ``g``."""
    x, pp = cache
    ph, pw, s = pp["pool_height"], pp["pool_width"], pp["stride"]
    dx = np.zeros_like(x)
    for i, j, win in _windows(x, ph, pw, s, dout.shape[2], dout.shape[3]):
        route(dx, win, i * s, j * s, ph, pw, dout[:, :, i, j], x)
    return dx


def _first_max(x, win, ph, pw):
    N, C = x.shape[:2]
    flat = x[win].reshape(N, C, -1).argmax(axis=2)
    di, dj = np.unravel_index(flat, (ph, pw))
    n, c = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")
    return n, c, di, dj


def _route_assign(dx, win, top, left, ph, pw, g, x):
    n, c, di, dj = _first_max(x, win, ph, pw)
    dx[n, c, top + di, left + dj] = g


def _route_no_offset(dx, win, top, left, ph, pw, g, x):
    n, c, di, dj = _first_max(x, win, ph, pw)
    dx[n, c, di, dj] += g


def _route_ties(dx, win, top, left, ph, pw, g, x):
    w = x[win]
    dx[win] += (w == w.max(axis=(2, 3), keepdims=True)) * g[:, :, None, None]


CATALOG.entry("max_pool_backward_naive.assign_not_add", "max pooling backward that assigns each window's gradient instead of adding it",
              "Where windows overlap, one input can be the maximum of several windows.", ("max_pool_naive.reference_overlap",)
              )(lambda dout, cache: _pool_back(dout, cache, route=_route_assign))
CATALOG.entry("max_pool_backward_naive.no_window_offset", "max pooling backward that forgets the window's offset",
              "argmax gives a position inside the window; where does the window start in x?",
              ("max_pool_naive.numgrad", "max_pool_naive.reference_stride"))(lambda dout, cache: _pool_back(dout, cache, route=_route_no_offset))
CATALOG.entry("max_pool_backward_naive.all_ties", "max pooling backward that sends the gradient to every tied maximum",
              "With ties, the whole gradient goes to one position: the first maximum.", ("max_pool_backward_naive.ties",)
              )(lambda dout, cache: _pool_back(dout, cache, route=_route_ties))


def _route_unravel_swapped(dx, win, top, left, ph, pw, g, x):
    n, c, di, dj = _first_max(x, win, pw, ph)
    dx[n, c, top + di, left + dj] += g  # off the window (or out of x: IndexError) for non-square windows


CATALOG.entry("max_pool_backward_naive.unravel_swapped", "max pooling backward that unravels the argmax with (pool_width, pool_height)",
              "np.unravel_index needs the window's shape as (rows, columns).",
              ("max_pool_naive.reference_overlap", "max_pool_naive.reference_stride")
              )(lambda dout, cache: _pool_back(dout, cache, route=_route_unravel_swapped))


@entry("max_pool_backward_naive.zeroes_window", "max pooling backward that zeroes the non-maxima of the caller's x",
       "A slice of x is a view: writing into it writes into x.", ("max_pool_naive.inputs_unmodified",))
def _pool_zeroes_x(dout, cache):
    dx = max_pool_backward_naive(dout, cache)
    x, pp = cache
    for _, _, win in _windows(x, pp["pool_height"], pp["pool_width"], pp["stride"], dout.shape[2], dout.shape[3]):
        w = x[win]
        w[w < w.max(axis=(2, 3), keepdims=True)] = 0
    return dx


# ----------------------------------------------------------------------------- spatial batch norm

@entry("spatial_batchnorm_forward.reshape_no_transpose", "spatial batch norm that reshapes x to (-1, C) without moving C last",
       "Check that each column of your 2-d array holds one channel.",
       ("spatial_batchnorm_forward.fixed", "spatial_batchnorm.reference"))
def _sbn_no_transpose(x, gamma, beta, bn_param):
    out, cache = batchnorm_forward(x.reshape(-1, x.shape[1]), gamma, beta, bn_param)
    return out.reshape(x.shape), cache


@entry("spatial_batchnorm_forward.per_example", "spatial batch norm with statistics per example (over H and W only)",
       "Statistics are per channel over the batch AND the spatial positions.", ("spatial_batchnorm_forward.fixed",))
def _sbn_per_example(x, gamma, beta, bn_param):
    N, C, H, W = x.shape
    cols = x.transpose(2, 3, 0, 1).reshape(H * W, N * C)
    out, cache = batchnorm_forward(cols, np.tile(gamma, N), np.tile(beta, N), dict(bn_param))
    return out.reshape(H, W, N, C).transpose(2, 3, 0, 1), cache


@entry("spatial_batchnorm_forward.running_stats_4d", "spatial batch norm keeping running statistics of shape (1, C, 1, 1)",
       "running_mean and running_var have shape (C,), as in batchnorm_forward.", ("spatial_batchnorm_forward.running_averages",))
def _sbn_stats_4d(x, gamma, beta, bn_param):
    out, cache = spatial_batchnorm_forward(x, gamma, beta, bn_param)
    for k in ("running_mean", "running_var"):
        bn_param[k] = bn_param[k].reshape(1, -1, 1, 1)
    return out, cache


@entry("spatial_batchnorm_backward.dgamma_4d", "spatial batch norm backward returning dgamma and dbeta of shape (1, C, 1, 1)",
       "Gradients have the shape of what they are gradients of.", ("spatial_batchnorm.numgrad", "spatial_batchnorm.reference"))
def _sbn_dgamma_4d(dout, cache):
    dx, dgamma, dbeta = spatial_batchnorm_backward(dout, cache)
    return dx, dgamma.reshape(1, -1, 1, 1), dbeta.reshape(1, -1, 1, 1)


@entry("spatial_batchnorm_backward.reshape_no_transpose", "spatial batch norm backward that reshapes dx to (N, C, H, W) without transposing",
       "Undo the forward pass's rearrangement step by step, in reverse.", ("spatial_batchnorm.numgrad", "spatial_batchnorm.reference"))
def _sbn_back_no_transpose(dout, cache):
    N, C, H, W = dout.shape
    dx, dgamma, dbeta = batchnorm_backward_alt(dout.transpose(0, 2, 3, 1).reshape(-1, C), cache)
    return dx.reshape(N, C, H, W), dgamma, dbeta


# ----------------------------------------------------------------------------- spatial group norm

@entry("spatial_groupnorm_forward.ignores_groups", "group norm over all channels of an example (layer norm: G ignored)",
       "Each example is normalized separately within each of the G groups.", ("spatial_groupnorm_forward.fixed",))
def _gn_one_group(x, gamma, beta, G, gn_param):
    return spatial_groupnorm_forward(x, gamma, beta, 1, gn_param)


@entry("spatial_groupnorm_forward.interleaved_groups", "group norm with channel c in group c % G instead of consecutive channels",
       "Groups are made of C // G consecutive channels: check the order of the axes in your reshape.",
       ("spatial_groupnorm_forward.fixed",))
def _gn_interleaved(x, gamma, beta, G, gn_param):
    N, C, H, W = x.shape
    order = np.arange(C).reshape(C // G, G).T.ravel()  # channels of group 0 first, then group 1...
    back = np.argsort(order)
    out, (x_hat, inv_std, _, _) = spatial_groupnorm_forward(x[:, order], np.ones_like(gamma), np.zeros_like(beta), G, gn_param)
    x_hat = x_hat[:, back]
    return gamma * x_hat + beta, (x_hat, inv_std, gamma, G)


@entry("spatial_groupnorm_backward.dgamma_flat", "group norm backward returning dgamma and dbeta of shape (C,)",
       "gamma has shape (1, C, 1, 1); so must its gradient.", ("spatial_groupnorm.numgrad", "spatial_groupnorm.reference"))
def _gn_dgamma_flat(dout, cache):
    dx, dgamma, dbeta = spatial_groupnorm_backward(dout, cache)
    return dx, dgamma.ravel(), dbeta.ravel()


@entry("spatial_groupnorm_backward.missing_mean_term", "group norm backward without the path through the group mean",
       "The group mean depends on every entry of the group: its gradient adds a term.",
       ("spatial_groupnorm.numgrad", "spatial_groupnorm.reference"))
def _gn_no_mean(dout, cache):
    x_hat, inv_std, gamma, G = cache
    N, C, H, W = dout.shape
    dx, dgamma, dbeta = spatial_groupnorm_backward(dout, cache)
    dx_hat = (dout * gamma).reshape(N, G, -1)
    dx = dx.reshape(N, G, -1) + inv_std * dx_hat.mean(axis=2, keepdims=True)
    return dx.reshape(N, C, H, W), dgamma, dbeta
