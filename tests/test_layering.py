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


@pytest.mark.parametrize("package", FORBIDDEN)
def test_package_does_not_import_upper_layers(package: str) -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"package = importlib.import_module({package!r})\n"
        "for module in pkgutil.iter_modules(package.__path__):\n"
        f"    importlib.import_module({package!r} + '.' + module.name)\n"
        f"bad = sorted(m for m in sys.modules if m.startswith({FORBIDDEN[package]!r}))\n"
        "print(len([m for m in sys.modules if m.startswith(package.__name__)]), bad)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    count, bad = result.stdout.strip().split(" ", 1)
    assert bad == "[]"
    assert int(count) > 1 or package == "factmark.keymaps"
