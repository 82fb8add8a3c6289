"""Sandwich layers: common chains of layers behind the single layer contract.

Provided code. Each sandwich is itself a layer::

    out, cache = <sandwich>_forward(...)
    grads = <sandwich>_backward(dout, cache)

The forward pass runs the pieces in order and keeps their caches in a tuple;
the backward pass runs the pieces' backward passes in reverse order. The
fully connected sandwiches use ``layers``; the convolutional ones use the
fast convolution and pooling of ``fast_layers`` (same API as the naive
layers), with the normalization and ReLU of ``layers``.
"""
from .fast_layers import (
    conv_backward_fast,
    conv_forward_fast,
    max_pool_backward_fast,
    max_pool_forward_fast,
)
from .layers import (
    affine_backward,
    affine_forward,
    batchnorm_backward,
    batchnorm_forward,
    layernorm_backward,
    layernorm_forward,
    relu_backward,
    relu_forward,
    spatial_batchnorm_backward,
    spatial_batchnorm_forward,
)

#: Normalization layers available to ``affine_norm_relu_*``: name -> (forward, backward).
NORMALIZATIONS = {
    "batchnorm": (batchnorm_forward, batchnorm_backward),
    "layernorm": (layernorm_forward, layernorm_backward),
}


def _normalization(name):
    """Look up the (forward, backward) pair of a normalization by name."""
    try:
        return NORMALIZATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown normalization {name!r}: expected one of {sorted(NORMALIZATIONS)}"
        ) from None


# --------------------------------------------------------------------------- #
# Fully connected sandwiches                                                  #
# --------------------------------------------------------------------------- #

def affine_relu_forward(x, w, b):
    """Affine layer followed by a ReLU.

    Parameters
    ----------
    x : ndarray of shape (N, d_1, ..., d_k)
    w : ndarray of shape (D, M)
    b : ndarray of shape (M,)

    Returns
    -------
    out : ndarray of shape (N, M)
    cache : tuple (affine_cache, relu_cache)
    """
    a, fc_cache = affine_forward(x, w, b)
    out, relu_cache = relu_forward(a)
    return out, (fc_cache, relu_cache)


def affine_relu_backward(dout, cache):
    """Backward pass of ``affine_relu_forward``.

    Parameters
    ----------
    dout : ndarray of shape (N, M)
    cache : tuple (affine_cache, relu_cache)

    Returns
    -------
    dx : ndarray of shape (N, d_1, ..., d_k)
    dw : ndarray of shape (D, M)
    db : ndarray of shape (M,)
    """
    fc_cache, relu_cache = cache
    da = relu_backward(dout, relu_cache)
    return affine_backward(da, fc_cache)


def affine_norm_relu_forward(x, w, b, gamma, beta, norm_param, normalization):
    """Affine layer, then batch or layer normalization, then a ReLU.

    Parameters
    ----------
    x : ndarray of shape (N, d_1, ..., d_k)
    w : ndarray of shape (D, M)
    b : ndarray of shape (M,)
    gamma, beta : ndarray of shape (M,)
        Scale and shift of the normalization.
    norm_param : dict
        ``bn_param`` or ``ln_param`` of the normalization layer.
    normalization : {'batchnorm', 'layernorm'}

    Returns
    -------
    out : ndarray of shape (N, M)
    cache : tuple (affine_cache, normalization, norm_cache, relu_cache)

    Raises
    ------
    ValueError
        If ``normalization`` is not a known name.
    """
    norm_forward, _ = _normalization(normalization)
    a, fc_cache = affine_forward(x, w, b)
    a_norm, norm_cache = norm_forward(a, gamma, beta, norm_param)
    out, relu_cache = relu_forward(a_norm)
    return out, (fc_cache, normalization, norm_cache, relu_cache)


def affine_norm_relu_backward(dout, cache):
    """Backward pass of ``affine_norm_relu_forward`` (train mode).

    Parameters
    ----------
    dout : ndarray of shape (N, M)
    cache : tuple (affine_cache, normalization, norm_cache, relu_cache)

    Returns
    -------
    dx : ndarray of shape (N, d_1, ..., d_k)
    dw : ndarray of shape (D, M)
    db : ndarray of shape (M,)
    dgamma, dbeta : ndarray of shape (M,)
    """
    fc_cache, normalization, norm_cache, relu_cache = cache
    _, norm_backward = _normalization(normalization)
    da_norm = relu_backward(dout, relu_cache)
    da, dgamma, dbeta = norm_backward(da_norm, norm_cache)
    dx, dw, db = affine_backward(da, fc_cache)
    return dx, dw, db, dgamma, dbeta


# --------------------------------------------------------------------------- #
# Convolutional sandwiches                                                    #
# --------------------------------------------------------------------------- #

def conv_relu_forward(x, w, b, conv_param):
    """Convolution followed by a ReLU.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    w : ndarray of shape (F, C, HH, WW)
    b : ndarray of shape (F,)
    conv_param : dict with keys 'stride' and 'pad'

    Returns
    -------
    out : ndarray of shape (N, F, H', W')
    cache : tuple (conv_cache, relu_cache)
    """
    a, conv_cache = conv_forward_fast(x, w, b, conv_param)
    out, relu_cache = relu_forward(a)
    return out, (conv_cache, relu_cache)


def conv_relu_backward(dout, cache):
    """Backward pass of ``conv_relu_forward``.

    Parameters
    ----------
    dout : ndarray of shape (N, F, H', W')
    cache : tuple (conv_cache, relu_cache)

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dw : ndarray of shape (F, C, HH, WW)
    db : ndarray of shape (F,)
    """
    conv_cache, relu_cache = cache
    da = relu_backward(dout, relu_cache)
    return conv_backward_fast(da, conv_cache)


def conv_bn_relu_forward(x, w, b, gamma, beta, conv_param, bn_param):
    """Convolution, then spatial batch normalization, then a ReLU.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    w : ndarray of shape (F, C, HH, WW)
    b : ndarray of shape (F,)
    gamma, beta : ndarray of shape (F,)
        Scale and shift of the spatial batch normalization.
    conv_param : dict with keys 'stride' and 'pad'
    bn_param : dict
        As for ``spatial_batchnorm_forward``.

    Returns
    -------
    out : ndarray of shape (N, F, H', W')
    cache : tuple (conv_cache, bn_cache, relu_cache)
    """
    a, conv_cache = conv_forward_fast(x, w, b, conv_param)
    an, bn_cache = spatial_batchnorm_forward(a, gamma, beta, bn_param)
    out, relu_cache = relu_forward(an)
    return out, (conv_cache, bn_cache, relu_cache)


def conv_bn_relu_backward(dout, cache):
    """Backward pass of ``conv_bn_relu_forward`` (train mode).

    Parameters
    ----------
    dout : ndarray of shape (N, F, H', W')
    cache : tuple (conv_cache, bn_cache, relu_cache)

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dw : ndarray of shape (F, C, HH, WW)
    db : ndarray of shape (F,)
    dgamma, dbeta : ndarray of shape (F,)
    """
    conv_cache, bn_cache, relu_cache = cache
    dan = relu_backward(dout, relu_cache)
    da, dgamma, dbeta = spatial_batchnorm_backward(dan, bn_cache)
    dx, dw, db = conv_backward_fast(da, conv_cache)
    return dx, dw, db, dgamma, dbeta


def conv_relu_pool_forward(x, w, b, conv_param, pool_param):
    """Convolution, then a ReLU, then max pooling.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    w : ndarray of shape (F, C, HH, WW)
    b : ndarray of shape (F,)
    conv_param : dict with keys 'stride' and 'pad'
    pool_param : dict with keys 'pool_height', 'pool_width' and 'stride'

    Returns
    -------
    out : ndarray of shape (N, F, H'', W'')
    cache : tuple (conv_cache, relu_cache, pool_cache)
    """
    a, conv_cache = conv_forward_fast(x, w, b, conv_param)
    s, relu_cache = relu_forward(a)
    out, pool_cache = max_pool_forward_fast(s, pool_param)
    return out, (conv_cache, relu_cache, pool_cache)


def conv_relu_pool_backward(dout, cache):
    """Backward pass of ``conv_relu_pool_forward``.

    Parameters
    ----------
    dout : ndarray of shape (N, F, H'', W'')
    cache : tuple (conv_cache, relu_cache, pool_cache)

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dw : ndarray of shape (F, C, HH, WW)
    db : ndarray of shape (F,)
    """
    conv_cache, relu_cache, pool_cache = cache
    ds = max_pool_backward_fast(dout, pool_cache)
    da = relu_backward(ds, relu_cache)
    return conv_backward_fast(da, conv_cache)
