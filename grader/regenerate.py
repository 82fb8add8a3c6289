"""``python -m grader.regenerate``: rebuild every generated file from ``solutions/`` and ``notebooks/``.

In order: the starter package (``starter/``), the public checks' stored
expected values and the checkpoint cells' hashes (``grader/fixtures/``), and
the Gradescope bundle (``dist/gradescope/`` unless ``--gradescope`` says
where).  ``--check`` changes nothing and lists what is stale (exit status 1);
the tests run the same comparison.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader.release import ReleaseError, find_course_root


def stale(*, root: Path, gradescope: Path | None) -> list[str]:
    """What is out of date: generated files of the checkout, and the bundle if ``gradescope`` holds one."""
    from grader.release.gradescope import check_bundle
    from grader.release.handout import stale_sources

    out = [f"{rel} is out of date" for rel in stale_sources(root)]
    if gradescope is not None and ((gradescope / "autograder").exists() or (gradescope / "autograder.zip").exists()):
        out += [f"Gradescope bundle: {reason}" for reason in check_bundle(root=root, bundle=gradescope)]
    return out


def regenerate(*, root: Path, gradescope: Path | None) -> list[str]:
    """Rewrite the generated files (and the bundle, unless ``gradescope`` is None); return what was written."""
    from grader import fixtures
    from grader.release.gradescope import build_gradescope
    from grader.starter import generate_starter

    written = [f"starter/{rel}" for rel in generate_starter(solutions=root / "solutions", starter=root / "starter")]
    written += [str(p.relative_to(root)) for p in fixtures.write(reference=root / "solutions", notebooks=root / "notebooks",
                                                                 folder=root / "grader" / "fixtures")]
    if gradescope is not None:
        built = build_gradescope(root=root, out=gradescope)
        written.append(str(built.archive))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.regenerate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, help="the course checkout (default: found at or above the working folder)")
    parser.add_argument("--gradescope", type=Path, help="where the Gradescope bundle goes (default: ROOT/dist/gradescope)")
    parser.add_argument("--no-gradescope", action="store_true", help="leave the Gradescope bundle alone")
    parser.add_argument("--check", action="store_true", help="change nothing; list what is stale and exit 1 if anything is")
    args = parser.parse_args(argv)
    try:
        root = find_course_root(args.root)
        bundle = None if args.no_gradescope else (args.gradescope or root / "dist" / "gradescope")
        if args.check:
            problems = stale(root=root, gradescope=bundle)
            for line in problems:
                print(line)
            if not problems:
                print("everything generated is current")
            return 1 if problems else 0
        for line in regenerate(root=root, gradescope=bundle):
            print(f"wrote {line}")
    except ReleaseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - an instructor's command: one line, not a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
