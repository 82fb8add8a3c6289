"""Grader for the ``nnlayers`` assignment.

The trusted grader never imports student code: a submission's ``nnlayers``
package runs in a separate worker process, and every verdict is computed here,
from plain ``.npy`` arrays the worker sends back.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"


def __getattr__(name: str):
    """Notebook helpers, imported on first use so workers stay light."""
    if name in ("setup", "check"):
        from grader import inline

        return getattr(inline, name)
    raise AttributeError(f"module 'grader' has no attribute {name!r}")
