"""Landlock filesystem (and TCP) sandbox for the calling process, via ctypes.

Landlock (Linux >= 5.13) lets an unprivileged process drop its own ambient
access to the filesystem.  :func:`restrict` builds a ruleset that *handles*
every filesystem access right the running kernel knows about, so anything not
explicitly granted by a rule is denied:

* ``read_only`` paths (and everything beneath them) may be read, listed and
  executed (``READ_FILE | READ_DIR | EXECUTE``);
* ``read_write`` paths get every right the kernel knows **except** creating
  character or block device nodes (``MAKE_CHAR``/``MAKE_BLOCK``: a process that
  still has ``CAP_MKNOD`` could otherwise create a node for a raw disk inside
  its scratch directory and read the disk through it);
* everything else is refused with ``EACCES`` (Python raises
  ``PermissionError``), including directories that merely *contain* an allowed
  path.

With ABI >= 4 and ``deny_network`` the ruleset also handles TCP bind and
connect and adds no rule for them, so both fail with ``EACCES``.  With
ABI >= 6 and ``scoped`` the process can no longer send signals to, or connect
to abstract UNIX sockets of, processes outside its Landlock domain (e.g. the
grader).  Landlock also always forbids ptrace of processes outside the domain.

Restrictions are irreversible and inherited across ``fork``/``clone``.  Before
ABI 8 they apply to the calling thread only (and threads it creates later), so
:func:`restrict` refuses to run while other threads exist unless told
otherwise; with ABI >= 8 it passes ``LANDLOCK_RESTRICT_SELF_TSYNC`` and the
kernel restricts all threads at once.  File descriptors that are already open
keep working: restrict *after* opening the request/response pipes.

Rules are attached to inodes when the ruleset is built, so the paths must exist
by then; missing paths are skipped.  A rule on a regular file (or other
non-directory) only carries the file rights; directory-only rights are masked
off because the kernel rejects them there.
"""
from __future__ import annotations

import ctypes
import errno
import os
import stat
import sys

__all__ = [
    "LandlockUnavailable",
    "LandlockThreadsError",
    "abi_version",
    "restrict",
    "python_read_only_paths",
    "SYSTEM_READ_ONLY_PATHS",
    "SYSTEM_READ_WRITE_PATHS",
]

# Syscall numbers (identical on x86_64 and aarch64, the unified table).
_NR_CREATE_RULESET = 444
_NR_ADD_RULE = 445
_NR_RESTRICT_SELF = 446

_PR_SET_NO_NEW_PRIVS = 38

_CREATE_RULESET_VERSION = 1 << 0
_RULE_PATH_BENEATH = 1
_RESTRICT_SELF_TSYNC = 1 << 3  # ABI 8

# Filesystem access rights (linux/landlock.h), with the ABI that introduced them.
FS_EXECUTE = 1 << 0
FS_WRITE_FILE = 1 << 1
FS_READ_FILE = 1 << 2
FS_READ_DIR = 1 << 3
FS_REMOVE_DIR = 1 << 4
FS_REMOVE_FILE = 1 << 5
FS_MAKE_CHAR = 1 << 6
FS_MAKE_DIR = 1 << 7
FS_MAKE_REG = 1 << 8
FS_MAKE_SOCK = 1 << 9
FS_MAKE_FIFO = 1 << 10
FS_MAKE_BLOCK = 1 << 11
FS_MAKE_SYM = 1 << 12
FS_REFER = 1 << 13        # ABI 2
FS_TRUNCATE = 1 << 14     # ABI 3
FS_IOCTL_DEV = 1 << 15    # ABI 5

NET_BIND_TCP = 1 << 0     # ABI 4
NET_CONNECT_TCP = 1 << 1  # ABI 4

SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
SCOPE_SIGNAL = 1 << 1                # ABI 6

_FS_V1 = (1 << 13) - 1  # EXECUTE .. MAKE_SYM
_FS_BY_ABI = {1: _FS_V1, 2: _FS_V1 | FS_REFER, 3: _FS_V1 | FS_REFER | FS_TRUNCATE}
_FS_BY_ABI[4] = _FS_BY_ABI[3]
_FS_BY_ABI[5] = _FS_BY_ABI[4] | FS_IOCTL_DEV
_FS_LATEST_KNOWN = 5  # newer ABIs (6: scopes, 7: audit flags, 8: tsync) add no fs rights

#: Rights that make sense on a non-directory (the kernel rejects the others).
_FS_FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV
_FS_READ_ONLY = FS_READ_FILE | FS_READ_DIR | FS_EXECUTE
_FS_NEVER_GRANTED = FS_MAKE_CHAR | FS_MAKE_BLOCK

#: System paths a Python + numpy worker reads after the sandbox is in place:
#: shared libraries (``/lib*`` are symlinks into ``/usr`` on merged-/usr systems)
#: and ``ld.so.cache`` for extension modules imported late (e.g. ``hashlib``
#: loading libcrypto), locale and time-zone data, and the two character
#: devices student code commonly opens.  Deliberately not ``/etc`` as a whole
#: (``/etc/passwd``, ``/etc/shadow`` for a root worker), ``/proc``, ``/sys``,
#: ``/tmp`` or ``/home``.
SYSTEM_READ_ONLY_PATHS = (
    "/usr",
    "/lib",
    "/lib64",
    "/etc/ld.so.cache",
    "/etc/localtime",
    "/dev/null",
    "/dev/urandom",
)

#: Non-directories that may also be written: ``open(os.devnull, "w")`` is a
#: common way to silence output.
SYSTEM_READ_WRITE_PATHS = ("/dev/null",)


class LandlockUnavailable(OSError):
    """The running kernel cannot enforce Landlock (not built in, disabled at
    boot, blocked by a container's seccomp profile, or too many nested domains)."""


class LandlockThreadsError(RuntimeError):
    """Other threads exist and the kernel cannot restrict them (ABI < 8)."""


_libc = ctypes.CDLL(None, use_errno=True)
_syscall = _libc.syscall
_syscall.restype = ctypes.c_long
_prctl = _libc.prctl
_prctl.restype = ctypes.c_int


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64),
                ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


assert ctypes.sizeof(_PathBeneathAttr) == 12


def _check(result: int, what: str) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return result


def abi_version() -> int:
    """Highest Landlock ABI the kernel supports; 0 when Landlock is unavailable."""
    ctypes.set_errno(0)
    version = _syscall(ctypes.c_long(_NR_CREATE_RULESET), None, ctypes.c_size_t(0),
                       ctypes.c_uint32(_CREATE_RULESET_VERSION))
    if version < 0:
        err = ctypes.get_errno()
        if err in (errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
            return 0
        raise OSError(err, f"landlock_create_ruleset(VERSION): {os.strerror(err)}")
    return int(version)


def python_read_only_paths() -> list[str]:
    """Directories the running interpreter loads code from (prefixes and
    ``site-packages``), plus :data:`SYSTEM_READ_ONLY_PATHS`.

    Does *not* include ``sys.path`` entries such as the submission root or an
    editable install's source tree: add those explicitly if code must still be
    imported from them after :func:`restrict`.
    """
    paths = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
    try:
        import site
        paths += site.getsitepackages()
    except Exception:  # pragma: no cover - site can be disabled with -S
        pass
    paths += SYSTEM_READ_ONLY_PATHS
    seen: list[str] = []
    for path in paths:
        if path and path not in seen:
            seen.append(path)
    return seen


def _other_threads() -> int:
    try:
        return len(os.listdir("/proc/self/task")) - 1
    except OSError:  # no /proc: fall back to what Python knows about
        import threading
        return threading.active_count() - 1


def _add_path_rule(ruleset_fd: int, path: str, access: int) -> bool:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        return False
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            access &= _FS_FILE_RIGHTS
        if not access:
            return False
        attr = _PathBeneathAttr(allowed_access=access, parent_fd=fd)
        _check(_syscall(ctypes.c_long(_NR_ADD_RULE), ctypes.c_int(ruleset_fd),
                        ctypes.c_int(_RULE_PATH_BENEATH), ctypes.byref(attr), ctypes.c_uint32(0)),
               f"landlock_add_rule({path!r})")
        return True
    finally:
        os.close(fd)


def restrict(*, read_only: list[str], read_write: list[str], deny_network: bool = True,
             scoped: bool = True, allow_unrestricted_threads: bool = False) -> int:
    """Confine the calling process with Landlock; irreversible.

    Parameters
    ----------
    read_only, read_write : list of str
        Paths whose whole subtree may be read (and executed), respectively
        read and modified.  Missing paths are skipped.  A path in both lists
        gets the read-write rights.
    deny_network : bool
        With ABI >= 4, refuse TCP ``bind`` and ``connect``.
    scoped : bool
        With ABI >= 6, refuse signals to and abstract-UNIX-socket connections
        to processes outside the sandbox.
    allow_unrestricted_threads : bool
        Before ABI 8 only the calling thread is restricted; by default this
        raises :class:`LandlockThreadsError` if other threads exist.

    Returns
    -------
    int
        The Landlock ABI that was used.

    Raises
    ------
    LandlockUnavailable
        The kernel cannot enforce Landlock.
    """
    abi = abi_version()
    if abi < 1:
        raise LandlockUnavailable(errno.EOPNOTSUPP, "Landlock is not supported or disabled on this kernel")
    tsync = abi >= 8
    if not tsync and not allow_unrestricted_threads:
        others = _other_threads()
        if others > 0:
            raise LandlockThreadsError(
                f"{others} other thread(s) exist and Landlock ABI {abi} only restricts the calling "
                "thread; restrict before starting threads (OPENBLAS_NUM_THREADS=1)")

    handled_fs = _FS_BY_ABI[min(abi, _FS_LATEST_KNOWN)]
    handled_net = NET_BIND_TCP | NET_CONNECT_TCP if (deny_network and abi >= 4) else 0
    scopes = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if (scoped and abi >= 6) else 0
    attr = _RulesetAttr(handled_access_fs=handled_fs, handled_access_net=handled_net, scoped=scopes)
    # Pass only the fields in use: kernels older than the field reject a larger size.
    size = 24 if scopes else 16 if handled_net else 8
    ruleset_fd = _syscall(ctypes.c_long(_NR_CREATE_RULESET), ctypes.byref(attr), ctypes.c_size_t(size),
                          ctypes.c_uint32(0))
    if ruleset_fd < 0:
        err = ctypes.get_errno()
        if err in (errno.ENOSYS, errno.EOPNOTSUPP):
            raise LandlockUnavailable(err, f"landlock_create_ruleset: {os.strerror(err)}")
        raise OSError(err, f"landlock_create_ruleset: {os.strerror(err)}")
    try:
        rw_paths = list(dict.fromkeys(read_write))
        for path in dict.fromkeys(read_only):
            if path not in rw_paths:
                _add_path_rule(ruleset_fd, path, _FS_READ_ONLY & handled_fs)
        for path in rw_paths:
            _add_path_rule(ruleset_fd, path, handled_fs & ~_FS_NEVER_GRANTED)
        _check(_prctl(ctypes.c_int(_PR_SET_NO_NEW_PRIVS), ctypes.c_ulong(1), ctypes.c_ulong(0),
                      ctypes.c_ulong(0), ctypes.c_ulong(0)), "prctl(PR_SET_NO_NEW_PRIVS)")
        flags = _RESTRICT_SELF_TSYNC if tsync else 0
        if _syscall(ctypes.c_long(_NR_RESTRICT_SELF), ctypes.c_int(ruleset_fd), ctypes.c_uint32(flags)) < 0:
            err = ctypes.get_errno()
            if err == errno.E2BIG:  # more than 16 stacked Landlock domains
                raise LandlockUnavailable(err, "landlock_restrict_self: too many nested Landlock domains")
            raise OSError(err, f"landlock_restrict_self: {os.strerror(err)}")
    finally:
        os.close(ruleset_fd)
    return abi
