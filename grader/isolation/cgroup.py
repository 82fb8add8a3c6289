"""A pids cgroup per sandboxed process tree, where the grader may create one.

The cgroup caps the number of processes (a fork bomb stops there) and lists
every process of the tree, including ones that detached with ``setsid`` or a
double fork, so :meth:`PidsGroup.kill` ends them all.  Works with cgroup v1
(``/sys/fs/cgroup/pids``) and v2 (``/sys/fs/cgroup`` with the pids controller);
where neither is writable (most laptops without delegation) :func:`create`
returns None and the other layers (pid namespace, subreaper, RLIMIT_NPROC) do
the job.
"""
from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

V1 = Path("/sys/fs/cgroup/pids")
V2 = Path("/sys/fs/cgroup")


def _base() -> Path | None:
    if (V1 / "cgroup.procs").is_file() and os.access(V1, os.W_OK):
        return V1
    if (V2 / "cgroup.controllers").is_file() and "pids" in (V2 / "cgroup.controllers").read_text().split():
        own = (V2 / Path(open("/proc/self/cgroup").read().strip().split("::", 1)[-1]).relative_to("/"))
        if os.access(own, os.W_OK):
            return own
    return None


class PidsGroup:
    """One pids cgroup; ``join`` runs in the child (``preexec_fn``) before ``exec``."""

    def __init__(self, path: Path):
        self.path = path

    def join(self) -> None:
        (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def pids(self) -> list[int]:
        try:
            return [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
        except OSError:
            return []

    def kill(self) -> None:
        """SIGKILL every process in the group (repeatedly, to catch forks in flight) and remove it."""
        kill_file = self.path / "cgroup.kill"
        for _ in range(50):
            pids = self.pids()
            if not pids:
                break
            if kill_file.exists():
                try:
                    kill_file.write_text("1")
                except OSError:
                    pass
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)
        for _ in range(100):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.02)


def create(max_pids: int) -> PidsGroup | None:
    """A new pids cgroup limited to ``max_pids`` processes, or None where not possible."""
    base = _base()
    if base is None:
        return None
    path = base / f"grader-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        path.mkdir()
        (path / "pids.max").write_text(str(max_pids))
    except OSError:
        try:
            path.rmdir()
        except OSError:
            pass
        return None
    return PidsGroup(path)
