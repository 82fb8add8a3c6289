"""A small progress display for class runs (no dependency).

On a terminal: one line, redrawn in place (done/total, elapsed, ETA).
Elsewhere (logs, CI): one line per finished submission.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """Report finished submissions to ``stream``.

    Parameters
    ----------
    total : int
        Submissions in the run.
    stream : file, optional
        Where to write (standard error by default).
    tty : bool, optional
        Redraw one line (default: whether ``stream`` is a terminal).
    width : int
        Characters of the bar.
    """

    def __init__(self, total: int, *, stream: TextIO | None = None, tty: bool | None = None, width: int = 24):
        self.total, self.width = total, width
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.done = self.graded = 0
        self.started = time.monotonic()

    def eta(self) -> float | None:
        """Seconds left, from the pace of the submissions graded so far (cached ones cost nothing)."""
        if not self.graded:
            return None
        return (time.monotonic() - self.started) / self.graded * (self.total - self.done)

    def update(self, name: str, status: str, *, graded: bool = True) -> None:
        """One submission finished: ``status`` is a short text such as ``"85 / 100"`` or ``"error"``."""
        self.done += 1
        self.graded += graded
        elapsed = _clock(time.monotonic() - self.started)
        eta = self.eta()
        eta_text = _clock(eta) if eta is not None else "?"
        if self.tty:
            filled = self.width * self.done // max(self.total, 1)
            bar = "#" * filled + "." * (self.width - filled)
            line = f"[{bar}] {self.done}/{self.total}  elapsed {elapsed}  ETA {eta_text}  {name}: {status}"
            self.stream.write("\r\x1b[2K" + line[:200])
        else:
            self.stream.write(f"[{self.done}/{self.total}] {name}: {status} (elapsed {elapsed}, ETA {eta_text})\n")
        self.stream.flush()

    def close(self) -> None:
        """End the redrawn line."""
        if self.tty and self.done:
            self.stream.write("\n")
            self.stream.flush()
