"""Landlock and seccomp isolation (grader/isolation), each exercised in a subprocess.

The restrictions are irreversible, so the pytest process itself is never
restricted: every test runs a small child program that imports numpy, installs
the restriction on itself, tries things and prints a JSON verdict per attempt.
The seccomp filter program is also checked instruction by instruction with a
tiny classic-BPF interpreter, for both supported architectures.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grader.isolation import landlock, seccomp

ROOT = Path(__file__).resolve().parents[1]
SOLUTION_PKG = ROOT / "solutions" / "nnlayers"

LANDLOCK_ABI = landlock.abi_version()
needs_landlock = pytest.mark.skipif(
    LANDLOCK_ABI < 1, reason="kernel has no Landlock (not built in, not in the lsm= boot list, or blocked)")
needs_seccomp = pytest.mark.skipif(
    not seccomp.supported(), reason="seccomp filtering unavailable (kernel or architecture)")

# Shared prelude of every child: `attempt(name, fn)` records "ok" or the error.
PRELUDE = f"""
import errno, json, os, sys
sys.path.insert(0, {str(ROOT)!r})
import numpy as np
RESULTS = {{}}
def attempt(name, fn):
    try:
        value = fn()
        RESULTS[name] = {{"ok": True, "value": value if isinstance(value, (int, float, str, bool, type(None))) else repr(value)[:80]}}
    except BaseException as exc:
        RESULTS[name] = {{"ok": False, "type": type(exc).__name__, "errno": getattr(exc, "errno", None), "msg": str(exc)[:200]}}
"""
EPILOGUE = "\nprint('@@RESULTS@@' + json.dumps(RESULTS))\n"


def run_child(body: str, *args: str, timeout: float = 30) -> dict:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    code = PRELUDE + textwrap.dedent(body) + EPILOGUE
    proc = subprocess.run([sys.executable, "-I", "-c", code, *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd="/")
    marker = [line for line in proc.stdout.splitlines() if line.startswith("@@RESULTS@@")]
    assert proc.returncode == 0 and marker, f"child failed (rc={proc.returncode})\n{proc.stdout}\n{proc.stderr}"
    return json.loads(marker[-1][len("@@RESULTS@@"):])


def ok(results: dict, name: str) -> None:
    assert results[name]["ok"], f"{name}: {results[name]}"


def denied(results: dict, name: str, err: int = 0, type_: str = "PermissionError") -> None:
    r = results[name]
    assert not r["ok"], f"{name} should have failed: {r}"
    assert r["type"] == type_, f"{name}: {r}"
    if err:
        assert r["errno"] == err, f"{name}: {r}"


# --------------------------------------------------------------------------- Landlock
@pytest.fixture
def dirs(tmp_path):
    inside, outside = tmp_path / "scratch", tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (inside / "existing.txt").write_text("mine")
    return inside, outside


LANDLOCK_CHILD = """
from grader.isolation import landlock
inside, outside, port, repo_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
import socket
def connect():
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        return True
attempt("connect before", connect)
attempt("abi", lambda: landlock.restrict(read_only=landlock.python_read_only_paths(),
                                         read_write=[inside, *landlock.SYSTEM_READ_WRITE_PATHS]))
def write(path, data="x"):
    with open(path, "w") as f:
        f.write(data)
def read(path):
    with open(path) as f:
        return f.read()
attempt("read outside", lambda: read(os.path.join(outside, "secret.txt")))
attempt("read repo file", lambda: read(repo_file))
attempt("read /etc/passwd", lambda: read("/etc/passwd"))
attempt("list outside", lambda: os.listdir(outside))
attempt("write outside", lambda: write(os.path.join(outside, "new.txt")))
attempt("truncate outside", lambda: write(os.path.join(outside, "secret.txt"), ""))
attempt("unlink outside", lambda: os.unlink(os.path.join(outside, "secret.txt")))
attempt("write /tmp", lambda: write("/tmp/landlock-test-should-not-exist"))
attempt("write inside", lambda: write(os.path.join(inside, "new.txt"), "hello"))
attempt("read inside", lambda: read(os.path.join(inside, "new.txt")))
attempt("overwrite inside", lambda: write(os.path.join(inside, "existing.txt"), "again"))
def churn():
    d = os.path.join(inside, "sub")
    os.mkdir(d)
    os.rename(os.path.join(inside, "new.txt"), os.path.join(d, "moved.txt"))
    os.unlink(os.path.join(d, "moved.txt"))
    os.rmdir(d)
    return sorted(os.listdir(inside))
attempt("mkdir rename unlink inside", churn)
import stat
attempt("mknod device inside", lambda: os.mknod(os.path.join(inside, "null"), stat.S_IFCHR | 0o600, os.makedev(1, 3)))
attempt("write /dev/null", lambda: write(os.devnull))
attempt("read /dev/urandom", lambda: len(open("/dev/urandom", "rb").read(8)))
attempt("numpy solve", lambda: float(np.linalg.solve(np.eye(4) * 2.0, np.ones(4))[0]))
attempt("numpy matmul", lambda: float((np.ones((128, 64)) @ np.ones((64, 32)))[0, 0]))
attempt("numpy svd", lambda: len(np.linalg.svd(np.random.default_rng(0).normal(size=(20, 10)))[1]))
def save_load():
    path = os.path.join(inside, "a.npy")
    np.save(path, np.arange(5))
    return int(np.load(path).sum())
attempt("numpy save/load inside", save_load)
attempt("late stdlib import", lambda: __import__("decimal") and __import__("statistics") and __import__("json").dumps([1]))
attempt("connect after", connect)
attempt("signal parent", lambda: os.kill(os.getppid(), 0))
"""


@needs_landlock
def test_landlock_confines_files_and_network(dirs):
    inside, outside = dirs
    repo_file = SOLUTION_PKG / "layers.py"
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        r = run_child(LANDLOCK_CHILD, str(inside), str(outside), str(port), str(repo_file))

    assert r["abi"]["value"] == LANDLOCK_ABI
    for name in ("read outside", "read /etc/passwd", "list outside", "write outside", "truncate outside",
                 "unlink outside", "write /tmp"):
        denied(r, name, errno.EACCES)
    if repo_file.exists():
        denied(r, "read repo file", errno.EACCES)
    assert (outside / "secret.txt").read_text() == "secret"
    assert not (outside / "new.txt").exists()

    for name in ("write inside", "overwrite inside", "write /dev/null", "read /dev/urandom",
                 "late stdlib import"):
        ok(r, name)
    assert r["read inside"]["value"] == "hello"
    assert r["mkdir rename unlink inside"]["value"] == "['existing.txt']"
    assert (inside / "existing.txt").read_text() == "again"
    denied(r, "mknod device inside", errno.EACCES)  # MAKE_CHAR is never granted

    assert r["numpy solve"]["value"] == 0.5
    assert r["numpy matmul"]["value"] == 64.0
    assert r["numpy svd"]["value"] == 10
    assert r["numpy save/load inside"]["value"] == 10

    ok(r, "connect before")
    if LANDLOCK_ABI >= 4:
        denied(r, "connect after", errno.EACCES)
    if LANDLOCK_ABI >= 6:
        denied(r, "signal parent", errno.EPERM)


@needs_landlock
def test_landlock_skips_missing_paths_and_masks_file_rules(tmp_path):
    (tmp_path / "ro.txt").write_text("read me")
    (tmp_path / "rw.txt").write_text("")
    r = run_child("""
        from grader.isolation import landlock
        base = sys.argv[1]
        attempt("restrict", lambda: landlock.restrict(
            read_only=[*landlock.python_read_only_paths(), os.path.join(base, "ro.txt"), os.path.join(base, "missing")],
            read_write=[os.path.join(base, "rw.txt"), "/nonexistent/dir"]))
        attempt("read ro file", lambda: open(os.path.join(base, "ro.txt")).read())
        attempt("write ro file", lambda: open(os.path.join(base, "ro.txt"), "a").write("x"))
        attempt("write rw file", lambda: open(os.path.join(base, "rw.txt"), "w").write("data"))
        attempt("create sibling", lambda: open(os.path.join(base, "other.txt"), "w"))
        """, str(tmp_path))
    ok(r, "restrict")
    assert r["read ro file"]["value"] == "read me"
    denied(r, "write ro file", errno.EACCES)
    ok(r, "write rw file")
    denied(r, "create sibling", errno.EACCES)
    assert (tmp_path / "rw.txt").read_text() == "data"


@needs_landlock
@pytest.mark.skipif(LANDLOCK_ABI >= 8, reason="ABI >= 8 restricts all threads (TSYNC)")
def test_landlock_refuses_to_leave_threads_unrestricted():
    r = run_child("""
        import threading
        from grader.isolation import landlock
        stop = threading.Event()
        t = threading.Thread(target=stop.wait)
        t.start()
        attempt("restrict", lambda: landlock.restrict(read_only=landlock.python_read_only_paths(), read_write=[]))
        stop.set(); t.join()
        attempt("restrict alone", lambda: landlock.restrict(read_only=landlock.python_read_only_paths(), read_write=[]))
        attempt("still confined", lambda: open("/etc/passwd").read())
        """)
    denied(r, "restrict", type_="LandlockThreadsError")
    ok(r, "restrict alone")
    denied(r, "still confined", errno.EACCES)


# --------------------------------------------------------------------------- seccomp
SECCOMP_CHILD = """
import signal, socket, subprocess, threading
from grader.isolation import seccomp
deny_threads = sys.argv[1] == "1"
attempt("install", lambda: seccomp.install(deny_threads=deny_threads))
attempt("status", lambda: [l.split()[1] for l in open("/proc/self/status") if l.startswith("Seccomp:")][0])
attempt("fork", os.fork)
attempt("subprocess", lambda: subprocess.run(["true"]).returncode)
attempt("posix_spawn", lambda: os.posix_spawn("/bin/true", ["true"], os.environ))
attempt("execv", lambda: os.execv("/bin/true", ["true"]))
attempt("system", lambda: os.system("true"))
attempt("socket", lambda: socket.socket())
attempt("socketpair", lambda: socket.socketpair())
attempt("setsid", os.setsid)
attempt("setpgid", lambda: os.setpgid(0, 0))
attempt("kill parent", lambda: os.kill(os.getppid(), 0))
attempt("kill all", lambda: os.kill(-1, 0))
attempt("kill self", lambda: os.kill(os.getpid(), 0))
got = []
signal.signal(signal.SIGUSR1, lambda *a: got.append(1))
attempt("raise_signal", lambda: signal.raise_signal(signal.SIGUSR1))
attempt("signals received", lambda: len(got))
def thread():
    out = []
    t = threading.Thread(target=lambda: out.append(float((np.ones((50, 50)) @ np.ones((50, 50)))[0, 0])))
    t.start(); t.join()
    return out[0]
attempt("thread", thread)
attempt("matmul", lambda: float((np.ones((300, 200)) @ np.ones((200, 100)))[0, 0]))
attempt("solve", lambda: float(np.linalg.solve(np.eye(3) * 4.0, np.ones(3))[0]))
def mp_process():
    import multiprocessing
    p = multiprocessing.Process(target=print)
    p.start(); p.join()
def mp_pool():
    import multiprocessing
    with multiprocessing.Pool(2) as pool:
        return pool.map(abs, [-1])
attempt("multiprocessing.Process", mp_process)
attempt("multiprocessing.Pool", mp_pool)
attempt("file io", lambda: len(open(os.devnull).read()))
"""


@needs_seccomp
def test_seccomp_denies_processes_sockets_and_sessions():
    r = run_child(SECCOMP_CHILD, "0")
    ok(r, "install")
    assert r["status"]["value"] == "2"  # SECCOMP_MODE_FILTER
    for name in ("fork", "subprocess", "posix_spawn", "execv", "socket", "socketpair", "setsid", "setpgid",
                 "kill parent", "kill all", "multiprocessing.Process", "multiprocessing.Pool"):
        denied(r, name, errno.EPERM)
    assert r["system"]["value"] == 127 << 8  # glibc system(): "the shell could not be executed"
    for name in ("kill self", "raise_signal", "file io"):
        ok(r, name)
    assert r["signals received"]["value"] == 1
    assert r["thread"]["value"] == 50.0
    assert r["matmul"]["value"] == 200.0
    assert r["solve"]["value"] == 0.25


@needs_seccomp
def test_seccomp_deny_threads():
    r = run_child(SECCOMP_CHILD, "1")
    ok(r, "install")
    denied(r, "thread", type_="RuntimeError")  # "can't start new thread"
    denied(r, "fork", errno.EPERM)
    assert r["matmul"]["value"] == 200.0


# --------------------------------------------------------------------------- both, as a worker would
@needs_landlock
@needs_seccomp
@pytest.mark.skipif(not SOLUTION_PKG.is_dir(), reason="reference solution package not present")
def test_worker_like_sequence_runs_reference_layers(tmp_path):
    root, scratch = tmp_path / "submission", tmp_path / "scratch"
    shutil.copytree(SOLUTION_PKG, root / "nnlayers")
    scratch.mkdir()
    r = run_child("""
        from grader.isolation import landlock, seccomp
        root, scratch, repo = sys.argv[1], sys.argv[2], sys.argv[3]
        try:
            import nnfast  # trusted compiled extension: import it before the sandbox
        except ImportError:
            pass
        attempt("landlock", lambda: landlock.restrict(read_only=[*landlock.python_read_only_paths(), root],
                                                      read_write=[scratch, *landlock.SYSTEM_READ_WRITE_PATHS]))
        attempt("seccomp", seccomp.install)
        sys.path.insert(0, root)
        def layers():
            from nnlayers import layers, fast_layers
            x, w, b = np.ones((2, 3)), np.ones((3, 4)), np.zeros(4)
            out, _ = layers.affine_forward(x, w, b)
            conv, _ = fast_layers.conv_forward_fast(np.ones((1, 1, 4, 4)), np.ones((2, 1, 3, 3)), np.zeros(2),
                                                    {"stride": 1, "pad": 1})
            return [float(out.sum()), float(conv[0, 0, 1, 1])]
        attempt("layers", layers)
        attempt("read grader source", lambda: open(os.path.join(repo, "grader", "executor.py")).read())
        attempt("write root", lambda: open(os.path.join(root, "nnlayers", "layers.py"), "a"))
        attempt("fork", os.fork)
        """, str(root), str(scratch), str(ROOT))
    ok(r, "landlock")
    ok(r, "seccomp")
    ok(r, "layers")
    assert r["layers"]["value"] == "[24.0, 9.0]"
    denied(r, "read grader source", errno.EACCES)
    denied(r, "write root", errno.EACCES)
    denied(r, "fork", errno.EPERM)


# --------------------------------------------------------------------------- the BPF program itself
def run_bpf(program, nr: int, arch: int, args=(0,) * 6) -> int:
    """Minimal interpreter for the instructions the filter uses."""
    args = [a & (2**64 - 1) for a in args] + [0] * (6 - len(args))
    data = struct.pack("<iIQ6Q", nr, arch, 0, *args)
    acc, pc = 0, 0
    while True:
        code, jt, jf, k = program[pc]
        pc += 1
        if code == 0x20:
            acc = struct.unpack_from("<I", data, k)[0]
        elif code == 0x54:
            acc &= k
        elif code == 0x15:
            pc += jt if acc == k else jf
        elif code == 0x35:
            pc += jt if acc >= k else jf
        elif code == 0x06:
            return k
        else:  # pragma: no cover
            raise AssertionError(f"unexpected opcode {code:#x}")


ALLOW, KILL = seccomp.RET_ALLOW, seccomp.RET_KILL_PROCESS
EPERM, ENOSYS = seccomp.RET_ERRNO | errno.EPERM, seccomp.RET_ERRNO | errno.ENOSYS
THREAD_FLAGS = 0x3D0F00  # glibc pthread_create: VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|*TID
FORK_FLAGS = 0x01200011  # glibc fork: CHILD_SETTID|CHILD_CLEARTID|SIGCHLD


@pytest.mark.parametrize("machine, arch, nums", [
    ("x86_64", seccomp.AUDIT_ARCH_X86_64,
     dict(read=0, close=3, clone=56, clone3=435, execve=59, socket=41, ioctl=16, kill=62, fork=57, mknodat=259)),
    ("aarch64", seccomp.AUDIT_ARCH_AARCH64,
     dict(read=63, close=57, clone=220, clone3=435, execve=221, socket=198, ioctl=29, kill=129, mknodat=33)),
])
def test_bpf_program_decisions(machine, arch, nums):
    prog = seccomp.build_program(machine, pid=4242)
    assert len(prog) < 256
    assert run_bpf(prog, nums["read"], arch) == ALLOW
    assert run_bpf(prog, nums["close"], arch) == ALLOW  # 57 is close on aarch64, fork on x86_64
    assert run_bpf(prog, nums["execve"], arch) == EPERM
    assert run_bpf(prog, nums["socket"], arch) == EPERM
    assert run_bpf(prog, nums["mknodat"], arch) == EPERM
    assert run_bpf(prog, nums["clone3"], arch) == ENOSYS
    assert run_bpf(prog, nums["clone"], arch, (THREAD_FLAGS,)) == ALLOW
    assert run_bpf(prog, nums["clone"], arch, (FORK_FLAGS,)) == EPERM
    assert run_bpf(prog, nums["clone"], arch, (THREAD_FLAGS | 0x40000000,)) == EPERM  # + CLONE_NEWNET
    assert run_bpf(prog, nums["ioctl"], arch, (1, 0x5412)) == EPERM  # TIOCSTI
    assert run_bpf(prog, nums["ioctl"], arch, (1, 0x5401)) == ALLOW  # TCGETS
    assert run_bpf(prog, nums["kill"], arch, (4242, 9)) == ALLOW
    assert run_bpf(prog, nums["kill"], arch, (4243, 9)) == EPERM
    assert run_bpf(prog, nums["kill"], arch, (-1, 9)) == EPERM
    other = seccomp.AUDIT_ARCH_AARCH64 if machine == "x86_64" else seccomp.AUDIT_ARCH_X86_64
    assert run_bpf(prog, nums["read"], other) == KILL
    assert run_bpf(prog, 0, 0x40000003) == KILL  # i386 through int 0x80
    if machine == "x86_64":
        assert run_bpf(prog, nums["fork"], arch) == EPERM
        assert run_bpf(prog, 0x40000000 | nums["read"], arch) == EPERM  # x32
    threadless = seccomp.build_program(machine, deny_threads=True, pid=4242)
    assert run_bpf(threadless, nums["clone"], arch, (THREAD_FLAGS,)) == EPERM
    assert run_bpf(threadless, nums["read"], arch) == ALLOW


def test_build_program_rejects_unknown_architecture():
    with pytest.raises(seccomp.SeccompUnavailable):
        seccomp.build_program("riscv64")


# --------------------------------------------------------------------------- foreign syscall ABIs
INT80_CHILD = """
import ctypes, mmap
from grader.isolation import seccomp
if sys.argv[1] == "1":
    seccomp.install()
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
r = libc.syscall(ctypes.c_long(0x40000000 | 39))  # x32 getpid
attempt("x32 getpid", lambda: r if r >= 0 else -ctypes.get_errno())
# mov eax, 20 (i386 getpid); int 0x80; ret
code = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
code.write(bytes([0xB8, 20, 0, 0, 0, 0xCD, 0x80, 0xC3]))
fn = ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(code)))
print("@@RESULTS@@" + json.dumps(RESULTS), flush=True)
attempt("i386 getpid", fn)
"""


@needs_seccomp
@pytest.mark.skipif(os.uname().machine != "x86_64", reason="x86_64 only")
def test_seccomp_foreign_abis_on_x86_64():
    env = {"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1"}

    def child(filtered: bool) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-I", "-c", PRELUDE + INT80_CHILD + EPILOGUE, str(int(filtered))],
                              capture_output=True, text=True, timeout=30, env=env)

    plain = child(False)
    if plain.returncode != 0:
        pytest.skip(f"int 0x80 does not work without the filter either (rc={plain.returncode}): no IA32 emulation")
    filtered = child(True)
    first = json.loads(filtered.stdout.splitlines()[0][len("@@RESULTS@@"):])
    assert first["x32 getpid"]["value"] == -errno.EPERM
    import signal
    assert filtered.returncode == -signal.SIGSYS, filtered  # SECCOMP_RET_KILL_PROCESS
