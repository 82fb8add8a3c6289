"""Kernel-level isolation that a worker installs on itself.

The worker process applies these after its trusted imports (numpy, the grader's
own modules) and before any student code runs:

* :mod:`grader.isolation.landlock` -- a Landlock ruleset: the process may only
  read the Python installation and a few system paths, may only write its
  scratch directory, and (ABI >= 4) may not bind or connect TCP sockets.
* :mod:`grader.isolation.seccomp` -- a seccomp-BPF filter that refuses process
  creation, exec, sockets, namespaces, ptrace and other kernel attack surface.

Both modules use only :mod:`ctypes` (no libseccomp, no compiled helpers) and
both restrictions are irreversible and inherited by every thread created later.
"""
