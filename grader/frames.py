"""Length-prefixed frames between the grader and a worker.

A *message* is one JSON header frame followed by zero or more ``.npy`` frames.
Every frame is an 8-byte big-endian length and then that many bytes.

The worker side is untrusted, so :func:`parse_npy` reads a ``.npy`` frame
strictly *before* allocating anything: the header must be a plain version
1/2/3 header, the dtype must be a plain numeric or bool dtype, the shape must
be sane, and the byte count must match the shape exactly.  Nothing is ever
unpickled; what comes out is a plain, writeable, C-ordered :class:`numpy.ndarray`.
"""
from __future__ import annotations

import ast
import io
import json
import struct
from dataclasses import dataclass, field

import numpy as np

LENGTH = struct.Struct(">Q")

#: The dtypes that may cross from a worker (numpy ``descr`` strings).
ALLOWED_DESCR = frozenset(
    {"|b1", "|i1", "|u1"}
    | {f"{e}{k}{n}" for e in "<>" for k in "iu" for n in (2, 4, 8)}
    | {f"{e}f{n}" for e in "<>" for n in (2, 4, 8)}
)
MAX_NDIM = 8
MAX_DIM = 2**40
MAX_HEADER_BYTES = 4096
_MAGIC = b"\x93NUMPY"


class FrameError(ValueError):
    """A frame or message broke the protocol (size, dtype, shape, JSON...)."""


@dataclass(frozen=True)
class Limits:
    """Caps applied to everything read from a worker."""

    max_array_bytes: int = 256 * 2**20
    max_message_bytes: int = 512 * 2**20
    max_header_bytes: int = 1 * 2**20
    max_arrays: int = 4096


@dataclass
class Message:
    """A decoded message: a JSON ``header`` and named ``arrays``."""

    header: dict
    arrays: dict[str, np.ndarray] = field(default_factory=dict)


# ----------------------------------------------------------------------------- writing


def npy_bytes(array: np.ndarray) -> bytes:
    """Serialise ``array`` as ``.npy`` bytes (never with pickle)."""
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asarray(array, order="C"), allow_pickle=False)
    return buf.getvalue()


def encode_message(header: dict, arrays: dict[str, np.ndarray] | None = None) -> bytes:
    """Encode a message; ``header["arrays"]`` is set to the array names in order."""
    arrays = arrays or {}
    header = dict(header, arrays=list(arrays))
    parts = [json.dumps(header, allow_nan=True).encode("utf-8")]
    parts.extend(npy_bytes(a) for a in arrays.values())
    return b"".join(LENGTH.pack(len(p)) + p for p in parts)


# ----------------------------------------------------------------------------- reading


def parse_npy(data: bytes, *, max_bytes: int = Limits.max_array_bytes) -> np.ndarray:
    """Parse one ``.npy`` frame strictly and return a plain ndarray.

    Raises
    ------
    FrameError
        On anything but a plain numeric/bool array whose bytes match its header.
    """
    if len(data) < 10 or not data.startswith(_MAGIC):
        raise FrameError("not a .npy frame (bad magic)")
    major = data[6]
    if major == 1:
        (hlen,), start = struct.unpack("<H", data[8:10]), 10
    elif major in (2, 3):
        if len(data) < 12:
            raise FrameError("truncated .npy header")
        (hlen,), start = struct.unpack("<I", data[8:12]), 12
    else:
        raise FrameError(f"unsupported .npy version {major}")
    if hlen > MAX_HEADER_BYTES or start + hlen > len(data):
        raise FrameError("oversized or truncated .npy header")
    try:
        text = data[start : start + hlen].decode("latin1" if major < 3 else "utf-8")
        header = ast.literal_eval(text)
    except (ValueError, SyntaxError, UnicodeDecodeError, MemoryError, RecursionError) as exc:
        raise FrameError(f"unreadable .npy header: {exc}") from None
    if not isinstance(header, dict) or set(header) != {"descr", "fortran_order", "shape"}:
        raise FrameError("malformed .npy header")
    descr, fortran, shape = header["descr"], header["fortran_order"], header["shape"]
    if not isinstance(descr, str) or descr not in ALLOWED_DESCR:
        raise FrameError(f"dtype {descr!r} is not a plain numeric or bool dtype")
    if not isinstance(fortran, bool):
        raise FrameError("malformed .npy header (fortran_order)")
    if (
        not isinstance(shape, tuple)
        or len(shape) > MAX_NDIM
        or not all(type(d) is int and 0 <= d <= MAX_DIM for d in shape)
    ):
        raise FrameError(f"bad shape {shape!r}")
    dtype = np.dtype(descr)
    count = 1
    for d in shape:
        count *= d
    nbytes = count * dtype.itemsize
    if nbytes > max_bytes:
        raise FrameError(f"array of {nbytes} bytes exceeds the cap of {max_bytes}")
    payload = memoryview(data)[start + hlen :]
    if len(payload) != nbytes:
        raise FrameError(f"array payload has {len(payload)} bytes, header says {nbytes}")
    flat = np.frombuffer(payload, dtype=dtype, count=count)
    arr = flat.reshape(shape, order="F" if fortran else "C")
    return np.array(arr, dtype=dtype.newbyteorder("=") if dtype.byteorder == ">" else dtype, order="C", copy=True)


def parse_header(data: bytes) -> dict:
    """Parse a JSON header frame (a JSON object)."""
    try:
        header = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise FrameError(f"unreadable message header: {exc}") from None
    if not isinstance(header, dict):
        raise FrameError("message header is not a JSON object")
    return header


class FrameReader:
    """Incrementally split a byte stream into frames, enforcing :class:`Limits`."""

    def __init__(self, limits: Limits = Limits()):
        self.limits = limits
        self._buf = bytearray()

    def feed(self, chunk: bytes) -> None:
        self._buf += chunk
        if len(self._buf) > self.limits.max_message_bytes + 64:
            raise FrameError("the worker sent more data than allowed")

    def _span_at(self, pos: int, cap: int) -> tuple[int, int] | None:
        """(start, end) of the frame body at ``pos``, or None if incomplete."""
        if len(self._buf) - pos < LENGTH.size:
            return None
        (n,) = LENGTH.unpack_from(self._buf, pos)
        if n > cap:
            raise FrameError(f"frame of {n} bytes exceeds the cap of {cap}")
        end = pos + LENGTH.size + n
        if len(self._buf) < end:
            return None
        return pos + LENGTH.size, end

    def _frame_at(self, pos: int, cap: int) -> tuple[bytes, int] | None:
        span = self._span_at(pos, cap)
        if span is None:
            return None
        return bytes(self._buf[span[0] : span[1]]), span[1]

    def message(self) -> Message | None:
        """Return the next complete message, or None if more bytes are needed."""
        got = self._frame_at(0, self.limits.max_header_bytes)
        if got is None:
            return None
        raw, pos = got
        header = parse_header(raw)
        names = header.get("arrays", [])
        if not isinstance(names, list) or len(names) > self.limits.max_arrays or not all(
            isinstance(n, str) and 0 < len(n) <= 200 for n in names
        ):
            raise FrameError("bad list of array names in message header")
        if len(set(names)) != len(names):
            raise FrameError("duplicate array names in message header")
        # Find the frame boundaries first; parse only once the message is complete.
        spans: list[tuple[int, int]] = []
        total = 0
        for _ in names:
            got = self._span_at(pos, self.limits.max_array_bytes + MAX_HEADER_BYTES + 16)
            if got is None:
                return None
            start, pos = got
            total += pos - start
            if total > self.limits.max_message_bytes:
                raise FrameError("message exceeds the size cap")
            spans.append((start, pos))
        view = bytes(self._buf[: pos])
        arrays = {
            name: parse_npy(view[a:b], max_bytes=self.limits.max_array_bytes)
            for name, (a, b) in zip(names, spans)
        }
        del self._buf[:pos]
        return Message(header, arrays)
