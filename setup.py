"""Build factmark, compiling the claim-detection modules to C with mypyc.

Detection is per-token Python: compiled, a large import runs about 1.4x as fast
(docs/benchmarks.md). The compiled modules are the same sources, type-checked by
mypy first, so a type error fails the build. Without a C compiler they install as
Python (`factmark --version` says which); FACTMARK_PURE_PYTHON=1 asks for that.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from setuptools import Extension, setup

# The modules an import spends its time in, word by word.
COMPILED = (
    "attribution",
    "claims",
    "cues",
    "dates",
    "language",
    "lexicon",
    "loaded",
    "sentences",
    "speech",
    "structure",
    "words",
)


def compiled_modules() -> list[Extension]:
    if os.environ.get("FACTMARK_PURE_PYTHON"):
        return []
    from mypyc.build import mypycify

    # mypyc names a module after its folders; the repository keeps the package as
    # corpus/, installed as factmark.corpus, so it compiles a copy laid out that way.
    stage = Path("build", "mypyc-src")
    shutil.rmtree(stage, ignore_errors=True)
    package = stage / "factmark" / "corpus"
    shutil.copytree("corpus", package, ignore=shutil.ignore_patterns("data", "__pycache__", "*.so"))
    (stage / "factmark" / "__init__.py").touch()
    extensions = mypycify(
        [str(package / f"{name}.py") for name in COMPILED],
        group_name="factmark.corpus.native",  # its shared library stays inside the package
    )
    for extension in extensions:
        extension.optional = True  # no C compiler: the Python modules instead
    return extensions


setup(ext_modules=compiled_modules())
