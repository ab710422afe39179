"""The built wheel carries everything a plain `pip install` user needs."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import source_copy

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_the_command_line_sample_corpus_styles_and_keymaps(tmp_path: Path) -> None:
    default_build = {k: v for k, v in os.environ.items() if k != "FACTMARK_PURE_PYTHON"}
    sources = source_copy(tmp_path / "sources")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
            str(sources),
        ],
        check=True,
        capture_output=True,
        env=default_build,
    )
    (wheel,) = tmp_path.glob("factmark-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    seeds = {p.name for p in (ROOT / "sample_corpus").glob("*.txt")}
    assert len(seeds) == 5
    assert {f"factmark/sample_corpus/{s}" for s in seeds} <= names
    assert "factmark/sample_corpus/README" in names
    assert "factmark/tui/factmark.tcss" in names
    assert {f"factmark/keymaps/{k}.toml" for k in ("default", "vim", "simple")} <= names
    # The lexicons the detector reads, with the licence of the lists that need one.
    lexicons = {n for n in names if n.startswith("factmark/corpus/data/")}
    expected = {
        "factmark/corpus/data/" + str(p.relative_to(ROOT / "corpus" / "data"))
        for p in (ROOT / "corpus" / "data").rglob("*.txt")
    }
    assert expected <= lexicons
    assert "factmark/corpus/data/LICENSE-reporting-verbs" in names
    # Detection compiled (setup.py), with the sources it was compiled from beside it.
    assert any(n.startswith("factmark/corpus/cues.cpython-") for n in names)
    assert "factmark/corpus/cues.py" in names
    # No stray top-level packages: everything installs under factmark/.
    tops = {n.split("/")[0] for n in names if not n.startswith("factmark-")}
    assert tops == {"factmark"}
    # `factmark` stays a namespace whose one file is __main__.py (`python -m factmark`),
    # and the command line's modules are installed once, as factmark.cli.
    assert {n for n in names if n.startswith("factmark/") and n.count("/") == 1} == {
        "factmark/__main__.py"
    }
    commands = {p.name for p in (ROOT / "cli").glob("*.py")}
    assert {f"factmark/cli/{c}" for c in commands} <= names
    assert not any(n.startswith("factmark/cli/namespace") for n in names)


def test_detection_runs_compiled_unless_asked_not_to() -> None:
    """Installed with a C compiler, the detection modules are compiled, for faster
    imports; FACTMARK_PURE_PYTHON=1 keeps them as Python."""
    from factmark.corpus import compiled

    pure = bool(os.environ.get("FACTMARK_PURE_PYTHON"))
    assert compiled() is not pure, (
        "the detection modules are not compiled: a C compiler missing at install?"
        if not pure
        else "FACTMARK_PURE_PYTHON is set, but the detection modules are compiled"
    )
