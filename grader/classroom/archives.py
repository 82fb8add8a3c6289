"""Unpack submitted ``.zip`` / ``.tar.gz`` archives safely, and pack folders for remote grading.

An archive is checked member by member before anything is written: no
absolute paths, no ``..``, no symbolic or hard links, no devices or pipes, at
most :attr:`ArchiveLimits.max_members` members and
:attr:`ArchiveLimits.max_total_bytes` bytes in all.  Sizes are counted as the
bytes are actually written, so an archive that declares small members and
inflates to large ones (a zip bomb) is stopped at the limit.  Every problem
raises :class:`ArchiveError` with a message for the student; the caller turns
it into an error row, never a crashed batch.
"""
from __future__ import annotations

import io
import os
import stat
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from grader.submission import SubmissionError

#: Suffixes recognised as archives, longest first (the name without one is the submission's name).
SUFFIXES = (".tar.gz", ".tgz", ".zip")
#: Folders never packed or hashed: caches and version control.
SKIP_DIRS = frozenset({"__pycache__", ".git", ".ipynb_checkpoints", ".hg", ".svn"})
CHUNK = 1 << 16


class ArchiveError(SubmissionError):
    """An archive that cannot be unpacked safely; the message says why."""


@dataclass(frozen=True)
class ArchiveLimits:
    """Limits of one unpacked (or packed) submission.

    Attributes
    ----------
    max_members : int
        Files and folders in the archive.
    max_total_bytes : int
        Bytes of all files once unpacked.
    max_member_bytes : int
        Bytes of one file once unpacked.
    """

    max_members: int = 2000
    max_total_bytes: int = 128 * 2**20
    max_member_bytes: int = 64 * 2**20


def is_archive(path: Path) -> bool:
    """Whether ``path`` is named like an archive this module unpacks."""
    return Path(path).name.lower().endswith(SUFFIXES)


def stem(path: Path) -> str:
    """The name of a submission: the folder name, or the archive name without its suffix."""
    name = Path(path).name
    for suffix in SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _safe_name(name: str) -> PurePosixPath:
    """The member's relative path, or ArchiveError for absolute paths, ``..`` and odd names."""
    if "\x00" in name:
        raise ArchiveError(f"member {name!r} has a NUL character in its name")
    norm = name.replace("\\", "/")
    path = PurePosixPath(norm)
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        raise ArchiveError(f"member {name!r} has an absolute path")
    if ".." in path.parts:
        raise ArchiveError(f"member {name!r} leaves the archive's folder (..)")
    parts = [p for p in path.parts if p not in ("", ".")]
    return PurePosixPath(*parts) if parts else PurePosixPath(".")


class _Writer:
    """Writes members under ``dest``, counting members and bytes against the limits."""

    def __init__(self, dest: Path, limits: ArchiveLimits, source: str):
        self.dest, self.limits, self.source = Path(dest), limits, source
        self.members = self.total = 0

    def count(self) -> None:
        self.members += 1
        if self.members > self.limits.max_members:
            raise ArchiveError(f"{self.source} has more than {self.limits.max_members} members")

    def folder(self, rel: PurePosixPath) -> None:
        if rel != PurePosixPath("."):
            (self.dest / rel).mkdir(parents=True, exist_ok=True)

    def file(self, rel: PurePosixPath, stream, declared: int) -> None:
        if rel == PurePosixPath("."):
            raise ArchiveError(f"{self.source} has a file without a name")
        if declared > self.limits.max_member_bytes:
            raise ArchiveError(f"{rel} in {self.source} is {declared} bytes, more than {self.limits.max_member_bytes}")
        target = self.dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        written = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                written += len(chunk)
                self.total += len(chunk)
                if written > self.limits.max_member_bytes or written > declared:
                    raise ArchiveError(f"{rel} in {self.source} unpacks to more than it declares "
                                       f"({declared} bytes): refused as a possible archive bomb")
                if self.total > self.limits.max_total_bytes:
                    raise ArchiveError(f"{self.source} unpacks to more than {self.limits.max_total_bytes} bytes")
                out.write(chunk)


def _unpack_zip(data: io.BufferedIOBase, w: _Writer) -> None:
    with zipfile.ZipFile(data) as zf:
        infos = zf.infolist()
        if len(infos) > w.limits.max_members:
            raise ArchiveError(f"{w.source} has more than {w.limits.max_members} members")
        declared = sum(i.file_size for i in infos)
        if declared > w.limits.max_total_bytes:
            raise ArchiveError(f"{w.source} unpacks to {declared} bytes, more than {w.limits.max_total_bytes}")
        for info in infos:
            rel = _safe_name(info.filename)
            mode = info.external_attr >> 16  # Unix file type bits, when the zip was made on Unix
            if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
                raise ArchiveError(f"member {info.filename!r} of {w.source} is {kind}")
            w.count()
            if info.is_dir():
                w.folder(rel)
            else:
                with zf.open(info) as stream:
                    w.file(rel, stream, info.file_size)


def _unpack_tar(data: io.BufferedIOBase, w: _Writer) -> None:
    with tarfile.open(fileobj=data, mode="r:*") as tf:
        for member in tf:  # streamed: one member at a time, counted before it is read
            rel = _safe_name(member.name)
            if member.issym() or member.islnk():
                raise ArchiveError(f"member {member.name!r} of {w.source} is a link")
            if not (member.isfile() or member.isdir()):
                raise ArchiveError(f"member {member.name!r} of {w.source} is not a regular file or folder")
            w.count()
            if member.isdir():
                w.folder(rel)
            else:
                w.file(rel, tf.extractfile(member), member.size)


def unpack(archive: Path | bytes, dest: Path, *, limits: ArchiveLimits = ArchiveLimits(), name: str | None = None) -> Path:
    """Unpack a ``.zip`` or ``.tar.gz`` archive into the (new or empty) folder ``dest``.

    Parameters
    ----------
    archive : Path or bytes
        The archive file, or its content (the format is told by its first bytes).
    dest : Path
        Folder to unpack into; created if missing.
    limits : ArchiveLimits
        Member count and sizes allowed.
    name : str, optional
        How to call the archive in messages (its file name by default).

    Returns
    -------
    Path
        ``dest``.

    Raises
    ------
    ArchiveError
        The archive is unreadable, unsafe or too large; nothing outside ``dest`` was written.
    """
    source = name or (Path(archive).name if not isinstance(archive, bytes) else "the archive")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    w = _Writer(dest, limits, source)
    try:
        with (io.BytesIO(archive) if isinstance(archive, bytes) else open(archive, "rb")) as fh:
            head = fh.read(4)
            fh.seek(0)
            if head.startswith(b"PK"):
                _unpack_zip(fh, w)
            else:
                _unpack_tar(fh, w)
    except ArchiveError:
        raise
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise ArchiveError(f"{source} is not a readable .zip or .tar.gz archive ({type(exc).__name__}: {exc})") from None
    return dest


def pack(folder: Path, *, limits: ArchiveLimits = ArchiveLimits()) -> bytes:
    """A ``.tar.gz`` of ``folder``'s regular files (links, caches and version control left out).

    Used to send a submission folder to a remote worker, which unpacks it with
    :func:`unpack` under the same limits.

    Raises
    ------
    ArchiveError
        The folder holds more than ``limits`` allow.
    """
    folder = Path(folder)
    buf = io.BytesIO()
    members = total = 0
    with tarfile.open(fileobj=buf, mode="w:gz", compresslevel=6) as tf:
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not os.path.islink(os.path.join(dirpath, d)))
            for fname in sorted(filenames):
                path = Path(dirpath) / fname
                if path.is_symlink() or not path.is_file() or fname.endswith((".pyc", ".so", ".pyd")):
                    continue
                size = path.stat().st_size
                members += 1
                total += size
                if members > limits.max_members or total > limits.max_total_bytes or size > limits.max_member_bytes:
                    raise ArchiveError(f"{folder.name} is too large to send (over {limits.max_members} files "
                                       f"or {limits.max_total_bytes} bytes)")
                info = tf.gettarinfo(str(path), arcname=path.relative_to(folder).as_posix())
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mode = 0o644
                with open(path, "rb") as fh:
                    tf.addfile(info, fh)
    return buf.getvalue()
