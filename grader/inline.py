"""The grader's API for notebook cells: ``from grader import setup``.

:func:`setup` makes the submission's ``nnlayers`` importable from a notebook
(whether it runs in the handout, beside ``nnlayers/``, or under the grader,
which sets ``NNLAYERS_ROOT``), turns on module autoreload so edits to
``layers.py`` count without restarting the kernel, and sets plot defaults.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE = "nnlayers"


def find_root(start: str | os.PathLike | None = None) -> Path:
    """The folder holding ``nnlayers/``: ``$NNLAYERS_ROOT``, else ``start`` or one of its parents."""
    candidates = [Path(os.environ["NNLAYERS_ROOT"])] if os.environ.get("NNLAYERS_ROOT") else []
    here = Path(start or Path.cwd()).resolve()
    candidates += [here, *here.parents]
    for folder in candidates:
        if (folder / PACKAGE / "__init__.py").is_file():
            return folder.resolve()
    raise FileNotFoundError(
        f"no {PACKAGE}/ package in {here} or its parents: open the notebook from the assignment folder, "
        f"or set NNLAYERS_ROOT to the folder that holds {PACKAGE}/"
    )


def setup(*, autoreload: bool = True, plots: bool = True) -> Path:
    """Prepare a notebook: ``nnlayers`` importable, autoreload on, plot defaults set.

    Returns
    -------
    Path
        The folder put on ``sys.path`` (the one holding ``nnlayers/``).
    """
    root = find_root()
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    if autoreload:
        try:
            from IPython import get_ipython

            ip = get_ipython()
            if ip is not None:
                if "autoreload" not in ip.extension_manager.loaded:
                    ip.run_line_magic("load_ext", "autoreload")
                ip.run_line_magic("autoreload", "2")
        except ImportError:
            pass
    if plots:
        try:
            import matplotlib.pyplot as plt

            plt.rcParams.update({"figure.figsize": (10.0, 6.0), "image.interpolation": "nearest", "image.cmap": "gray"})
        except ImportError:
            pass
    return root


# ----------------------------------------------------------------------------- check()

#: The student functions each notebook is about: ``check("<notebook>")`` runs all their public checks.
NOTEBOOK_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "FullyConnectedNets": ("affine_forward", "affine_backward", "relu_forward", "relu_backward", "softmax_loss",
                           "svm_loss", "sgd_momentum", "rmsprop", "adam", "FullyConnectedNet"),
    "BatchNormalization": ("batchnorm_forward", "batchnorm_backward", "batchnorm_backward_alt", "layernorm_forward",
                           "layernorm_backward"),
    "Dropout": ("dropout_forward", "dropout_backward"),
    "ConvolutionalNetworks": ("conv_forward_naive", "conv_backward_naive", "max_pool_forward_naive",
                              "max_pool_backward_naive", "ThreeLayerConvNet", "spatial_batchnorm_forward",
                              "spatial_batchnorm_backward", "spatial_groupnorm_forward", "spatial_groupnorm_backward"),
}

#: Set by the grader for the kernels it runs: there, ``check`` does nothing (the grader checks everything anyway).
UNDER_GRADER = "NNLAYERS_UNDER_GRADER"


class CheckResults:
    """What :func:`check` found; shown as an HTML table in Jupyter and as text elsewhere.

    Attributes
    ----------
    names : tuple of str
        What was asked for.
    checks : list of grader.results.CheckResult
        One record per public check, exactly as ``grade`` would report it.
    """

    def __init__(self, names: tuple[str, ...], checks: list, note: str = ""):
        self.names, self.checks, self.note = names, checks, note

    @property
    def score(self) -> float:
        return sum(c.score for c in self.checks)

    @property
    def max_score(self) -> float:
        return sum(c.max_score for c in self.checks if c.status != "skipped")

    @property
    def passed(self) -> bool:
        return all(c.status in ("passed", "skipped") for c in self.checks)

    def __str__(self) -> str:
        if self.note:
            return self.note
        lines = [f"{', '.join(self.names)}: {self.score:g} / {self.max_score:g} points"]
        for c in self.checks:
            lines.append(f"  {c.status:8s} {c.id} ({c.score:g}/{c.max_score:g})" + (f": {c.message}" if c.message else ""))
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        import html

        if self.note:
            return f"<p><em>{html.escape(self.note)}</em></p>"
        colours = {"passed": "#1a7f37", "skipped": "#6e7781"}
        rows = "".join(
            f'<tr><td style="color:{colours.get(c.status, "#cf222e")}"><b>{html.escape(c.status)}</b></td>'
            f"<td><code>{html.escape(c.id)}</code></td><td>{c.score:g} / {c.max_score:g}</td>"
            f'<td><pre style="white-space:pre-wrap;margin:0">{html.escape(c.message)}</pre></td></tr>'
            for c in self.checks)
        return (f"<p><b>{html.escape(', '.join(self.names))}</b>: {self.score:g} / {self.max_score:g} points "
                f"(public checks; more run at official grading)</p><table><tr><th>status</th><th>check</th>"
                f"<th>points</th><th>message</th></tr>{rows}</table>")


def _patterns(names: tuple[str, ...]) -> list[str]:
    from grader.checks.table import CHECKS

    known_functions = {f for c in CHECKS for f in c.functions}
    known_ids = {c.id for c in CHECKS}
    patterns: list[str] = []
    for name in names:
        if name in NOTEBOOK_FUNCTIONS:
            patterns += NOTEBOOK_FUNCTIONS[name]
        elif name in known_functions or name in known_ids or any(i.startswith(name + ".") for i in known_ids):
            patterns.append(name)
        else:
            raise ValueError(f"check({name!r}): not a notebook ({', '.join(NOTEBOOK_FUNCTIONS)}) nor a checked "
                             f"function ({', '.join(sorted(known_functions))})")
    return patterns


def check(*names: str, seed: int = 0, isolation: str | None = None) -> CheckResults:
    """Run the public checks of functions or whole notebooks on your ``nnlayers``, as ``grade`` would.

    Parameters
    ----------
    *names : str
        Function names (``"batchnorm_forward"``), check ids, or notebook names
        (``"BatchNormalization"``: every public check of that notebook's functions).
    seed : int
        Seed of the randomized public checks (the same seed gives the same result as ``grade --seed``).

    Returns
    -------
    CheckResults
        Displayed as a table; ``.score``, ``.max_score`` and ``.passed`` for code.

    Notes
    -----
    The checks run your package as it is on disk now (a fresh import in a separate
    worker process, from the same check table as ``grade``), so edits to
    ``layers.py`` count without restarting the kernel; :func:`setup`'s autoreload
    keeps the kernel's own copy current too.  Only public checks exist on your
    machine; hidden ones run at official grading.
    """
    if not names:
        raise ValueError("check() needs a function or notebook name, e.g. check('affine_forward')")
    patterns = _patterns(tuple(names))
    if os.environ.get(UNDER_GRADER):
        return CheckResults(tuple(names), [], note="(the grader runs these checks itself)")
    from grader.api import grade
    from grader.checks.table import CHECKS

    root = find_root()
    report = grade(submission=root, only=patterns, notebooks=False, checks=list(CHECKS), use_reference=False,
                   seed=seed, isolation=isolation)
    return CheckResults(tuple(names), [c for c in report.checks if c.status != "skipped"])
