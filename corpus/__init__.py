"""factmark's domain: articles, their language, sentences and claims.

No SQLite, no Textual, and no I/O beyond decoding the bytes it is handed. Its
word-by-word modules are compiled with mypyc when factmark is installed (setup.py).
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES


def compiled() -> bool:
    """Whether the detection modules run compiled (installed with a C compiler, without
    FACTMARK_PURE_PYTHON), which makes large imports faster (docs/benchmarks.md)."""
    from . import words

    return words.__file__ is not None and words.__file__.endswith(tuple(EXTENSION_SUFFIXES))
