"""The data a check row is made of.

A :class:`Check` is a row: which student functions it exercises, under which
input condition (:class:`Case`), by which kind of engine, with what tolerance
and points.  :data:`LAYERS` says how to call each layer (its forward/backward
pair, argument order and gradient names), so rows never spell out programs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.worker.recipes import make_array

KINDS = ("fixed", "reference", "numgrad", "timing", "statistical", "behaviour", "model")
VISIBILITIES = ("public", "hidden")


@dataclass(frozen=True)
class Layer:
    """How to call one layer.

    Attributes
    ----------
    forward : str
        Function path relative to the package (``"layers.affine_forward"``).
    backward : str or None
        The backward function, or None for a loss (forward returns ``(loss, dx)``).
    args : tuple of str
        Forward's positional arguments, by name; each is an array or a parameter of the case.
    grads : tuple of str
        The arguments backward returns gradients for, in order (``("x", "w", "b")``).
    """

    forward: str
    backward: str | None
    args: tuple[str, ...]
    grads: tuple[str, ...]

    @property
    def is_loss(self) -> bool:
        return self.backward is None

    @property
    def functions(self) -> tuple[str, ...]:
        names = [self.forward.rpartition(".")[2]]
        if self.backward:
            names.append(self.backward.rpartition(".")[2])
        return tuple(names)


LAYERS: dict[str, Layer] = {
    "affine": Layer("layers.affine_forward", "layers.affine_backward", ("x", "w", "b"), ("x", "w", "b")),
    "relu": Layer("layers.relu_forward", "layers.relu_backward", ("x",), ("x",)),
    "softmax_loss": Layer("layers.softmax_loss", None, ("x", "y"), ("x",)),
    "svm_loss": Layer("layers.svm_loss", None, ("x", "y"), ("x",)),
    "batchnorm": Layer("layers.batchnorm_forward", "layers.batchnorm_backward", ("x", "gamma", "beta", "bn_param"), ("x", "gamma", "beta")),
    "batchnorm_alt": Layer("layers.batchnorm_forward", "layers.batchnorm_backward_alt", ("x", "gamma", "beta", "bn_param"), ("x", "gamma", "beta")),
    "layernorm": Layer("layers.layernorm_forward", "layers.layernorm_backward", ("x", "gamma", "beta", "ln_param"), ("x", "gamma", "beta")),
    "dropout": Layer("layers.dropout_forward", "layers.dropout_backward", ("x", "dropout_param"), ("x",)),
    "conv_naive": Layer("layers.conv_forward_naive", "layers.conv_backward_naive", ("x", "w", "b", "conv_param"), ("x", "w", "b")),
    "max_pool_naive": Layer("layers.max_pool_forward_naive", "layers.max_pool_backward_naive", ("x", "pool_param"), ("x",)),
    "spatial_batchnorm": Layer("layers.spatial_batchnorm_forward", "layers.spatial_batchnorm_backward", ("x", "gamma", "beta", "bn_param"), ("x", "gamma", "beta")),
    "spatial_groupnorm": Layer("layers.spatial_groupnorm_forward", "layers.spatial_groupnorm_backward", ("x", "gamma", "beta", "G", "gn_param"), ("x", "gamma", "beta")),
    "conv_fast": Layer("fast_layers.conv_forward_fast", "fast_layers.conv_backward_fast", ("x", "w", "b", "conv_param"), ("x", "w", "b")),
    "max_pool_fast": Layer("fast_layers.max_pool_forward_fast", "fast_layers.max_pool_backward_fast", ("x", "pool_param"), ("x",)),
}


@dataclass(frozen=True)
class Case:
    """The inputs of a check, described as data.

    Attributes
    ----------
    condition : str
        The input condition in words, shown to students ("stride 2, pad 1").
    arrays : dict
        Array name to a recipe: ``("randn", shape)``, ``("randn", shape, scale, shift)``,
        ``("rand", shape)``, ``("linspace", lo, hi, shape)``, ``("labels", classes, n)``,
        ``("ones", shape)``, ``("zeros", shape)``.  ``dout`` is the upstream gradient.
    params : dict
        Non-array arguments (``conv_param``...); dict values may refer to arrays with ``"$name"``.
    dtype : str
        Float dtype of the generated arrays.
    """

    condition: str
    arrays: dict[str, tuple] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    dtype: str = "float64"

    def build(self, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Generate the arrays of this case with ``rng``."""
        return {name: make_array(recipe, rng, self.dtype) for name, recipe in self.arrays.items()}


@dataclass(frozen=True)
class Check:
    """One row of the check table.

    Attributes
    ----------
    id : str
        Stable identifier, used by the rubric and the reports.
    kind : str
        One of :data:`KINDS`; selects the engine.
    functions : tuple of str
        Student functions or classes the check exercises.
    target : str
        What is called: a key of :data:`LAYERS`, an update rule, or a model.
    case : Case
        The inputs.
    outputs : tuple of str
        Results compared (``("out", "dx")``); meaning depends on the kind.
    tolerance : float
        Largest relative error (or the kind's own bound) that passes.
    points : float
        Default points (the rubric may override).
    visibility : str
        ``"public"`` or ``"hidden"``.
    options : dict
        Extra, kind-specific settings (``{"property": "running_averages"}``...).
    """

    id: str
    kind: str
    functions: tuple[str, ...]
    target: str
    case: Case
    outputs: tuple[str, ...] = ()
    tolerance: float = 1e-7
    points: float = 1.0
    visibility: str = "public"
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def needs_reference(self) -> bool:
        """Whether the check needs the reference solutions to run."""
        return self.kind in ("reference", "timing") or bool(self.options.get("needs_reference"))
