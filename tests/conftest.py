"""Shared fixtures: a fresh database path, and an environment that never touches the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def pytest_configure(config: pytest.Config) -> None:
    """An editable install compiles corpus/ in place (setup.py); a module edited since
    would be tested as it was when compiled, so refuse to run at all."""
    stale = [
        f"corpus/{source.name}"
        for library in CORPUS.glob("*.so")
        if (source := CORPUS / f"{library.name.split('.')[0]}.py").exists()
        and source.stat().st_mtime > library.stat().st_mtime
    ]
    if stale:
        raise pytest.UsageError(
            f"{', '.join(sorted(stale))} changed since compiled: rebuild with "
            "`pip install -e '.[test]'`, or test the Python source: delete corpus/*.so and set "
            "FACTMARK_PURE_PYTHON=1"
        )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "factmark.db"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads or writes the developer's own database or identity."""
    monkeypatch.setenv("FACTMARK_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("FACTMARK_ANNOTATOR", "tester")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
