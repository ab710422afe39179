"""CSV export: every field survives a round trip, and no cell runs as a formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from factmark.store import claims, verdicts
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
