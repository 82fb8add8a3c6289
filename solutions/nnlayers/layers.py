"""Neural-network layers in numpy: the part of the assignment you implement.

Every layer follows one contract:

- ``<layer>_forward(inputs..., params) -> (out, cache)``: computes the output
  and returns, in ``cache``, whatever the backward pass will need;
- ``<layer>_backward(dout, cache) -> gradients``: given the upstream gradient
  ``dout`` (same shape as ``out``), returns the gradient with respect to each
  input, each with the shape of that input.

The loss functions are the exception: ``<loss>(x, y) -> (loss, dx)``.

Rules that hold for every function here:

- inputs (``x``, ``w``, ``dout``, arrays inside parameter dicts) are never
  modified in place;
- the dtype is preserved: float32 inputs give float32 outputs and gradients;
- everything is vectorized with numpy, except the ``*_naive`` convolution and
  pooling layers, which may loop over output positions.
"""
import numpy as np

_MODES = ("train", "test")


def _check_mode(mode, layer):
    """Raise ``ValueError`` unless ``mode`` is 'train' or 'test'."""
    if mode not in _MODES:
        raise ValueError(
            f"invalid {layer} mode {mode!r}: expected 'train' or 'test'"
        )


# --------------------------------------------------------------------------- #
# Affine (fully connected) layer                                              #
# --------------------------------------------------------------------------- #

def affine_forward(x, w, b):
    """Forward pass of an affine (fully connected) layer: ``out = x w + b``.

    Each example ``x[i]`` of shape (d_1, ..., d_k) is flattened into a vector
    of length D = d_1 * ... * d_k before the product.

    Parameters
    ----------
    x : ndarray of shape (N, d_1, ..., d_k)
        A minibatch of N examples.
    w : ndarray of shape (D, M)
        Weights.
    b : ndarray of shape (M,)
        Biases.

    Returns
    -------
    out : ndarray of shape (N, M)
    cache : object
        Whatever ``affine_backward`` needs.
    """
    out, cache = None, None
    # Flatten every example into a row, multiply by the weights, add the bias.
    ### BEGIN SOLUTION
    x_rows = x.reshape(x.shape[0], -1)
    out = x_rows @ w + b
    cache = (x, w)
    ### END SOLUTION
    return out, cache


def affine_backward(dout, cache):
    """Backward pass of an affine layer.

    Parameters
    ----------
    dout : ndarray of shape (N, M)
        Upstream gradient.
    cache : object
        The cache returned by ``affine_forward``.

    Returns
    -------
    dx : ndarray of shape (N, d_1, ..., d_k)
        Gradient with respect to x, in x's original shape.
    dw : ndarray of shape (D, M)
        Gradient with respect to w.
    db : ndarray of shape (M,)
        Gradient with respect to b.
    """
    dx, dw, db = None, None, None
    # Backpropagate through the product and the broadcast bias; remember that
    # x was flattened in the forward pass.
    ### BEGIN SOLUTION
    x, w = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    ### END SOLUTION
    return dx, dw, db


# --------------------------------------------------------------------------- #
# ReLU                                                                        #
# --------------------------------------------------------------------------- #

def relu_forward(x):
    """Forward pass of a rectified linear unit: ``out = max(0, x)``.

    Parameters
    ----------
    x : ndarray of any shape

    Returns
    -------
    out : ndarray of shape x.shape
    cache : object
        Whatever ``relu_backward`` needs.
    """
    out, cache = None, None
    # Apply the elementwise maximum with zero.
    ### BEGIN SOLUTION
    out = np.maximum(x, 0)
    cache = x
    ### END SOLUTION
    return out, cache


def relu_backward(dout, cache):
    """Backward pass of a ReLU.

    Parameters
    ----------
    dout : ndarray of any shape
        Upstream gradient. It must not be modified.
    cache : object
        The cache returned by ``relu_forward``.

    Returns
    -------
    dx : ndarray of shape dout.shape
        Gradient with respect to x (taken as 0 where x <= 0).
    """
    dx = None
    # Let the gradient through only where the input was positive, without
    # writing into dout.
    ### BEGIN SOLUTION
    x = cache
    dx = dout * (x > 0)
    ### END SOLUTION
    return dx


# --------------------------------------------------------------------------- #
# Loss functions                                                              #
# --------------------------------------------------------------------------- #

def softmax_loss(x, y):
    """Softmax (cross-entropy) loss and its gradient, averaged over the batch.

    Must be numerically stable: logits of magnitude 1e4 must give a finite
    loss and gradient.

    Parameters
    ----------
    x : ndarray of shape (N, C)
        Class scores; ``x[i, j]`` is the score of class j for example i.
    y : ndarray of shape (N,), integer
        Labels, ``0 <= y[i] < C``.

    Returns
    -------
    loss : float
        Mean cross-entropy over the N examples.
    dx : ndarray of shape (N, C)
        Gradient of the loss with respect to x.
    """
    loss, dx = None, None
    # Compute log-probabilities without overflow (what can you subtract from
    # each row without changing the softmax?), then the mean negative
    # log-likelihood of the correct classes and its gradient.
    ### BEGIN SOLUTION
    n = x.shape[0]
    rows = np.arange(n)
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[rows, y].sum() / n
    dx = np.exp(log_probs)
    dx[rows, y] -= 1
    dx /= n
    ### END SOLUTION
    return loss, dx


def svm_loss(x, y):
    """Multiclass SVM (hinge) loss with margin 1, averaged over the batch.

    ``loss = mean_i sum_{j != y_i} max(0, x[i, j] - x[i, y_i] + 1)``.

    Parameters
    ----------
    x : ndarray of shape (N, C)
        Class scores.
    y : ndarray of shape (N,), integer
        Labels, ``0 <= y[i] < C``.

    Returns
    -------
    loss : float
    dx : ndarray of shape (N, C)
        Gradient of the loss with respect to x.
    """
    loss, dx = None, None
    # Compute the margins of the wrong classes against the correct one; each
    # positive margin contributes to two entries of the gradient.
    ### BEGIN SOLUTION
    n = x.shape[0]
    rows = np.arange(n)
    correct = x[rows, y][:, np.newaxis]
    margins = np.maximum(x - correct + 1, 0)
    margins[rows, y] = 0
    loss = margins.sum() / n
    dx = (margins > 0).astype(x.dtype)
    dx[rows, y] = -dx.sum(axis=1)
    dx /= n
    ### END SOLUTION
    return loss, dx


# --------------------------------------------------------------------------- #
# Batch normalization                                                         #
# --------------------------------------------------------------------------- #

def batchnorm_forward(x, gamma, beta, bn_param):
    """Forward pass of batch normalization.

    In train mode each feature is normalized with the mean and the biased
    (1/N) variance of the minibatch, then scaled by ``gamma`` and shifted by
    ``beta``. Exponential running averages of the batch statistics are kept::

        running_mean = momentum * running_mean + (1 - momentum) * batch_mean
        running_var = momentum * running_var + (1 - momentum) * batch_var

    and written back into ``bn_param``. In test mode the running averages are
    used instead of the batch statistics, and ``bn_param`` is left as it is.

    Parameters
    ----------
    x : ndarray of shape (N, D)
    gamma : ndarray of shape (D,)
        Scale.
    beta : ndarray of shape (D,)
        Shift.
    bn_param : dict
        - ``mode``: 'train' or 'test' (required; anything else is a ValueError)
        - ``eps``: added to the variance for stability (default 1e-5)
        - ``momentum``: decay of the running averages (default 0.9)
        - ``running_mean``: ndarray of shape (D,) (default zeros of x's dtype)
        - ``running_var``: ndarray of shape (D,) (default zeros of x's dtype)

    Returns
    -------
    out : ndarray of shape (N, D)
    cache : object
        Whatever the backward passes need (train mode); None in test mode.
    """
    mode = bn_param["mode"]
    _check_mode(mode, "batchnorm")
    eps = float(bn_param.get("eps", 1e-5))
    momentum = float(bn_param.get("momentum", 0.9))

    N, D = x.shape
    running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))
    running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))

    out, cache = None, None
    if mode == "train":
        # Normalize with the statistics of this minibatch, scale and shift,
        # keep in cache what the two backward passes need, and update
        # running_mean / running_var (new arrays: never write into the old).
        ### BEGIN SOLUTION
        mean = x.mean(axis=0)
        x_mu = x - mean
        var = (x_mu ** 2).mean(axis=0)
        std = np.sqrt(var + eps)
        inv_std = 1.0 / std
        x_hat = x_mu * inv_std
        out = gamma * x_hat + beta
        cache = (x_hat, x_mu, inv_std, gamma)
        running_mean = momentum * running_mean + (1 - momentum) * mean
        running_var = momentum * running_var + (1 - momentum) * var
        ### END SOLUTION
    else:
        # Normalize with the running statistics, then scale and shift.
        ### BEGIN SOLUTION
        out = gamma * ((x - running_mean) / np.sqrt(running_var + eps)) + beta
        ### END SOLUTION

    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out, cache


def batchnorm_backward(dout, cache):
    """Backward pass of batch normalization, through the computation graph.

    Work out the forward pass as a graph of elementary steps on paper and
    backpropagate through each node in turn.

    Parameters
    ----------
    dout : ndarray of shape (N, D)
        Upstream gradient.
    cache : object
        The cache returned by ``batchnorm_forward`` in train mode.

    Returns
    -------
    dx : ndarray of shape (N, D)
    dgamma : ndarray of shape (D,)
    dbeta : ndarray of shape (D,)
    """
    dx, dgamma, dbeta = None, None, None
    # Walk the graph backwards one node at a time: scale and shift, the
    # normalization, the standard deviation, the variance, the mean.
    ### BEGIN SOLUTION
    x_hat, x_mu, inv_std, gamma = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    # x_hat = x_mu * inv_std
    dx_mu = dx_hat * inv_std
    dinv_std = (dx_hat * x_mu).sum(axis=0)
    # inv_std = 1 / std,  std = sqrt(var + eps)
    dstd = -dinv_std * inv_std ** 2
    dvar = 0.5 * dstd * inv_std
    # var = mean(x_mu ** 2)
    dx_mu = dx_mu + 2 * x_mu * dvar / N
    # x_mu = x - mean,  mean = mean(x)
    dmean = -dx_mu.sum(axis=0)
    dx = dx_mu + dmean / N
    ### END SOLUTION
    return dx, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    """Backward pass of batch normalization, from a simplified closed form.

    Derive dx on paper and simplify it until it is a short expression; this
    version should be faster than ``batchnorm_backward``. It receives the same
    cache, though it may not use all of it.

    Parameters
    ----------
    dout : ndarray of shape (N, D)
        Upstream gradient.
    cache : object
        The cache returned by ``batchnorm_forward`` in train mode.

    Returns
    -------
    dx : ndarray of shape (N, D)
    dgamma : ndarray of shape (D,)
    dbeta : ndarray of shape (D,)
    """
    dx, dgamma, dbeta = None, None, None
    # Express dx with the normalized input, the inverse standard deviation
    # and a few sums over the batch.
    ### BEGIN SOLUTION
    x_hat, _, inv_std, gamma = cache
    N = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = (inv_std / N) * (
        N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)
    )
    ### END SOLUTION
    return dx, dgamma, dbeta


# --------------------------------------------------------------------------- #
# Layer normalization                                                         #
# --------------------------------------------------------------------------- #

def layernorm_forward(x, gamma, beta, ln_param):
    """Forward pass of layer normalization.

    Each example (row of x) is normalized with its own mean and biased
    variance over its D features, then scaled by ``gamma`` and shifted by
    ``beta``. Train and test behave the same; there are no running averages.

    Parameters
    ----------
    x : ndarray of shape (N, D)
    gamma : ndarray of shape (D,)
        Scale.
    beta : ndarray of shape (D,)
        Shift.
    ln_param : dict
        - ``eps``: added to the variance for stability (default 1e-5)

    Returns
    -------
    out : ndarray of shape (N, D)
    cache : object
        Whatever ``layernorm_backward`` needs.
    """
    out, cache = None, None
    eps = float(ln_param.get("eps", 1e-5))
    # Like batch normalization, but the statistics are taken over the other
    # axis.
    ### BEGIN SOLUTION
    x_mu = x - x.mean(axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt((x_mu ** 2).mean(axis=1, keepdims=True) + eps)
    x_hat = x_mu * inv_std
    out = gamma * x_hat + beta
    cache = (x_hat, inv_std, gamma)
    ### END SOLUTION
    return out, cache


def layernorm_backward(dout, cache):
    """Backward pass of layer normalization.

    Parameters
    ----------
    dout : ndarray of shape (N, D)
        Upstream gradient.
    cache : object
        The cache returned by ``layernorm_forward``.

    Returns
    -------
    dx : ndarray of shape (N, D)
    dgamma : ndarray of shape (D,)
    dbeta : ndarray of shape (D,)
    """
    dx, dgamma, dbeta = None, None, None
    # Reuse what you derived for batch normalization: the sums that were over
    # the batch are now over the features. gamma and beta are still shared by
    # all examples.
    ### BEGIN SOLUTION
    x_hat, inv_std, gamma = cache
    D = dout.shape[1]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = (inv_std / D) * (
        D * dx_hat
        - dx_hat.sum(axis=1, keepdims=True)
        - x_hat * (dx_hat * x_hat).sum(axis=1, keepdims=True)
    )
    ### END SOLUTION
    return dx, dgamma, dbeta


# --------------------------------------------------------------------------- #
# Dropout                                                                     #
# --------------------------------------------------------------------------- #

def dropout_forward(x, dropout_param):
    """Forward pass of (inverted) dropout.

    ``p`` is the probability of DROPPING a unit, as in PyTorch's
    ``nn.Dropout(p)``. (Beware: some years of the course used ``p`` as the
    probability of KEEPING a unit; not here.)

    In train mode every entry of x is zeroed independently with probability
    p, and the entries that are kept are multiplied by ``1 / (1 - p)`` so that
    the expected output equals x. In test mode the layer is the identity.

    Parameters
    ----------
    x : ndarray of any shape
    dropout_param : dict
        - ``p``: probability of dropping a unit, ``0 <= p < 1`` (required)
        - ``mode``: 'train' or 'test' (required)
        - ``seed``: optional. If given, the global generator is reseeded with
          ``np.random.seed(seed)`` and the random numbers must be drawn with
          ``np.random.rand(*x.shape)``, so that results are reproducible
          (needed for gradient checks, not for real training).

    Returns
    -------
    out : ndarray of shape x.shape and x's dtype
    cache : object
        Whatever ``dropout_backward`` needs.

    Raises
    ------
    ValueError
        If p is outside [0, 1) or the mode is not 'train' or 'test'.
    """
    p, mode = dropout_param["p"], dropout_param["mode"]
    p = float(p)
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout p is the drop probability; need 0 <= p < 1, got {p}")
    _check_mode(mode, "dropout")
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])

    mask, out = None, None
    if mode == "train":
        # Draw a mask with the full shape of x (each unit of each example is
        # independent), drop with probability p, rescale the kept units, and
        # keep the mask for the backward pass. Keep x's dtype.
        ### BEGIN SOLUTION
        keep = np.random.rand(*x.shape) >= p
        mask = keep.astype(x.dtype) / (1.0 - p)
        out = x * mask
        ### END SOLUTION
    else:
        # Test time: nothing is dropped.
        ### BEGIN SOLUTION
        out = x.copy()
        ### END SOLUTION

    cache = (mode, mask)
    return out, cache


def dropout_backward(dout, cache):
    """Backward pass of (inverted) dropout.

    Parameters
    ----------
    dout : ndarray of any shape
        Upstream gradient.
    cache : tuple (mode, mask)
        From ``dropout_forward``; ``mask`` is whatever the forward pass stored
        (None in test mode).

    Returns
    -------
    dx : ndarray of shape dout.shape
    """
    mode, mask = cache
    dx = None
    if mode == "train":
        # Use the mask of the forward pass.
        ### BEGIN SOLUTION
        dx = dout * mask
        ### END SOLUTION
    else:
        dx = dout.copy()
    return dx


# --------------------------------------------------------------------------- #
# Convolution (naive)                                                         #
# --------------------------------------------------------------------------- #

def conv_forward_naive(x, w, b, conv_param):
    """Naive forward pass of a convolutional layer (cross-correlation).

    Each of the F filters spans all C input channels. The input is zero-padded
    by ``pad`` pixels on all four sides and the filters move by ``stride``
    pixels in both directions. The output size uses integer division::

        H' = 1 + (H + 2 * pad - HH) // stride
        W' = 1 + (W + 2 * pad - WW) // stride

    Loops over output positions (and filters) are fine here.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    w : ndarray of shape (F, C, HH, WW)
        Filters.
    b : ndarray of shape (F,)
        Biases.
    conv_param : dict
        - ``stride``: step between neighbouring receptive fields (int >= 1)
        - ``pad``: zero padding added to each side of the input (int >= 0)

    Returns
    -------
    out : ndarray of shape (N, F, H', W')
    cache : tuple (x, w, b, conv_param)
    """
    stride, pad = conv_param["stride"], conv_param["pad"]
    if x.shape[1] != w.shape[1]:
        raise ValueError(
            f"x has {x.shape[1]} channels but w expects {w.shape[1]}: "
            f"x {x.shape}, w {w.shape}"
        )
    out = None
    # Pad the input, compute the output size, and for each output position
    # take the window of the padded input and combine it with every filter.
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    w_rows = w.reshape(F, -1)
    out = np.empty((N, F, H_out, W_out), dtype=np.result_type(x, w, b))
    for i in range(H_out):
        top = i * stride
        for j in range(W_out):
            left = j * stride
            window = x_pad[:, :, top:top + HH, left:left + WW].reshape(N, -1)
            out[:, :, i, j] = window @ w_rows.T + b
    ### END SOLUTION
    cache = (x, w, b, conv_param)
    return out, cache


def conv_backward_naive(dout, cache):
    """Naive backward pass of a convolutional layer.

    Parameters
    ----------
    dout : ndarray of shape (N, F, H', W')
        Upstream gradient.
    cache : tuple (x, w, b, conv_param)
        From ``conv_forward_naive``.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dw : ndarray of shape (F, C, HH, WW)
    db : ndarray of shape (F,)
    """
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    dx, dw, db = None, None, None
    # Mirror the forward loops: every output position sends gradient back to
    # its window of the padded input and to the filters. Gradients from
    # overlapping windows add up; finally drop the padding from dx.
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad = np.zeros_like(x_pad)
    dw_rows = np.zeros((F, C * HH * WW), dtype=w.dtype)
    w_rows = w.reshape(F, -1)
    for i in range(H_out):
        top = i * stride
        for j in range(W_out):
            left = j * stride
            g = dout[:, :, i, j]  # (N, F)
            window = x_pad[:, :, top:top + HH, left:left + WW].reshape(N, -1)
            dw_rows += g.T @ window
            dx_pad[:, :, top:top + HH, left:left + WW] += (g @ w_rows).reshape(
                N, C, HH, WW
            )
    dx = dx_pad[:, :, pad:pad + H, pad:pad + W].copy()
    dw = dw_rows.reshape(w.shape)
    db = dout.sum(axis=(0, 2, 3))
    ### END SOLUTION
    return dx, dw, db


# --------------------------------------------------------------------------- #
# Max pooling (naive)                                                         #
# --------------------------------------------------------------------------- #

def max_pool_forward_naive(x, pool_param):
    """Naive forward pass of a max-pooling layer.

    Windows of ``pool_height`` x ``pool_width`` move by ``stride`` in both
    directions, without padding; windows may be non-square and may overlap::

        H' = 1 + (H - pool_height) // stride
        W' = 1 + (W - pool_width) // stride

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    pool_param : dict
        - ``pool_height``: height of each window
        - ``pool_width``: width of each window
        - ``stride``: step between neighbouring windows

    Returns
    -------
    out : ndarray of shape (N, C, H', W')
    cache : tuple (x, pool_param)
    """
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    out = None
    # Compute the output size, then take the maximum of each window.
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    H_out = 1 + (H - ph) // stride
    W_out = 1 + (W - pw) // stride
    out = np.empty((N, C, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        top = i * stride
        for j in range(W_out):
            left = j * stride
            out[:, :, i, j] = x[:, :, top:top + ph, left:left + pw].max(axis=(2, 3))
    ### END SOLUTION
    cache = (x, pool_param)
    return out, cache


def max_pool_backward_naive(dout, cache):
    """Naive backward pass of a max-pooling layer.

    The gradient of each window goes to ONE input position: the first maximum
    of the window in row-major order (ties are not shared). Where windows
    overlap, the gradients they send to the same position add up.

    Parameters
    ----------
    dout : ndarray of shape (N, C, H', W')
        Upstream gradient.
    cache : tuple (x, pool_param)
        From ``max_pool_forward_naive``.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    """
    x, pool_param = cache
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    stride = pool_param["stride"]
    dx = None
    # For each window find where its maximum was (the first one, if there are
    # ties) and add that window's upstream gradient there.
    ### BEGIN SOLUTION
    N, C, _, _ = x.shape
    _, _, H_out, W_out = dout.shape
    dx = np.zeros_like(x)
    n_idx, c_idx = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")
    for i in range(H_out):
        top = i * stride
        for j in range(W_out):
            left = j * stride
            window = x[:, :, top:top + ph, left:left + pw].reshape(N, C, -1)
            di, dj = np.unravel_index(window.argmax(axis=2), (ph, pw))
            # One position per (n, c): no repeated indices within this step.
            dx[n_idx, c_idx, top + di, left + dj] += dout[:, :, i, j]
    ### END SOLUTION
    return dx


# --------------------------------------------------------------------------- #
# Spatial batch normalization and group normalization                         #
# --------------------------------------------------------------------------- #

def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    """Forward pass of spatial batch normalization (batch norm for conv nets).

    Statistics are computed per channel over the batch and both spatial
    dimensions (N * H * W values each). Same ``bn_param`` and running
    averages as ``batchnorm_forward``, with D replaced by C.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    gamma : ndarray of shape (C,)
        Scale.
    beta : ndarray of shape (C,)
        Shift.
    bn_param : dict
        As for ``batchnorm_forward``; ``running_mean`` and ``running_var``
        have shape (C,).

    Returns
    -------
    out : ndarray of shape (N, C, H, W)
    cache : object
        Whatever ``spatial_batchnorm_backward`` needs.
    """
    out, cache = None, None
    # Rearrange x so that the vanilla batchnorm_forward sees one channel per
    # column, call it, and rearrange its output back.
    ### BEGIN SOLUTION
    N, C, H, W = x.shape
    x_cols = x.transpose(0, 2, 3, 1).reshape(-1, C)
    out_cols, cache = batchnorm_forward(x_cols, gamma, beta, bn_param)
    out = out_cols.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    ### END SOLUTION
    return out, cache


def spatial_batchnorm_backward(dout, cache):
    """Backward pass of spatial batch normalization.

    Parameters
    ----------
    dout : ndarray of shape (N, C, H, W)
        Upstream gradient.
    cache : object
        The cache returned by ``spatial_batchnorm_forward``.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dgamma : ndarray of shape (C,)
    dbeta : ndarray of shape (C,)
    """
    dx, dgamma, dbeta = None, None, None
    # Same rearrangement as the forward pass, around a vanilla backward pass.
    ### BEGIN SOLUTION
    N, C, H, W = dout.shape
    dout_cols = dout.transpose(0, 2, 3, 1).reshape(-1, C)
    dx_cols, dgamma, dbeta = batchnorm_backward_alt(dout_cols, cache)
    dx = dx_cols.reshape(N, H, W, C).transpose(0, 3, 1, 2)
    ### END SOLUTION
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    """Forward pass of spatial group normalization.

    The C channels are split into G groups of C // G consecutive channels.
    Each example is normalized separately within each group, over the
    group's channels and all spatial positions, then scaled and shifted per
    channel. Train and test behave the same.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    gamma : ndarray of shape (1, C, 1, 1)
        Per-channel scale.
    beta : ndarray of shape (1, C, 1, 1)
        Per-channel shift.
    G : int
        Number of groups; C must be divisible by G.
    gn_param : dict
        - ``eps``: added to the variance for stability (default 1e-5)

    Returns
    -------
    out : ndarray of shape (N, C, H, W)
    cache : object
        Whatever ``spatial_groupnorm_backward`` needs.

    Raises
    ------
    ValueError
        If G is not a positive divisor of C.
    """
    N, C, H, W = x.shape
    if not (isinstance(G, (int, np.integer)) and G >= 1 and C % G == 0):
        raise ValueError(f"G={G!r} groups must be a positive divisor of C={C}")
    eps = float(gn_param.get("eps", 1e-5))
    out, cache = None, None
    # Reshape so that each (example, group) pair is one row, normalize every
    # row as in layer normalization, reshape back, then scale and shift per
    # channel.
    ### BEGIN SOLUTION
    x_groups = x.reshape(N, G, -1)
    x_mu = x_groups - x_groups.mean(axis=2, keepdims=True)
    inv_std = 1.0 / np.sqrt((x_mu ** 2).mean(axis=2, keepdims=True) + eps)
    x_hat = (x_mu * inv_std).reshape(N, C, H, W)
    out = gamma * x_hat + beta
    cache = (x_hat, inv_std, gamma, G)
    ### END SOLUTION
    return out, cache


def spatial_groupnorm_backward(dout, cache):
    """Backward pass of spatial group normalization.

    Parameters
    ----------
    dout : ndarray of shape (N, C, H, W)
        Upstream gradient.
    cache : object
        The cache returned by ``spatial_groupnorm_forward``.

    Returns
    -------
    dx : ndarray of shape (N, C, H, W)
    dgamma : ndarray of shape (1, C, 1, 1)
    dbeta : ndarray of shape (1, C, 1, 1)
    """
    dx, dgamma, dbeta = None, None, None
    # gamma and beta are per channel; the normalization is per (example,
    # group), as in layer normalization.
    ### BEGIN SOLUTION
    x_hat, inv_std, gamma, G = cache
    N, C, H, W = dout.shape
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    dgamma = (dout * x_hat).sum(axis=(0, 2, 3), keepdims=True)
    dx_hat = (dout * gamma).reshape(N, G, -1)
    x_hat_groups = x_hat.reshape(N, G, -1)
    M = x_hat_groups.shape[2]
    dx = (inv_std / M) * (
        M * dx_hat
        - dx_hat.sum(axis=2, keepdims=True)
        - x_hat_groups * (dx_hat * x_hat_groups).sum(axis=2, keepdims=True)
    )
    dx = dx.reshape(N, C, H, W)
    ### END SOLUTION
    return dx, dgamma, dbeta
