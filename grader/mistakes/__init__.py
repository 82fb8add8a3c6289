"""Name the mistake behind a failed check.

A catalog (kept with the reference solutions, never shipped) lists known wrong
variants of the student functions.  When a check fails, the grader replays what
it ran against the submission with each variant of the check's functions, in
its own process, and names the variant whose results agree with the student's.

- :mod:`grader.mistakes.catalog`: the entry record and the catalog (no layer math);
- :mod:`grader.mistakes.match`: recording the student's runs, replaying them, matching.
"""
from grader.mistakes.catalog import Catalog, Mistake, target_path
from grader.mistakes.match import Recorder, explain, name_mistake

__all__ = ["Catalog", "Mistake", "Recorder", "explain", "name_mistake", "target_path"]
