"""Run programs against a package: in an isolated worker, or in-process.

:class:`WorkerExecutor` is the only way student code is ever run.  It starts
``python -I -m grader.worker`` in its own session with a scrubbed environment
and resource limits, talks to it over two pipes of length-prefixed frames, and
enforces a wall-clock timeout per program with a ``select`` loop that also
drains (and caps) the worker's stdout and stderr.  A worker that dies, hangs or
breaks the protocol is killed with its whole process group and replaced on the
next run; the outcome says what happened.

:class:`LocalExecutor` runs the same programs on the trusted reference package
inside the grader process.
"""
from __future__ import annotations

import itertools
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader.frames import FrameError, FrameReader, Limits, encode_message
from grader.sandbox import WorkerLimits, set_limits, worker_env

@dataclass
class Outcome:
    """What running one program produced.

    Attributes
    ----------
    status : str
        ``"ok"``, ``"failed"`` (the program raised or returned something
        unusable), ``"timeout"``, ``"crashed"`` (the process died or broke the
        protocol).
    arrays : dict of str to ndarray
        Plain arrays parsed from the worker's reply (``status == "ok"`` only).
    failure : dict or None
        ``kind``, ``function``, ``message``, ``traceback`` for ``"failed"``.
    message : str
        A one-line account for ``"timeout"``/``"crashed"``.
    output : str
        The worker's captured stdout/stderr during this program (capped).
    wall : float
        Wall-clock seconds measured by the grader around the program.
    """

    status: str
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    failure: dict | None = None
    message: str = ""
    output: str = ""
    wall: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


class WorkerExecutor:
    """Run programs against a package in an isolated, replaceable worker.

    Parameters
    ----------
    root : Path
        Folder holding the package (a private copy of the submission).
    package : str
        Package name (``"nnlayers"``).
    limits : WorkerLimits
        Resource limits for each worker process.
    scratch : Path, optional
        Working directory (``HOME``, ``TMPDIR``) of the worker; a temporary
        folder by default.
    """

    def __init__(self, root: Path, *, package: str = "nnlayers", limits: WorkerLimits = WorkerLimits(),
                 scratch: Path | None = None, frame_limits: Limits = Limits(), isolation=None):
        from grader.isolation.policy import Isolation

        self.isolation = isolation or Isolation("basic", "none")
        self.root = Path(root)
        self.package = package
        self.limits = limits
        self.frame_limits = frame_limits
        self._own_scratch = scratch is None
        self.scratch = Path(scratch) if scratch else Path(tempfile.mkdtemp(prefix="grader-scratch-"))
        self._proc: subprocess.Popen | None = None
        self._spawned = None
        self._req_w = self._resp_r = -1
        self._ids = itertools.count(1)
        self.started = 0  # number of worker processes started (replacements included)

    # -- lifecycle -----------------------------------------------------------
    def _start(self) -> None:
        from grader.isolation.policy import readable_roots, self_restriction_args
        from grader.sandbox import spawn

        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        readable = readable_roots() + [self.root.resolve()]
        writable = [self.scratch.resolve()]
        cmd = [sys.executable, "-I", "-B", "-m", "grader.worker", "--root", str(self.root.resolve()),
               "--package", self.package, "--req-fd", str(req_r), "--resp-fd", str(resp_w),
               *self_restriction_args(self.isolation, readable=readable, writable=writable, seccomp=True)]
        try:
            self._spawned = spawn(cmd, isolation=self.isolation, limits=self.limits, scratch=self.scratch,
                                  cwd=self.scratch, readable=readable, writable=writable, pass_fds=(req_r, resp_w),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        finally:
            os.close(req_r)
            os.close(resp_w)
        self._proc = self._spawned.proc
        self._req_w, self._resp_r = req_w, resp_r
        for fd in (req_w, resp_r, self._proc.stdout.fileno(), self._proc.stderr.fileno()):
            os.set_blocking(fd, False)
        self.started += 1

    def _kill(self) -> None:
        proc, self._proc = self._proc, None
        spawned, self._spawned = self._spawned, None
        if proc is None:
            return
        spawned.kill()
        for fd in (self._req_w, self._resp_r):
            try:
                os.close(fd)
            except OSError:
                pass
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
        self._req_w = self._resp_r = -1

    def close(self) -> None:
        """Kill the worker (and its process group) and remove the scratch folder."""
        self._kill()
        if self._own_scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self) -> "WorkerExecutor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- running -------------------------------------------------------------
    def run(self, program: list[dict], inputs: dict[str, np.ndarray] | None = None, *,
            timeout: float = 20.0, label: str = "the check") -> Outcome:
        """Run ``program`` with ``inputs``; never raises for anything the worker does."""
        if self._proc is None or self._proc.poll() is not None:
            self._kill()
            self._start()
        request_id = next(self._ids)
        request = encode_message({"type": "run", "id": request_id, "program": program}, inputs or {})
        proc = self._proc
        out_fds = {proc.stdout.fileno(): bytearray(), proc.stderr.fileno(): bytearray()}
        dropped = 0
        reader = FrameReader(self.frame_limits)
        pending = memoryview(request)
        started = time.perf_counter()
        deadline = started + timeout
        message = None
        status, text = "crashed", ""
        try:
            while True:
                now = time.perf_counter()
                if now >= deadline:
                    status, text = "timeout", f"timed out after {timeout:g} s during {label}"
                    break
                rlist = [self._resp_r, *out_fds]
                wlist = [self._req_w] if pending else []
                readable, writable, _ = select.select(rlist, wlist, [], deadline - now)
                if writable:
                    try:
                        n = os.write(self._req_w, pending[: 1 << 16])
                        pending = pending[n:]
                    except BlockingIOError:
                        pass
                    except BrokenPipeError:
                        pending = pending[:0]
                for fd in readable:
                    try:
                        chunk = os.read(fd, 1 << 20)
                    except BlockingIOError:
                        continue
                    if fd == self._resp_r:
                        if not chunk:
                            raise EOFError
                        reader.feed(chunk)
                        message = reader.message()
                    elif chunk:
                        buf = out_fds[fd]
                        room = max(0, self.limits.output_bytes - sum(len(b) for b in out_fds.values()))
                        buf += chunk[:room]
                        dropped += max(0, len(chunk) - room)
                if message is not None:
                    break
        except EOFError:
            code = proc.poll()
            if code is None:
                try:
                    code = proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    code = None
            if code is not None and code > 128 and self.isolation.method == "bubblewrap":
                code = -(code - 128)  # bwrap reports a child killed by signal N as 128 + N
            if code is None:
                text = f"the process closed its result channel during {label}"
            elif code < 0:
                text = f"the process crashed ({_signal_name(code)}) during {label}"
            else:
                text = f"the process exited (status {code}) during {label}"
        except FrameError as exc:
            text = f"the process sent malformed results during {label}: {exc}"
        wall = time.perf_counter() - started
        output = b"".join(bytes(b) for b in out_fds.values()).decode("utf-8", "replace")
        if dropped:
            output += f"\n...({dropped} more bytes of output dropped)"
        if message is None:
            self._kill()
            return Outcome(status, message=text, output=output, wall=wall)
        header = message.header
        if header.get("id") != request_id:  # a stale or forged reply: this worker can't be trusted to stay in step
            self._kill()
            return Outcome("crashed", message=f"the process sent a reply out of turn during {label}", output=output, wall=wall)
        if header.get("ok") is True:
            return Outcome("ok", arrays=message.arrays, output=output, wall=wall)
        failure = header.get("failure")
        if not isinstance(failure, dict):
            failure = {}
        failure = {k: str(failure.get(k) or "")[:4000] for k in ("kind", "function", "message", "traceback")}
        return Outcome("failed", failure=failure, output=output, wall=wall)


class LocalExecutor:
    """Run programs in-process against a trusted package (the reference)."""

    def __init__(self, root: Path, *, package: str = "nnlayers"):
        from grader.worker.interp import Interpreter

        self.root = Path(root)
        root_s = str(self.root.resolve())
        if root_s not in sys.path:
            sys.path.insert(0, root_s)
        self.interp = Interpreter(package, roots=(root_s + os.sep,))

    def run(self, program: list[dict], inputs: dict[str, np.ndarray] | None = None, *,
            timeout: float = 0.0, label: str = "") -> Outcome:
        started = time.perf_counter()
        state = np.random.get_state()
        try:
            outputs, failure = self.interp.run(program, {k: np.array(v) for k, v in (inputs or {}).items()})
        finally:
            np.random.set_state(state)
        wall = time.perf_counter() - started
        if failure is not None:
            return Outcome("failed", failure=failure.as_dict(), wall=wall)
        return Outcome("ok", arrays={k: np.array(v) for k, v in outputs.items()}, wall=wall)

    def close(self) -> None:
        pass
