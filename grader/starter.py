"""Generate the student package (``starter/``) from the reference (``solutions/``).

Every student part of ``solutions/`` sits between two marker lines::

    ### BEGIN SOLUTION
    ...reference code...
    ### END SOLUTION

:func:`strip_solutions` replaces each marked block with a TODO banner and a
``raise NotImplementedError``, indented like the markers; every other line is
copied verbatim.  :func:`generate_starter` does that for a whole tree, and
:func:`diff_starter` tells which files of an existing ``starter/`` differ from
what would be generated (the sync test and ``python -m grader.starter --check``
use it).  Nobody edits ``starter/`` by hand.
"""
from __future__ import annotations

import argparse
import ast
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"

_MARKER = re.compile(r"^(?P<indent>[ \t]*)### (?P<which>BEGIN|END) SOLUTION\s*$")
_DEF = re.compile(r"^(?P<indent>[ \t]*)(?:async\s+)?(?:def|class)\s+(?P<name>\w+)")

#: Files and folders never copied into the starter.
IGNORED = ("__pycache__", ".pytest_cache", ".ipynb_checkpoints")
IGNORED_SUFFIXES = (".pyc", ".so", ".pyd", ".c")


class MarkerError(ValueError):
    """A solution file's markers are unbalanced or misplaced."""


@dataclass(frozen=True)
class SolutionBlock:
    """One marked student part of a reference file.

    Attributes
    ----------
    path : str
        File the block belongs to, relative to the tree root.
    owner : str
        Dotted name of the enclosing function or class (``"FullyConnectedNet.loss"``).
    first_line : int
        1-based line number of the ``### BEGIN SOLUTION`` marker.
    code : str
        The reference lines between the markers, as written.
    """

    path: str
    owner: str
    first_line: int
    code: str


def _owner(lines: list[str], index: int, indent: str) -> str:
    """Dotted name of the functions/classes enclosing line ``index``."""
    names: list[str] = []
    width = len(indent.expandtabs())
    for line in reversed(lines[:index]):
        m = _DEF.match(line)
        if m and len(m.group("indent").expandtabs()) < width:
            names.append(m.group("name"))
            width = len(m.group("indent").expandtabs())
            if width == 0:
                break
    return ".".join(reversed(names)) or "<module>"


def find_blocks(text: str, path: str = "<string>") -> list[SolutionBlock]:
    """Return the marked blocks of one source file, in order.

    Raises
    ------
    MarkerError
        If a BEGIN has no END, an END no BEGIN, blocks nest, or the two
        markers of a block are indented differently.
    """
    lines = text.splitlines(keepends=True)
    blocks: list[SolutionBlock] = []
    start: int | None = None
    indent = ""
    for i, line in enumerate(lines):
        m = _MARKER.match(line.rstrip("\n"))
        if not m:
            continue
        if m.group("which") == "BEGIN":
            if start is not None:
                raise MarkerError(f"{path}:{i + 1}: BEGIN SOLUTION inside another block (opened at line {start + 1})")
            start, indent = i, m.group("indent")
        else:
            if start is None:
                raise MarkerError(f"{path}:{i + 1}: END SOLUTION without a BEGIN SOLUTION")
            if m.group("indent") != indent:
                raise MarkerError(f"{path}:{i + 1}: END SOLUTION is indented differently from its BEGIN at line {start + 1}")
            blocks.append(SolutionBlock(path, _owner(lines, start, indent), start + 1, "".join(lines[start + 1 : i])))
            start = None
    if start is not None:
        raise MarkerError(f"{path}:{start + 1}: BEGIN SOLUTION is never closed")
    return blocks


def _banner(indent: str, owner: str) -> list[str]:
    rule = indent + "#" * max(20, 79 - len(indent.expandtabs())) + "\n"
    return [
        rule,
        f"{indent}# TODO: write this part of {owner}.\n",
        f"{indent}# The docstring above gives the shapes; the comment above gives a hint.\n",
        rule,
        f'{indent}raise NotImplementedError("{owner} is not implemented yet")\n',
    ]


def strip_solutions(text: str, path: str = "<string>") -> str:
    """Return ``text`` with every marked block replaced by a TODO stub.

    Lines outside the markers are kept byte for byte.  The result is checked
    to be valid Python, so a misplaced marker fails here rather than in a
    student's notebook.
    """
    blocks = {b.first_line - 1: b for b in find_blocks(text, path)}
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in blocks:
            block = blocks[i]
            indent = _MARKER.match(lines[i].rstrip("\n")).group("indent")
            out.extend(_banner(indent, block.owner))
            i += block.code.count("\n") + 2  # BEGIN, the code, END
            continue
        out.append(lines[i])
        i += 1
    result = "".join(out)
    if path.endswith(".py"):
        try:
            ast.parse(result, filename=path)
        except SyntaxError as exc:  # pragma: no cover - only with broken markers
            raise MarkerError(f"{path}: the generated starter is not valid Python: {exc}") from exc
    return result


#: Only the package reaches students; everything else under solutions/ (grading/) is instructors' only.
PACKAGE = "nnlayers"


def _wanted(path: Path) -> bool:
    return (bool(path.parts) and path.parts[0] == PACKAGE and not any(part in IGNORED for part in path.parts)
            and not path.name.endswith(IGNORED_SUFFIXES))


def render_tree(solutions: Path) -> dict[str, bytes]:
    """Map each starter file (relative path) to its generated content."""
    files: dict[str, bytes] = {}
    for src in sorted(p for p in solutions.rglob("*") if p.is_file()):
        rel = src.relative_to(solutions)
        if not _wanted(rel):
            continue
        if src.suffix == ".py":
            files[rel.as_posix()] = strip_solutions(src.read_text(encoding="utf-8"), rel.as_posix()).encode("utf-8")
        else:
            files[rel.as_posix()] = src.read_bytes()
    return files


def all_blocks(solutions: Path) -> list[SolutionBlock]:
    """Every marked block of every Python file under ``solutions``."""
    blocks: list[SolutionBlock] = []
    for src in sorted(solutions.rglob("*.py")):
        rel = src.relative_to(solutions)
        if _wanted(rel):
            blocks.extend(find_blocks(src.read_text(encoding="utf-8"), rel.as_posix()))
    return blocks


def generate_starter(*, solutions: Path, starter: Path) -> list[str]:
    """Write ``starter`` from ``solutions``; return the relative paths written.

    Files in ``starter`` that no longer exist in ``solutions`` are removed.
    """
    files = render_tree(solutions)
    if starter.exists():
        shutil.rmtree(starter)
    for rel, content in files.items():
        dest = starter / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(content)
    return sorted(files)


def diff_starter(*, solutions: Path, starter: Path) -> list[str]:
    """Relative paths where ``starter`` differs from the generated tree."""
    expected = render_tree(solutions)
    actual = {
        p.relative_to(starter).as_posix(): p.read_bytes()
        for p in starter.rglob("*")
        if p.is_file() and _wanted(p.relative_to(starter))
    } if starter.exists() else {}
    return sorted(k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))


def main(argv: list[str] | None = None) -> int:
    """``python -m grader.starter [--check]``: regenerate or verify ``starter/``."""
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(prog="python -m grader.starter", description=__doc__.split("\n\n")[0])
    parser.add_argument("--solutions", type=Path, default=root / "solutions")
    parser.add_argument("--starter", type=Path, default=root / "starter")
    parser.add_argument("--check", action="store_true", help="only report files that are out of date; exit 1 if any")
    args = parser.parse_args(argv)
    if not args.solutions.is_dir():
        parser.error(f"no solutions folder at {args.solutions}")
    try:
        if args.check:
            stale = diff_starter(solutions=args.solutions, starter=args.starter)
            for rel in stale:
                print(f"out of date: {rel}")
            return 1 if stale else 0
        written = generate_starter(solutions=args.solutions, starter=args.starter)
    except MarkerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} files to {args.starter}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
