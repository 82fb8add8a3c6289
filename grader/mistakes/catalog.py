"""Catalog entries: known wrong variants of student functions.

An entry is a wrong implementation with the same signature as the student
function (a class for ``FullyConnectedNet`` and ``ThreeLayerConvNet``), an id,
a one-line explanation and a hint.  The entries themselves live with the
reference solutions (``solutions/grading/mistakes/``), since a wrong variant is
mostly a right one; this module only holds their shape.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from grader.checks.spec import LAYERS

OPTIM_RULES = ("sgd", "sgd_momentum", "rmsprop", "adam")
CLASSES = {
    "FullyConnectedNet": "classifiers.fc_net.FullyConnectedNet",
    "ThreeLayerConvNet": "classifiers.cnn.ThreeLayerConvNet",
}


def target_path(function: str) -> str:
    """Where a student function lives in the package (``"layers.relu_backward"``).

    Raises
    ------
    KeyError
        For a name that is no student function.
    """
    for layer in LAYERS.values():
        for path in (layer.forward, layer.backward):
            if path and path.rpartition(".")[2] == function:
                return path
    if function in OPTIM_RULES:
        return f"optim.{function}"
    return CLASSES[function]


@dataclass(frozen=True)
class Mistake:
    """One known wrong variant of a student function.

    Attributes
    ----------
    id : str
        ``<function>.<short name>``, e.g. ``"relu_backward.inplace_dout"``.
    explanation : str
        What the variant computes, as a noun phrase that follows
        "Your results match" (it may name the slip, not the fix).
    hint : str
        Where to look, without giving the solution away.
    variant : callable
        The wrong implementation, called like the student function.
    checks : tuple of str
        Check ids the variant fails and is named by (tested for every entry).
    """

    id: str
    explanation: str
    hint: str
    variant: Callable[..., Any]
    checks: tuple[str, ...] = ()

    @property
    def function(self) -> str:
        return self.id.partition(".")[0]

    @property
    def target(self) -> str:
        return target_path(self.function)


@dataclass
class Catalog:
    """Entries by id, in the order they were added."""

    entries: dict[str, Mistake] = field(default_factory=dict)

    def entry(self, id: str, explanation: str, hint: str, checks: tuple[str, ...] = ()) -> Callable:
        """Decorator adding the decorated function or class as the variant of entry ``id``."""
        def register(variant: Callable) -> Callable:
            self.add(Mistake(id, explanation, hint, variant, tuple(checks)))
            return variant
        return register

    def add(self, mistake: Mistake) -> None:
        if mistake.id in self.entries:
            raise ValueError(f"mistake id {mistake.id!r} is defined twice")
        target_path(mistake.function)  # a KeyError for a name that is no student function
        self.entries[mistake.id] = mistake

    def extend(self, other: "Catalog") -> None:
        for m in other:
            self.add(m)

    def for_function(self, function: str) -> list[Mistake]:
        return [m for m in self.entries.values() if m.function == function]

    def get(self, id: str) -> Mistake:
        return self.entries[id]

    def __iter__(self) -> Iterator[Mistake]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)
