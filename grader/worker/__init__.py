"""Code that runs inside a worker process, next to the submission's code.

Nothing here decides a verdict: the worker only runs *programs* (lists of
steps the trusted grader builds) against a ``nnlayers`` package and sends the
resulting arrays back as ``.npy`` frames.  The same interpreter runs the
trusted reference in-process, so both sides execute identical programs.
"""
