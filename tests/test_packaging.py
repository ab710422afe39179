"""The built wheel carries everything a plain `pip install` user needs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_sample_corpus_styles_and_keymaps(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
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
    # No stray top-level packages: everything installs under factmark/.
    tops = {n.split("/")[0] for n in names if not n.startswith("factmark-")}
    assert tops == {"factmark"}
