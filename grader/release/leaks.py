"""Find answers in what is about to reach students.

The *secrets* of a course checkout are the distinctive lines of every marked
solution block of ``solutions/`` and of every instructor-only file of
``solutions/grading/`` (hidden check rows, the instructors' rubric, the
catalog of mistakes, anything added there later), minus lines that are public
anyway (see :func:`secrets`), plus every solution block as a whole, spacing
and comments ignored (:func:`block_prints`).  :func:`scan` looks for them in a
set of files, opening archives (zip, wheel, tar) and notebooks (every string
of the JSON: sources, outputs, metadata, attachments) on the way.
"""
from __future__ import annotations

import io
import json
import subprocess
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from grader.starter import all_blocks, render_tree

#: Shorter lines (``return out``, ``N = x.shape[0]``) are too common to tell anything.
MIN_LENGTH = 20
#: Whole blocks are also looked for, spacing and comments ignored, when they are at least this long.
MIN_BLOCK = 16
TEXT_SUFFIXES = (".py", ".toml", ".json", ".md", ".txt", ".cfg", ".yml", ".yaml", ".sh", ".pyx", ".ipynb")
ARCHIVE_SUFFIXES = (".zip", ".whl", ".npz", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz")
#: Compressed or packed files the scan cannot look into: reported rather than passed.
OPAQUE_SUFFIXES = (".gz", ".bz2", ".xz", ".7z", ".rar", ".pickle", ".pkl")
MAX_DEPTH = 3


@dataclass(frozen=True)
class Leak:
    """A secret line found in a file (``where`` names archive members as ``outer!inner``)."""

    where: str
    line: str

    def __str__(self) -> str:
        return f"{self.where}: {self.line}"


def _distinctive(lines) -> set[str]:
    out = set()
    for line in lines:
        text = line.strip()
        if len(text) >= MIN_LENGTH and not text.startswith(("#", "import ", "from ")):
            out.add(text)
    return out


def _lines_of(texts) -> set[str]:
    return {ln.strip() for text in texts for ln in text.splitlines()}


def tracked_files(root: Path, folder: str) -> list[Path]:
    """Files of ``root/folder`` (a folder or a file) that git tracks (every file when ``root`` is not a git checkout)."""
    root = Path(root)
    if (root / ".git").exists():
        done = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", folder], capture_output=True, timeout=60)
        if done.returncode == 0:
            return sorted(root / name for name in done.stdout.decode().split("\0") if name and (root / name).is_file())
    path = root / folder
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def secrets(root: Path) -> set[str]:
    """Distinctive lines that must never reach a student (see the module docstring).

    A solution line is public only if the starter has it too (provided code
    that happens to repeat it).  A line of an instructor-only grading file is
    public if the starter or the grader's own committed sources have it (the
    imports and helpers hidden check rows share with the public table); a line
    of the mistakes catalog also if a committed notebook has it (the calls of
    layers a wrong variant shares with the notebooks).  Untracked files never
    make a line public.
    """
    root = Path(root)
    starter = _lines_of(c.decode("utf-8", "replace") for c in render_tree(root / "solutions").values())
    grader = _lines_of(p.read_text(encoding="utf-8", errors="replace") for p in tracked_files(root, "grader")
                       if p.suffix in (".py", ".toml", ".json"))
    notebooks = _lines_of(_text(p.name, p.read_bytes()) for p in tracked_files(root, "notebooks") if p.suffix == ".ipynb")
    found = set()
    for block in all_blocks(root / "solutions"):
        found |= _distinctive(block.code.splitlines()) - starter
    for path in sorted((root / "solutions" / "grading").rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES and "__pycache__" not in path.parts:
            public = starter | grader | (notebooks if "mistakes" in path.relative_to(root).parts else set())
            found |= _distinctive(path.read_text(encoding="utf-8", errors="replace").splitlines()) - public
    return found


def _squeeze(text: str) -> str:
    """Code without comment lines and without any white space (so re-indenting or re-spacing hides nothing)."""
    return "".join("".join(ln.split()) for ln in text.splitlines() if not ln.strip().startswith("#"))


def block_prints(root: Path) -> set[str]:
    """Every solution block, squeezed: catches the short blocks no single line of which is distinctive."""
    prints = {_squeeze(block.code) for block in all_blocks(Path(root) / "solutions")}
    return {p for p in prints if len(p) >= MIN_BLOCK}


def _members(name: str, data: bytes) -> dict[str, bytes]:
    """Files inside an archive; a link or device is listed as itself (a handout should have none)."""
    out: dict[str, bytes] = {}
    if name.endswith((".zip", ".whl", ".npz")):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                if not info.is_dir():
                    out[info.filename] = zf.read(info)
    else:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            for member in tar.getmembers():
                if member.isfile():
                    out[member.name] = tar.extractfile(member).read()
                elif not member.isdir():
                    out[member.name] = f"<link or device: {member.linkname}>".encode()
    return out


def _text(name: str, data: bytes) -> str:
    if name.endswith(".ipynb"):
        try:
            # joined per cell field: sources are lists of lines, so "".join keeps the lines intact
            return "\n".join("".join(s) for s in _string_groups(json.loads(data)))
        except ValueError:
            pass
    return data.decode("utf-8", "replace")


def _string_groups(node) -> list[list[str]]:
    """The strings of a notebook, grouped so that a list of strings (a multi-line field) stays one text."""
    groups: list[list[str]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            groups.append([item])
        elif isinstance(item, list):
            if item and all(isinstance(x, str) for x in item):
                groups.append(item)
            else:
                stack.extend(reversed(item))
        elif isinstance(item, dict):
            for key, value in item.items():
                groups.append([str(key)])
                stack.append(value)
    return groups


def scan(files: dict[str, bytes], secret_lines: set[str], blocks: set[str] = frozenset(), *, _depth: int = 0) -> list[Leak]:
    """Every secret line or block found in ``files`` (name -> content), archives and notebooks included.

    A file that looks like an archive but cannot be opened, one nested too
    deep, or a compressed file of another kind is itself reported, since it
    cannot be shown to be free of answers.
    """
    leaks: list[Leak] = []
    for name, data in sorted(files.items()):
        lower = name.lower()
        if lower.endswith(ARCHIVE_SUFFIXES):
            if _depth >= MAX_DEPTH:
                leaks.append(Leak(name, "<archive nested too deep to be checked>"))
                continue
            try:
                inner = _members(lower, data)
            except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError, ValueError) as exc:
                leaks.append(Leak(name, f"<unreadable archive: {exc}>"))
                continue
            leaks += [Leak(f"{name}!{leak.where}", leak.line) for leak in scan(inner, secret_lines, blocks, _depth=_depth + 1)]
            continue
        if lower.endswith(OPAQUE_SUFFIXES):
            leaks.append(Leak(name, "<compressed file that cannot be checked>"))
            continue
        text = _text(lower, data)
        lines = {ln.strip() for ln in text.splitlines()}
        leaks += [Leak(name, s) for s in sorted(secret_lines & lines)]
        if blocks:
            squeezed = _squeeze(text)
            leaks += [Leak(name, f"<a whole solution block> {b[:60]}") for b in sorted(blocks) if b in squeezed]
    return leaks


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` by relative path (links are reported as themselves, not followed)."""
    folder = Path(folder)
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = f"<symbolic link to {path.readlink()}>".encode()
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out
