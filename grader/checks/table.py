"""The public check table: the checks every copy of the grader runs, as rows of data.

Hidden checks (randomized comparisons with the reference, at conditions students
are not told in advance) are rows too, but they live with the reference
solutions (``solutions/grading/hidden_checks.py``) and never ship with the
grader; :func:`grader.checks.registry.all_checks` joins the two tables.

Rows are grouped by what they exercise.  Families of rows that differ only in
their data (the same kind over several layers or conditions) come from the
small tables at the top of each section; a new check is a new row.  Points and
visibility here are defaults: the rubric (``rubric.toml``) has the last word.
"""
from __future__ import annotations

import math

from grader.checks.spec import Case, Check, LAYERS

R = "randn"


def _fns(target: str) -> tuple[str, ...]:
    return LAYERS[target.partition(":")[2]].functions


def row(id: str, kind: str, target: str, case: Case, outputs=(), *, tol: float = 1e-7, points: float = 1.0,
        hidden: bool = False, functions: tuple[str, ...] | None = None, **options) -> Check:
    if functions is None:
        functions = _fns(target) if target.startswith("layer:") else (target.partition(":")[2],)
        if target.startswith("layer:") and not any(o.startswith("d") for o in outputs) and kind in ("fixed", "reference"):
            functions = functions[:1]  # forward only
    return Check(id, kind, tuple(functions), target, case, tuple(outputs), tol, points,
                 "hidden" if hidden else "public", options)


# ============================================================================ layers

BN_TRAIN = {"mode": "train"}
CONV_S2P1 = {"stride": 2, "pad": 1}

LAYER_ROWS: list[Check] = [
    # ---- affine
    row("affine_forward.fixed", "fixed", "layer:affine", Case("the notebook's checkpoint: x (2, 4, 5, 6), w (120, 3)", {
        "x": ("linspace", -0.1, 0.5, (2, 4, 5, 6)), "w": ("linspace", -0.2, 0.3, (120, 3)), "b": ("linspace", -0.3, 0.1, (3,))}),
        ("out",), points=2),
    row("affine.numgrad", "numgrad", "layer:affine", Case("x (10, 2, 3), w (6, 5)", {
        "x": (R, (10, 2, 3)), "w": (R, (6, 5)), "b": (R, (5,)), "dout": (R, (10, 5))}), ("x", "w", "b"), tol=1e-6, points=2),
    # ---- relu
    row("relu_forward.fixed", "fixed", "layer:relu", Case("the notebook's checkpoint: linspace(-0.5, 0.5) (3, 4)", {
        "x": ("linspace", -0.5, 0.5, (3, 4))}), ("out",), points=1),
    row("relu.numgrad", "numgrad", "layer:relu", Case("x (4, 5, 6)", {"x": (R, (4, 5, 6)), "dout": (R, (4, 5, 6))}),
        ("x",), tol=1e-6, points=1),
    # ---- losses
    row("softmax_loss.fixed", "fixed", "layer:softmax_loss", Case("x (5, 4)", {"x": (R, (5, 4)), "y": ("labels", 4, 5)}),
        ("loss", "dx"), points=1),
    row("softmax_loss.numgrad", "numgrad", "layer:softmax_loss", Case("x (50, 10) * 0.001, as in the notebook", {
        "x": (R, (50, 10), 0.001), "y": ("labels", 10, 50)}), ("x",), tol=1e-6, points=1),
    row("svm_loss.fixed", "fixed", "layer:svm_loss", Case("x (5, 4)", {"x": (R, (5, 4)), "y": ("labels", 4, 5)}),
        ("loss", "dx"), points=0.5),
    row("svm_loss.numgrad", "numgrad", "layer:svm_loss", Case("x (50, 10) * 0.001, as in the notebook", {
        "x": (R, (50, 10), 0.001), "y": ("labels", 10, 50)}), ("x",), tol=1e-6, points=0.5),
    # ---- batch norm
    row("batchnorm_forward.fixed", "fixed", "layer:batchnorm", Case("train mode, x (200, 3) with mean 10, std 4", {
        "x": (R, (200, 3), 4.0, 10.0), "gamma": ("linspace", 1.0, 3.0, (3,)), "beta": ("linspace", 0.0, -1.0, (3,))},
        {"bn_param": BN_TRAIN}), ("out",), tol=1e-6, points=1.5),
    row("batchnorm_forward.running_averages", "fixed", "layer:batchnorm", Case("train mode, momentum 0.8, non-zero running stats", {
        "x": (R, (20, 4), 2.0, 3.0), "gamma": ("ones", (4,)), "beta": ("zeros", (4,)),
        "rm": (R, (4,)), "rv": ("rand", (4,))},
        {"bn_param": {"mode": "train", "momentum": 0.8, "running_mean": "$rm", "running_var": "$rv"}}),
        ("bn_param.running_mean", "bn_param.running_var"), tol=1e-6, points=1),
    row("batchnorm_forward.test_mode", "fixed", "layer:batchnorm", Case("test mode with given running statistics", {
        "x": (R, (10, 4), 2.0, 3.0), "gamma": (R, (4,)), "beta": (R, (4,)), "rm": (R, (4,)), "rv": ("rand", (4,))},
        {"bn_param": {"mode": "test", "running_mean": "$rm", "running_var": "$rv"}}),
        ("out", "bn_param.running_mean", "bn_param.running_var"), tol=1e-6, points=1),
    row("batchnorm_forward.invalid_mode", "behaviour", "layer:batchnorm", Case("mode 'evaluate'", {
        "x": (R, (4, 3)), "gamma": ("ones", (3,)), "beta": ("zeros", (3,))}, {"bn_param": {"mode": "evaluate"}}),
        functions=("batchnorm_forward",), points=0.5, property="invalid_mode_raises", valid_params={"bn_param": BN_TRAIN}),
    row("batchnorm_backward.numgrad", "numgrad", "layer:batchnorm", Case("x (4, 5) with mean 12, std 5", {
        "x": (R, (4, 5), 5.0, 12.0), "gamma": (R, (5,)), "beta": (R, (5,)), "dout": (R, (4, 5))}, {"bn_param": BN_TRAIN}),
        ("x", "gamma", "beta"), tol=1e-5, points=2),
    row("batchnorm_backward_alt.numgrad", "numgrad", "layer:batchnorm_alt", Case("x (4, 5) with mean 12, std 5", {
        "x": (R, (4, 5), 5.0, 12.0), "gamma": (R, (5,)), "beta": (R, (5,)), "dout": (R, (4, 5))}, {"bn_param": BN_TRAIN}),
        ("x", "gamma", "beta"), tol=1e-5, points=1, functions=("batchnorm_forward", "batchnorm_backward_alt")),
    # ---- layer norm
    row("layernorm_forward.fixed", "fixed", "layer:layernorm", Case("x (4, 6) with mean 10, std 4", {
        "x": (R, (4, 6), 4.0, 10.0), "gamma": ("linspace", 1.0, 3.0, (6,)), "beta": ("linspace", 0.0, -1.0, (6,))},
        {"ln_param": {}}), ("out",), tol=1e-6, points=1),
    row("layernorm.numgrad", "numgrad", "layer:layernorm", Case("x (4, 5) with mean 12, std 5", {
        "x": (R, (4, 5), 5.0, 12.0), "gamma": (R, (5,)), "beta": (R, (5,)), "dout": (R, (4, 5))}, {"ln_param": {}}),
        ("x", "gamma", "beta"), tol=1e-5, points=2),
    # ---- convolution (naive)
    row("conv_forward_naive.fixed", "fixed", "layer:conv_naive", Case("the notebook's checkpoint: stride 2, pad 1", {
        "x": ("linspace", -0.1, 0.5, (2, 3, 4, 4)), "w": ("linspace", -0.2, 0.3, (3, 3, 4, 4)), "b": ("linspace", -0.1, 0.2, (3,))},
        {"conv_param": CONV_S2P1}), ("out",), points=2),
    row("conv_naive.numgrad", "numgrad", "layer:conv_naive", Case("stride 2, pad 1, non-square input and filters", {
        "x": (R, (2, 3, 7, 6)), "w": (R, (2, 3, 3, 2)), "b": (R, (2,)), "dout": (R, (2, 2, 4, 4))}, {"conv_param": CONV_S2P1}),
        ("x", "w", "b"), tol=1e-6, points=2, max_entries=30),
    # ---- max pooling (naive)
    row("max_pool_forward_naive.fixed", "fixed", "layer:max_pool_naive", Case("the notebook's checkpoint: 2x2, stride 2", {
        "x": ("linspace", -0.3, 0.4, (2, 3, 4, 4))}, {"pool_param": {"pool_height": 2, "pool_width": 2, "stride": 2}}),
        ("out",), points=1),
    row("max_pool_naive.numgrad", "numgrad", "layer:max_pool_naive", Case("2x2 windows, stride 2", {
        "x": (R, (3, 2, 8, 8)), "dout": (R, (3, 2, 4, 4))}, {"pool_param": {"pool_height": 2, "pool_width": 2, "stride": 2}}),
        ("x",), tol=1e-6, points=1.5),
    # ---- spatial batch norm
    row("spatial_batchnorm_forward.fixed", "fixed", "layer:spatial_batchnorm", Case("train mode, x (2, 3, 4, 5) with mean 10, std 4", {
        "x": (R, (2, 3, 4, 5), 4.0, 10.0), "gamma": ("linspace", 3.0, 5.0, (3,)), "beta": ("linspace", 6.0, 8.0, (3,))},
        {"bn_param": BN_TRAIN}), ("out",), tol=1e-6, points=1),
    row("spatial_batchnorm.numgrad", "numgrad", "layer:spatial_batchnorm", Case("x (2, 3, 4, 5) with mean 12, std 5", {
        "x": (R, (2, 3, 4, 5), 5.0, 12.0), "gamma": (R, (3,)), "beta": (R, (3,)), "dout": (R, (2, 3, 4, 5))}, {"bn_param": BN_TRAIN}),
        ("x", "gamma", "beta"), tol=1e-5, points=1.5),
    # ---- spatial group norm
    row("spatial_groupnorm_forward.fixed", "fixed", "layer:spatial_groupnorm", Case("G = 2, x (2, 6, 4, 5)", {
        "x": (R, (2, 6, 4, 5), 4.0, 10.0), "gamma": ("linspace", 0.5, 2.0, (1, 6, 1, 1)), "beta": ("linspace", -1.0, 1.0, (1, 6, 1, 1))},
        {"G": 2, "gn_param": {}}), ("out",), tol=1e-6, points=1),
    row("spatial_groupnorm.numgrad", "numgrad", "layer:spatial_groupnorm", Case("G = 2, x (2, 6, 4, 5)", {
        "x": (R, (2, 6, 4, 5), 5.0, 12.0), "gamma": (R, (1, 6, 1, 1)), "beta": (R, (1, 6, 1, 1)), "dout": (R, (2, 6, 4, 5))},
        {"G": 2, "gn_param": {}}), ("x", "gamma", "beta"), tol=1e-5, points=1.5),
]

# ---- behaviour families: inputs left alone, dtype kept
UNMODIFIED = {
    "affine": Case("x (3, 2, 2), w (4, 5)", {"x": (R, (3, 2, 2)), "w": (R, (4, 5)), "b": (R, (5,)), "dout": (R, (3, 5))}),
    "relu": Case("x (4, 6)", {"x": (R, (4, 6)), "dout": (R, (4, 6))}),
    "softmax_loss": Case("x (5, 4)", {"x": (R, (5, 4)), "y": ("labels", 4, 5)}),
    "batchnorm": Case("x (8, 3)", {"x": (R, (8, 3)), "gamma": (R, (3,)), "beta": (R, (3,)), "dout": (R, (8, 3))}, {"bn_param": BN_TRAIN}),
    "conv_naive": Case("stride 1, pad 1", {"x": (R, (2, 2, 5, 5)), "w": (R, (2, 2, 3, 3)), "b": (R, (2,)), "dout": (R, (2, 2, 5, 5))},
                       {"conv_param": {"stride": 1, "pad": 1}}),
    "max_pool_naive": Case("2x2, stride 2", {"x": (R, (2, 2, 4, 4)), "dout": (R, (2, 2, 2, 2))},
                           {"pool_param": {"pool_height": 2, "pool_width": 2, "stride": 2}}),
}
DTYPE = {
    "affine": Case("float32 inputs", {"x": (R, (3, 4)), "w": (R, (4, 5)), "b": (R, (5,)), "dout": (R, (3, 5))}, dtype="float32"),
    "relu": Case("float32 inputs", {"x": (R, (4, 6)), "dout": (R, (4, 6))}, dtype="float32"),
    "batchnorm": Case("float32 inputs", {"x": (R, (8, 3)), "gamma": (R, (3,)), "beta": (R, (3,)), "dout": (R, (8, 3))},
                      {"bn_param": BN_TRAIN}, dtype="float32"),
    "layernorm": Case("float32 inputs", {"x": (R, (8, 3)), "gamma": (R, (3,)), "beta": (R, (3,)), "dout": (R, (8, 3))},
                      {"ln_param": {}}, dtype="float32"),
}
BEHAVIOUR_ROWS = [
    row(f"{name}.inputs_unmodified", "behaviour", f"layer:{name}", case, points=0.5, property="inputs_unmodified")
    for name, case in UNMODIFIED.items()
] + [
    row(f"{name}.dtype_preserved", "behaviour", f"layer:{name}", case, points=0.5, property="dtype_preserved")
    for name, case in DTYPE.items()
]

MAX_POOL_TIES = row("max_pool_backward_naive.ties", "behaviour", "layer:max_pool_naive", Case(
    "inputs of 0s and 1s (many tied maxima), 2x2 windows, stride 2", {"x": ("zeros", (2, 3, 6, 6)), "dout": (R, (2, 3, 3, 3))},
    {"pool_param": {"pool_height": 2, "pool_width": 2, "stride": 2}}), functions=("max_pool_backward_naive",), points=0.5,
    property="max_pool_ties")
BEHAVIOUR_ROWS.append(MAX_POOL_TIES)

# ============================================================================ dropout

DROPOUT_CASE = Case("x (400, 250), p in {0.25, 0.4, 0.7}", {"x": ("rand", (400, 250)), "dout": (R, (400, 250))})
DROPOUT_ROWS = [
    row(f"dropout.{prop}", "statistical", "layer:dropout", DROPOUT_CASE, tol=tol, points=pts, property=f"dropout_{prop}", functions=fns)
    for prop, tol, pts, fns in [
        ("rate", 0.02, 1.0, ("dropout_forward",)),
        ("scaling", 0.03, 1.0, ("dropout_forward",)),
        ("independent", 0.0, 0.5, ("dropout_forward",)),
        ("test_identity", 0.0, 0.5, ("dropout_forward", "dropout_backward")),
        ("backward_mask", 1e-6, 1.0, ("dropout_backward",)),
    ]
]

# ============================================================================ update rules

N, D = 4, 5
def optim_case(condition: str, extra: dict, config: dict, steps: int, linspace: bool) -> Case:
    arrays = {"w": ("linspace", -0.4, 0.6, (N, D)), **{f"dw{i}": ("linspace", -0.6, 0.4, (N, D)) for i in range(steps)}} if linspace \
        else {"w": (R, (N, D)), **{f"dw{i}": (R, (N, D)) for i in range(steps)}}
    arrays.update(extra)
    return Case(condition, arrays, {"config": config})

OPTIM_UNMODIFIED = [
    row(f"{rule}.inputs_unmodified", "behaviour", f"optim:{rule}", optim_case("w and dw are left alone", extra, config, 1, False),
        points=0.25, property="optim_inputs_unmodified")
    for rule, extra, config in [
        ("sgd_momentum", {"v": (R, (N, D))}, {"velocity": "$v"}),
        ("rmsprop", {"cache": ("rand", (N, D))}, {"cache": "$cache"}),
        ("adam", {"m": (R, (N, D)), "v": ("rand", (N, D))}, {"m": "$m", "v": "$v", "t": 3}),
    ]
]

OPTIM_ROWS = OPTIM_UNMODIFIED + [
    row("sgd_momentum.fixed", "fixed", "optim:sgd_momentum", optim_case("the notebook's checkpoint",
        {"v": ("linspace", 0.6, 0.9, (N, D))}, {"learning_rate": 1e-3, "velocity": "$v"}, 1, True),
        ("w_cur", "config.velocity"), points=1, steps=1),
    row("rmsprop.fixed", "fixed", "optim:rmsprop", optim_case("the notebook's checkpoint",
        {"cache": ("linspace", 0.6, 0.9, (N, D))}, {"learning_rate": 1e-2, "cache": "$cache"}, 1, True),
        ("w_cur", "config.cache"), points=1, steps=1),
    row("adam.fixed", "fixed", "optim:adam", optim_case("the notebook's checkpoint (t = 5)",
        {"m": ("linspace", 0.6, 0.9, (N, D)), "v": ("linspace", 0.7, 0.5, (N, D))},
        {"learning_rate": 1e-2, "m": "$m", "v": "$v", "t": 5}, 1, True),
        ("w_cur", "config.m", "config.v", "config.t"), points=1.5, steps=1),
]

# ============================================================================ models

FC = "classifiers.fc_net.FullyConnectedNet"
CNN = "classifiers.cnn.ThreeLayerConvNet"


def fc_shapes(hidden_dims: list[int], input_dim: int, num_classes: int, normalization: str | None) -> dict[str, tuple]:
    widths = (input_dim, *hidden_dims, num_classes)  # the documented parameter shapes, not the student's code
    shapes: dict[str, tuple] = {}
    for i in range(len(widths) - 1):
        shapes[f"W{i + 1}"], shapes[f"b{i + 1}"] = (widths[i], widths[i + 1]), (widths[i + 1],)
        if normalization and i < len(widths) - 2:
            shapes[f"gamma{i + 1}"], shapes[f"beta{i + 1}"] = (widths[i + 1],), (widths[i + 1],)
    return shapes


def cnn_shapes(input_dim: list[int], num_filters: int, filter_size: int, hidden_dim: int, num_classes: int) -> dict[str, tuple]:
    C, H, W = input_dim
    return {"W1": (num_filters, C, filter_size, filter_size), "b1": (num_filters,),
            "W2": (num_filters * (H // 2) * (W // 2), hidden_dim), "b2": (hidden_dim,),
            "W3": (hidden_dim, num_classes), "b3": (num_classes,)}


def param_arrays(shapes: dict[str, tuple], scale: float) -> dict[str, tuple]:
    out = {}
    for name, shape in shapes.items():
        if name.startswith("gamma"):
            out[f"p.{name}"] = (R, shape, 0.2, 1.0)
        elif name.startswith(("b", "beta")):
            out[f"p.{name}"] = (R, shape, 0.1)
        else:
            out[f"p.{name}"] = (R, shape, scale)
    return out


def fc_case(condition: str, N: int, hidden: list[int], D: int, C: int, *, normalization=None, reg=0.0,
             dropout=0.0, scale=0.3) -> Case:
    kwargs = {"hidden_dims": hidden, "input_dim": D, "num_classes": C, "normalization": normalization, "reg": reg,
              "dtype": "float64", "dropout": dropout, "seed": 123 if dropout else None}
    arrays = {"X": (R, (N, D)), "y": ("labels", C, N), **param_arrays(fc_shapes(hidden, D, C, normalization), scale)}
    return Case(condition, arrays, {"kwargs": kwargs})


def cnn_case(condition: str, N: int, reg: float = 0.0) -> Case:
    kwargs = {"input_dim": [3, 8, 8], "num_filters": 3, "filter_size": 3, "hidden_dim": 7, "num_classes": 4,
              "weight_scale": 0.1, "reg": reg, "dtype": "float64"}
    arrays = {"X": (R, (N, 3, 8, 8)), "y": ("labels", 4, N), **param_arrays(cnn_shapes([3, 8, 8], 3, 3, 7, 4), 0.3)}
    return Case(condition, arrays, {"kwargs": kwargs})


FC_FN, CNN_FN = ("FullyConnectedNet",), ("ThreeLayerConvNet",)
SOLVER_FC = {"update_rule": "adam", "optim_config": {"learning_rate": 5e-3}, "num_epochs": 25, "batch_size": 25, "verbose": False}
SOLVER_CNN = {"update_rule": "adam", "optim_config": {"learning_rate": 1e-2}, "num_epochs": 30, "batch_size": 25, "verbose": False}

MODEL_ROWS = [
    row("fc_net.params", "model", "model:fc", Case("hidden_dims [20, 30], input_dim 15, batchnorm, weight_scale 0.05", params={
        "kwargs": {"hidden_dims": [20, 30], "input_dim": 15, "num_classes": 10, "normalization": "batchnorm",
                   "weight_scale": 0.05, "dtype": "float32"}}), functions=FC_FN, points=1, property="model_params", cls=FC,
        shapes=fc_shapes([20, 30], 15, 10, "batchnorm")),
    row("fc_net.initial_loss", "model", "model:fc", Case("10 classes, weight_scale 1e-3, no regularization", {
        "X": (R, (40, 30)), "y": ("labels", 10, 40)}, {"kwargs": {"hidden_dims": [50, 40], "input_dim": 30, "num_classes": 10,
        "weight_scale": 1e-3, "dtype": "float64"}}), functions=FC_FN, tol=0.05, points=1, property="initial_loss", cls=FC, classes=10),
    row("fc_net.numgrad", "numgrad", "model:fc", fc_case("2 hidden layers, reg 0", 3, [6, 5], 4, 3), ("W1", "b1", "W2", "b2", "W3", "b3"),
        functions=FC_FN, tol=1e-5, points=1.5, cls=FC, max_entries=12),
    row("fc_net.numgrad_reg", "numgrad", "model:fc", fc_case("2 hidden layers, reg 3.14", 3, [6, 5], 4, 3, reg=3.14),
        ("W1", "b1", "W2", "W3", "b3"), functions=FC_FN, tol=1e-5, points=1, cls=FC, max_entries=12),
    row("fc_net.numgrad_batchnorm", "numgrad", "model:fc", fc_case("batchnorm, reg 0.5", 6, [6, 5], 4, 3, normalization="batchnorm", reg=0.5),
        ("W1", "gamma1", "beta1", "W2", "gamma2", "W3"), functions=FC_FN, tol=1e-4, points=1, cls=FC, max_entries=10),
    row("fc_net.numgrad_layernorm", "numgrad", "model:fc", fc_case("layernorm", 4, [6, 5], 4, 3, normalization="layernorm"),
        ("W1", "gamma1", "beta2", "W3"), functions=FC_FN, tol=1e-4, points=1, cls=FC, max_entries=10),
    row("fc_net.numgrad_dropout", "numgrad", "model:fc", fc_case("dropout 0.25 with a seed", 4, [8, 7], 5, 3, dropout=0.25),
        ("W1", "W2", "b2", "W3"), functions=FC_FN, tol=1e-5, points=1, cls=FC, max_entries=10),
    row("fc_net.overfit", "model", "model:fc", Case("50 digits, 2 hidden layers of 100, Adam", params={"kwargs": {
        "hidden_dims": [100, 100], "input_dim": 64, "num_classes": 10, "weight_scale": 5e-2, "dtype": "float64"}}),
        functions=FC_FN + ("Solver",), tol=0.9, points=1.5, property="overfit", cls=FC, classes=10, n=50, flat=True, solver=SOLVER_FC),
    row("cnn.params", "model", "model:cnn", Case("input_dim (3, 16, 12), 5 filters of 3x3, hidden 9", params={"kwargs": {
        "input_dim": [3, 16, 12], "num_filters": 5, "filter_size": 3, "hidden_dim": 9, "num_classes": 4, "weight_scale": 0.05,
        "dtype": "float32"}}), functions=CNN_FN, points=1, property="model_params", cls=CNN, shapes=cnn_shapes([3, 16, 12], 5, 3, 9, 4)),
    row("cnn.initial_loss", "model", "model:cnn", Case("10 classes, default sizes on (3, 16, 16) images", {
        "X": (R, (20, 3, 16, 16)), "y": ("labels", 10, 20)}, {"kwargs": {"input_dim": [3, 16, 16], "dtype": "float64"}}),
        functions=CNN_FN, tol=0.05, points=1, property="initial_loss", cls=CNN, classes=10),
    row("cnn.numgrad", "numgrad", "model:cnn", cnn_case("3 filters of 3x3 on (3, 8, 8), hidden 7, reg 0.1", 2, reg=0.1),
        ("W1", "b1", "W2", "b2", "W3", "b3"), functions=CNN_FN, tol=1e-4, points=1.5, cls=CNN, max_entries=10),
    row("cnn.overfit", "model", "model:cnn", Case("50 digits (1, 8, 8), Adam", params={"kwargs": {
        "input_dim": [1, 8, 8], "num_filters": 8, "filter_size": 3, "hidden_dim": 50, "num_classes": 10, "weight_scale": 1e-1,
        "dtype": "float64"}}), functions=CNN_FN + ("Solver",), tol=0.9, points=1.5, property="overfit", cls=CNN, classes=10, n=50,
        solver=SOLVER_CNN),
]

# ============================================================================ timing

# Many rows and few features: a Python loop over the rows costs far more than the vectorized layer,
# while the vectorized layer's own time is small (the grader subtracts input generation).
TIMING = {
    "affine": (Case("x (4000, 32), w (32, 16)", {"x": (R, (4000, 32)), "w": (R, (32, 16)), "b": (R, (16,)), "dout": (R, (4000, 16))}), 10.0),
    "relu": (Case("x (4000, 64)", {"x": (R, (4000, 64)), "dout": (R, (4000, 64))}), 10.0),
    "softmax_loss": (Case("x (4000, 10)", {"x": (R, (4000, 10)), "y": ("labels", 10, 4000)}), 10.0),
    "batchnorm_alt": (Case("x (4000, 32)", {"x": (R, (4000, 32)), "gamma": (R, (32,)), "beta": (R, (32,)), "dout": (R, (4000, 32))},
                           {"bn_param": BN_TRAIN}), 10.0),
    "layernorm": (Case("x (4000, 32)", {"x": (R, (4000, 32)), "gamma": (R, (32,)), "beta": (R, (32,)), "dout": (R, (4000, 32))},
                       {"ln_param": {}}), 10.0),
    "spatial_batchnorm": (Case("x (256, 8, 4, 4)", {"x": (R, (256, 8, 4, 4)), "gamma": (R, (8,)), "beta": (R, (8,)),
                                                   "dout": (R, (256, 8, 4, 4))}, {"bn_param": BN_TRAIN}), 10.0),
    "spatial_groupnorm": (Case("x (128, 8, 8, 8), G = 4", {"x": (R, (128, 8, 8, 8)), "gamma": (R, (1, 8, 1, 1)),
                                                           "beta": (R, (1, 8, 1, 1)), "dout": (R, (128, 8, 8, 8))},
                                {"G": 4, "gn_param": {}}), 10.0),
}
TIMING_ROWS = [
    row(f"{name}.timing", "timing", f"layer:{name}", case, tol=ratio, points=0.5, hidden=False)
    for name, (case, ratio) in TIMING.items()
] + [
    row("conv.fast_vs_naive", "timing", "layer:conv_naive", Case("the notebook's benchmark: x (100, 3, 31, 31), w (25, 3, 3, 3), stride 2, pad 1", {
        "x": (R, (100, 3, 31, 31)), "w": (R, (25, 3, 3, 3)), "b": (R, (25,)), "dout": (R, (100, 25, 16, 16))}, {"conv_param": CONV_S2P1}),
        tol=1.0, points=0.0, functions=("conv_forward_naive", "conv_backward_naive", "conv_forward_fast", "conv_backward_fast"),
        against="conv_fast", rounds=3, inner=2),
]

CHECKS: list[Check] = LAYER_ROWS + BEHAVIOUR_ROWS + DROPOUT_ROWS + OPTIM_ROWS + MODEL_ROWS + TIMING_ROWS


def by_id() -> dict[str, Check]:
    table = {c.id: c for c in CHECKS}
    if len(table) != len(CHECKS):  # pragma: no cover - a table error
        raise ValueError("duplicate check ids in the table")
    return table
