"""Dependencies point one way: cli -> tui -> store -> corpus; keymaps stands alone.

Every import statement is checked, those inside functions too (the command line
imports what a command needs when it runs): tui never imports the command line,
store neither of them, corpus and keymaps none of factmark's packages. And importing
every module of a package loads no layer above it, nor what it must work without:
the command line loads Textual and the app only when it opens the reader.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The other factmark packages each may import.
MAY_IMPORT = {
    "corpus": set(),
    "keymaps": set(),
    "store": {"corpus"},
    "tui": {"store", "corpus", "keymaps"},
    "cli": {"tui", "store", "corpus", "keymaps"},
}
PACKAGES = {*MAY_IMPORT, "sample_corpus"}


def factmark_imports(path: Path, package: str) -> set[str]:
    """The factmark packages the module at `path` (in `package`) imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names = [node.module or ""]
            elif node.level == 1:  # within its own package
                continue
            else:  # `from ..store import x` reaches a sibling package
                names = [f"factmark.{node.module or ''}"]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "factmark" and len(parts) > 1 and parts[1] in PACKAGES:
                found.add(parts[1])
            assert parts[0] not in PACKAGES, f"{path}: imports {name} outside factmark"
    return found - {package}


@pytest.mark.parametrize("package", MAY_IMPORT)
def test_imports_point_down_the_layers(package: str) -> None:
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported - MAY_IMPORT[package])
        for path in modules
        if (imported := factmark_imports(path, package)) - MAY_IMPORT[package]
    }
    assert wrong == {}


# What importing every module of a package must not load.
NOT_LOADED = {
    "factmark.corpus": ("factmark.store", "factmark.tui", "factmark.cli", "textual", "sqlite3",
                        "sqlite_utils"),
    "factmark.store": ("factmark.tui", "factmark.cli", "textual"),
    "factmark.tui": ("factmark.cli", "click"),
    "factmark.keymaps": ("factmark.store", "factmark.tui", "factmark.cli", "factmark.corpus",
                         "textual"),
    # "textual." (its modules, which `import textual` loads): textual_serve, which
    # `factmark serve` loads, is not Textual.
    "factmark.cli": ("factmark.tui", "textual.", "sqlite3"),
}  # fmt: skip


@pytest.mark.parametrize("package", NOT_LOADED)
def test_package_does_not_load_upper_layers(package: str) -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"package = importlib.import_module({package!r})\n"
        "for module in pkgutil.iter_modules(package.__path__):\n"
        f"    importlib.import_module({package!r} + '.' + module.name)\n"
        f"bad = sorted(m for m in sys.modules if m.startswith({NOT_LOADED[package]!r}))\n"
        "print(len([m for m in sys.modules if m.startswith(package.__name__)]), bad)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    count, bad = result.stdout.strip().split(" ", 1)
    assert bad == "[]"
    assert int(count) > 1 or package == "factmark.keymaps"
