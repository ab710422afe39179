"""What the command line prints: never a control sequence, on any terminal encoding."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.helpers import FACTMARK, SAMPLE, factmark, judged_sample

ESC_TITLE = "\x1b]0;PWNED\x07"
CONTROL_BYTES = [bytes([b]) for b in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F]]


def _no_control(output: bytes) -> None:
    for byte in CONTROL_BYTES:
        assert byte not in output.replace(b"\r\n", b"\n"), byte
    text = output.decode("utf-8", "replace")
    assert not any("\x80" <= c <= "\x9f" or c in "\u202a\u202b\u202c\u202d\u202e" for c in text)


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """A class database a classmate edited with sqlite3: escapes in every text field."""
    db = judged_sample(tmp_path / "class.db", "1,verified,fine\r\n")
    assert factmark("key", "add", "t", "--db", str(db)).returncode == 0
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE articles SET title = ?, language = ?",
            [f"Title{ESC_TITLE}\u202eevil", f"fr{ESC_TITLE}"],
        )
        conn.execute("UPDATE claims SET text = ? WHERE id = 1", [f"claim{ESC_TITLE}\x9b2J"])
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("DROP TRIGGER verdicts_no_update")
        conn.execute("UPDATE verdicts SET note = ?, annotator = annotator", [f"n{ESC_TITLE}"])
    conn.close()
    return db


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["stats", "--format", "json"],
        ["compare"],
        ["compare", "--format", "csv"],
        ["compare", "--format", "json"],
        ["export"],
        ["export", "--history"],
        ["export", "--gradebook"],
        ["export", "--all"],
        ["export", "--format", "jsonl", "--all", "--history"],
        ["export", "--format", "webannotation", "--all"],
        ["export", "--format", "claimreview"],
        ["key", "list"],
    ],
)
def test_nothing_stored_reaches_the_terminal_as_a_control_sequence(
    hostile_db: Path, command: list[str]
) -> None:
    result = factmark(*command, "--db", str(hostile_db))
    assert result.returncode == 0, result.stderr
    _no_control(result.stdout)
    _no_control(result.stderr)


@pytest.mark.parametrize("command", [["stats"], ["compare"], ["key", "list"], ["import", "-"]])
def test_an_ascii_terminal_gets_ascii_not_a_traceback(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "f.db"
    assert factmark("import", "--db", str(db), str(SAMPLE)).returncode == 0
    result = factmark(
        *command,
        "--db",
        str(db),
        env={"PYTHONIOENCODING": "ascii"},  # read by the interpreter as it starts
        input="Été".encode(),
        process=True,
    )
    assert "Traceback" not in result.stderr.decode("ascii", "replace")
    assert (result.stdout + result.stderr).decode("ascii")  # pure ASCII, and something said
    assert result.returncode in (0, 1)


def test_file_names_are_printed_and_stored_without_control_sequences(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"empty{ESC_TITLE}\x1b[2J.txt").write_bytes(b"")
    (folder / f"news{ESC_TITLE}.txt").write_text(
        "Le chômage a baissé de 3 % en 2023, selon l'Insee.\n", encoding="utf-8"
    )
    db = tmp_path / "f.db"
    imported = factmark("import", "--db", str(db), str(folder))
    assert imported.returncode == 1  # the empty file is refused, the other lands
    _no_control(imported.stderr)
    assert "empty" in imported.stderr.decode()
    detected = factmark("detect", str(folder), "--format", "jsonl")
    _no_control(detected.stdout)
    _no_control(detected.stderr)
    exported = factmark("export", "--db", str(db))
    _no_control(exported.stdout)
    paths = [r[0] for r in sqlite3.connect(db).execute("SELECT path FROM articles")]
    assert paths and not any("\x1b" in p or "\x07" in p for p in paths)


def test_an_annotator_name_is_normalised_the_same_way_everywhere(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    assert factmark("import", "--db", str(db), str(SAMPLE)).returncode == 0
    csv = tmp_path / "v.csv"
    csv.write_text("claim_id,verdict\r\n1,verified\r\n")
    name = f" bob{ESC_TITLE} "
    assert (
        factmark("import-verdicts", "--db", str(db), "--annotator", name, str(csv)).returncode == 0
    )
    added = factmark("key", "add", name, "--db", str(db))
    assert added.stdout.decode().strip() == "bob is an answer key"
    assert factmark("key", "list", "--db", str(db)).stdout.decode().split() == ["bob"]
    rows = factmark("export", "--db", str(db), "--annotator", name).stdout.decode()
    assert rows.count("\r\n") == 2 and '"bob"' in rows


@pytest.mark.parametrize("args", [["--help"], ["help", "export"], ["config"], ["--version"]])
def test_a_reader_that_goes_away_early_is_no_failure(args: list[str]) -> None:
    """`factmark --help | true`: the output's reader closed the pipe before the text was
    written; as with `stats | head`, exit 0, with nothing said (pipefail scripts)."""
    read, write = os.pipe()
    os.close(read)  # the reader has gone before factmark writes a byte
    try:
        done = subprocess.run([FACTMARK, *args], stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert done.returncode == 0 and done.stderr == b""


@pytest.mark.parametrize("form", ["csv", "jsonl"])
def test_a_full_disk_behind_standard_output_is_named_as_the_output(
    tmp_path: Path, form: str
) -> None:
    db = judged_sample(tmp_path / "f.db", "1,verified,")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [FACTMARK, "export", "--format", form, "--db", str(db)],
            stdout=full,
            stderr=subprocess.PIPE,
        )
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        "factmark: standard output: No space left on device"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["export", "--help"],
        ["export"],
        ["export", "--format", "jsonl"],
        ["stats"],
        ["config"],
        ["detect", str(min(SAMPLE.glob("*.txt")))],
    ],
)
def test_a_standard_output_closed_at_start_is_one_line_not_a_traceback(
    tmp_path: Path, args: list[str]
) -> None:
    """`factmark export 1>&-`: the output goes nowhere, so the command says so in one
    line and fails, as `cat` does, instead of a traceback or a silent success."""
    done = subprocess.run(
        [FACTMARK, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "FACTMARK_DB": str(judged_sample(tmp_path / "j.db", "1,verified,"))},
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        "factmark: standard output: closed when factmark started"
    ]
