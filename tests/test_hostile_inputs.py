"""A replay of hostile inputs: escape sequences and markup in every field of every input
format, and every kind of output target.

For each, factmark must: never print a traceback; exit 0, or 1 with one line naming the
input; lose nothing it accepted; keep the database sound (integrity_check ok) and free
of control characters; and never let an ESC, C0/C1 control or bidi override reach the
terminal, whether printed by a command or drawn by the reader (captured through a pty).
"""

from __future__ import annotations

import base64
import json
import os
import pty
import re
import select
import signal
import sqlite3
import struct
import subprocess
import termios
import time
from fcntl import ioctl
from pathlib import Path

import pytest

from tests.helpers import FACTMARK, SAMPLE, factmark

# What an attacker puts in a field. Escape payloads carry the word PWNED inside the
# sequence: cleaning removes the whole sequence, so PWNED must never be seen anywhere.
ESCAPES = {
    "osc-title-bel": "\x1b]0;PWNED\x07",
    "osc-title-st": "\x1b]2;PWNED\x1b\\",
    "osc52-clipboard": "\x1b]52;c;" + base64.b64encode(b"PWNED").decode() + "\x07",
    "osc8-link": "\x1b]8;;http://evil.example/PWNED\x1b\\x\x1b]8;;\x1b\\",
    "csi-clear": "\x1b[2J\x1b[31mred\x1b[0m",
    "dcs": "\x1bPqPWNED\x1b\\",
    "c1-osc": "\x9d0;PWNED\x9c",
    "c1-csi": "\x9b2J",
    "c0-mix": "\x00\x07\x08\x0b\x0c\x7f",
    "bidi": "\u202eevil\u202c\u2066x\u2069",
}
MARKUP = {
    "markup-close": "[/x]",
    "markup-unclosed": "a [/",
    "markup-link": "[link=http://evil.example/]x[/link]",
    "markup-action": "[@click=app.quit]x[/]",
    "markup-style": "[reverse blink]xx",
}
PAYLOADS = {**ESCAPES, **MARKUP}
JSONL_FIELDS = ("text", "title", "url", "published", "source", "language", "id")
MARKDOWN_FIELDS = ("title", "date", "source", "url", "body")
CSV_FIELDS = ("note", "evidence_url", "annotator")
BODY = "Le chômage a baissé de 3 % en 2023, selon l'Insee, qui publie ses chiffres mardi."

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def forbidden_in_text(text: str) -> list[str]:
    """Control characters (except tab and newline), C1 controls and bidi overrides."""
    return [
        c
        for c in text
        if (ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F or c in BIDI
    ]


def assert_clean_output(result: subprocess.CompletedProcess, what: str) -> None:
    for stream in (result.stdout, result.stderr):
        text = stream.decode("utf-8", "replace").replace("\r\n", "\n")
        assert not forbidden_in_text(text), (what, forbidden_in_text(text)[:5])
        assert "PWNED" not in text, what
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, (what, err)
    assert result.returncode in (0, 1), (what, result.returncode, err)


def assert_sound_database(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, str):
                        assert not forbidden_in_text(value), (table, value[:80])
                        assert "PWNED" not in value, (table, value[:80])
    finally:
        conn.close()


# --- inputs ----------------------------------------------------------------------


def jsonl_inputs(folder: Path) -> int:
    """One JSONL file per field, one line per payload; returns the number of lines."""
    lines = 0
    for field in JSONL_FIELDS:
        records = []
        for n, (name, payload) in enumerate(PAYLOADS.items()):
            record = {"text": f"{BODY} ({field} {name} {n})"}
            if field == "text":
                record["text"] = f"{payload} {BODY} {payload} ({name})"
            else:
                record[field] = f"{payload}{n}" if field == "id" else payload
            records.append(json.dumps(record, ensure_ascii=n % 2 == 0))
        # A lone surrogate can only come in as a JSON escape.
        records.append(json.dumps({"text": f"{BODY} \ud800 ({field})", field: "\udfff"}))
        (folder / f"by_{field}.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
        lines += len(records)
    return lines


def markdown_inputs(folder: Path) -> int:
    count = 0
    for field in MARKDOWN_FIELDS:
        for name, payload in PAYLOADS.items():
            front = {k: "x" for k in MARKDOWN_FIELDS if k != "body"}
            body = f"{BODY} ({field} {name})"
            if field == "body":
                body = f"{payload} {body} {payload}"
            else:
                front[field] = payload
            # YAML double-quoted strings carry any character as an escape.
            meta = "\n".join(f"{k}: {json.dumps(v)}" for k, v in front.items())
            (folder / f"md_{field}_{name}.md").write_text(
                f"---\n{meta}\n---\n\n# Heading {name}\n\n{body}\n", encoding="utf-8"
            )
            count += 1
    return count


def text_inputs(folder: Path) -> int:
    count = 0
    for name, payload in PAYLOADS.items():
        (folder / f"txt_{name}.txt").write_text(
            f"Title {payload} here\n\n{payload}{BODY} ({name})\n", encoding="utf-8"
        )
        # A file name is shown with its hidden characters escaped (so two names never
        # print the same): the payload's words stay visible, inert, in a name.
        in_name = payload.replace("/", "_").replace(chr(0), "").replace("PWNED", "name")
        (folder / f"name_{name}{in_name}.txt").write_text(
            f"{BODY} (file name {name})\n", encoding="utf-8"
        )
        count += 2
    return count


def html_inputs(folder: Path) -> int:
    count = 0
    for name, payload in PAYLOADS.items():
        escaped = payload.replace("&", "&amp;").replace("<", "&lt;")
        (folder / f"page_{name}.html").write_text(
            f"<html><head><title>{escaped}</title></head><body><article>"
            f"<h1>{escaped}</h1><p>{escaped} {BODY} ({name})</p><p>{BODY}</p>"
            "</article></body></html>",
            encoding="utf-8",
        )
        count += 1
    return count


def bad_inputs(folder: Path) -> dict[str, str]:
    """Inputs factmark must refuse, each in one line naming it: file -> what it is."""
    bad = {
        "empty.txt": "",
        "blank.txt": " \n\t\n",
        "binary.txt": "\x00\x01\x02" * 100,
    }
    for name, content in bad.items():
        (folder / name).write_text(content, encoding="latin-1")
    (folder / "nested.jsonl").write_text("[" * 100_000 + "\n", encoding="utf-8")
    (folder / "bigint.jsonl").write_text('{"text": "x", "id": ' + "9" * 5000 + "}\n")
    (folder / "notjson.jsonl").write_text('{"text": \x1b]0;PWNED\x07\n')
    return {**bad, "nested.jsonl": "", "bigint.jsonl": "", "notjson.jsonl": ""}


@pytest.fixture(scope="module")
def hostile_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("hostile")
    counts = {
        "jsonl": jsonl_inputs(folder),
        "markdown": markdown_inputs(folder),
        "text": text_inputs(folder),
        "html": html_inputs(folder),
    }
    bad = bad_inputs(folder)
    counts["refused"] = len(bad)
    db = folder / "hostile.db"
    result = factmark("import", "--db", str(db), str(folder), timeout=600)
    assert_clean_output(result, "import")
    assert result.returncode == 1  # the bad inputs are refused ...
    err = result.stderr.decode()
    for name in bad:
        lines = [line for line in err.splitlines() if name in line]
        assert len(lines) == 1, (name, err)  # ... each in one line naming it
    return db, {"result": result, "counts": counts}


def test_every_field_of_every_format_is_stored_as_safe_text(hostile_import) -> None:
    db, info = hostile_import
    assert_sound_database(db)
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    # Nothing accepted is lost: every good input is an article (several JSONL lines may
    # share an id, and are then one article's versions).
    counts = info["counts"]
    id_lines = len(PAYLOADS) + 1
    expected = counts["jsonl"] - id_lines + 1 + counts["markdown"] + counts["text"]
    expected += counts["html"]
    assert stored >= expected - 1, (stored, expected)
    assert " refused" in info["result"].stderr.decode()


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["stats", "--format", "json"],
        ["export"],
        ["export", "--history"],
        ["export", "--gradebook"],
        ["compare"],
        ["compare", "--format", "csv"],
        ["compare", "--format", "json"],
        ["key", "list"],
        ["redetect"],
    ],
)
def test_no_command_prints_a_control_sequence(hostile_import, command: list[str]) -> None:
    db, _ = hostile_import
    assert_clean_output(factmark(*command, "--db", str(db), timeout=300), " ".join(command))
    assert_sound_database(db)


def test_detect_prints_no_control_sequence(hostile_import) -> None:
    db, _ = hostile_import
    for fmt in ("jsonl", "text"):
        result = factmark("detect", str(db.parent), "--format", fmt, timeout=600)
        assert_clean_output(result, f"detect {fmt}")


def test_hostile_verdict_csv_cells_land_as_safe_text(hostile_import, tmp_path: Path) -> None:
    db, _ = hostile_import
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM claims ORDER BY id LIMIT ?", [len(PAYLOADS)])]
    conn.close()
    rows = ["claim_id,verdict,note,evidence_url,annotator"]
    for n, (name, payload) in zip(ids, PAYLOADS.items(), strict=True):
        # (A NUL byte makes the whole sheet binary: refused in one line, as import does.)
        cell = payload.replace('"', '""').replace("\x00", "")
        rows.append(f'{n},verified,"{cell} note {name}","https://example.org/{n}",ann{n}')
        rows.append(f'{n},disputed,"n","{cell}",ann{n}')  # a link that is not a web link
        rows.append(f'{n},unsourced,"n","https://example.org/",ann{cell}')
    csv = tmp_path / "hostile.csv"
    csv.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    result = factmark("import-verdicts", "--db", str(db), str(csv))
    assert_clean_output(result, "import-verdicts")
    assert_sound_database(db)
    exported = factmark("export", "--db", str(db))
    assert_clean_output(exported, "export after import-verdicts")
    for name in PAYLOADS:
        assert f"note {name}" in exported.stdout.decode()  # the good rows landed


def test_hostile_names_on_the_command_line(hostile_import) -> None:
    db, _ = hostile_import
    for name, payload in PAYLOADS.items():
        payload = payload.replace("\x00", "")  # a command line cannot hold NUL
        for command in (["key", "add", f"t{payload}"], ["key", "remove", f"t{payload}"]):
            assert_clean_output(factmark(*command, "--db", str(db)), f"{command[:2]} {name}")
        result = factmark("reveal", "1", "--db", str(db), "--annotator", f"t{payload}")
        assert_clean_output(result, f"reveal by {name}")
    assert_sound_database(db)


def hostile_database(path: Path) -> None:
    """A factmark database edited with sqlite3 by a hostile classmate: a payload in every
    text column the reader and the commands show."""
    assert factmark("import", "--db", str(path), str(SAMPLE)).returncode == 0
    csv = path.with_suffix(".csv")
    csv.write_text("claim_id,verdict,note\r\n1,verified,x\r\n2,disputed,y\r\n")
    assert (
        factmark("import-verdicts", "--db", str(path), "--annotator", "t", str(csv)).returncode == 0
    )
    assert factmark("key", "add", "t", "--db", str(path)).returncode == 0
    assert factmark("reveal", "--all", "--db", str(path), "--annotator", "t").returncode == 0
    payload = "".join(ESCAPES.values()) + "".join(MARKUP.values())
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TRIGGER verdicts_no_update")
        conn.execute(
            "UPDATE articles SET title = 'T' || ? || title, source = ?, language = ?, "
            "path = ?, published = ?",
            [payload, payload, "[/x]", payload, payload],
        )
        conn.execute(
            "UPDATE claims SET source = ?, cues = ?, attributed = 1",
            [payload, json.dumps([payload])],
        )
        conn.execute(
            "UPDATE verdicts SET note = ?, evidence_url = ?",
            [payload, "javascript:alert('PWNED')"],
        )
        conn.execute("UPDATE regions SET kind = ?, language = ?", [payload, payload])
    conn.close()


def test_merging_a_hostile_database_brings_safe_text_only(tmp_path: Path) -> None:
    other = tmp_path / "laptop.db"
    hostile_database(other)
    db = tmp_path / "class.db"
    assert factmark("import", "--db", str(db), str(SAMPLE)).returncode == 0
    result = factmark("merge", "--db", str(db), str(other))
    assert_clean_output(result, "merge")
    assert_sound_database(db)
    for command in (["stats"], ["export"], ["compare"], ["key", "list"]):
        assert_clean_output(factmark(*command, "--db", str(db)), f"{command} after merge")


# --- output targets ----------------------------------------------------------------


def output_targets(folder: Path, db: Path) -> dict[str, tuple[Path, int]]:
    """Every kind of -o target: name -> (path, expected exit code)."""
    (folder / "old.csv").write_text("old")
    (folder / "real.csv").write_text("real")
    (folder / "link.csv").symlink_to(folder / "real.csv")
    (folder / "dangling.csv").symlink_to(folder / "nowhere.csv")
    os.mkfifo(folder / "fifo")
    (folder / "hard.db").hardlink_to(db)
    (folder / ".planted.csv.partial").symlink_to(folder / "real.csv")
    return {
        "new file": (folder / "new.csv", 0),
        "old file": (folder / "old.csv", 0),
        "symlink": (folder / "link.csv", 0),
        "dangling symlink": (folder / "dangling.csv", 0),
        "planted partial": (folder / "planted.csv", 0),
        "device": (Path("/dev/null"), 0),
        "folder": (folder, 1),
        "missing folder": (folder / "no" / "such.csv", 1),
        "the database": (db, 1),
        "its wal": (Path(f"{db}-wal"), 1),
        "its shm": (Path(f"{db}-shm"), 1),
        "a hard link to it": (folder / "hard.db", 1),
        "a symlink to it": (folder / "db-link.db", 1),
    }


def test_every_output_target_kind(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    assert factmark("import", "--db", str(db), str(SAMPLE)).returncode == 0
    out = tmp_path / "out"
    out.mkdir()
    targets = output_targets(out, db)
    (out / "db-link.db").symlink_to(db)
    before = db.read_bytes()
    for kind, (target, code) in targets.items():
        for extra in ((), ("--gradebook",)):
            result = factmark("export", "--db", str(db), "-o", str(target), *extra)
            assert_clean_output(result, kind)
            assert result.returncode == code, (kind, extra, result.stderr)
            if code:
                assert len(result.stderr.decode().strip().splitlines()) == 1
                assert str(target) in result.stderr.decode()
    assert db.read_bytes() == before
    # The symlinks' targets hold the last export written through them: the gradebook.
    assert (out / "real.csv").read_text(encoding="utf-8").startswith("annotator,")
    assert (out / "link.csv").is_symlink() and os.path.exists("/dev/null")
    assert (out / "nowhere.csv").exists()
    assert not (out / "planted.csv").is_symlink()


# --- the reader, through a pty ---------------------------------------------------------


def run_in_pty(argv: list[str], keys: list[str], cols: int = 80, rows: int = 24) -> bytes:
    """Everything `argv` writes to its terminal while `keys` are typed, one every
    half second after it has drawn its first screen."""
    master, slave = pty.openpty()
    ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    output = bytearray()

    def read_for(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    output.extend(os.read(master, 65536))
                except OSError:
                    return

    read_for(5)
    for key in keys:
        os.write(master, key.encode())
        read_for(0.6)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    read_for(0.3)
    os.close(master)
    return bytes(output)


# Sequences a terminal must never receive from article data. Textual itself writes CSI
# sequences (cursor, colour) and mode switches, but never these.
NEVER_SENT = {
    "window title": b"\x1b]0;",
    "icon title": b"\x1b]2;",
    "clipboard": b"\x1b]52;",
    "device control string": b"\x1bP",
    "payload": b"PWNED",
}


def test_the_reader_draws_hostile_data_as_text(tmp_path: Path) -> None:
    db = tmp_path / "hostile.db"
    hostile_database(db)
    annotator = "ann" + ESCAPES["osc-title-bel"]
    output = run_in_pty(
        [FACTMARK, "--db", str(db), "--annotator", annotator],
        # open article 1, walk its claims (the panel shows notes, links, key notes),
        # help, back, quit
        ["\r", "n", "n", "p", "?", "\x1b", "q", "q"],
    )
    assert len(output) > 2000, output[-500:]  # it drew screens
    for what, sequence in NEVER_SENT.items():
        assert sequence not in output, what
    # Links are live only for http(s) evidence: never to where stored markup points.
    links = re.findall(rb"\x1b\]8;[^;]*;([^\x07\x1b]*)", output)
    assert not [link for link in links if b"evil.example" in link or b"javascript" in link]
    text = output.decode("utf-8", "replace")
    assert not any("\x80" <= c <= "\x9f" or c in BIDI for c in text)
    assert "Traceback" not in text
