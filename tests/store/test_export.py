"""CSV export: every field survives a round trip, and no cell runs as a formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from factmark.store import claims, export, verdicts
from factmark.store.database import Store
from factmark.store.export import COLUMNS, HISTORY_COLUMNS
from tests.helpers import SAMPLE, factmark, reader_claim

TRICKY_NOTES = [
    'commas, "quotes" and ; semicolons',
    "several\nlines\r\nof text",
    "accents: é è ç à ô ï, guillemets « oui »",
    "emoji 🧐🇫🇷 and wide 漢字",
    "trailing spaces kept inside   text",
]


@pytest.fixture
def store(db_path: Path):
    factmark("import", str(SAMPLE), "--db", str(db_path))
    with Store.open(db_path) as store:
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


def _reference(columns: tuple, rows: list[tuple], delimiter: str = ",") -> str:
    """The CSV as every cell through `neutralise`, one dict a row, as export wrote it."""
    out = io.StringIO(newline="")
    export.write_rows(
        out, columns, [dict(zip(columns, row, strict=True)) for row in rows], delimiter
    )
    return out.getvalue()


def _table(columns: tuple, rows: list[tuple], delimiter: str = ",") -> str:
    out = io.StringIO(newline="")
    assert export.write_table(out, columns, rows, delimiter) == len(rows)
    return out.getvalue()


def test_rows_stream_tuples_in_the_order_of_the_columns(tricky_db: Path) -> None:
    with Store.open(tricky_db, readonly=True) as store:
        current = list(export.rows(store))
        history = list(export.rows(store, history=True))
    assert all(type(row) is tuple and len(row) == len(COLUMNS) for row in current)
    assert all(type(row) is tuple and len(row) == len(HISTORY_COLUMNS) for row in history)
    assert len(current) == len(TRICKY_VERDICTS) and len(history) == len(TRICKY_VERDICTS)
    for delimiter in export.DELIMITERS:
        assert _table(COLUMNS, current, delimiter) == _reference(COLUMNS, current, delimiter)
        assert _table(HISTORY_COLUMNS, history, delimiter) == _reference(
            HISTORY_COLUMNS, history, delimiter
        )


def test_only_text_cells_that_need_it_are_neutralised(
    tricky_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(tricky_db, readonly=True) as store:
        current = list(export.rows(store))
    seen = []
    real = export.neutralise

    def spy(cell: object) -> object:
        seen.append(cell)
        return real(cell)

    monkeypatch.setattr(export, "neutralise", spy)
    _table(COLUMNS, current)
    assert seen and all(type(cell) is str for cell in seen)
    assert all(
        cell != real(cell) or cell[:1] in " \u00a0" or not cell.isprintable() for cell in seen
    )
    seen.clear()
    plain = [(1, "title", "a.txt", "fr", 2, 0, 5, "claim", "verified", "ann", None, None, "t", "e")]
    _table(COLUMNS, plain * (export.BATCH + 1))
    assert seen == []  # numbers and plain text: nothing to neutralise


def test_every_character_in_every_place_is_neutralised_as_before() -> None:
    # Each character alone, after a letter, after a space, before a letter, beside a
    # number and a NULL: the screens must send every cell `neutralise` changes to it.
    chars = [chr(c) for c in range(0x30000) if c < 0x3000 or c % 7 == 0 or 0xD800 <= c < 0xE000]
    columns = ("a", "b", "c", "d", "n", "z", "e")
    rows = [(c, "a" + c, " " + c, c + "a", 1, None, "\u00a0" + c) for c in chars]
    assert _table(columns, rows) == _reference(columns, rows)
    for row in rows[:: len(rows) // 50]:  # and in rows of their own, batches of one
        assert _table(columns, [row]) == _reference(columns, [row])
    # A formula behind white space, alone in a batch of plain cells.
    for trigger in export.FORMULA_TRIGGERS:
        for space in ("", " ", "\u00a0", " \u00a0 "):
            row = [("plain", 1, None, "text")] * 3 + [("plain", 1, None, space + trigger + "1")]
            assert _table(columns[:4], row) == _reference(columns[:4], row)
