"""Known wrong variants of the dense layers, the losses, the norms and dropout.

Instructor-only (never shipped): the grader loads ``CATALOG`` with the reference
and names the entry whose results a failed check's results match.  A variant
has the signature of the student function it stands for; the reference
functions it builds on are bound when this module is imported.
"""
import numpy as np

from grader.mistakes import Catalog
from nnlayers import layers as L

CATALOG = Catalog()
entry = CATALOG.entry

affine_forward, affine_backward = L.affine_forward, L.affine_backward
relu_forward, relu_backward = L.relu_forward, L.relu_backward
softmax_loss, svm_loss = L.softmax_loss, L.svm_loss
batchnorm_forward, batchnorm_backward = L.batchnorm_forward, L.batchnorm_backward
layernorm_forward = L.layernorm_forward
dropout_forward = L.dropout_forward


# ----------------------------------------------------------------------------- affine

@entry("affine_forward.no_bias", "an affine layer without its bias (x w)",
       "Which of the three inputs does your output not depend on?", ("affine_forward.fixed", "affine.reference"))
def _affine_no_bias(x, w, b):
    out, cache = affine_forward(x, w, np.zeros_like(b))
    return out, cache


@entry("affine_forward.reshape_transposed", "an affine layer whose rows mix the entries of different examples",
       "Print x_rows[0] next to x[0].ravel(): reshape's arguments decide which entries end up in a row.",
       ("affine_forward.fixed",))
def _affine_reshape_transposed(x, w, b):
    return x.reshape(-1, x.shape[0]).T @ w + b, (x, w)


@entry("affine_forward.float64", "an affine layer that computes in float64 whatever the input dtype",
       "Look for a cast (astype(float), np.float64, np.array(..., dtype=float)) in your forward pass.",
       ("affine.dtype_preserved",))
def _affine_float64(x, w, b):
    out, _ = affine_forward(x.astype(np.float64), w, b)
    return out, (x, w)


@entry("affine_forward.no_reshape", "an affine layer that multiplies x by w without flattening x to (N, D) first",
       "x may have more than two axes: what shape must it have before the product with w?",
       ("affine_forward.fixed", "affine.numgrad", "affine.reference"))
def _affine_no_reshape(x, w, b):
    out = x @ w + b  # raises for x with more than two axes, like the slip
    return out, affine_forward(x, w, b)[1]


@entry("affine_backward.db_wrong_axis", "an affine backward pass that sums dout over the outputs for db",
       "db must have the shape of b: which axis of dout runs over the examples?", ("affine.numgrad", "affine.reference"))
def _affine_db_axis(dout, cache):
    dx, dw, _ = affine_backward(dout, cache)
    return dx, dw, dout.sum(axis=1)


@entry("affine_backward.dx_not_reshaped", "an affine backward pass that returns dx flattened to (N, D)",
       "dx must have the shape of the x that went into the forward pass.", ("affine.numgrad", "affine.reference"))
def _affine_dx_flat(dout, cache):
    dx, dw, db = affine_backward(dout, cache)
    return dx.reshape(dx.shape[0], -1), dw, db


@entry("affine_backward.dw_unflattened", "an affine backward pass that computes dw from x without flattening it to (N, D)",
       "dw must have the shape of w: which x went into the product with w in the forward pass?",
       ("affine.numgrad", "affine.reference"))
def _affine_dw_unflattened(dout, cache):
    dx, _, db = affine_backward(dout, cache)
    return dx, cache[0].T @ dout, db


@entry("affine_backward.inplace_dout", "an affine backward pass that divides the caller's dout by N in place",
       "Don't write into dout (no /=, *= or slice assignment on it), and check whether you need N at all.",
       ("affine.inputs_unmodified",))
def _affine_inplace_dout(dout, cache):
    dout /= dout.shape[0]
    return affine_backward(dout, cache)


@entry("affine_forward.inplace_shape", "an affine layer that flattens the caller's x in place (x.shape = ...)",
       "Assigning to x.shape reshapes the caller's array; use reshape, which returns a new view.",
       ("affine.inputs_unmodified",))
def _affine_inplace_shape(x, w, b):
    x.shape = (x.shape[0], -1)
    return affine_forward(x, w, b)


# ----------------------------------------------------------------------------- relu

@entry("relu_forward.leaky", "a leaky ReLU (negative inputs scaled by 0.01 instead of zeroed)",
       "What should a ReLU output for a negative input?", ("relu_forward.fixed", "relu.reference"))
def _relu_leaky(x):
    return np.maximum(x, 0.01 * x), x


@entry("relu_forward.inplace", "a ReLU that clamps the caller's x in place",
       "Build a new array for out instead of assigning into x.", ("relu.inputs_unmodified",))
def _relu_inplace(x):
    x[x < 0] = 0
    return x, x


@entry("relu_forward.float64_mask", "a ReLU that multiplies by a float64 mask (float32 in, float64 out)",
       "A boolean mask cast with astype(float) is float64; keep the input's dtype.", ("relu.dtype_preserved",))
def _relu_float64(x):
    return x * (x > 0).astype(float), x


@entry("relu_backward.inplace_dout", "a ReLU backward pass that zeroes the caller's dout in place (dx = dout, then masked)",
       "dx = dout does not copy anything: both names refer to the same array.", ("relu.inputs_unmodified",))
def _relu_back_inplace(dout, cache):
    dout[cache < 0] = 0
    return dout


@entry("relu_backward.no_mask", "a ReLU backward pass that lets dout through everywhere",
       "Where did the forward pass output a constant? The gradient there is zero.", ("relu.numgrad", "relu.reference"))
def _relu_back_no_mask(dout, cache):
    return dout.copy()


@entry("relu_backward.mask_on_dout", "a ReLU backward pass masked by the sign of dout instead of the sign of x",
       "The mask comes from the forward pass's input, not from the upstream gradient.", ("relu.numgrad", "relu.reference"))
def _relu_back_mask_dout(dout, cache):
    return dout * (dout > 0)


# ----------------------------------------------------------------------------- losses

def _softmax_from_probs(probs, y):
    n = probs.shape[0]
    loss = -np.log(probs[np.arange(n), y]).sum() / n
    dx = probs.copy()
    dx[np.arange(n), y] -= 1
    return loss, dx / n


@entry("softmax_loss.no_max_shift", "a softmax that exponentiates the raw scores (it overflows for large scores)",
       "exp(1e4) is inf in floating point: what can you subtract from each row without changing the softmax?",
       ("softmax_loss.large_logits",))
def _softmax_no_shift(x, y):
    e = np.exp(x)
    return _softmax_from_probs(e / e.sum(axis=1, keepdims=True), y)


@entry("softmax_loss.log_of_probs", "a softmax loss taken as log(probabilities): a tiny probability underflows to 0",
       "Compute log-probabilities directly from the shifted scores instead of taking the log of a probability.",
       ("softmax_loss.large_logits",))
def _softmax_log_probs(x, y):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return _softmax_from_probs(e / e.sum(axis=1, keepdims=True), y)


@entry("softmax_loss.dx_not_averaged", "a softmax loss whose gradient is not divided by N",
       "The loss is a mean over the batch; so is its gradient.", ("softmax_loss.fixed", "softmax_loss.reference"))
def _softmax_dx_sum(x, y):
    loss, dx = softmax_loss(x, y)
    return loss, dx * x.shape[0]


@entry("softmax_loss.loss_not_averaged", "a softmax loss summed over the batch instead of averaged",
       "The loss is the mean over the N examples.", ("softmax_loss.fixed", "softmax_loss.reference"))
def _softmax_loss_sum(x, y):
    loss, dx = softmax_loss(x, y)
    return loss * x.shape[0], dx


@entry("softmax_loss.inplace_shift", "a softmax loss that subtracts the row maximum from the caller's x in place",
       "x -= ... writes into the caller's scores; build a shifted copy.", ("softmax_loss.inputs_unmodified",))
def _softmax_inplace(x, y):
    x -= x.max(axis=1, keepdims=True)
    return softmax_loss(x, y)


@entry("svm_loss.counts_correct_class", "an SVM loss that also counts the correct class's own margin of 1",
       "The sum runs over the wrong classes j != y_i only.", ("svm_loss.fixed", "svm_loss.reference"))
def _svm_counts_correct(x, y):
    loss, dx = svm_loss(x, y)
    return loss + 1.0, dx


@entry("svm_loss.dx_not_averaged", "an SVM loss whose gradient is not divided by N",
       "The loss is a mean over the batch; so is its gradient.", ("svm_loss.fixed", "svm_loss.reference"))
def _svm_dx_sum(x, y):
    loss, dx = svm_loss(x, y)
    return loss, dx * x.shape[0]


def _svm_margin(x, y, delta):
    n = x.shape[0]
    rows = np.arange(n)
    margins = np.maximum(x - x[rows, y][:, None] + delta, 0)
    margins[rows, y] = 0
    dx = (margins > 0).astype(x.dtype)
    dx[rows, y] = -dx.sum(axis=1)
    return margins.sum() / n, dx / n


@entry("svm_loss.margin_zero", "an SVM loss with margin 0 instead of 1",
       "Check the constant in max(0, s_j - s_y + delta).", ("svm_loss.fixed", "svm_loss.reference"))
def _svm_margin_zero(x, y):
    return _svm_margin(x, y, 0.0)


# ----------------------------------------------------------------------------- batch norm

def _bn_train(x, gamma, beta, bn_param, *, ddof=0, eps=True, var_from_squares=False, shift_first=False):
    """Train-mode batch norm with one slip switched on; returns (out, cache) and updates bn_param."""
    e = float(bn_param.get("eps", 1e-5)) if eps else 0.0
    momentum = float(bn_param.get("momentum", 0.9))
    D = x.shape[1]
    mean = x.mean(axis=0)
    x_mu = x - mean
    var = (x * x).mean(axis=0) - mean * mean if var_from_squares else (x_mu ** 2).sum(axis=0) / (x.shape[0] - ddof)
    inv_std = 1.0 / np.sqrt(var + e)
    x_hat = x_mu * inv_std
    out = (x_hat + beta) * gamma if shift_first else gamma * x_hat + beta
    bn_param["running_mean"] = momentum * bn_param.get("running_mean", np.zeros(D, dtype=x.dtype)) + (1 - momentum) * mean
    bn_param["running_var"] = momentum * bn_param.get("running_var", np.zeros(D, dtype=x.dtype)) + (1 - momentum) * var
    return out, (x_hat, x_mu, inv_std, gamma)


def _bn_with(**slip):
    def variant(x, gamma, beta, bn_param):
        if bn_param["mode"] != "train":
            return batchnorm_forward(x, gamma, beta, bn_param)
        return _bn_train(x, gamma, beta, bn_param, **slip)
    return variant


CATALOG.entry("batchnorm_forward.shift_before_scale", "batch norm with the shift applied before the scale ((x_hat + beta) * gamma)",
              "Write out the order of the two operations after normalizing: which one comes last?",
              ("batchnorm_forward.fixed", "batchnorm_forward.reference", "batchnorm_backward.numgrad"))(_bn_with(shift_first=True))
CATALOG.entry("batchnorm_forward.unbiased_var", "batch norm with the unbiased variance (divided by N - 1)",
              "The docstring asks for the biased variance; check the divisor (or ddof).",
              ("batchnorm_forward.fixed", "batchnorm_forward.running_averages"))(_bn_with(ddof=1))
CATALOG.entry("batchnorm_forward.train_no_eps", "batch norm without eps in the train-mode variance",
              "Where does eps go, and is it in both modes?", ("batchnorm_forward.fixed",))(_bn_with(eps=False))
CATALOG.entry("batchnorm_forward.var_from_squares", "batch norm with the variance taken as E[x^2] - E[x]^2",
              "That formula loses all precision in float32 when the mean is large; compute the variance from centred values.",
              ("batchnorm_forward.large_offset",))(_bn_with(var_from_squares=True))


@entry("batchnorm_forward.momentum_swapped", "running averages with the momentum weights swapped ((1 - m) * running + m * batch)",
       "momentum is the share of the OLD running value that survives.", ("batchnorm_forward.running_averages",))
def _bn_momentum_swapped(x, gamma, beta, bn_param):
    param = dict(bn_param, momentum=1.0 - float(bn_param.get("momentum", 0.9)))
    out, cache = batchnorm_forward(x, gamma, beta, param)
    bn_param["running_mean"], bn_param["running_var"] = param["running_mean"], param["running_var"]
    return out, cache


@entry("batchnorm_forward.test_uses_batch_stats", "test-mode batch norm normalized with the test batch's own statistics",
       "At test time the batch may be a single example: which statistics does the layer have then?",
       ("batchnorm_forward.test_mode",))
def _bn_test_batch_stats(x, gamma, beta, bn_param):
    if bn_param["mode"] != "test":
        return batchnorm_forward(x, gamma, beta, bn_param)
    out, _ = batchnorm_forward(x, gamma, beta, dict(bn_param, mode="train"))
    return out, None


@entry("batchnorm_forward.test_no_eps", "test-mode batch norm without eps ((x - running_mean) / sqrt(running_var))",
       "Train and test mode should normalize the same way, eps included.", ("batchnorm_forward.test_mode",))
def _bn_test_no_eps(x, gamma, beta, bn_param):
    if bn_param["mode"] != "test":
        return batchnorm_forward(x, gamma, beta, bn_param)
    out = gamma * (x - bn_param["running_mean"]) / np.sqrt(bn_param["running_var"]) + beta
    return out, None


@entry("batchnorm_forward.test_updates_running", "test-mode batch norm that also updates the running averages",
       "In test mode bn_param is only read.", ("batchnorm_forward.test_mode",))
def _bn_test_updates(x, gamma, beta, bn_param):
    if bn_param["mode"] != "test":
        return batchnorm_forward(x, gamma, beta, bn_param)
    out, _ = batchnorm_forward(x, gamma, beta, bn_param)
    _bn_train(x, gamma, beta, bn_param)
    return out, None


@entry("batchnorm_forward.no_mode_check", "batch norm that treats every mode other than 'train' as test mode",
       "What should happen for a mode that is neither 'train' nor 'test'? Read the docstring.",
       ("batchnorm_forward.invalid_mode",))
def _bn_no_mode_check(x, gamma, beta, bn_param):
    param = dict(bn_param, mode="train" if bn_param["mode"] == "train" else "test")
    out, cache = batchnorm_forward(x, gamma, beta, param)
    bn_param["running_mean"], bn_param["running_var"] = param["running_mean"], param["running_var"]
    return out, cache


@entry("batchnorm_forward.mode_keyerror", "batch norm that lets a KeyError escape for an unknown mode",
       "The docstring names the exception an invalid mode must raise.", ("batchnorm_forward.invalid_mode",))
def _bn_keyerror(x, gamma, beta, bn_param):
    if bn_param["mode"] not in ("train", "test"):
        raise KeyError(bn_param["mode"])
    return batchnorm_forward(x, gamma, beta, bn_param)


@entry("batchnorm_forward.inplace_center", "batch norm that centres the caller's x in place (x -= mean)",
       "x -= ... writes into the caller's array; build x_mu as a new array.", ("batchnorm.inputs_unmodified",))
def _bn_inplace(x, gamma, beta, bn_param):
    out, cache = batchnorm_forward(x.copy(), gamma, beta, bn_param)
    if bn_param["mode"] == "train":
        x -= x.mean(axis=0)
    return out, cache


@entry("batchnorm_forward.float64_upcast", "batch norm computed in float64 whatever the input dtype",
       "Look for a cast to float64 (astype(float), np.float64) in your forward pass.", ("batchnorm.dtype_preserved",))
def _bn_float64(x, gamma, beta, bn_param):
    return batchnorm_forward(x.astype(np.float64), gamma, beta, bn_param)


def _bn_graph(dout, cache, *, dmean=True, dvar=True, dgamma_centred=False):
    """Batch norm's backward pass through the graph, with one path switched off."""
    x_hat, x_mu, inv_std, gamma = cache
    N = dout.shape[0]
    dgamma = (dout * (x_mu if dgamma_centred else x_hat)).sum(axis=0)
    dx_hat = dout * gamma
    dx_mu = dx_hat * inv_std
    if dvar:
        dx_mu = dx_mu - x_mu * inv_std ** 3 * (dx_hat * x_mu).sum(axis=0) / N
    dx = dx_mu - dx_mu.sum(axis=0) / N if dmean else dx_mu
    return dx, dgamma, dout.sum(axis=0)


CATALOG.entry("batchnorm_backward.missing_dmean", "a batch norm backward pass without the path through the batch mean",
              "The mean depends on every x[i]: its gradient adds a term to dx.", ("batchnorm_backward.numgrad",)
              )(lambda dout, cache: _bn_graph(dout, cache, dmean=False))
CATALOG.entry("batchnorm_backward.missing_dvar", "a batch norm backward pass without the path through the variance",
              "The variance depends on every x[i]: its gradient adds a term to dx.", ("batchnorm_backward.numgrad",)
              )(lambda dout, cache: _bn_graph(dout, cache, dvar=False))
CATALOG.entry("batchnorm_backward.dgamma_unnormalized", "a batch norm backward pass with dgamma taken from the centred x",
              "gamma multiplies the normalized input, not the centred one.", ("batchnorm_backward.numgrad",)
              )(lambda dout, cache: _bn_graph(dout, cache, dgamma_centred=True))


def _bn_alt(dout, cache, *, with_gamma=True, xhat_term=True):
    x_hat, _, inv_std, gamma = cache
    N = dout.shape[0]
    dx_hat = dout * gamma if with_gamma else dout
    inner = N * dx_hat - dx_hat.sum(axis=0)
    if xhat_term:
        inner = inner - x_hat * (dx_hat * x_hat).sum(axis=0)
    return (inv_std / N) * inner, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


CATALOG.entry("batchnorm_backward_alt.forgets_gamma", "the simplified batch norm backward pass without gamma in dx",
              "out = gamma * x_hat + beta: the gradient reaching x_hat is scaled.", ("batchnorm_backward_alt.numgrad",)
              )(lambda dout, cache: _bn_alt(dout, cache, with_gamma=False))
CATALOG.entry("batchnorm_backward_alt.missing_xhat_term", "the simplified batch norm backward pass without its x_hat term",
              "Redo the simplification: the path through the variance leaves a term proportional to x_hat.",
              ("batchnorm_backward_alt.numgrad",))(lambda dout, cache: _bn_alt(dout, cache, xhat_term=False))


# ----------------------------------------------------------------------------- layer norm

def _ln(x, gamma, beta, ln_param, *, axis=1, ddof=0):
    eps = float(ln_param.get("eps", 1e-5))
    x_mu = x - x.mean(axis=axis, keepdims=True)
    inv_std = 1.0 / np.sqrt((x_mu ** 2).sum(axis=axis, keepdims=True) / (x.shape[axis] - ddof) + eps)
    x_hat = x_mu * inv_std
    return gamma * x_hat + beta, (x_hat, inv_std, gamma)


CATALOG.entry("layernorm_forward.batch_axis", "layer norm with the statistics taken over the batch (that is batch norm)",
              "Layer norm normalizes each example over its own features.", ("layernorm_forward.fixed", "layernorm.reference")
              )(lambda x, gamma, beta, ln_param: _ln(x, gamma, beta, ln_param, axis=0))
CATALOG.entry("layernorm_forward.unbiased_var", "layer norm with the unbiased variance (divided by D - 1)",
              "The variance is the biased one, as in batch norm.", ("layernorm_forward.fixed",)
              )(lambda x, gamma, beta, ln_param: _ln(x, gamma, beta, ln_param, ddof=1))


@entry("layernorm_forward.float64", "layer norm computed in float64 whatever the input dtype",
       "A float64 value (np.array(eps), astype(float)) mixed into float32 arrays upcasts them.", ("layernorm.dtype_preserved",))
def _ln_float64(x, gamma, beta, ln_param):
    x_mu = x - x.mean(axis=1, keepdims=True)
    inv_std = 1.0 / np.sqrt((x_mu ** 2).mean(axis=1, keepdims=True) + np.array(ln_param.get("eps", 1e-5)))
    x_hat = x_mu * inv_std
    return gamma * x_hat + beta, (x_hat, inv_std, gamma)


def _ln_back(dout, cache, *, axis=1, param_axis=0):
    x_hat, inv_std, gamma = cache
    dx_hat = dout * gamma
    M = dout.shape[axis]
    dx = (inv_std / M) * (M * dx_hat - dx_hat.sum(axis=axis, keepdims=True)
                          - x_hat * (dx_hat * x_hat).sum(axis=axis, keepdims=True))
    return dx, (dout * x_hat).sum(axis=param_axis), dout.sum(axis=param_axis)


CATALOG.entry("layernorm_backward.batch_sums", "a layer norm backward pass with batch norm's sums over the batch",
              "The statistics were taken over the features; so are the sums in dx.", ("layernorm.numgrad", "layernorm.reference")
              )(lambda dout, cache: _ln_back(dout, cache, axis=0))
CATALOG.entry("layernorm_backward.dgamma_per_example", "a layer norm backward pass with dgamma and dbeta summed over the features",
              "gamma and beta are shared by all examples: sum their gradients over the batch.",
              ("layernorm.numgrad", "layernorm.reference"))(lambda dout, cache: _ln_back(dout, cache, param_axis=1))


@entry("layernorm_forward.no_keepdims", "layer norm whose row statistics are taken without keepdims",
       "Print the shape of your mean: does it broadcast against x along the axis you meant?",
       ("layernorm_forward.fixed", "layernorm.numgrad", "layernorm.reference"))
def _ln_no_keepdims(x, gamma, beta, ln_param):
    eps = float(ln_param.get("eps", 1e-5))
    inv_std = 1.0 / np.sqrt(x.var(axis=1) + eps)
    x_hat = (x - x.mean(axis=1)) * inv_std  # raises unless N == D, like the slip
    return gamma * x_hat + beta, (x_hat, inv_std[None, :], gamma)


# ----------------------------------------------------------------------------- dropout

def _dropout(x, dropout_param, *, keep, scale, shared=False, test_scale=False):
    """Dropout with a slip: ``keep(r, p)`` picks the kept units, ``scale(p)`` multiplies them."""
    p, mode = float(dropout_param["p"]), dropout_param["mode"]
    if "seed" in dropout_param:
        np.random.seed(dropout_param["seed"])
    if mode != "train":
        return (x * (1 - p) if test_scale else x.copy()), (mode, None)
    r = np.random.rand(1, *x.shape[1:]) if shared else np.random.rand(*x.shape)
    mask = (keep(r, p) * scale(p)).astype(x.dtype)
    return x * mask, (mode, mask)


_DROP = dict(keep=lambda r, p: r >= p, scale=lambda p: 1.0 / (1.0 - p))

CATALOG.entry("dropout_forward.keep_prob_scale", "dropout with the kept units scaled by 1/p instead of 1/(1-p)",
              "p is the probability of DROPPING a unit: what fraction of the units survives?", ("dropout.scaling",)
              )(lambda x, dropout_param: _dropout(x, dropout_param, keep=lambda r, p: r > p, scale=lambda p: 1.0 / p))
CATALOG.entry("dropout_forward.keep_prob", "dropout that keeps units with probability p (p read as the keep probability)",
              "p is the probability of DROPPING a unit.", ("dropout.rate",)
              )(lambda x, dropout_param: _dropout(x, dropout_param, keep=lambda r, p: r < p, scale=lambda p: 1.0 / p))
CATALOG.entry("dropout_forward.no_rescale", "dropout without rescaling the kept units (not inverted dropout)",
              "The expected output must equal x in train mode too.", ("dropout.scaling",)
              )(lambda x, dropout_param: _dropout(x, dropout_param, keep=_DROP["keep"], scale=lambda p: 1.0))
CATALOG.entry("dropout_forward.shared_mask", "dropout with one mask shared by every example",
              "Every unit of every example is dropped independently: what shape must the random array have?",
              ("dropout.independent",))(lambda x, dropout_param: _dropout(x, dropout_param, shared=True, **_DROP))
CATALOG.entry("dropout_forward.test_scales", "dropout that multiplies by (1 - p) at test time",
              "With inverted dropout the scaling happens at training time only.", ("dropout.test_identity",)
              )(lambda x, dropout_param: _dropout(x, dropout_param, test_scale=True, **_DROP))


@entry("dropout_backward.no_mask", "a dropout backward pass that lets dout through unchanged",
       "Units dropped in the forward pass got no input: what is their gradient?", ("dropout.backward_mask",))
def _dropout_back_no_mask(dout, cache):
    return dout.copy()


@entry("dropout_backward.mask_unscaled", "a dropout backward pass with the 0/1 pattern of the mask but not its scale",
       "The forward pass multiplied the kept units by a factor; the backward pass must too.", ("dropout.backward_mask",))
def _dropout_back_unscaled(dout, cache):
    mode, mask = cache
    return dout * (mask != 0) if mode == "train" else dout.copy()


@entry("dropout_backward.mask_in_test_mode", "a dropout backward pass that multiplies by the mask in test mode too",
       "In test mode the forward pass used no mask: what does the backward pass get from the cache then?",
       ("dropout.test_identity",))
def _dropout_back_test_mask(dout, cache):
    mode, mask = cache
    return dout * mask
