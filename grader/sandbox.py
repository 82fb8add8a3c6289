"""The always-on isolation layer shared by every process that runs student code.

Workers and notebook runners start with a scrubbed environment (only a few
variables pass through), single-threaded math libraries, the same allocator
settings, and resource limits set in the child before ``exec``.
"""
from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

#: Environment variables passed through to workers (all others are dropped).
PASSTHROUGH_ENV = ("PATH", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "NNLAYERS_NO_EXT")
SINGLE_THREAD_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "MPLBACKEND": "Agg",
    # The same allocator settings in every worker, so timings compare like with like
    # (freshly mmapped temporaries otherwise dominate some layers' time).
    "MALLOC_MMAP_THRESHOLD_": str(256 * 2**20),
    "MALLOC_TRIM_THRESHOLD_": str(512 * 2**20),
}


@dataclass(frozen=True)
class WorkerLimits:
    """Resource limits of a worker process.

    Attributes
    ----------
    memory_bytes : int
        Address-space limit (``RLIMIT_AS``).
    cpu_seconds : int
        CPU time of one worker process (``RLIMIT_CPU``); it is replaced after.
    file_bytes : int
        Largest file the worker may write (``RLIMIT_FSIZE``).
    open_files : int
        ``RLIMIT_NOFILE``.
    output_bytes : int
        Stdout plus stderr kept per program; the rest is dropped and counted.
    """

    memory_bytes: int = 4 * 2**30
    cpu_seconds: int = 900
    file_bytes: int = 64 * 2**20
    open_files: int = 256
    output_bytes: int = 64 * 2**10


def set_limits(limits: WorkerLimits) -> None:  # runs in the child before exec
    def cap(which: int, value: int) -> None:
        soft, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (value, value))

    cap(resource.RLIMIT_AS, limits.memory_bytes)
    cap(resource.RLIMIT_CPU, limits.cpu_seconds)
    cap(resource.RLIMIT_FSIZE, limits.file_bytes)
    cap(resource.RLIMIT_NOFILE, limits.open_files)
    cap(resource.RLIMIT_CORE, 0)




def worker_env(scratch: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The whole environment of a process that runs student code.

    ``HOME`` and ``TMPDIR`` point into ``scratch``; nothing else of the
    grader's environment (tokens, credentials) is passed on.
    """
    env = {k: os.environ[k] for k in PASSTHROUGH_ENV if k in os.environ}
    env.setdefault("PATH", "/usr/bin:/bin")
    env.setdefault("LANG", "C.UTF-8")
    env.update(SINGLE_THREAD_ENV)
    tmp = Path(scratch) / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(scratch), TMPDIR=str(tmp))
    env.update(extra or {})
    return env


@dataclass
class Spawned:
    """A sandboxed process and what is needed to end it and everything it started."""

    proc: object
    cgroup: object | None = None

    def kill(self) -> None:
        from grader.isolation import subreaper

        kill_group(self.proc)
        if self.cgroup is not None:
            self.cgroup.kill()
        with subreaper.LOCK:
            subreaper.LIVE.discard(self.proc.pid)
        subreaper.reap_orphans()


def spawn(inner: list[str], *, isolation, limits: "WorkerLimits", scratch: Path, cwd: Path, readable: list[Path],
          writable: list[Path], extra_env: dict[str, str] | None = None, pass_fds: tuple[int, ...] = (),
          stdout=None, stderr=None, max_pids: int = 64) -> Spawned:
    """Start ``inner`` with every layer of ``isolation`` (see :mod:`grader.isolation.policy`)."""
    import subprocess

    from grader.isolation import cgroup, subreaper
    from grader.isolation.policy import wrap

    subreaper.enable()
    group = cgroup.create(max_pids)
    cmd = wrap(isolation, inner, readable=readable, writable=writable, cwd=cwd)

    def preexec() -> None:
        set_limits(limits)
        if group is not None:
            group.join()

    with subreaper.LOCK:
        try:
            proc = subprocess.Popen(cmd, cwd=cwd, env=worker_env(scratch, extra_env), stdin=subprocess.DEVNULL,
                                    stdout=stdout, stderr=stderr, pass_fds=pass_fds, start_new_session=True,
                                    preexec_fn=preexec, close_fds=True)
        except BaseException:
            if group is not None:
                group.kill()
            raise
        subreaper.LIVE.add(proc.pid)
    return Spawned(proc, group)


@dataclass
class Completed:
    """What :func:`run_isolated` saw: exit status (None if killed), output (capped), timeout."""

    returncode: int | None
    output: str
    timed_out: bool
    wall: float


def kill_group(proc) -> None:
    """Kill a process started with ``start_new_session`` together with everything in its session's group."""
    import signal
    import subprocess

    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover
        pass


def run_isolated(inner: list[str], *, isolation, cwd: Path, scratch: Path, limits: WorkerLimits, timeout: float,
                 readable: list[Path], writable: list[Path], extra_env: dict[str, str] | None = None) -> Completed:
    """Run ``inner`` under ``isolation`` with a wall-clock ``timeout`` and capped output."""
    import selectors
    import subprocess
    import time

    started = time.perf_counter()
    spawned = spawn(inner, isolation=isolation, limits=limits, scratch=scratch, cwd=cwd, readable=readable,
                    writable=writable, extra_env=extra_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    proc = spawned.proc
    kept = bytearray()
    dropped = 0
    timed_out = False
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    os.set_blocking(proc.stdout.fileno(), False)
    deadline = started + timeout
    try:
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                timed_out = True
                break
            if not sel.select(min(left, 0.5)):
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 1 << 16)
            if not chunk:
                break
            room = max(0, limits.output_bytes - len(kept))
            kept += chunk[:room]
            dropped += max(0, len(chunk) - room)
    finally:
        sel.close()
        if not timed_out:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        returncode = proc.poll()
        spawned.kill()  # also ends children (a kernel) that outlive the main process
        proc.stdout.close()
    text = kept.decode("utf-8", "replace") + (f"\n...({dropped} more bytes dropped)" if dropped else "")
    return Completed(None if timed_out else returncode, text, timed_out, time.perf_counter() - started)
