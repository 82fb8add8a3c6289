"""Grading a whole class: many submissions, archives, a gradebook and a summary.

==================  =====================================================
module              what it holds
==================  =====================================================
``run``             :func:`grade_class`, the API the CLI calls
``task``            grading one submission (shared by local and Dask runs)
``archives``        safe unpacking of ``.zip`` / ``.tar.gz`` submissions
``cache``           content hashes: skip what was graded and did not change
``gradebook``       ``gradebook.csv``
``summary``         ``summary.md`` and ``summary.html`` (inline SVG plots)
``progress``        the progress line
``distributed``     the Dask path (``grade --scheduler ADDRESS``)
==================  =====================================================
"""
from grader.classroom.run import ClassResult, grade_class

__all__ = ["ClassResult", "grade_class"]
