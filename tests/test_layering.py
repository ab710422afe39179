"""Dependencies point one way: tui -> store -> corpus; keymaps stands alone."""

from __future__ import annotations

import subprocess
import sys

import pytest

FORBIDDEN = {
    "factmark.corpus": ("factmark.store", "factmark.tui", "textual", "sqlite3", "sqlite_utils"),
    "factmark.store": ("factmark.tui", "textual"),
    "factmark.keymaps": ("factmark.store", "factmark.tui", "factmark.corpus", "textual"),
}
MODULES = {
    "factmark.corpus": ["article", "reading", "safe_text"],
    "factmark.store": ["database", "articles", "claims", "verdicts", "export", "stats", "ingest"],
    "factmark.keymaps": [],
}


@pytest.mark.parametrize("package", FORBIDDEN)
def test_package_does_not_import_upper_layers(package: str) -> None:
    modules = [package, *(f"{package}.{m}" for m in MODULES[package])]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = sorted(m for m in sys.modules if m.startswith({FORBIDDEN[package]!r}))\n"
        "print(bad)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
