"""Build the compiled fast layers (``nnfast``) during an ordinary ``pip install``.

Everything else about the distribution lives in ``pyproject.toml``; this file
only declares the Cython extensions, which need numpy's headers at build time.
"""
import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup

COMPILER_DIRECTIVES = {
    "language_level": 3,
    "boundscheck": False,
    "wraparound": False,
    "cdivision": True,
    "initializedcheck": False,
}

extensions = [
    Extension(
        f"nnfast.{name}",
        [f"ext/nnfast/{name}.pyx"],
        include_dirs=[np.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        extra_compile_args=["-O3"],
    )
    for name in ("_im2col", "_pool")
]

setup(ext_modules=cythonize(extensions, compiler_directives=COMPILER_DIRECTIVES))
