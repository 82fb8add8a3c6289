"""Hidden checks: compared with this reference at inputs drawn for each run.

This file lives with the reference solutions and is never shipped to students
(neither in the handout nor in the installed grader).  The grader loads it when
it finds the reference (``grade`` inside the course checkout, ``--reference``
or ``GRADER_REFERENCE``).  Rows use the same helpers as the public table.
"""
from grader.checks.spec import Case
from grader.checks.table import (
    BN_TRAIN, CNN, CNN_FN, FC, FC_FN, D, N, R, cnn_case, cnn_shapes, fc_case, fc_shapes, optim_case, row,
)

CHECKS = [
    row("affine.reference", "reference", "layer:affine", Case("x (4, 3, 2, 5), w (30, 7)", {
        "x": (R, (4, 3, 2, 5)), "w": (R, (30, 7)), "b": (R, (7,)), "dout": (R, (4, 7))}), ("out", "dx", "dw", "db"), points=1.5, hidden=True),
    row("affine.reference_n1", "reference", "layer:affine", Case("N = 1", {
        "x": (R, (1, 7)), "w": (R, (7, 3)), "b": (R, (3,)), "dout": (R, (1, 3))}), ("out", "dx", "dw", "db"), points=0.5, hidden=True),
    row("relu.reference", "reference", "layer:relu", Case("x (3, 7)", {"x": (R, (3, 7)), "dout": (R, (3, 7))}),
        ("out", "dx"), points=1, hidden=True),
    row("softmax_loss.reference", "reference", "layer:softmax_loss", Case("x (7, 5)", {
        "x": (R, (7, 5)), "y": ("labels", 5, 7)}), ("loss", "dx"), points=1, hidden=True),
    row("softmax_loss.large_logits", "reference", "layer:softmax_loss", Case("very large logits (about 1e4)", {
        "x": (R, (6, 5), 1e4), "y": ("labels", 5, 6)}), ("loss", "dx"), tol=1e-6, points=1, hidden=True),
    row("svm_loss.reference", "reference", "layer:svm_loss", Case("x (7, 5)", {
        "x": (R, (7, 5)), "y": ("labels", 5, 7)}), ("loss", "dx"), points=0.5, hidden=True),
    row("batchnorm_forward.reference", "reference", "layer:batchnorm", Case("train mode, x (50, 6)", {
        "x": (R, (50, 6), 3.0, -2.0), "gamma": (R, (6,)), "beta": (R, (6,))}, {"bn_param": BN_TRAIN}),
        ("out",), tol=1e-6, points=1, hidden=True),
    row("batchnorm_forward.large_offset", "reference", "layer:batchnorm", Case("float32, features with mean 1e4 and std 1", {
        "x": (R, (64, 5), 1.0, 1e4), "gamma": ("ones", (5,)), "beta": ("zeros", (5,))}, {"bn_param": BN_TRAIN}, dtype="float32"),
        ("out",), tol=2e-3, points=0.5, hidden=True, metric="scaled"),
    row("batchnorm_backward.reference", "reference", "layer:batchnorm", Case("x (30, 7)", {
        "x": (R, (30, 7), 2.0, 1.0), "gamma": (R, (7,)), "beta": (R, (7,)), "dout": (R, (30, 7))}, {"bn_param": BN_TRAIN}),
        ("dx", "dgamma", "dbeta"), tol=1e-6, points=1, hidden=True),
    row("batchnorm_backward_alt.reference", "reference", "layer:batchnorm_alt", Case("x (30, 7)", {
        "x": (R, (30, 7), 2.0, 1.0), "gamma": (R, (7,)), "beta": (R, (7,)), "dout": (R, (30, 7))}, {"bn_param": BN_TRAIN}),
        ("dx", "dgamma", "dbeta"), tol=1e-6, points=1, hidden=True),
    row("layernorm.reference", "reference", "layer:layernorm", Case("x (3, 9), N differs from D", {
        "x": (R, (3, 9), 2.0, 1.0), "gamma": (R, (9,)), "beta": (R, (9,)), "dout": (R, (3, 9))}, {"ln_param": {}}),
        ("out", "dx", "dgamma", "dbeta"), tol=1e-6, points=1, hidden=True),
    row("conv_naive.reference", "reference", "layer:conv_naive", Case("stride 3, pad 2, non-square input and filters", {
        "x": (R, (2, 2, 8, 7)), "w": (R, (3, 2, 3, 4)), "b": (R, (3,)), "dout": (R, (2, 3, 4, 3))},
        {"conv_param": {"stride": 3, "pad": 2}}), ("out", "dx", "dw", "db"), tol=1e-6, points=2, hidden=True),
    row("conv_naive.reference_n1", "reference", "layer:conv_naive", Case("N = 1, stride 1, no padding", {
        "x": (R, (1, 3, 5, 5)), "w": (R, (2, 3, 3, 3)), "b": (R, (2,)), "dout": (R, (1, 2, 3, 3))},
        {"conv_param": {"stride": 1, "pad": 0}}), ("out", "dx", "dw", "db"), tol=1e-6, points=1, hidden=True),
    row("max_pool_naive.reference_overlap", "reference", "layer:max_pool_naive", Case("overlapping 3x2 windows, stride 1", {
        "x": (R, (2, 3, 7, 6)), "dout": (R, (2, 3, 5, 5))}, {"pool_param": {"pool_height": 3, "pool_width": 2, "stride": 1}}),
        ("out", "dx"), points=1.5, hidden=True),
    row("max_pool_naive.reference_stride", "reference", "layer:max_pool_naive", Case("2x3 windows, stride 3 (gaps between windows)", {
        "x": (R, (2, 2, 8, 9)), "dout": (R, (2, 2, 3, 3))}, {"pool_param": {"pool_height": 2, "pool_width": 3, "stride": 3}}),
        ("out", "dx"), points=1, hidden=True),
    row("spatial_batchnorm_forward.running_averages", "reference", "layer:spatial_batchnorm", Case("train mode: running statistics of shape (C,)", {
        "x": (R, (3, 4, 5, 2), 2.0, 5.0), "gamma": ("ones", (4,)), "beta": ("zeros", (4,))}, {"bn_param": BN_TRAIN}),
        ("bn_param.running_mean", "bn_param.running_var"), tol=1e-6, points=0.5, hidden=True),
    row("spatial_batchnorm.reference", "reference", "layer:spatial_batchnorm", Case("x (3, 2, 3, 6)", {
        "x": (R, (3, 2, 3, 6), 2.0, -1.0), "gamma": (R, (2,)), "beta": (R, (2,)), "dout": (R, (3, 2, 3, 6))}, {"bn_param": BN_TRAIN}),
        ("out", "dx", "dgamma", "dbeta"), tol=1e-6, points=1, hidden=True),
    row("spatial_groupnorm.reference", "reference", "layer:spatial_groupnorm", Case("G = 3, x (2, 6, 3, 5)", {
        "x": (R, (2, 6, 3, 5), 2.0, 1.0), "gamma": (R, (1, 6, 1, 1)), "beta": (R, (1, 6, 1, 1)), "dout": (R, (2, 6, 3, 5))},
        {"G": 3, "gn_param": {}}), ("out", "dx", "dgamma", "dbeta"), tol=1e-6, points=1, hidden=True),
    row("sgd_momentum.reference", "reference", "optim:sgd_momentum", optim_case("3 steps from a non-zero velocity, momentum 0.8",
        {"v": (R, (N, D))}, {"learning_rate": 0.05, "momentum": 0.8, "velocity": "$v"}, 3, False),
        ("w_cur", "config.velocity"), points=0.5, hidden=True, steps=3),
    row("rmsprop.reference", "reference", "optim:rmsprop", optim_case("3 steps, decay_rate 0.9",
        {"cache": ("rand", (N, D))}, {"learning_rate": 0.01, "decay_rate": 0.9, "cache": "$cache"}, 3, False),
        ("w_cur", "config.cache"), points=0.5, hidden=True, steps=3),
    row("adam.reference", "reference", "optim:adam", optim_case("3 steps from t = 7 with non-zero moments",
        {"m": (R, (N, D), 0.1), "v": ("rand", (N, D))}, {"learning_rate": 0.01, "beta1": 0.8, "m": "$m", "v": "$v", "t": 7}, 3, False),
        ("w_cur", "config.m", "config.v", "config.t"), points=1, hidden=True, steps=3),
    row("adam.first_step", "reference", "optim:adam", optim_case("the first step from default settings (t = 0)",
        {}, {}, 2, False), ("w_cur", "config.m", "config.v", "config.t"), points=0.5, hidden=True, steps=2),
    row("fc_net.reference", "reference", "model:fc", fc_case("batchnorm, reg 0.7, 3 hidden layers", 8, [6, 5, 4], 7, 5,
        normalization="batchnorm", reg=0.7), ("loss",) + tuple(f"grads.{k}" for k in fc_shapes([6, 5, 4], 7, 5, "batchnorm")),
        functions=FC_FN, tol=1e-6, points=1.5, hidden=True, cls=FC),
    row("fc_net.reference_layernorm", "reference", "model:fc", fc_case("layernorm, reg 0.2", 6, [6, 5], 7, 4,
        normalization="layernorm", reg=0.2), ("loss",) + tuple(f"grads.{k}" for k in fc_shapes([6, 5], 7, 4, "layernorm")),
        functions=FC_FN, tol=1e-6, points=0.5, hidden=True, cls=FC),
    row("fc_net.scores", "reference", "model:fc", fc_case("test mode (y = None): batchnorm, dropout 0.3",
        6, [6, 5], 7, 4, normalization="batchnorm", dropout=0.3), ("scores",), functions=FC_FN, tol=1e-6, points=0.5,
        hidden=True, cls=FC, labels=False),
    row("cnn.reference", "reference", "model:cnn", cnn_case("3 filters of 3x3 on (3, 8, 8), reg 0.3", 5, reg=0.3),
        ("loss",) + tuple(f"grads.{k}" for k in cnn_shapes([3, 8, 8], 3, 3, 7, 4)), functions=CNN_FN, tol=1e-6, points=1.5,
        hidden=True, cls=CNN),
]
