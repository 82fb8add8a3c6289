"""Build hostile or malformed submissions and grade them under a chosen isolation.

A submission is a copy of the reference package (``solutions/nnlayers``) with
code appended to some of its modules: Python keeps the last definition, so
appending ``def affine_forward(...)`` replaces the reference's function.
Snippets use ``@NAME@`` placeholders, filled in by :func:`fill`.
"""
from __future__ import annotations

import os
import re
import sys
import textwrap
import time
from pathlib import Path

import pytest

from support import append_code, reference_copy

from grader.api import Limits, grade
from grader.isolation.policy import Isolation

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
PACKAGE = SOLUTIONS / "nnlayers"

AFFINE = "affine_forward.fixed"
OTHERS = ("sgd_momentum.fixed", "adam.fixed")
ONLY = [AFFINE, *OTHERS]

#: A wrong affine_forward (off by one everywhere).
WRONG_AFFINE = """
def affine_forward(x, w, b):
    return x.reshape(x.shape[0], -1) @ w + b + 1.0, (x, w, b)
"""

#: Keeps the reference's function so a hostile wrapper can still return right values.
KEEP_AFFINE = "\n_reference_affine_forward = affine_forward\n"

ISOLATIONS = {
    "bubblewrap": Isolation("strict", "bubblewrap", True),
    "landlock": Isolation("strict", "landlock", True),
    "basic": Isolation("basic", "none"),
    # single layers, to show each one holds on its own
    "bubblewrap-no-seccomp": Isolation("strict", "bubblewrap", False),
    "landlock-no-seccomp": Isolation("strict", "landlock", False),
}
STRICT = ["bubblewrap", "landlock"]
ALL = [*STRICT, "basic"]


def unavailable(mode: str) -> str | None:
    """Why ``mode`` cannot run here (None if it can)."""
    if mode == "default":
        return None
    iso = ISOLATIONS[mode]
    if iso.mode == "basic":
        return None
    if not sys.platform.startswith("linux"):
        return "strict isolation needs Linux"
    if iso.method == "bubblewrap":
        from grader.isolation import bwrap

        reason = bwrap.probe()
        if reason:
            return reason
    if iso.method == "landlock":
        from grader.isolation import landlock

        if landlock.abi_version() < 1:
            return "the kernel has no Landlock"
    if iso.seccomp:
        from grader.isolation import seccomp

        if not seccomp.supported():
            return "seccomp filtering is unavailable"
    return None


def isolation(mode: str) -> Isolation:
    """The isolation called ``mode`` ("default": what grading picks here), or skip the test."""
    if mode == "default":
        from grader.isolation.policy import choose

        return choose(None)
    reason = unavailable(mode)
    if reason:
        pytest.skip(f"isolation {mode} is not available here: {reason}")
    return ISOLATIONS[mode]


def fill(code: str, **values) -> str:
    code = textwrap.dedent(code)
    for key, value in values.items():
        code = code.replace(f"@{key.upper()}@", repr(str(value)) if not isinstance(value, int) else str(value))
    left = re.findall(r"@[A-Z_]+@", code)
    assert not left, f"unfilled placeholders {left} in:\n{code}"
    return code


def make_submission(base: Path, append: dict[str, str] | None = None, *, name: str = "sub") -> Path:
    """Copy the reference package into ``base/name/nnlayers`` and append code to its modules."""
    return append_code(reference_copy(base / name, package=PACKAGE), append or {})


def run(sub: Path, mode: str, *, only=ONLY, per_call: float = 3, out: Path | None = None, notebooks: bool = False):
    return grade(submission=sub, out=out, reference=SOLUTIONS, notebooks=notebooks, seed=1, only=list(only),
                 limits=Limits(per_call=per_call, total=120), isolation=isolation(mode))


def by_id(report) -> dict:
    return {c.id: c for c in report.checks}


def assert_others_pass(report, others=OTHERS) -> None:
    checks = by_id(report)
    bad = [(i, checks[i].status, checks[i].message[:200]) for i in others if checks[i].status != "passed"]
    assert not bad, f"checks of other modules should still pass: {bad}"


def processes_with(marker: str) -> list[str]:
    """Live processes whose command line or environment contains ``marker`` (never this process)."""
    me = os.getpid()
    needle = marker.encode()
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                state = fh.read().rsplit(b")", 1)[-1].split()[0]
        except OSError:
            continue
        if state in (b"Z", b"X"):  # already dead
            continue
        for what in ("cmdline", "environ"):
            try:
                with open(f"/proc/{name}/{what}", "rb") as fh:
                    data = fh.read()
            except OSError:
                continue
            if needle in data:
                found.append(f"pid {name} ({state.decode()}): {data[:160]!r}")
                break
    return found


def survivors(marker: str, grace: float = 1.0) -> list[str]:
    """Processes still carrying ``marker`` after a short grace period (for signals in flight)."""
    deadline = time.monotonic() + grace
    while True:
        found = processes_with(marker)
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def wrap(function: str, body: str) -> str:
    """Code that replaces ``function`` by one running ``body`` first and then the reference's function."""
    return (f"\n_reference_{function} = {function}\n\ndef {function}(*args, **kwargs):\n"
            + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ")
            + f"\n    return _reference_{function}(*args, **kwargs)\n")
