"""What leaves the course checkout: the student handout and the Gradescope bundle.

Both are built from the same code as everything else:

- :func:`~grader.release.handout.build_handout` (``grade release``): the
  starter package, the notebooks, a README and a CI workflow for students, and
  the *student edition* of the grader (the sdist ``pip`` builds, which holds
  neither the reference nor the hidden checks).  The handout is scanned for
  answers before it is written (:mod:`grader.release.leaks`).
- :func:`~grader.release.gradescope.build_gradescope` (``grade gradescope``):
  ``setup.sh`` and ``run_autograder`` for Gradescope, the same sdist, and the
  reference with the hidden checks (the autograder may hold answers; the
  sandbox keeps student code from reading them).
"""
from __future__ import annotations

from pathlib import Path


class ReleaseError(RuntimeError):
    """A handout or bundle cannot be built; the message says why and what to do."""


#: What marks the instructors' checkout: the reference, the generated starter and the notebooks.
COURSE_MARKERS = ("solutions/nnlayers", "starter/nnlayers", "notebooks")


def find_course_root(start: Path | None = None) -> Path:
    """The instructors' checkout at or above ``start`` (the working folder by default).

    Raises
    ------
    ReleaseError
        When no folder at or above ``start`` holds ``solutions/``, ``starter/`` and ``notebooks/``.
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if all((folder / m).is_dir() for m in COURSE_MARKERS):
            return folder
    raise ReleaseError(f"no course checkout (a folder with {', '.join(m + '/' for m in COURSE_MARKERS)}) at or above "
                       f"{here}; run this inside the instructors' checkout or pass --root")
