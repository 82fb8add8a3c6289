"""The frame protocol parses untrusted worker output strictly."""
from __future__ import annotations

import io
import struct

import numpy as np
import pytest

from grader.frames import LENGTH, FrameError, FrameReader, Limits, encode_message, npy_bytes, parse_npy


@pytest.mark.parametrize("array", [
    np.arange(12.0).reshape(3, 4), np.float32(2.5) * np.ones((2, 1, 3), np.float32), np.array(3.0), np.array([True, False]),
    np.arange(5, dtype=np.int64), np.zeros((0, 3)), np.asfortranarray(np.arange(6.0).reshape(2, 3)),
    np.arange(4, dtype=">f8"),
])
def test_roundtrip_gives_plain_equal_arrays(array):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, allow_pickle=False)
    out = parse_npy(buf.getvalue())
    assert type(out) is np.ndarray and out.flags.c_contiguous and out.flags.writeable
    assert out.shape == array.shape and np.array_equal(out, array)
    assert out.dtype.byteorder in ("=", "|") or out.dtype.itemsize == 1


def test_rejects_object_arrays_and_pickles():
    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(FrameError, match="not a plain numeric"):
        parse_npy(buf.getvalue())


@pytest.mark.parametrize("dtype", ["<U3", "|S4", "<c16", "<M8[s]", "|V8"])
def test_rejects_non_numeric_dtypes(dtype):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.zeros(2, dtype=dtype), allow_pickle=False)
    with pytest.raises(FrameError):
        parse_npy(buf.getvalue())


def _raw(header: str, payload: bytes = b"") -> bytes:
    h = header.encode("latin1")
    h += b" " * ((64 - (10 + len(h) + 1) % 64) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h + payload


@pytest.mark.parametrize("header,payload,error", [
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", b"\0" * 8, "payload has 8 bytes"),
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }", b"", "bad shape|exceeds"),
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", b"", "bad shape"),
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1), }", b"\0" * 8, "bad shape"),
    ("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }", b"\0" * 8, "fortran_order"),
    ("{'descr': '<f8', 'shape': (1,), }", b"\0" * 8, "malformed"),
    ("__import__('os').system('true')", b"", "unreadable"),
    ("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", b"\0" * 8, "malformed"),
])
def test_rejects_malformed_headers(header, payload, error):
    with pytest.raises(FrameError, match=error):
        parse_npy(_raw(header, payload))


def test_rejects_bad_magic_and_version():
    with pytest.raises(FrameError, match="magic"):
        parse_npy(b"PK\x03\x04" + b"\0" * 20)
    with pytest.raises(FrameError, match="version"):
        parse_npy(b"\x93NUMPY\x09\x00" + b"\0" * 20)


def test_size_cap_applies_before_allocation():
    data = npy_bytes(np.zeros(1000))
    with pytest.raises(FrameError, match="exceeds the cap"):
        parse_npy(data, max_bytes=100)


def test_reader_reassembles_messages_from_small_chunks():
    msg = encode_message({"ok": True, "n": 1}, {"a": np.arange(3.0), "b": np.array(True)})
    reader = FrameReader()
    got = None
    for i in range(0, len(msg), 5):
        reader.feed(msg[i:i + 5])
        got = got or reader.message()
    assert got is not None and got.header["ok"] is True
    assert np.array_equal(got.arrays["a"], np.arange(3.0)) and got.arrays["b"].shape == ()


@pytest.mark.parametrize("header", [b"[1, 2]", b"\xff\xfe", b"{" * 100000])
def test_reader_rejects_bad_headers(header):
    reader = FrameReader()
    reader.feed(LENGTH.pack(len(header)) + header)
    with pytest.raises(FrameError):
        reader.message()


def test_reader_rejects_oversized_frames_and_duplicate_names():
    reader = FrameReader(Limits(max_header_bytes=100))
    reader.feed(LENGTH.pack(10**9))
    with pytest.raises(FrameError, match="exceeds the cap"):
        reader.message()
    reader = FrameReader()
    body = b'{"arrays": ["a", "a"]}'
    reader.feed(LENGTH.pack(len(body)) + body)
    with pytest.raises(FrameError, match="duplicate"):
        reader.message()
