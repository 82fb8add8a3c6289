"""Entry point of a worker process: ``python -I -m grader.worker ...``.

The grader starts this with a scrubbed environment and resource limits, in its
own session.  It reads request messages on ``--req-fd``, runs each program
against the submission's package, and writes one reply message per request on
``--resp-fd``.  Student output goes to fds 1 and 2, which the grader captures
and caps separately.
"""
from __future__ import annotations

import argparse
import os
import sys
import time


def _read_exact(fd: int, n: int) -> bytes | None:
    chunks, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grader.worker")
    parser.add_argument("--root", required=True, help="folder that holds the package")
    parser.add_argument("--package", default="nnlayers")
    parser.add_argument("--req-fd", type=int, required=True)
    parser.add_argument("--resp-fd", type=int, required=True)
    parser.add_argument("--landlock", help="JSON {read_only, read_write}: restrict the file system (Landlock)")
    parser.add_argument("--seccomp", action="store_true", help="install the seccomp filter (no fork, exec, sockets)")
    args = parser.parse_args(argv)

    # Imports of trusted code happen before any student code runs.
    import numpy as np  # noqa: F401  (loaded once, before the submission)

    from grader.frames import LENGTH, FrameReader, Limits, encode_message
    from grader.worker.interp import Interpreter

    from grader.isolation.policy import apply_self_restrictions

    apply_self_restrictions(args.landlock, args.seccomp)  # last trusted step before student code

    root = os.path.realpath(args.root)
    sys.path.insert(0, root)
    interp = Interpreter(args.package, roots=(root + os.sep, root))
    reader = FrameReader(Limits(max_array_bytes=2**31, max_message_bytes=2**32, max_header_bytes=2**28))

    while True:
        message = None
        while message is None:
            head = _read_exact(args.req_fd, LENGTH.size)
            if head is None:
                return 0
            (n,) = LENGTH.unpack(head)
            body = _read_exact(args.req_fd, n)
            if body is None:
                return 0
            reader.feed(head + body)
            message = reader.message()
        header = message.header
        started = time.perf_counter()
        if header.get("type") == "run":
            outputs, failure = interp.run(header["program"], message.arrays)
        else:
            outputs, failure = {}, None
        elapsed = time.perf_counter() - started
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        reply = {"id": header.get("id"), "ok": failure is None, "elapsed": elapsed}
        if failure is not None:
            reply["failure"] = failure.as_dict()
        try:
            data = encode_message(reply, outputs or {})
        except Exception as exc:  # an output numpy cannot serialise
            data = encode_message({"id": header.get("id"), "ok": False, "failure": {
                "kind": "bad_return", "function": None, "message": f"a result could not be sent: {exc}", "traceback": ""}})
        _write_all(args.resp_fd, data)


if __name__ == "__main__":
    raise SystemExit(main())
