"""Building test submissions: a copy of the reference package, with code appended or a bug file's patch applied.

Used by the tests and the class benchmark.  A bug file of ``tests/bugs/`` holds
a ``TARGET = "<module>"`` line and, after ``# --- patch ---``, definitions that
replace the reference's (Python keeps the last definition of a name).
"""
from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "solutions"
PATCH_MARKER = "# --- patch ---"
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.so")


def reference_copy(folder: Path, *, package: Path = REFERENCE / "nnlayers", layout: str = "") -> Path:
    """Copy ``package`` to ``folder/<layout>/nnlayers``; return ``folder``."""
    folder = Path(folder)
    shutil.copytree(package, (folder / layout if layout else folder) / "nnlayers", ignore=_IGNORE)
    return folder


def append_code(folder: Path, patches: dict[str, str], *, layout: str = "") -> Path:
    """Append dedented code to modules of ``folder``'s package (``{"layers.py": "def relu_forward..."}``)."""
    pkg = (Path(folder) / layout if layout else Path(folder)) / "nnlayers"
    for module, code in patches.items():
        with open(pkg / module, "a", encoding="utf-8") as fh:
            fh.write("\n\n" + textwrap.dedent(code) + "\n")
    return Path(folder)


def bug_patch(bug: Path) -> tuple[str, str]:
    """The ``(target module, patch code)`` of a bug file."""
    head, sep, patch = Path(bug).read_text(encoding="utf-8").partition(PATCH_MARKER)
    target = re.search(r'^TARGET = "(.+?)"', head, flags=re.M)
    if not sep or target is None:
        raise ValueError(f"{bug}: needs a TARGET line and a '{PATCH_MARKER}' line")
    return target.group(1), patch


def buggy_copy(folder: Path, bug: Path) -> Path:
    """A copy of the reference with the patch of ``bug`` applied; return ``folder``."""
    reference_copy(folder)
    target, patch = bug_patch(bug)
    with open(Path(folder) / "nnlayers" / target, "a", encoding="utf-8") as fh:
        fh.write(f"\n# bug variant {Path(bug).stem}\n{patch}\n")
    return Path(folder)
