"""``grade release``: the student handout, as a folder and a zip.

Layout (what students clone or unzip)::

    README.md                      how to set up, work, check and submit
    requirements.txt               installs the student edition of the grader
    tools/<grader sdist>           ... which is this: the grader and the fast layers, no answers
    nnlayers/                      the starter package (generated from solutions/)
    notebooks/*.ipynb              the four notebooks, outputs cleared
    .github/workflows/grade.yml    CI in students' repositories: grade, report in the summary, artifact
    .gitignore

Before anything is written the sources must be current (starter, fixtures,
checkpoint hashes).  The handout is built in a private folder beside ``out``
and scanned for answers (:mod:`grader.release.leaks`), folder and zip; only a
clean build replaces ``out`` (an earlier build of it) and its zip.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader import __version__
from grader.release import ReleaseError
from grader.release.files import STAMP, copy_tree, staged, template, write_zip
from grader.release.leaks import Leak, block_prints, read_tree, scan, secrets

NOTEBOOK_ORDER = ("FullyConnectedNets", "BatchNormalization", "Dropout", "ConvolutionalNetworks")
GITIGNORE = f".venv/\n__pycache__/\n*.pyc\n.ipynb_checkpoints/\ngrade-report/\n{STAMP}\n"


@dataclass
class Built:
    """What a release command wrote.

    Attributes
    ----------
    folder : Path
        The unpacked handout or bundle.
    archive : Path
        Its zip.
    files : list of str
        Relative paths of the files in ``folder``.
    checked : int
        Number of secret lines and blocks the handout was scanned for (0 for the Gradescope bundle, which holds answers).
    notes : list of str
        Anything the instructor should know.
    """

    folder: Path
    archive: Path
    files: list[str]
    checked: int = 0
    notes: list[str] = field(default_factory=list)


def stale_sources(root: Path) -> list[str]:
    """Generated files of the checkout that no longer match ``solutions/`` and ``notebooks/``."""
    from grader import fixtures
    from grader.starter import diff_starter

    out = [f"starter/{rel}" for rel in diff_starter(solutions=root / "solutions", starter=root / "starter")]
    out += [f"grader/fixtures/{name}" for name in fixtures.stale(reference=root / "solutions", notebooks=root / "notebooks",
                                                                  folder=root / "grader" / "fixtures")]
    return out


def _require_current(root: Path) -> None:
    stale = stale_sources(root)
    if stale:
        shown = ", ".join(stale[:6]) + (" ..." if len(stale) > 6 else "")
        raise ReleaseError(f"generated files are out of date ({shown}): run python -m grader.regenerate first")


def _clean_notebook(src: Path, dest: Path) -> None:
    import nbformat

    from grader.notebooks.runner import clear_outputs

    nb = nbformat.read(src, as_version=4)
    clear_outputs(nb)
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)


def _refuse_leaks(found: list[Leak]) -> None:
    if found:
        shown = "\n  ".join(map(str, found[:10]))
        raise ReleaseError(f"refusing to release: {len(found)} line(s) of the solutions or hidden checks would reach "
                           f"students:\n  {shown}")


def build_handout(*, root: Path, out: Path, grader_spec: str | None = None, title: str = "Assignment 2: neural-network layers",
                  submit_note: str = "") -> Built:
    """Build the handout folder ``out`` and ``out.zip`` from the checkout at ``root``.

    Parameters
    ----------
    root : Path
        The instructors' checkout (``solutions/``, ``starter/``, ``notebooks/``).
    out : Path
        Folder to create (an earlier build there is replaced; anything else is refused).
    grader_spec : str, optional
        A pip requirement for the grader (``nnlayers-harness @ https://...``) to
        put in ``requirements.txt`` instead of shipping the sdist in ``tools/``.
    title, submit_note : str
        The README's title, and a line on where to submit.

    Raises
    ------
    ReleaseError
        Stale generated files, a failed sdist build, or an answer found in the handout.
    """
    from grader.release.sdist import build_sdist

    root, out = Path(root).resolve(), Path(out).resolve()
    _require_current(root)
    if root in (out, *out.parents) and root / "dist" not in out.parents:
        raise ReleaseError(f"{out} is inside the course checkout; write the handout under {root / 'dist'} or elsewhere")
    secret_lines, blocks = secrets(root), block_prints(root)
    archive = out.parent / f"{out.name}.zip"
    with staged(out, "release") as stage:
        archive.unlink(missing_ok=True)  # never leave an older zip beside a new or refused handout
        copy_tree(root / "starter" / "nnlayers", stage / "nnlayers")
        for name in NOTEBOOK_ORDER:
            src = root / "notebooks" / f"{name}.ipynb"
            if not src.is_file():
                raise ReleaseError(f"{src} is missing")
            _clean_notebook(src, stage / "notebooks" / src.name)
        if grader_spec:
            requirement, grader_name = grader_spec, grader_spec
        else:
            sdist = build_sdist(root=root, out=stage / "tools")
            requirement, grader_name = f"./tools/{sdist.name}", f"tools/{sdist.name}"
        (stage / "requirements.txt").write_text(f"# the course's grader (student edition) and the fast layers\n{requirement}\n")
        (stage / "README.md").write_text(template("README.md", title=title, grader_name=grader_name, submit_note=submit_note))
        workflow = stage / ".github" / "workflows" / "grade.yml"
        workflow.parent.mkdir(parents=True)
        workflow.write_text(template("grade.yml"))
        (stage / ".gitignore").write_text(GITIGNORE)
        _refuse_leaks(scan(read_tree(stage), secret_lines, blocks))
        staged_zip = write_zip(stage, stage.parent / archive.name, prefix=f"{out.name}/")
        _refuse_leaks(scan({archive.name: staged_zip.read_bytes()}, secret_lines, blocks))
        staged_zip.rename(archive)
    files = sorted(read_tree(out))
    return Built(out, archive, files, checked=len(secret_lines) + len(blocks), notes=[f"grader {__version__}"])
