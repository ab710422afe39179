"""CSV export: every field survives a round trip, and no cell runs as a formula."""

from __future__ import annotations

import csv
import io
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factmark.store import claims, export, verdicts
from factmark.store.database import Store
from factmark.store.errors import StoreError
from factmark.store.export import COLUMNS, HISTORY_COLUMNS
from factmark.store.writing import output
from tests.helpers import factmark, needs_root, reader_claim, tiny_filesystem

TRICKY_NOTES = [
    'commas, "quotes" and ; semicolons',
    "several\nlines\r\nof text",
    "accents: é è ç à ô ï, guillemets « oui »",
    "emoji 🧐🇫🇷 and wide 漢字",
    "trailing spaces kept inside   text",
]


@pytest.fixture
def store(sample_db: Path):
    with Store.open(sample_db) as store:
        yield store


def _export(db_path: Path, *args: str) -> list[dict]:
    result = factmark("export", "--db", str(db_path), *args)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_export_round_trips_every_field(store: Store, db_path: Path) -> None:
    expected = {}
    for i, note in enumerate(TRICKY_NOTES):
        claim = reader_claim(store, 1 + i)
        verdicts.record(
            store,
            claim,
            "ann",
            "disputed",
            note=note,
            evidence_url=f"https://example.org/a?q={i}&x=é",
        )
        expected[claim] = note

    rows = _export(db_path)

    assert len(rows) == len(TRICKY_NOTES)
    assert list(rows[0]) == list(COLUMNS)
    for row in rows:
        claim = claims.get(store, int(row["claim_id"]))
        article = store.conn.execute(
            "SELECT * FROM articles WHERE id = ?", [claim["article_id"]]
        ).fetchone()
        # Stored notes are stripped of outer whitespace; CR LF became LF on the way in.
        assert row["note"] == expected[claim["id"]].replace("\r\n", "\n").strip()
        assert row["claim_text"] == claim["text"]
        assert row["article_title"] == article["title"]
        assert row["article_path"] == article["path"]
        assert (int(row["claim_start"]), int(row["claim_end"])) == (claim["start"], claim["end"])
        assert row["verdict"] == "disputed" and row["annotator"] == "ann"
        assert row["evidence_url"].startswith("https://example.org/a?q=")
        assert row["decided_at"].endswith("Z")


def test_export_is_rfc4180_utf8_and_excel_gets_a_bom(store: Store, db_path: Path) -> None:
    claim = reader_claim(store, 1)
    verdicts.record(store, claim, "ann", "verified", note="café")
    plain = factmark("export", "--db", str(db_path)).stdout
    excel = factmark("export", "--db", str(db_path), "--excel").stdout
    assert plain.startswith(b"article_id,") and plain.count(b"\r\n") == 2
    assert excel == b"\xef\xbb\xbf" + plain
    assert "café".encode() in plain


@pytest.mark.parametrize(
    "payload",
    [
        '=HYPERLINK("http://evil.example","click")',
        "+1+2",
        "-2+3",
        "@SUM(A1:A2)",
        "\tindented",
        "\rreturn",
        " =1+1",  # spreadsheets skip leading spaces, NBSP included
        "\u00a0=1+1",
    ],
)
def test_formula_injection_is_neutralised(store: Store, db_path: Path, payload: str) -> None:
    # Article titles are untrusted too: a title starting with "=" is just as dangerous.
    store.conn.execute("UPDATE articles SET title = ? WHERE id = 1", [payload])
    claim = reader_claim(store, 1)
    verdicts.record(store, claim, "ann", "verified", note=payload)

    output = db_path.with_name("out.csv")
    assert factmark("export", "--db", str(db_path), "-o", str(output)).returncode == 0
    with output.open(newline="", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    # A carriage return is a control character: the render guard drops it on the way out.
    shown = payload.replace("\r", "")
    assert row["article_title"] == (shown if shown == "return" else "'" + shown)
    # Notes lose outer whitespace on the way in; what is left must not start a formula.
    assert not row["note"].startswith(("=", "+", "-", "@", "\t", "\r"))
    assert row["note"].lstrip("'") == payload.strip()


def test_history_exports_every_event_and_annotator_filters(store: Store, db_path: Path) -> None:
    claim = reader_claim(store, 1)
    verdicts.record(store, claim, "ann", "verified")
    verdicts.record(store, claim, "ann", "disputed")
    verdicts.record(store, claim, "bob", "unsourced")
    verdicts.undo(store, "ann")

    current = _export(db_path)
    assert sorted((r["annotator"], r["verdict"]) for r in current) == [
        ("ann", "verified"),
        ("bob", "unsourced"),
    ]
    history = _export(db_path, "--history")
    assert list(history[0]) == list(HISTORY_COLUMNS)
    assert [r["action"] for r in history if r["annotator"] == "ann"] == ["set", "set", "undo"]
    assert [r["verdict"] for r in _export(db_path, "--annotator", "bob")] == ["unsourced"]


def test_cleared_verdicts_are_not_exported(store: Store, db_path: Path) -> None:
    claim = reader_claim(store, 1)
    verdicts.record(store, claim, "ann", "verified")
    verdicts.record(store, claim, "ann", None)
    assert _export(db_path) == []


@pytest.mark.parametrize("delimiter, separator", [(",", ","), (";", ";"), ("tab", "\t")])
def test_a_separator_inside_a_cell_never_starts_a_formula_cell(
    store: Store, db_path: Path, delimiter: str, separator: str
) -> None:
    # French and German spreadsheets split on ";": a note "x;=1+1" must stay one cell.
    claim = reader_claim(store, 1)
    verdicts.record(store, claim, "ann", "verified", note=f"x{separator}=cmd|' /C calc'!A0")
    output = db_path.with_name("out.csv")
    result = factmark("export", "--db", str(db_path), "--delimiter", delimiter, "-o", str(output))
    assert result.returncode == 0, result.stderr
    with output.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter=separator))
    assert rows[0][0] == "article_id"
    cells = [cell for row in rows[1:] for cell in row]
    assert f"x{separator}=cmd|' /C calc'!A0" in cells
    assert not any(cell.lstrip().startswith(("=", "+", "@")) for cell in cells)


# Cells a spreadsheet or a terminal must not take as they are, and cells that only look
# like them, stored as they might arrive from a merged or hand-edited database: text in
# a number column, a number in a text column, blobs, NULLs, control characters.
TRICKY_ARTICLES = [
    (1, '=HYPERLINK("http://evil.example","x")', "/tmp/a,1.txt", "fr"),
    (2, "Santé « oui » 漢字 🧐 a|=b", "C:\\docs\\b.txt", "und"),
    (3, " \u00a0+1+2", "-rf", "en"),
    (4, "tab\tinside and \x1b[31mred\x1b[0m", "@home", "de"),
    (5, "\u202eevil\u202c", "plain.txt", "\t"),
    (-6, "negative id", "line\nbreak.txt", "fr"),
]
TRICKY_CLAIMS = [  # id, article, start, end, text
    (1, 1, 0, 10, "line one\nline two"),
    (2, 1, 12, 30, 'quote "x", comma; semi'),
    (3, 2, 0, 4, "-3 %"),
    (4, 3, 2.5, 7, "\r\nCRLF first"),
    (5, 4, "=1", "=2", "text where numbers belong"),
    (6, 5, 0, 3, "\x00nul and \x7fdel"),
    (7, -6, 0, 9, "12"),
]
TRICKY_VERDICTS = [  # id, claim, annotator, verdict, note, url, created_at
    ("e1", 1, "ann", "verified", None, None, "2026-11-02T10:00:00.000001Z"),
    ("e2", 1, "zoë", "disputed", "=1+1", "https://x.example/?a=1&b=é", "2026-11-02T10:00:01Z"),
    ("=e3", 2, "ann", None, "multi\nline\nnote", None, "+2026-11-02"),
    ("e4", 3, "ann", "unsourced", "\u00a0@x", "-", "2026-11-02T10:00:03Z"),
    ("e5", 4, "=bob", "verified", "emoji 🇫🇷 and ZWJ 👩\u200d💻", None, "2026-11-02T10:00:04Z"),
    ("e6", 5, "ann", "verified", "-12", "@", "2026-11-02T10:00:05Z"),
    ("e7", 6, "ann", "disputed", b"=1", None, "2026-11-02T10:00:06Z"),
    ("e8", 7, "ann", "verified", 3.25, 12, "2026-11-02T10:00:07Z"),
    ("e9", 7, "zoë", None, None, " \t=tabbed", "2026-11-02T10:00:08Z"),
]


@pytest.fixture
def tricky_db(db_path: Path) -> Path:
    """A database of the cells above, with fixed ids and times: its export is fixed."""
    with Store.open(db_path) as store:
        sql = store.conn.executemany
        sql(
            "INSERT INTO annotators (name, created_at) VALUES (?, '2026-11-01T00:00:00Z')",
            [("ann",), ("zoë",), ("=bob",)],
        )
        sql(
            "INSERT INTO articles (id, title, path, language, text, sha256, imported_at) "
            "VALUES (?, ?, ?, ?, 'x', ?, '2026-11-01T00:00:00Z')",
            [(*row, f"sha{row[0]}") for row in TRICKY_ARTICLES],
        )
        sql(
            'INSERT INTO claims (id, article_id, start, "end", text, origin, created_at) '
            "VALUES (?, ?, ?, ?, ?, 'reader', '2026-11-01T00:00:00Z')",
            TRICKY_CLAIMS,
        )
        sql(
            "INSERT INTO verdicts (id, claim_id, annotator, verdict, note, evidence_url, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            TRICKY_VERDICTS,
        )
    return db_path


EXPECTED = Path(__file__).resolve().parent.parent / "data" / "export"


@pytest.mark.parametrize(
    "args, expected",
    [
        ((), "tricky.csv"),
        (("--history",), "tricky-history.csv"),
        (("--delimiter", "tab"), "tricky-tab.csv"),
    ],
)
def test_export_is_byte_for_byte_what_it_was(tricky_db: Path, args: tuple, expected: str) -> None:
    # The files were written by the export as it was before it streamed tuples
    # (commit ecd6a95): neutralising fewer cells must not change a byte.
    result = factmark("export", "--db", str(tricky_db), *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (EXPECTED / expected).read_bytes()


# The cells the export reads, as SQLite holds them, in the order of HISTORY_COLUMNS.
RAW = """
    SELECT a.id, a.title, a.path, a.language, c.id, c.start, c."end", c.text, v.verdict,
           v.annotator, v.note, v.evidence_url, v.created_at, v.id, v.action
    FROM {} v JOIN claims c ON c.id = v.claim_id JOIN articles a ON a.id = c.article_id
    WHERE coalesce(v.verdict, v.note, v.evidence_url) IS NOT NULL OR :history
    ORDER BY a.id, c.start, c.id, v.annotator, v.created_at, v.rowid
"""


def _reference(store: Store, history: bool = False, delimiter: str = ",") -> str:
    """The CSV as every cell through `neutralise`, one dict a row, as export wrote it."""
    columns = HISTORY_COLUMNS if history else COLUMNS
    source = "verdicts" if history else "current_verdicts"
    cursor = store.conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(RAW.format(source), {"history": history})
    out = io.StringIO(newline="")
    dicts = [dict(zip(columns, row, strict=False)) for row in rows]
    export.write_rows(out, columns, dicts, delimiter)
    return out.getvalue()


def _export_text(store: Store, history: bool = False, delimiter: str = ",") -> str:
    out = io.StringIO(newline="")
    export.write_verdicts(out, store, history=history, delimiter=delimiter)
    return out.getvalue()


def test_the_export_is_every_cell_through_neutralise(tricky_db: Path) -> None:
    with Store.open(tricky_db, readonly=True) as store:
        for history in (False, True):
            for delimiter in export.DELIMITERS:
                text = _export_text(store, history, delimiter)
                assert text == _reference(store, history, delimiter)
        rows = list(csv.reader(io.StringIO(_export_text(store, history=True), newline="")))
        assert len(rows) == 1 + len(TRICKY_VERDICTS)


@pytest.fixture
def neutralise_calls(monkeypatch: pytest.MonkeyPatch) -> list:
    """The cells the export sends through `neutralise`, as it sends them."""
    seen = []
    real = export.neutralise

    def spy(cell: object) -> object:
        seen.append(cell)
        return real(cell)

    monkeypatch.setattr(export, "neutralise", spy)
    return seen


def test_only_rows_with_a_cell_to_neutralise_are_written_again(
    store: Store, neutralise_calls: list
) -> None:
    notes = ["=1+1", "plain", 'say "x" and ""=y""', "two\nlines", " \u00a0@a", "é", "-"]
    events = [
        verdicts.record(store, reader_claim(store, 1 + i % 5, i // 5), "ann", "disputed", note=n)
        for i, n in enumerate(notes)
    ]
    # A title from elsewhere with an escape sequence: every row of that article changes.
    store.conn.execute("UPDATE articles SET title = 'red \x1b[31m' WHERE id = 2")
    text = _export_text(store)
    width = len(COLUMNS)
    again = {neutralise_calls[i + 13] for i in range(0, len(neutralise_calls), width)}
    assert text == _reference(store)
    changed = {e["id"] for e, n in zip(events, notes, strict=True) if n.strip()[:1] in "=@-"}
    article_2 = {e["id"] for e in events[1::5]}
    looks_like_one = {events[2]["id"]}  # `""=` inside a cell: looked at, left as it is
    assert again == changed | article_2 | looks_like_one
    assert '"\'=1+1"' in text and '"\'@a"' in text and '"\'-"' in text and "\x1b" not in text


def test_every_character_in_every_place_is_neutralised_as_before(db_path: Path) -> None:
    # Each character alone, after a letter, after a space or a no-break space, before a
    # letter, in each kind of text cell: the export writes what `neutralise` makes of it.
    chars = [
        chr(c) for c in range(0x30000) if (c < 0x3000 or c % 7 == 0) and not 0xD800 <= c < 0xE000
    ]
    chars += [" " + t for t in export.FORMULA_TRIGGERS] + [" \u00a0 " + t for t in "=+-@"]
    with Store.open(db_path) as store, store.write():
        sql = store.conn.executemany
        store.conn.execute("INSERT INTO annotators VALUES ('ann', 0, 'now')")
        sql(
            "INSERT INTO articles (id, title, path, language, text, sha256, imported_at) "
            "VALUES (?, ?, ?, ?, 'x', ?, ?)",
            [(i, c, "a" + c, " " + c, f"sha{i}", c + "a") for i, c in enumerate(chars)],
        )
        sql(
            'INSERT INTO claims (id, article_id, start, "end", text, origin, created_at) '
            "VALUES (?, ?, 0, 1, ?, 'reader', 'now')",
            [(i, i, "\u00a0" + c) for i, c in enumerate(chars)],
        )
        sql(
            "INSERT INTO verdicts (id, claim_id, annotator, verdict, note, evidence_url, "
            "created_at) VALUES (?, ?, 'ann', 'verified', ?, ?, ?)",
            [(f"e{i}{c}", i, c, c + c, c) for i, c in enumerate(chars)],
        )
    with Store.open(db_path, readonly=True) as store:
        for history, delimiter in ((False, ","), (True, ","), (False, "\t")):
            expected = _reference(store, history, delimiter)
            assert _export_text(store, history, delimiter) == expected


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list:
    """Every export is split (SPLIT_AT 1 claim); the processes started, as they start."""
    started = []
    real = export.os.fork

    def spy() -> int:
        pid = real()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(export, "SPLIT_AT", 1)
    monkeypatch.setattr(export.os, "fork", spy)
    return started


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_an_export_split_over_two_processes_is_the_same_file(
    tricky_db: Path, tmp_path: Path, forks: list, encoding: str
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    with Store.open(tricky_db, readonly=True) as store:
        for history in (False, True):
            for delimiter in export.DELIMITERS:
                target = folder / "out.csv"
                with open(target, "w", encoding=encoding, newline="") as out:
                    count = export.write_verdicts(
                        out, store, history=history, delimiter=delimiter, scratch=folder
                    )
                text = target.read_bytes().decode(encoding)
                assert text == _reference(store, history, delimiter)
                rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
                assert count == len(list(rows)) - 1
    assert len(forks) == 2 * len(export.DELIMITERS)
    assert [p.name for p in folder.iterdir()] == ["out.csv"]  # no part left behind


def test_a_split_export_whose_second_process_fails_is_written_whole(
    tricky_db: Path, tmp_path: Path, forks: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second process cannot open the database: this one writes its half too."""

    def refused(*args: object, **kwargs: object) -> Store:
        raise StoreError("refused")

    with Store.open(tricky_db, readonly=True) as store:
        monkeypatch.setattr(export.Store, "open", refused)
        target = tmp_path / "out.csv"
        with open(target, "w", encoding="utf-8", newline="") as out:
            export.write_verdicts(out, store, scratch=tmp_path)
        assert forks
        assert target.read_bytes().decode() == _reference(store)


# An export whose second process takes its time, as over a million verdicts.
SLOW_SPLIT_EXPORT = """
import sys, time
from pathlib import Path
from factmark.store import export
from factmark.store.database import Store
from factmark.store.writing import output
export.SPLIT_AT = 1
write_part = export._write_part
def slow(out, store, **options):
    if options.get("first") is not None:
        time.sleep(120)
    return write_part(out, store, **options)
export._write_part = slow
with Store.open(Path(sys.argv[1]), readonly=True) as store, output(sys.argv[2]) as out:
    print("writing", flush=True)
    export.write_verdicts(out, store, scratch=Path(sys.argv[2]).parent)
"""


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_a_split_export_ended_by_a_signal_leaves_no_process_and_no_partial_file(
    tricky_db: Path, tmp_path: Path, number: int
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "out.csv").write_text("the old export\n")
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_SPLIT_EXPORT, str(tricky_db), str(folder / "out.csv")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while not children.read_text().split():
        assert time.monotonic() < deadline, "no second process started"
        time.sleep(0.01)
    (child,) = map(int, children.read_text().split())
    proc.send_signal(number)
    assert proc.wait(timeout=60) == (-number if number == signal.SIGKILL else 128 + number)
    deadline = time.monotonic() + 30
    while not _gone(child):
        assert time.monotonic() < deadline, "the second process outlived the export"
        time.sleep(0.05)
    assert (folder / "out.csv").read_text() == "the old export\n"
    if number != signal.SIGKILL:  # nothing can clean up after SIGKILL
        assert [p.name for p in folder.iterdir()] == ["out.csv"]


@needs_root
def test_an_export_is_not_split_where_the_disk_has_no_room_for_it_twice(
    tricky_db: Path, tmp_path: Path, forks: list
) -> None:
    """Joining the halves needs the second one on the disk beside the whole: where
    there is no room for twice the database, one process writes it all, and a file
    that fits is written."""
    size = 2 * tricky_db.stat().st_size - 4096
    with (
        tiny_filesystem(tmp_path / "small", f"{size // 1024}k") as small,
        Store.open(tricky_db, readonly=True) as store,
    ):
        with output(small / "out.csv") as out:
            export.write_verdicts(out, store, scratch=small)
        assert (small / "out.csv").read_bytes().decode() == _reference(store)
    assert forks == []
