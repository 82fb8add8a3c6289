"""An alternative, independently written solution of the student layers.

It exists to show that the grader accepts correct code that is organised
differently from the reference: caches are dicts, products go through
``np.tensordot`` / ``np.einsum``, the graph version of the batchnorm backward
pass takes many tiny steps, the naive convolution loops over examples and
output positions, pooling records its argmax in the cache, and the spatial
normalizations reduce over axes directly instead of reusing the vanilla
layers.
"""
import numpy as np

_VALID_MODES = {"train", "test"}


def _require_mode(mode, what):
    if mode not in _VALID_MODES:
        raise ValueError(f"{what}: mode must be 'train' or 'test', not {mode!r}")


def _zeros_like_dtype(shape, dtype):
    return np.zeros(shape, dtype=dtype)


# ----------------------------------------------------------------------------- affine / relu


def affine_forward(x, w, b):
    rows = x.reshape(x.shape[0], -1)
    out = np.tensordot(rows, w, axes=([1], [0])) + b
    cache = {"rows": rows, "x_shape": x.shape, "w": w}
    return out, cache


def affine_backward(dout, cache):
    rows, w = cache["rows"], cache["w"]
    dw = np.einsum("nd,nm->dm", rows, dout, optimize=True)
    dx = np.einsum("nm,dm->nd", dout, w, optimize=True).reshape(cache["x_shape"])
    db = np.einsum("nm->m", dout)
    return dx, dw, db


def relu_forward(x):
    positive = x > 0
    out = np.where(positive, x, np.zeros((), dtype=x.dtype))
    return out, {"positive": positive}


def relu_backward(dout, cache):
    return np.where(cache["positive"], dout, np.zeros((), dtype=dout.dtype))


# ----------------------------------------------------------------------------- losses


def softmax_loss(x, y):
    n = x.shape[0]
    picks = (np.arange(n), y)
    top = np.max(x, axis=1, keepdims=True)
    log_z = top + np.log(np.sum(np.exp(x - top), axis=1, keepdims=True))
    log_prob = x - log_z
    loss = float(-np.sum(log_prob[picks]) / n)
    grad = np.exp(log_prob)
    grad[picks] -= 1
    grad /= n
    return loss, grad


def svm_loss(x, y):
    n = x.shape[0]
    picks = (np.arange(n), y)
    correct = x[picks][:, None]
    hinge = np.maximum(x - correct + 1, 0)
    hinge[picks] = 0
    loss = float(hinge.sum() / n)
    active = (hinge > 0).astype(x.dtype)
    active[picks] = -active.sum(axis=1)
    active /= n
    return loss, active


# ----------------------------------------------------------------------------- batch norm


def _running_update(bn_param, key, batch_value, momentum, size, dtype):
    old = bn_param.get(key)
    if old is None:
        old = _zeros_like_dtype(size, dtype)
    bn_param[key] = momentum * old + (1 - momentum) * batch_value


def batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    _require_mode(mode, "batchnorm_forward")
    eps = float(bn_param.get("eps", 1e-5))
    momentum = float(bn_param.get("momentum", 0.9))
    D = x.shape[1]

    if mode == "test":
        rm = bn_param.get("running_mean")
        rv = bn_param.get("running_var")
        if rm is None:
            rm = _zeros_like_dtype(D, x.dtype)
        if rv is None:
            rv = _zeros_like_dtype(D, x.dtype)
        scale = gamma / np.sqrt(rv + eps)
        return x * scale + (beta - rm * scale), None

    # the graph, one node at a time
    mu = np.mean(x, axis=0)
    centred = x - mu
    squared = centred * centred
    var = np.mean(squared, axis=0)
    shifted_var = var + eps
    std = np.sqrt(shifted_var)
    inv_std = 1 / std
    xhat = centred * inv_std
    scaled = xhat * gamma
    out = scaled + beta

    _running_update(bn_param, "running_mean", mu, momentum, D, x.dtype)
    _running_update(bn_param, "running_var", var, momentum, D, x.dtype)

    cache = {"N": x.shape[0], "centred": centred, "std": std, "inv_std": inv_std,
             "xhat": xhat, "gamma": gamma}
    return out, cache


def batchnorm_backward(dout, cache):
    """Backpropagate through the graph of batchnorm_forward, node by node."""
    N = cache["N"]
    centred, std, inv_std = cache["centred"], cache["std"], cache["inv_std"]
    xhat, gamma = cache["xhat"], cache["gamma"]

    # out = scaled + beta
    dbeta = np.sum(dout, axis=0)
    dscaled = dout
    # scaled = xhat * gamma
    dgamma = np.sum(dscaled * xhat, axis=0)
    dxhat = dscaled * gamma
    # xhat = centred * inv_std
    dcentred_a = dxhat * inv_std
    dinv_std = np.sum(dxhat * centred, axis=0)
    # inv_std = 1 / std
    dstd = -dinv_std / (std * std)
    # std = sqrt(shifted_var)
    dshifted_var = dstd / (2 * std)
    # shifted_var = var + eps
    dvar = dshifted_var
    # var = mean(squared)
    dsquared = np.broadcast_to(dvar / N, centred.shape)
    # squared = centred * centred
    dcentred_b = 2 * centred * dsquared
    dcentred = dcentred_a + dcentred_b
    # centred = x - mu
    dx_direct = dcentred
    dmu = -np.sum(dcentred, axis=0)
    # mu = mean(x)
    dx_mean = np.broadcast_to(dmu / N, centred.shape)
    dx = dx_direct + dx_mean
    return dx, dgamma, dbeta


def batchnorm_backward_alt(dout, cache):
    """Closed form written with dgamma and dbeta themselves."""
    N, xhat, inv_std, gamma = cache["N"], cache["xhat"], cache["inv_std"], cache["gamma"]
    dbeta = dout.sum(axis=0)
    dgamma = np.einsum("nd,nd->d", dout, xhat)
    dx = (gamma * inv_std) * (dout - (dbeta + xhat * dgamma) / N)
    return dx, dgamma, dbeta


# ----------------------------------------------------------------------------- layer norm


def _normalize_last(x3, eps):
    """Normalize over the last axis; returns (xhat, inv_std)."""
    mean = x3.mean(axis=-1, keepdims=True)
    dev = x3 - mean
    inv_std = 1 / np.sqrt(np.mean(dev ** 2, axis=-1, keepdims=True) + eps)
    return dev * inv_std, inv_std


def _normalize_last_backward(dxhat, xhat, inv_std):
    a = dxhat.mean(axis=-1, keepdims=True)
    b = (dxhat * xhat).mean(axis=-1, keepdims=True)
    return inv_std * (dxhat - a - xhat * b)


def layernorm_forward(x, gamma, beta, ln_param):
    eps = float(ln_param.get("eps", 1e-5))
    xhat, inv_std = _normalize_last(x, eps)
    out = gamma * xhat + beta
    return out, {"xhat": xhat, "inv_std": inv_std, "gamma": gamma}


def layernorm_backward(dout, cache):
    xhat, inv_std, gamma = cache["xhat"], cache["inv_std"], cache["gamma"]
    dgamma = np.einsum("nd,nd->d", dout, xhat)
    dbeta = np.einsum("nd->d", dout)
    dx = _normalize_last_backward(dout * gamma, xhat, inv_std)
    return dx, dgamma, dbeta


# ----------------------------------------------------------------------------- dropout


def dropout_forward(x, dropout_param):
    p = float(dropout_param["p"])
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout p must be in [0, 1), got {p}")
    mode = dropout_param["mode"]
    _require_mode(mode, "dropout_forward")
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])

    if mode == "test":
        return x.copy(), ("test", None)
    keep = np.random.rand(*x.shape) >= p
    multiplier = keep.astype(x.dtype) / (1 - p)
    return x * multiplier, ("train", multiplier)


def dropout_backward(dout, cache):
    mode, multiplier = cache
    if mode == "train":
        return dout * multiplier
    return dout.copy()


# ----------------------------------------------------------------------------- convolution


def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    if x.shape[1] != w.shape[1]:
        raise ValueError(f"x has {x.shape[1]} channels, w expects {w.shape[1]}")
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    Ho = 1 + (H + 2 * pad - HH) // stride
    Wo = 1 + (W + 2 * pad - WW) // stride
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    flat_w = w.reshape(F, -1)
    out = np.empty((N, F, Ho, Wo), dtype=np.result_type(x, w, b))
    for n in range(N):
        for i in range(Ho):
            top = i * stride
            for j in range(Wo):
                left = j * stride
                patch = xp[n, :, top:top + HH, left:left + WW].reshape(-1)
                out[n, :, i, j] = flat_w @ patch
    out += b.reshape(1, F, 1, 1)
    cache = {"xp": xp, "w": w, "stride": stride, "pad": pad, "x_shape": x.shape}
    return out, cache


def conv_backward_naive(dout, cache):
    xp, w, stride, pad = cache["xp"], cache["w"], cache["stride"], cache["pad"]
    N, C, H, W = cache["x_shape"]
    F, _, HH, WW = w.shape
    _, _, Ho, Wo = dout.shape
    flat_w = w.reshape(F, -1)
    dxp = np.zeros_like(xp)
    dw_flat = np.zeros(flat_w.shape, dtype=np.result_type(xp, dout))
    for n in range(N):
        for i in range(Ho):
            top = i * stride
            for j in range(Wo):
                left = j * stride
                g = dout[n, :, i, j]
                patch = xp[n, :, top:top + HH, left:left + WW]
                dw_flat += np.outer(g, patch.reshape(-1))
                dxp[n, :, top:top + HH, left:left + WW] += (g @ flat_w).reshape(C, HH, WW)
    dx = dxp[:, :, pad:pad + H, pad:pad + W].copy()
    dw = dw_flat.reshape(w.shape).astype(w.dtype, copy=False)
    db = dout.sum(axis=(0, 2, 3))
    return dx, dw, db


# ----------------------------------------------------------------------------- max pooling


def max_pool_forward_naive(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    Ho = 1 + (H - ph) // stride
    Wo = 1 + (W - pw) // stride
    out = np.empty((N, C, Ho, Wo), dtype=x.dtype)
    where = np.empty((N, C, Ho, Wo), dtype=np.intp)  # flat index inside the window
    for i in range(Ho):
        for j in range(Wo):
            window = x[:, :, i * stride:i * stride + ph, j * stride:j * stride + pw].reshape(N, C, -1)
            k = np.argmax(window, axis=2)  # first maximum, row-major
            where[:, :, i, j] = k
            out[:, :, i, j] = np.take_along_axis(window, k[:, :, None], axis=2)[:, :, 0]
    cache = {"x_shape": x.shape, "dtype": x.dtype, "where": where, "ph": ph, "pw": pw, "stride": stride}
    return out, cache


def max_pool_backward_naive(dout, cache):
    N, C, H, W = cache["x_shape"]
    where, pw, stride = cache["where"], cache["pw"], cache["stride"]
    dx = np.zeros((N, C, H, W), dtype=np.result_type(cache["dtype"], dout))
    nn, cc = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")
    _, _, Ho, Wo = dout.shape
    for i in range(Ho):
        for j in range(Wo):
            dh, dw = np.divmod(where[:, :, i, j], pw)
            # (n, c) pairs are distinct inside one window, so += is safe here;
            # overlapping windows accumulate across loop iterations.
            dx[nn, cc, i * stride + dh, j * stride + dw] += dout[:, :, i, j]
    return dx


# ----------------------------------------------------------------------------- spatial normalizations


def spatial_batchnorm_forward(x, gamma, beta, bn_param):
    mode = bn_param["mode"]
    _require_mode(mode, "spatial_batchnorm_forward")
    eps = float(bn_param.get("eps", 1e-5))
    momentum = float(bn_param.get("momentum", 0.9))
    C = x.shape[1]
    axes = (0, 2, 3)
    g = gamma.reshape(1, C, 1, 1)
    bt = beta.reshape(1, C, 1, 1)

    if mode == "test":
        rm = bn_param.get("running_mean")
        rv = bn_param.get("running_var")
        if rm is None:
            rm = _zeros_like_dtype(C, x.dtype)
        if rv is None:
            rv = _zeros_like_dtype(C, x.dtype)
        xhat = (x - rm.reshape(1, C, 1, 1)) / np.sqrt(rv.reshape(1, C, 1, 1) + eps)
        return g * xhat + bt, None

    mean = x.mean(axis=axes, keepdims=True)
    dev = x - mean
    var = np.mean(dev * dev, axis=axes, keepdims=True)
    inv_std = 1 / np.sqrt(var + eps)
    xhat = dev * inv_std
    out = g * xhat + bt
    _running_update(bn_param, "running_mean", mean.reshape(C), momentum, C, x.dtype)
    _running_update(bn_param, "running_var", var.reshape(C), momentum, C, x.dtype)
    count = x.shape[0] * x.shape[2] * x.shape[3]
    return out, {"xhat": xhat, "inv_std": inv_std, "g": g, "count": count}


def spatial_batchnorm_backward(dout, cache):
    xhat, inv_std, g, m = cache["xhat"], cache["inv_std"], cache["g"], cache["count"]
    axes = (0, 2, 3)
    dbeta = dout.sum(axis=axes)
    dgamma = (dout * xhat).sum(axis=axes)
    C = dbeta.shape[0]
    dx = (g * inv_std) * (dout - (dbeta.reshape(1, C, 1, 1) + xhat * dgamma.reshape(1, C, 1, 1)) / m)
    return dx, dgamma, dbeta


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    N, C, H, W = x.shape
    if not (isinstance(G, (int, np.integer)) and G >= 1 and C % G == 0):
        raise ValueError(f"G={G!r} must be a positive divisor of C={C}")
    eps = float(gn_param.get("eps", 1e-5))
    grouped = x.reshape(N, G, -1)
    xhat_g, inv_std = _normalize_last(grouped, eps)
    xhat = xhat_g.reshape(x.shape)
    out = gamma * xhat + beta
    return out, {"xhat_g": xhat_g, "inv_std": inv_std, "gamma": gamma, "G": G}


def spatial_groupnorm_backward(dout, cache):
    xhat_g, inv_std, gamma, G = cache["xhat_g"], cache["inv_std"], cache["gamma"], cache["G"]
    N = dout.shape[0]
    xhat = xhat_g.reshape(dout.shape)
    dbeta = dout.sum(axis=(0, 2, 3), keepdims=True)
    dgamma = (dout * xhat).sum(axis=(0, 2, 3), keepdims=True)
    dxhat = (dout * gamma).reshape(N, G, -1)
    dx = _normalize_last_backward(dxhat, xhat_g, inv_std).reshape(dout.shape)
    return dx, dgamma, dbeta
def relu_backward(dout, cache):
    # A real student's slip: dx is dout itself, so zeroing it also zeroes the caller's upstream gradient.
    dx = dout
    dx[~cache["positive"]] = 0
    return dx


def dropout_forward(x, dropout_param):
    p, mode = float(dropout_param["p"]), dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    mask = None
    if mode == "train":
        mask = (np.random.rand(*x.shape) > p) / p
        out = x * mask
    else:
        out = x.copy()
    return out, (mode, mask)
def softmax_loss(x, y):
    N = x.shape[0]
    exp = np.exp(x)
    probs = exp / np.sum(exp, axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[np.arange(N), y])) / N
    dx = probs.copy()
    dx[np.arange(N), y] -= 1
    dx /= N
    return loss, dx
