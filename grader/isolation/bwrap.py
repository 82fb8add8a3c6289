"""Build bubblewrap command lines that show a worker only what it needs.

Inside the sandbox the worker sees: the system's ``/usr`` (and the merged-usr
links), a few harmless files of ``/etc``, the Python installation and the
packages it imports (read-only), the private copy of the submission
(read-only) and its scratch folder (read-write); a private ``/tmp`` with a size
cap, ``/proc`` of its own pid namespace, a minimal ``/dev``; no network (only
loopback of its own namespace), an unprivileged uid, no capabilities, and
``--die-with-parent``.  The course checkout (the reference solutions, hidden
checks), other submissions, the report folder and the grader's home are simply
not there.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

NOBODY = 65534
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "passwd", "group", "nsswitch.conf",
             "fonts", "alternatives", "mime.types", "hosts")
SYSTEM_DIRS = ("/usr", "/bin", "/lib", "/lib32", "/lib64", "/sbin")


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


@lru_cache(maxsize=1)
def probe() -> str | None:
    """None if bubblewrap can build a sandbox here, else the reason it cannot."""
    exe = bwrap_path()
    if exe is None:
        return "bubblewrap (bwrap) is not installed"
    try:
        done = subprocess.run([exe, *system_binds(), "--unshare-all", "--die-with-parent", "--uid", str(NOBODY),
                               "--gid", str(NOBODY), "--", "/bin/true"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not run: {exc}"
    if done.returncode != 0:
        return "bubblewrap cannot create namespaces here: " + done.stderr.decode(errors="replace").strip()[:200]
    return None


@lru_cache(maxsize=1)
def supports_size() -> bool:
    """Whether this bubblewrap caps a tmpfs with ``--size`` (0.7.0 and later; Ubuntu 22.04 has 0.6.1)."""
    exe = bwrap_path()
    try:
        done = subprocess.run([exe, *system_binds(), "--unshare-all", "--die-with-parent", "--uid", str(NOBODY),
                               "--gid", str(NOBODY), "--size", str(2**20), "--tmpfs", "/tmp", "--", "/bin/true"],
                              capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired, TypeError):
        return False
    return done.returncode == 0


def system_binds() -> list[str]:
    args: list[str] = []
    for d in SYSTEM_DIRS:
        p = Path(d)
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), d]
        elif p.is_dir():
            args += ["--ro-bind", d, d]
    for name in ETC_FILES:
        p = Path("/etc") / name
        if p.exists():
            args += ["--ro-bind", str(p), str(p)]
    return args


def _covered(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


def minimal_roots(paths: list[Path]) -> list[Path]:
    """Drop paths inside other paths of the list (and duplicates)."""
    out: list[Path] = []
    for p in sorted({Path(os.path.realpath(p)) for p in paths}, key=lambda p: len(p.parts)):
        if not _covered(p, out):
            out.append(p)
    return out


def command(inner: list[str], *, readable: list[Path], writable: list[Path], cwd: Path, tmp_bytes: int,
            share_net: bool = False) -> list[str]:
    """The bwrap command that runs ``inner`` in the sandbox described above."""
    exe = bwrap_path()
    if exe is None:  # pragma: no cover - callers probe first
        raise FileNotFoundError("bwrap")
    args = [exe, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--uid", str(NOBODY), "--gid", str(NOBODY), "--hostname", "sandbox"]
    if share_net:
        args.append("--share-net")
    args += system_binds()
    # without --size (old bubblewrap) /tmp is uncapped in total; RLIMIT_FSIZE still caps every file
    args += ["--proc", "/proc", "--dev", "/dev", *(["--size", str(tmp_bytes)] if supports_size() else []), "--tmpfs", "/tmp"]
    system = [Path(d) for d in SYSTEM_DIRS] + [Path("/etc")]
    for root in minimal_roots([p for p in readable if Path(p).exists()]):
        if not _covered(root, system):
            args += ["--ro-bind", str(root), str(root)]
    for root in minimal_roots([p for p in writable]):
        args += ["--bind", str(root), str(root)]
    args += ["--chdir", str(cwd), "--"]
    return args + list(inner)
