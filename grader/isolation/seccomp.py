"""A seccomp-BPF system-call filter for worker processes, built with ctypes.

:func:`install` sets ``PR_SET_NO_NEW_PRIVS`` and loads a classic-BPF program
(assembled here by hand, no libseccomp) with ``seccomp(SECCOMP_SET_MODE_FILTER,
SECCOMP_FILTER_FLAG_TSYNC)``, so it applies to every thread of the process, and
to any thread created later.  It cannot be removed.

Architecture
    The filter is built for the running architecture (x86_64 or aarch64).  A
    system call made with any other audit architecture -- e.g. the i386 ABI
    through ``int 0x80`` from a 64-bit process, or AArch32 -- kills the process
    (``SECCOMP_RET_KILL_PROCESS``): otherwise the numbers below would not mean
    what they say.  On x86_64, x32 system calls (``nr >= 0x40000000``) fail with
    ``EPERM``.

Refused with ``EPERM`` (Python raises ``PermissionError``):

* **new processes and programs** -- ``fork``, ``vfork``, ``clone`` without
  ``CLONE_THREAD`` (that is how glibc forks and spawns), ``clone`` with any
  ``CLONE_NEW*`` namespace flag, ``execve``, ``execveat``.  So ``os.fork``,
  ``subprocess``, ``os.system``, ``multiprocessing`` and ``os.exec*`` fail.
  ``clone3`` fails with ``ENOSYS`` instead (its flags live in memory, which BPF
  cannot inspect): glibc then falls back to ``clone``, which is checked.
  Threads stay allowed unless ``deny_threads=True``, which also refuses
  ``clone`` with ``CLONE_THREAD``.
* **networking and IPC endpoints** -- ``socket``, ``socketpair``, ``connect``,
  ``bind``, ``listen``, ``accept``, ``accept4``.  Grading needs no sockets;
  ``socketpair`` is refused too since it only serves talking to other
  processes (which cannot be created) or asyncio.
* **leaving the worker's session / process group** -- ``setsid``, ``setpgid``
  (the grader kills the worker by process group).
* **other processes** -- ``ptrace``, ``process_vm_readv``/``writev``,
  ``process_madvise``, ``kcmp``, ``pidfd_open``, ``pidfd_getfd``,
  ``pidfd_send_signal``, ``move_pages``, ``migrate_pages``, ``tkill`` (takes a
  bare thread id of any process); ``kill``, ``tgkill``, ``rt_sigqueueinfo`` and
  ``rt_tgsigqueueinfo`` are allowed **only when the target process is the
  worker itself** (the pid captured at install time; signals to itself and to
  its own threads keep working, ``kill(-1, SIGKILL)`` as root does not).
* **namespaces, mounts, root** -- ``unshare``, ``setns``, ``mount``,
  ``umount2``, ``pivot_root``, ``chroot``, the new mount API (``open_tree``,
  ``move_mount``, ``fsopen``, ``fsconfig``, ``fsmount``, ``fspick``,
  ``mount_setattr``), ``name_to_handle_at``, ``open_by_handle_at`` (the
  classic container escape), ``mknod``/``mknodat`` (device nodes).
* **kernel attack surface not needed by Python/numpy** -- ``bpf``,
  ``perf_event_open``, ``userfaultfd``, ``io_uring_setup``/``enter``/
  ``register`` (io_uring performs operations such as connect without going
  through this filter), ``keyctl``, ``add_key``, ``request_key``,
  ``personality``, ``fanotify_init``, ``lookup_dcookie``, ``uselib``,
  ``_sysctl``, ``modify_ldt``, ``vhangup``.
* **whole-machine administration** (matters if the worker runs as root) --
  ``reboot``, ``kexec_load``, ``kexec_file_load``, ``init_module``,
  ``finit_module``, ``delete_module``, ``swapon``, ``swapoff``, ``acct``,
  ``syslog``, ``quotactl``, ``quotactl_fd``, ``sethostname``,
  ``setdomainname``, ``settimeofday``, ``clock_settime``, ``clock_adjtime``,
  ``adjtimex``, ``iopl``, ``ioperm``.
* ``ioctl`` with ``TIOCSTI`` (pushes input into a terminal) or ``TIOCLINUX``.

Everything else is allowed, including ``prctl``, ``seccomp`` (a process can only
add filters) and the Landlock system calls.
"""
from __future__ import annotations

import ctypes
import errno
import os
import struct

__all__ = ["SeccompUnavailable", "install", "supported", "build_program", "DENIED"]

# --- classic BPF -----------------------------------------------------------
_LD_W_ABS = 0x20      # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15         # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35         # BPF_JMP | BPF_JGE | BPF_K
_AND_K = 0x54         # BPF_ALU | BPF_AND | BPF_K
_RET_K = 0x06         # BPF_RET | BPF_K

RET_KILL_PROCESS = 0x80000000
RET_ERRNO = 0x00050000
RET_ALLOW = 0x7FFF0000

# struct seccomp_data offsets (little-endian: low word of a u64 argument first)
_OFF_NR = 0
_OFF_ARCH = 4


def _arg_lo(i: int) -> int:
    return 16 + 8 * i


AUDIT_ARCH_X86_64 = 0xC000003E
AUDIT_ARCH_AARCH64 = 0xC00000B7
_X32_SYSCALL_BIT = 0x40000000

CLONE_THREAD = 0x00010000
# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET.  (CLONE_NEWTIME, 0x80, is not
# usable with clone(): those low 8 bits are the exit signal there.)
_CLONE_NAMESPACES = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000
_TIOCSTI = 0x5412
_TIOCLINUX = 0x541C

# --- system call numbers ------------------------------------------------------
_X86_64 = {
    "ioctl": 16, "socket": 41, "connect": 42, "accept": 43, "bind": 49, "listen": 50, "socketpair": 53,
    "clone": 56, "fork": 57, "vfork": 58, "execve": 59, "kill": 62, "ptrace": 101, "syslog": 103,
    "setpgid": 109, "setsid": 112, "rt_sigqueueinfo": 129, "mknod": 133, "uselib": 134,
    "personality": 135, "vhangup": 153, "modify_ldt": 154, "pivot_root": 155, "_sysctl": 156,
    "adjtimex": 159, "chroot": 161, "acct": 163, "settimeofday": 164, "mount": 165, "umount2": 166,
    "swapon": 167, "swapoff": 168, "reboot": 169, "sethostname": 170, "setdomainname": 171, "iopl": 172,
    "ioperm": 173, "init_module": 175, "delete_module": 176, "quotactl": 179, "tkill": 200,
    "lookup_dcookie": 212, "clock_settime": 227, "tgkill": 234, "kexec_load": 246, "add_key": 248,
    "request_key": 249, "keyctl": 250, "migrate_pages": 256, "mknodat": 259, "unshare": 272,
    "move_pages": 279, "accept4": 288, "rt_tgsigqueueinfo": 297, "perf_event_open": 298,
    "fanotify_init": 300, "name_to_handle_at": 303, "open_by_handle_at": 304, "clock_adjtime": 305,
    "setns": 308, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312, "finit_module": 313,
    "seccomp": 317, "kexec_file_load": 320, "bpf": 321, "execveat": 322, "userfaultfd": 323,
    "pidfd_send_signal": 424, "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
    "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
    "pidfd_open": 434, "clone3": 435, "pidfd_getfd": 438, "process_madvise": 440, "mount_setattr": 442,
    "quotactl_fd": 443,
}
# asm-generic table (no fork, vfork, mknod, uselib, _sysctl, modify_ldt, iopl, ioperm)
_AARCH64 = {
    "lookup_dcookie": 18, "ioctl": 29, "mknodat": 33, "umount2": 39, "mount": 40, "pivot_root": 41,
    "chroot": 51, "vhangup": 58, "quotactl": 60, "acct": 89, "personality": 92, "unshare": 97,
    "kexec_load": 104, "init_module": 105, "delete_module": 106, "clock_settime": 112, "syslog": 116,
    "ptrace": 117, "kill": 129, "tkill": 130, "tgkill": 131, "rt_sigqueueinfo": 138, "reboot": 142,
    "setpgid": 154, "setsid": 157, "sethostname": 161, "setdomainname": 162, "settimeofday": 170,
    "adjtimex": 171, "socket": 198, "socketpair": 199, "bind": 200, "listen": 201, "accept": 202,
    "connect": 203, "add_key": 217, "request_key": 218, "keyctl": 219, "clone": 220, "execve": 221,
    "swapon": 224, "swapoff": 225, "migrate_pages": 238, "move_pages": 239, "rt_tgsigqueueinfo": 240,
    "perf_event_open": 241, "accept4": 242, "fanotify_init": 262, "name_to_handle_at": 264,
    "open_by_handle_at": 265, "clock_adjtime": 266, "setns": 268, "process_vm_readv": 270,
    "process_vm_writev": 271, "kcmp": 272, "finit_module": 273, "seccomp": 277, "bpf": 280,
    "execveat": 281, "userfaultfd": 282, "kexec_file_load": 294, "pidfd_send_signal": 424,
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "open_tree": 428,
    "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "pidfd_open": 434,
    "clone3": 435, "pidfd_getfd": 438, "process_madvise": 440, "mount_setattr": 442, "quotactl_fd": 443,
}
_ARCHES = {"x86_64": (AUDIT_ARCH_X86_64, _X86_64), "aarch64": (AUDIT_ARCH_AARCH64, _AARCH64)}

#: System calls refused outright with EPERM (those missing on an architecture are skipped).
DENIED = (
    # processes and programs
    "fork", "vfork", "execve", "execveat",
    # sockets
    "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4",
    # session / process group
    "setsid", "setpgid",
    # other processes
    "ptrace", "process_vm_readv", "process_vm_writev", "process_madvise", "kcmp", "pidfd_open",
    "pidfd_getfd", "pidfd_send_signal", "move_pages", "migrate_pages", "tkill",
    # namespaces, mounts, handles, device nodes
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount", "fsopen",
    "fsconfig", "fsmount", "fspick", "mount_setattr", "name_to_handle_at", "open_by_handle_at", "mknod",
    "mknodat",
    # kernel attack surface
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "keyctl", "add_key", "request_key", "personality", "fanotify_init", "lookup_dcookie", "uselib",
    "_sysctl", "modify_ldt", "vhangup",
    # machine administration
    "reboot", "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "swapon",
    "swapoff", "acct", "syslog", "quotactl", "quotactl_fd", "sethostname", "setdomainname",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "iopl", "ioperm",
)
#: Allowed only when their first argument (a pid / thread-group id) is the worker's own pid.
_OWN_PID_ONLY = ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")


class SeccompUnavailable(OSError):
    """The kernel or architecture cannot run the filter."""


class _Assembler:
    """Straight-line classic BPF with forward jumps to named labels."""

    def __init__(self) -> None:
        self.code: list[tuple[int, object, object, int]] = []
        self.labels: dict[str, int] = {}

    def stmt(self, op: int, k: int) -> None:
        self.code.append((op, 0, 0, k))

    def jump(self, op: int, k: int, jt: str | None = None, jf: str | None = None) -> None:
        self.code.append((op, jt, jf, k))  # None: fall through to the next instruction

    def label(self, name: str) -> None:
        self.labels[name] = len(self.code)

    def ret(self, value: int) -> None:
        self.stmt(_RET_K, value)

    def assemble(self) -> list[tuple[int, int, int, int]]:
        out = []
        for i, (op, jt, jf, k) in enumerate(self.code):
            offsets = []
            for target in (jt, jf):
                off = 0 if target in (None, 0) else self.labels[target] - i - 1
                if not 0 <= off <= 255:
                    raise ValueError(f"BPF jump out of range at {i}: {off}")
                offsets.append(off)
            out.append((op, offsets[0], offsets[1], k & 0xFFFFFFFF))
        return out


def build_program(machine: str, *, deny_threads: bool = False, pid: int | None = None
                  ) -> list[tuple[int, int, int, int]]:
    """The filter as ``(code, jt, jf, k)`` instructions for ``machine``
    (``os.uname().machine``); ``pid`` is the only process signals may target."""
    try:
        audit_arch, numbers = _ARCHES[machine]
    except KeyError:
        raise SeccompUnavailable(errno.ENOTSUP, f"no seccomp filter for architecture {machine!r}") from None
    pid = os.getpid() if pid is None else pid
    eperm, enosys = RET_ERRNO | errno.EPERM, RET_ERRNO | errno.ENOSYS

    a = _Assembler()
    a.stmt(_LD_W_ABS, _OFF_ARCH)
    a.jump(_JEQ_K, audit_arch, None, "kill")
    a.stmt(_LD_W_ABS, _OFF_NR)
    if machine == "x86_64":
        a.jump(_JGE_K, _X32_SYSCALL_BIT, "eperm", None)
    a.jump(_JEQ_K, numbers["clone"], "clone", None)
    a.jump(_JEQ_K, numbers["clone3"], "enosys", None)
    a.jump(_JEQ_K, numbers["ioctl"], "ioctl", None)
    for name in _OWN_PID_ONLY:
        a.jump(_JEQ_K, numbers[name], "own_pid", None)
    for name in DENIED:
        if name in numbers:
            a.jump(_JEQ_K, numbers[name], "eperm", None)
    a.ret(RET_ALLOW)

    a.label("clone")
    if deny_threads:
        a.ret(eperm)
    else:  # allowed iff CLONE_THREAD is set and no namespace flag is
        a.stmt(_LD_W_ABS, _arg_lo(0))
        a.stmt(_AND_K, CLONE_THREAD | _CLONE_NAMESPACES)
        a.jump(_JEQ_K, CLONE_THREAD, "allow", "eperm")

    a.label("ioctl")
    a.stmt(_LD_W_ABS, _arg_lo(1))
    a.jump(_JEQ_K, _TIOCSTI, "eperm", None)
    a.jump(_JEQ_K, _TIOCLINUX, "eperm", "allow")

    a.label("own_pid")
    a.stmt(_LD_W_ABS, _arg_lo(0))
    a.jump(_JEQ_K, pid, "allow", "eperm")

    a.label("allow")
    a.ret(RET_ALLOW)
    a.label("eperm")
    a.ret(eperm)
    a.label("enosys")
    a.ret(enosys)
    a.label("kill")
    a.ret(RET_KILL_PROCESS)
    return a.assemble()


# --- installing -------------------------------------------------------------------
class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


_PR_SET_NO_NEW_PRIVS = 38
_PR_GET_SECCOMP = 21
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_GET_ACTION_AVAIL = 2
_SECCOMP_FILTER_FLAG_TSYNC = 1

_libc = ctypes.CDLL(None, use_errno=True)
_syscall = _libc.syscall
_syscall.restype = ctypes.c_long
_prctl = _libc.prctl
_prctl.restype = ctypes.c_int


def _machine() -> str:
    return os.uname().machine


def _seccomp(op: int, flags: int, arg) -> int:
    nr = _ARCHES[_machine()][1]["seccomp"]
    return _syscall(ctypes.c_long(nr), ctypes.c_uint(op), ctypes.c_uint(flags), arg)


def supported() -> bool:
    """Whether :func:`install` can work here: a 64-bit Python on x86_64 or
    aarch64 with seccomp filtering (and ``SECCOMP_RET_ERRNO``) in the kernel."""
    if _machine() not in _ARCHES or struct.calcsize("P") != 8:
        return False
    action = ctypes.c_uint32(RET_ERRNO)
    if _seccomp(_SECCOMP_GET_ACTION_AVAIL, 0, ctypes.byref(action)) == 0:
        return True
    # Kernels before 4.14 lack GET_ACTION_AVAIL (EINVAL), before 3.17 seccomp() (ENOSYS):
    # PR_GET_SECCOMP fails with EINVAL only when seccomp is not built in at all.
    return _prctl(ctypes.c_int(_PR_GET_SECCOMP), ctypes.c_ulong(0), ctypes.c_ulong(0),
                  ctypes.c_ulong(0), ctypes.c_ulong(0)) >= 0


def install(*, deny_threads: bool = False) -> None:
    """Load the filter described in the module docstring into this process
    (all its threads); irreversible.  Call after trusted imports and after the
    Landlock ruleset, before student code.

    Raises
    ------
    SeccompUnavailable
        Unknown architecture, 32-bit Python, or no seccomp filter support.
    """
    if not supported():
        raise SeccompUnavailable(errno.ENOTSUP, "seccomp filtering is not available here")
    program = build_program(_machine(), deny_threads=deny_threads, pid=os.getpid())
    insns = (_SockFilter * len(program))(*[_SockFilter(*ins) for ins in program])
    prog = _SockFprog(len(program), insns)
    if _prctl(ctypes.c_int(_PR_SET_NO_NEW_PRIVS), ctypes.c_ulong(1), ctypes.c_ulong(0),
              ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl(PR_SET_NO_NEW_PRIVS): {os.strerror(err)}")
    rc = _seccomp(_SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(prog))
    if rc < 0 and ctypes.get_errno() == errno.ENOSYS:  # pre-3.17 kernel: this thread only
        rc = _prctl(ctypes.c_int(_PR_SET_SECCOMP), ctypes.c_ulong(_SECCOMP_MODE_FILTER),
                    ctypes.c_ulong(ctypes.addressof(prog)), ctypes.c_ulong(0), ctypes.c_ulong(0))
    if rc < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"seccomp(SECCOMP_SET_MODE_FILTER): {os.strerror(err)}")
    if rc > 0:  # TSYNC: the id of a thread that could not be synchronized
        raise OSError(errno.EBUSY, f"seccomp TSYNC failed for thread {rc}")
