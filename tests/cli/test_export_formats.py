"""`factmark export --format`: each format through the command, where it goes, and the
options each one refuses."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from factmark.store import claims, verdicts
from factmark.store.database import Store
from tests.helpers import factmark

FORMATS = ["csv", "jsonl", "webannotation", "claimreview", "doccano", "labelstudio", "prodigy"]
# What each format writes one of, and how many for `decided` (two claims of article 1).
WRITTEN = {
    "csv": ("rows", 2),
    "jsonl": ("claims", 2),
    "webannotation": ("annotations", 2),
    "claimreview": ("reviews", 2),
    **dict.fromkeys(["doccano", "labelstudio", "prodigy"], ("article", 1)),
}
HOSTILE = "Titre \x1b[2J\x07 et \u202eevil\u202c"


@pytest.fixture
def decided(sample_db: Path) -> Path:
    """The sample corpus with a verdict and a note by alice and by bob."""
    with Store.open(sample_db) as store:
        first, second = (c["id"] for c in claims.for_article(store, 1)[:2])
        verdicts.record(store, first, "alice", "disputed", note="Non.")
        verdicts.record(store, second, "bob", "verified", note="Oui.")
    return sample_db


def _export(db: Path, *args: str) -> bytes:
    result = factmark("export", "--db", str(db), *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _records(fmt: str, data: bytes) -> list:
    """The records of an export: CSV rows, JSON lines, annotations, reviews or tasks."""
    text = data.decode("utf-8")
    if fmt == "csv":
        return text.splitlines()[1:]
    if fmt in ("jsonl", "doccano", "prodigy"):
        return [json.loads(line) for line in text.splitlines()]
    document = json.loads(text)
    return document["first"]["items"] if fmt == "webannotation" else document


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_goes_to_standard_output_or_whole_to_a_file(
    decided: Path, tmp_path: Path, fmt: str
) -> None:
    shown = _export(decided, "--format", fmt)
    assert _export(decided, "--format", fmt, "-o", "-") == shown
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / f"out.{fmt}"
    out.write_text("the old export")
    result = factmark("export", "--db", str(decided), "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == shown
    noun, count = WRITTEN[fmt]
    assert result.stderr.decode() == f"{count} {noun} written to {out}\n"
    assert len(_records(fmt, shown)) == count
    assert [p.name for p in folder.iterdir()] == [out.name]  # no partial file left


def test_the_database_itself_is_never_the_output(decided: Path) -> None:
    before = decided.read_bytes()
    result = factmark("export", "--db", str(decided), "--format", "jsonl", "-o", str(decided))
    assert result.returncode == 1 and b"the database itself" in result.stderr
    assert decided.read_bytes() == before


@pytest.mark.parametrize("fmt", ["jsonl", "webannotation", "claimreview"])
def test_the_annotator_option_keeps_their_verdicts(decided: Path, fmt: str) -> None:
    records = _records(fmt, _export(decided, "--format", fmt, "--annotator", "bob"))
    assert len(records) == 1
    assert "bob" in json.dumps(records) and "alice" not in json.dumps(records)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "webannotation"])
def test_all_adds_every_undecided_claim(decided: Path, fmt: str) -> None:
    with Store.open(decided, readonly=True) as store:
        live = store.conn.execute("SELECT count(*) FROM claims WHERE NOT orphaned").fetchone()[0]
    data = _export(decided, "--format", fmt, "--all")
    assert len(_records(fmt, data)) == live
    if fmt == "csv":
        assert data.split(b"\r\n")[0].endswith(b",event_id,origin,dismissed,orphaned")


def test_csv_without_all_is_todays_csv(decided: Path) -> None:
    plain = _export(decided)
    assert _export(decided, "--format", "csv") == plain
    assert plain.split(b"\r\n")[0].endswith(b",decided_at,event_id")
    every = _export(decided, "--all").decode().splitlines()
    assert [line.rsplit(",", 3)[0] for line in every[1:3]] == plain.decode().splitlines()[1:3]


@pytest.mark.parametrize(
    "args, says",
    [
        (["--format", "jsonl", "--delimiter", ";"], "--delimiter is for --format csv only"),
        (["--format", "jsonl", "--excel"], "--excel is for --format csv only"),
        (["--format", "webannotation", "--template"], "--template is for --format csv only"),
        (["--format", "claimreview", "--gradebook"], "--gradebook is for --format csv only"),
        (["--format", "jsonl", "--key", "k"], "--key is for --format csv only"),
        (["--format", "webannotation", "--history"], "cannot go with --history"),
        (["--format", "claimreview", "--history"], "cannot go with --history"),
        (["--format", "claimreview", "--all"], "cannot go with --all"),
        (["--all", "--template"], "--all cannot go with --template"),
        (["--all", "--gradebook"], "--all cannot go with --template"),
        (["--template", "--history"], "--template cannot go with --gradebook or --history"),
    ],
)
def test_an_option_a_format_cannot_take_is_a_one_line_usage_error(
    tmp_path: Path, args: list[str], says: str
) -> None:
    db, out = tmp_path / "none.db", tmp_path / "out"
    result = factmark("export", "--db", str(db), "-o", str(out), *args)
    assert result.returncode == 2
    (line,) = result.stderr.decode().splitlines()
    assert line.startswith("factmark: export: ") and says in line
    assert not db.exists() and not out.exists() and result.stdout == b""


def test_the_formats_that_take_them_take_history_and_all(decided: Path) -> None:
    lines = _records("jsonl", _export(decided, "--format", "jsonl", "--history", "--all"))
    assert any(line["verdicts"] and "history" in line["verdicts"][0] for line in lines)
    assert _export(decided, "--format", "webannotation", "--all")


def test_export_help_fits_80_columns_and_shows_each_format() -> None:
    result = factmark("export", "--help", env={"COLUMNS": "80"})
    lines = result.stdout.decode().splitlines()
    assert max(len(line) for line in lines) <= 80
    for fmt in FORMATS[1:]:
        assert any(line.startswith(f"    factmark export --format {fmt}") for line in lines), fmt
    assert "--all" in result.stdout.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_never_reaches_the_terminal(decided: Path, fmt: str) -> None:
    """A title and a note holding ESC [ 2 J, BEL and U+202E (a database edited by hand:
    the gate would have cleaned them)."""
    conn = sqlite3.connect(decided)
    with conn:
        conn.execute("UPDATE articles SET title = ?", [HOSTILE])
        conn.execute(
            "INSERT INTO verdicts (id, claim_id, annotator, verdict, note, created_at) "
            "SELECT 'hostile', claim_id, annotator, verdict, ?, '2099-01-01T00:00:00Z' "
            "FROM verdicts WHERE annotator = 'alice'",
            [HOSTILE],
        )
    conn.close()
    data = _export(decided, "--format", fmt)
    assert b"\x1b" not in data and b"\x07" not in data
    assert "\u202e".encode() not in data and b"\\u202e" not in data.lower()
    assert b"Titre [2J" not in data  # the whole sequence goes, not its introducer alone
    text = data.decode("utf-8")
    assert "Titre  et evil" in text  # what is left, in every format
    assert _records(fmt, data)  # still CSV or JSON


def test_a_review_pasted_into_a_page_cannot_end_its_script_element(tmp_path: Path) -> None:
    """A ClaimReview is published inside `<script type="application/ld+json">`: no text
    from an article or a note may close that element or open another, in any format."""
    feed = tmp_path / "x.jsonl"
    hostile = "</script><img src=x onerror=alert(1)>&"
    feed.write_text(
        json.dumps(
            {
                "id": "x1",
                "title": f"Budget {hostile}",
                "url": "https://example.org/x1",
                "text": f"The city spent $4.2 million on the bridge in 2021, said {hostile}.",
            }
        )
        + "\n"
    )
    db = tmp_path / "x.db"
    assert factmark("import", str(feed), "--db", str(db)).returncode == 0
    with Store.open(db) as store:
        claim = store.conn.execute("SELECT id FROM claims LIMIT 1").fetchone()[0]
        verdicts.record(store, claim, "alice", "unsourced", note=f"No source {hostile}")
    for form in ("claimreview", "jsonl", "webannotation"):
        result = factmark("export", "--format", form, "--db", str(db))
        assert result.returncode == 0, result.stderr
        assert not set(b"<>&") & set(result.stdout), form
        text = result.stdout.decode()
        parsed = (
            [json.loads(line) for line in text.splitlines()]
            if form == "jsonl"
            else [json.loads(text)]
        )
        assert hostile in json.dumps(parsed, ensure_ascii=False), form  # kept, as text
    (review,) = json.loads(factmark("export", "--format", "claimreview", "--db", str(db)).stdout)
    assert review["reviewBody"] == f"No source {hostile}"
    assert "not the truth" in review["reviewRating"]["ratingExplanation"]


def test_an_output_name_as_long_as_a_file_name_may_be_is_written(
    decided: Path, tmp_path: Path
) -> None:
    """255 bytes (Linux's limit): the temporary file it is written through, named after
    it, must fit too."""
    out = tmp_path / ("é" * 100 + "v" * 51 + ".csv")
    assert len(out.name.encode()) == 255
    result = factmark("export", "--db", str(decided), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().count(b"\r\n") == 3
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("factmark.db")] == [
        out.name
    ]


@pytest.mark.parametrize("name", ["", "   ", "\x1b[0m"])
def test_an_empty_annotator_is_a_usage_error_not_every_annotator(decided: Path, name: str) -> None:
    result = factmark("export", "--db", str(decided), "--annotator", name)
    assert result.returncode == 2 and result.stdout == b""
    assert "an annotator needs a name" in result.stderr.decode()
