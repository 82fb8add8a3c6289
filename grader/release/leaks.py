"""Find answers in what is about to reach students.

The *secrets* of a course checkout are the distinctive lines of every marked
solution block of ``solutions/`` and of every instructor-only file of
``solutions/grading/`` (hidden check rows, the instructors' rubric, anything
added there later), minus lines that are public anyway (they occur in the
generated starter or in the grader's own sources).  :func:`scan` looks for them
in a set of files, opening archives (zip, wheel, tar) and notebooks on the way.
"""
from __future__ import annotations

import io
import json
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
ARCHIVE_SUFFIXES = (".zip", ".whl", ".tar.gz", ".tgz", ".tar")
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


def secrets(root: Path) -> set[str]:
    """Distinctive lines that must never reach a student (see the module docstring).

    A solution line is public only if the starter has it too (provided code
    that happens to repeat it); a line of an instructor-only grading file is
    public if the starter, the notebooks or the grader's own sources have it
    (the imports and helpers hidden check rows share with the public table,
    the calls of the layers a mistake variant shares with a notebook).
    """
    root = Path(root)
    starter = _lines_of(c.decode("utf-8", "replace") for c in render_tree(root / "solutions").values())
    grader = _lines_of(p.read_text(encoding="utf-8", errors="replace") for p in sorted((root / "grader").rglob("*"))
                       if p.is_file() and p.suffix in (".py", ".toml", ".json"))
    grader |= _lines_of(_text(p.name, p.read_bytes()) for p in sorted((root / "notebooks").glob("*.ipynb")))
    found = set()
    for block in all_blocks(root / "solutions"):
        found |= _distinctive(block.code.splitlines()) - starter
    for path in sorted((root / "solutions" / "grading").rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES and "__pycache__" not in path.parts:
            found |= _distinctive(path.read_text(encoding="utf-8", errors="replace").splitlines()) - starter - grader
    return found


def _squeeze(text: str) -> str:
    """Code without comment lines and without any white space (so re-indenting or re-spacing hides nothing)."""
    return "".join("".join(ln.split()) for ln in text.splitlines() if not ln.strip().startswith("#"))


def block_prints(root: Path) -> set[str]:
    """Every solution block, squeezed: catches the short blocks no single line of which is distinctive."""
    prints = {_squeeze(block.code) for block in all_blocks(Path(root) / "solutions")}
    return {p for p in prints if len(p) >= MIN_BLOCK}


def _is_archive(name: str) -> bool:
    return name.endswith(ARCHIVE_SUFFIXES)


def _members(name: str, data: bytes) -> dict[str, bytes]:
    """Regular files inside an archive (unreadable archives yield nothing: the scan reports them)."""
    out: dict[str, bytes] = {}
    if name.endswith((".zip", ".whl")):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                if not info.is_dir():
                    out[info.filename] = zf.read(info)
    else:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            for member in tar.getmembers():
                if member.isfile():
                    out[member.name] = tar.extractfile(member).read()
    return out


def _text(name: str, data: bytes) -> str:
    if name.endswith(".ipynb"):
        try:
            nb = json.loads(data)
            return "\n".join("".join(c.get("source", "")) if isinstance(c.get("source"), list) else str(c.get("source", ""))
                             for c in nb.get("cells", []) if isinstance(c, dict))
        except (ValueError, AttributeError):
            pass
    return data.decode("utf-8", "replace")


def scan(files: dict[str, bytes], secret_lines: set[str], blocks: set[str] = frozenset(), *, _depth: int = 0) -> list[Leak]:
    """Every secret line or block found in ``files`` (name -> content), archives and notebooks included.

    A file that looks like an archive but cannot be opened is itself reported,
    since it cannot be shown to be free of answers.
    """
    leaks: list[Leak] = []
    for name, data in sorted(files.items()):
        if _is_archive(name) and _depth < MAX_DEPTH:
            try:
                inner = _members(name, data)
            except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError) as exc:
                leaks.append(Leak(name, f"<unreadable archive: {exc}>"))
                continue
            leaks += [Leak(f"{name}!{leak.where}", leak.line) for leak in scan(inner, secret_lines, blocks, _depth=_depth + 1)]
            continue
        text = _text(name, data)
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
