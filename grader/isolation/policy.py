"""Choose and apply the isolation of processes that run student code.

Two modes (``grade --isolation``):

``strict`` (the default where it can be set up)
    The always-on layers, plus a kernel sandbox: bubblewrap where user
    namespaces work (only the submission's copy, its scratch folder and the
    Python installation visible; no network; pid namespace; unprivileged uid),
    else Landlock (file-system and network rules the worker applies to itself).
    Workers also install a seccomp filter (no fork/exec, no sockets, no
    setsid).  If neither sandbox can be built, grading is refused with a
    message that says how to fix it.
``basic`` (laptops, macOS)
    The always-on layers only: resource limits, scrubbed environment,
    ``python -I``, own session, process-group kill, subreaper, pids cgroup where
    available, timeouts, output caps.  Reports say plainly that submissions
    were not isolated.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODES = ("strict", "basic")


class IsolationError(RuntimeError):
    """The requested isolation cannot be set up here; the message says how to fix it."""


@dataclass(frozen=True)
class Isolation:
    """The isolation in force for a grading run.

    Attributes
    ----------
    mode : str
        ``"strict"`` or ``"basic"``.
    method : str
        ``"bubblewrap"``, ``"landlock"`` or ``"none"``.
    seccomp : bool
        Whether workers install the seccomp filter.
    """

    mode: str
    method: str
    seccomp: bool = False

    def describe(self) -> str:
        if self.mode == "basic":
            return ("basic: resource limits, scrubbed environment, timeouts and process-group kill only; "
                    "submissions were NOT isolated from the file system or the network")
        parts = [self.method] + (["seccomp"] if self.seccomp else [])
        return "strict: " + " + ".join(parts)


@lru_cache(maxsize=1)
def _landlock_abi() -> int:
    try:
        from grader.isolation import landlock

        return landlock.abi_version()
    except Exception:
        return 0


@lru_cache(maxsize=1)
def _seccomp_ok() -> bool:
    try:
        from grader.isolation import seccomp

        return seccomp.supported()
    except Exception:
        return False


def choose(mode: str | None = None) -> Isolation:
    """The isolation for ``mode`` (``None``: strict where possible, else basic).

    Raises
    ------
    IsolationError
        ``strict`` was asked for and cannot be set up.
    """
    from grader.isolation import bwrap

    if mode not in (None, *MODES):
        raise IsolationError(f"unknown isolation {mode!r} (choose from {', '.join(MODES)})")
    if mode == "basic" or not sys.platform.startswith("linux"):
        if mode == "strict":
            raise IsolationError("strict isolation needs Linux; use --isolation basic on this system")
        return Isolation("basic", "none")
    reason = bwrap.probe()
    seccomp = _seccomp_ok()
    if reason is None:
        return Isolation("strict", "bubblewrap", seccomp)
    if _landlock_abi() > 0:
        return Isolation("strict", "landlock", seccomp)
    if mode == "strict":
        raise IsolationError(
            f"strict isolation is not available: {reason}, and the kernel has no Landlock. "
            "Install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap) and allow unprivileged user "
            "namespaces (Ubuntu 24.04: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0), "
            "or grade with --isolation basic (not isolated)."
        )
    return Isolation("basic", "none")


def readable_roots(*modules: str) -> list[Path]:
    """Folders a sandboxed Python needs to read: its installation and the given packages."""
    roots = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix), Path(sys.executable).resolve().parent.parent}
    import importlib.util

    for name in ("numpy", "grader", "nnfast", *modules):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None:
            # the package folder itself (an editable install points into a checkout: never expose its parent)
            for loc in spec.submodule_search_locations or ([str(Path(spec.origin).parent)] if spec.origin else []):
                roots.add(Path(loc).resolve())
                # wheels repaired by auditwheel keep their shared libraries next to the package
                # (numpy.libs/, scikit_learn.libs/): folders of shared libraries only
                roots.update(p.resolve() for p in Path(loc).resolve().parent.glob("*.libs") if p.is_dir())
    return sorted(roots)


def wrap(isolation: Isolation, inner: list[str], *, readable: list[Path], writable: list[Path], cwd: Path,
         tmp_bytes: int = 256 * 2**20) -> list[str]:
    """The command line that runs ``inner`` under ``isolation``."""
    if isolation.method == "bubblewrap":
        from grader.isolation import bwrap

        return bwrap.command(inner, readable=readable, writable=writable, cwd=cwd, tmp_bytes=tmp_bytes)
    return list(inner)


def self_restriction_args(isolation: Isolation, *, readable: list[Path], writable: list[Path], seccomp: bool) -> list[str]:
    """Arguments telling a worker/runner to restrict itself (Landlock, seccomp) after its imports."""
    args: list[str] = []
    if isolation.method == "landlock":
        from grader.isolation import landlock

        spec = {"read_only": sorted({*map(str, readable), *map(str, landlock.python_read_only_paths())}),
                "read_write": [str(p) for p in writable] + list(landlock.SYSTEM_READ_WRITE_PATHS)}
        args += ["--landlock", json.dumps(spec)]
    if seccomp and isolation.seccomp:
        args.append("--seccomp")
    return args


def apply_self_restrictions(landlock_spec: str | None, seccomp: bool) -> None:
    """Called by a worker/runner on itself after its trusted imports; raises if a requested layer fails."""
    if landlock_spec:
        from grader.isolation import landlock

        spec = json.loads(landlock_spec)
        landlock.restrict(read_only=spec["read_only"], read_write=spec["read_write"], deny_network=True)
    if seccomp:
        from grader.isolation import seccomp as sc

        sc.install()
