"""Shared fixtures: a fresh database path, and an environment that never touches the user's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import SAMPLE, factmark

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


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus imported once per run by the real `factmark import`, with no
    setting of the developer's: the database every `sample_db` starts as a copy of."""
    folder = tmp_path_factory.mktemp("sample-template")
    db = folder / "sample.db"
    result = factmark(
        "import",
        str(SAMPLE),
        "--db",
        str(db),
        env={"XDG_CONFIG_HOME": str(folder), "XDG_DATA_HOME": str(folder)},
    )
    assert result.returncode == 0, result.stderr
    assert not db.with_name(db.name + "-wal").exists()  # closed whole: one file to copy
    return db


@pytest.fixture
def sample_db(sample_template: Path, db_path: Path) -> Path:
    """A database at `db_path` holding the five sample articles, as `factmark import`
    of sample_corpus/ leaves it (a copy of the run's template: one import per run)."""
    shutil.copyfile(sample_template, db_path)
    return db_path


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads or writes the developer's own database or identity."""
    monkeypatch.setenv("FACTMARK_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("FACTMARK_ANNOTATOR", "tester")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
