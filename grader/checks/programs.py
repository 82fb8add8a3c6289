"""Build the programs (step lists, see :mod:`grader.worker.interp`) that checks run."""
from __future__ import annotations

from typing import Any

import numpy as np

from grader.checks.spec import Case, Layer


def _arg(name: str, case: Case, arrays: dict[str, np.ndarray]) -> Any:
    if name in arrays:
        return f"${name}"
    if name in case.params:
        value = case.params[name]
        return f"${name}" if isinstance(value, dict) else value
    raise KeyError(f"case {case.condition!r} gives no value for argument {name!r}")


def param_steps(case: Case, names: tuple[str, ...] | list[str] | None = None) -> list[dict]:
    """``let`` steps that build fresh dict parameters (so calls may mutate them)."""
    return [
        {"op": "let", "into": name, "value": value}
        for name, value in case.params.items()
        if isinstance(value, dict) and (names is None or name in names)
    ]


def forward_steps(layer: Layer, case: Case, arrays: dict[str, np.ndarray], overrides: dict[str, str] | None = None) -> list[dict]:
    """Steps calling ``layer``'s forward into ``out``/``cache`` (or ``loss``/``dx`` for a loss)."""
    overrides = overrides or {}
    args = [overrides.get(a, _arg(a, case, arrays)) for a in layer.args]
    into = ["loss", "dx"] if layer.is_loss else ["out", "cache"]
    return [*param_steps(case, layer.args), {"op": "call", "fn": layer.forward, "args": args, "into": into}]


def grad_names(layer: Layer) -> list[str]:
    return [f"d{g}" for g in layer.grads]


def layer_program(layer: Layer, case: Case, arrays: dict[str, np.ndarray], *, backward: bool = True,
                  extra_returns: tuple[str, ...] = ()) -> list[dict]:
    """Forward (and backward with ``dout``) of a layer, returning outputs and gradients."""
    steps = forward_steps(layer, case, arrays)
    names = ["loss", "dx"] if layer.is_loss else ["out"]
    if backward and not layer.is_loss:
        grads = grad_names(layer)
        steps.append({"op": "call", "fn": layer.backward, "args": ["$dout", "$cache"],
                      "into": grads[0] if len(grads) == 1 else grads})
        names += grads
    steps.append({"op": "return", "names": names + list(extra_returns)})
    return steps


def perturbations(x: np.ndarray, indices: list[tuple[int, ...]], h: float) -> np.ndarray:
    """Stack of copies of ``x``: for each index, ``x + h`` then ``x - h`` at that index."""
    stack = np.repeat(x[None], 2 * len(indices), axis=0)
    for k, idx in enumerate(indices):
        stack[(2 * k, *idx)] += h
        stack[(2 * k + 1, *idx)] -= h
    return stack


def layer_numgrad_program(layer: Layer, case: Case, arrays: dict[str, np.ndarray], wrt: str) -> list[dict]:
    """Evaluate the forward at every perturbed copy of input ``wrt`` (sent as ``__stack``)."""
    inner = forward_steps(layer, case, arrays, overrides={wrt: "$__item"})
    collect = "loss" if layer.is_loss else "out"
    return [
        {"op": "map", "over": "$__stack", "as": "__item", "steps": inner, "collect": collect, "into": "__values",
         "what": f"the {collect} of {layer.forward.rpartition('.')[2]}"},
        {"op": "return", "names": ["__values"]},
    ]


# ----------------------------------------------------------------------------- update rules


def optim_program(rule: str, n_steps: int, config: dict[str, Any]) -> list[dict]:
    """``n_steps`` calls of an update rule with gradients ``dw0..``; returns the last w (``w_cur``) and config.

    The first call gets the sent ``w`` itself, so ``w`` and ``dw0`` show whether the rule modified them.
    """
    steps: list[dict] = [{"op": "let", "into": "config", "value": config}]
    for i in range(n_steps):
        steps.append({"op": "call", "fn": f"optim.{rule}", "args": ["$w" if i == 0 else "$w_cur", f"$dw{i}", "$config"],
                      "into": ["w_cur", "config"]})
    steps.append({"op": "return", "names": ["w_cur", "w", "dw0"]})
    return steps


# ----------------------------------------------------------------------------- models


def model_steps(cls: str, kwargs: dict[str, Any], param_names: list[str] | None = None) -> list[dict]:
    """Build a model; optionally overwrite its params with the sent arrays ``p.<name>``."""
    steps: list[dict] = [{"op": "call", "fn": cls, "kwargs": kwargs, "into": "model"},
                         {"op": "get", "obj": "$model", "attr": "params", "into": "params",
                          "where": cls.rpartition(".")[2], "function": cls.rpartition(".")[2]}]
    for name in param_names or []:
        steps.append({"op": "set", "obj": "$params", "key": name, "value": f"$p.{name}"})
    return steps


def model_loss_program(cls: str, kwargs: dict[str, Any], param_names: list[str], *, with_labels: bool = True) -> list[dict]:
    steps = model_steps(cls, kwargs, param_names)
    if with_labels:
        steps.append({"op": "method", "obj": "$model", "name": "loss", "args": ["$X", "$y"], "into": ["loss", "grads"]})
        steps.append({"op": "return", "names": ["loss", "grads"]})
    else:  # test mode: the model must switch its batch norm and dropout layers by itself
        steps.append({"op": "method", "obj": "$model", "name": "loss", "args": ["$X"], "into": "scores"})
        steps.append({"op": "return", "names": ["scores"]})
    return steps


def model_numgrad_program(cls: str, kwargs: dict[str, Any], param_names: list[str], wrt: str) -> list[dict]:
    steps = model_steps(cls, kwargs, param_names)
    inner = [{"op": "set", "obj": "$params", "key": wrt, "value": "$__item"},
             {"op": "method", "obj": "$model", "name": "loss", "args": ["$X", "$y"], "into": ["loss", "grads"]}]
    steps.append({"op": "map", "over": "$__stack", "as": "__item", "steps": inner, "collect": "loss", "into": "__values",
                  "what": "the loss"})
    steps.append({"op": "return", "names": ["__values"]})
    return steps
