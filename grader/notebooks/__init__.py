"""Run a submission's notebooks headlessly, in isolation, and grade their tagged cells.

- ``table.py``: the graded cells of each notebook, as rows;
- ``runner.py``: the process that executes one notebook with nbclient and a real kernel;
- ``execute.py``: the trusted side that starts a runner under limits and timeouts;
- ``grade.py``: finds the notebooks, runs them, reads the tagged cells, renders HTML.
"""
