"""Shared fixtures: a fresh database path, and an environment that never touches the user's."""

from __future__ import annotations

from pathlib import Path

import pytest


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
