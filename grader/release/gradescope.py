"""``grade gradescope``: the Gradescope autograder bundle, as a folder and ``autograder.zip``.

Layout (Gradescope unpacks it into ``/autograder/source``)::

    setup.sh             installs Python, bubblewrap and the grader sdist into /autograder/venv
    run_autograder       grades /autograder/submission, writes /autograder/results/results.json
    tools/<grader sdist> the same student edition of the grader as the handout's
    reference/nnlayers/  the reference solutions      } instructors' only: the sandbox keeps
    reference/grading/   hidden checks and rubric     } student code from reading them
    BUNDLE.json          grader version and a hash of every source that went in

:func:`check_bundle` compares ``BUNDLE.json`` with the checkout, so a bundle
built before a change of the reference, the checks or the grader is reported
as stale (``python -m grader.regenerate --check``).
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from grader import __version__
from grader.release.files import copy_tree, staged, template, write_zip
from grader.release.handout import Built, _require_current

MANIFEST = "BUNDLE.json"
#: The Python that setup.sh installs on Gradescope's Ubuntu 22.04 image (the grader needs 3.11+).
PYTHON = "3.11"
#: What goes into a bundle, relative to the checkout: a change to any of these makes a built bundle stale.
SOURCES = ("solutions/nnlayers", "solutions/grading", "grader", "ext/nnfast", "pyproject.toml", "setup.py", "MANIFEST.in")
_SKIP_PARTS = ("__pycache__", ".pytest_cache")
_SKIP_SUFFIXES = (".pyc", ".so", ".pyd", ".c", ".html")


def source_hashes(root: Path) -> dict[str, str]:
    """sha256 of every source file a bundle is built from, by path relative to ``root``."""
    root = Path(root)
    out = {}
    for entry in SOURCES:
        path = root / entry
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for f in files:
            rel = f.relative_to(root)
            if any(part in _SKIP_PARTS for part in rel.parts) or f.name.endswith(_SKIP_SUFFIXES) or f.is_symlink():
                continue
            out[rel.as_posix()] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def build_gradescope(*, root: Path, out: Path) -> Built:
    """Build the bundle folder ``out/autograder`` and ``out/autograder.zip`` from the checkout at ``root``.

    Raises
    ------
    ReleaseError
        Stale generated files in the checkout, or a failed sdist build.
    """
    from grader.release.sdist import build_sdist

    root, out = Path(root).resolve(), Path(out).resolve()
    _require_current(root)
    folder, archive = out / "autograder", out / "autograder.zip"
    with staged(folder, "gradescope") as stage:
        archive.unlink(missing_ok=True)
        sdist = build_sdist(root=root, out=stage / "tools")
        for name in ("setup.sh", "run_autograder"):
            path = stage / name
            path.write_text(template(name, sdist=sdist.name, python=PYTHON))
            path.chmod(0o755)
        copy_tree(root / "solutions" / "nnlayers", stage / "reference" / "nnlayers")
        copy_tree(root / "solutions" / "grading", stage / "reference" / "grading")
        manifest = {"grader_version": __version__, "python": PYTHON, "sdist": sdist.name, "sources": source_hashes(root)}
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        write_zip(stage, stage.parent / archive.name).rename(archive)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return Built(folder, archive, files, notes=[
        "upload autograder.zip on Gradescope (Configure Autograder, Ubuntu 22.04 base image)",
        "it holds the reference solutions and hidden checks: share it with staff only"])


def _manifest(data: bytes, where: str) -> tuple[dict | None, str | None]:
    try:
        manifest = json.loads(data)
        if not isinstance(manifest, dict) or not isinstance(manifest.get("sources"), dict):
            raise ValueError("no sources")
    except ValueError:
        return None, f"{where} is not a bundle manifest"
    return manifest, None


def check_bundle(*, root: Path, bundle: Path) -> list[str]:
    """Why the bundle in ``bundle`` (``autograder/`` and ``autograder.zip``) is stale; empty when current.

    The zip is what gets uploaded, so its own ``BUNDLE.json`` is compared with
    the checkout (and with the folder's, which must agree).
    """
    bundle = Path(bundle)
    archive = bundle / "autograder.zip"
    if not archive.is_file():
        return [f"no bundle at {bundle} ({archive} is missing)"]
    try:
        with zipfile.ZipFile(archive) as zf:
            data = zf.read(MANIFEST)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        return [f"{archive} is not a readable bundle ({exc})"]
    manifest, problem = _manifest(data, f"{archive}!{MANIFEST}")
    if problem:
        return [problem]
    folder_manifest = bundle / "autograder" / MANIFEST
    reasons = []
    if not folder_manifest.is_file() or folder_manifest.read_bytes() != data:
        reasons.append(f"{bundle / 'autograder'} does not match {archive.name} (rebuild both)")
    built, now = manifest["sources"], source_hashes(root)
    reasons += [f"{rel} changed since the bundle was built" for rel in sorted(k for k in built.keys() | now.keys()
                                                                             if built.get(k) != now.get(k))]
    if manifest.get("grader_version") != __version__:
        reasons.append(f"built by grader {manifest.get('grader_version')}, this is {__version__}")
    return reasons
