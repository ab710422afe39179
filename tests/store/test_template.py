"""`export --template`: the answer key to write in a spreadsheet, a row for every claim
to decide, named as the reader names it, and read back by import-verdicts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from factmark.store import articles, claims, verdicts
from factmark.store.database import Store
from factmark.store.export import neutralise
from tests.helpers import SAMPLE, factmark

HEADER = [
    "article",
    "article_title",
    "claim",
    "claim_id",
    "text",
    "verdict",
    "note",
    "evidence_url",
]
FORMULA = "=SOMME(A1) vaut 40 % selon le ministère."
LOST = "Cette phrase disparaîtra à la prochaine version."


def read_sheet(data: bytes) -> list[dict]:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows and list(rows[0]) == HEADER
    return rows


def template(db: Path, *args: str, env: dict | None = None) -> list[dict]:
    result = factmark("export", "--template", "--db", str(db), *args, env=env)
    assert result.returncode == 0, result.stderr
    return read_sheet(result.stdout)


@pytest.fixture
def fresh(db_path: Path, tmp_path: Path) -> dict:
    """The sample corpus and one article of ours, not a verdict in either; a claim
    dismissed, one orphaned by an edit of its article, and one whose text starts as
    a spreadsheet formula. Returns those three claims' ids."""
    article = tmp_path / "formule.txt"
    article.write_text(f"Une formule\n\n{FORMULA} {LOST}\n", encoding="utf-8")
    assert factmark("import", "--db", str(db_path), str(SAMPLE), str(article)).returncode == 0
    with Store.open(db_path) as store:
        ours = articles.ids(store)[-1]
        claims.drop_unjudged_detections(store, ours)
        text = articles.get(store, ours)["text"]
        at = text.index(FORMULA)
        formula = claims.add(store, ours, at, at + len(FORMULA), origin="reader")
        at = text.index(LOST)
        lost = claims.add(store, ours, at, at + len(LOST), origin="reader")
        dismissed = claims.for_article(store, 2)[1]["id"]
        claims.set_dismissed(store, dismissed, True)
    article.write_text(f"Une formule\n\n{FORMULA}\n", encoding="utf-8")
    assert factmark("import", "--db", str(db_path), str(article)).returncode == 0
    with Store.open(db_path, readonly=True) as store:
        assert claims.get(store, lost)["orphaned"] == 1
        assert store.conn.execute("SELECT count(*) FROM verdicts").fetchone()[0] == 0
    return {"formula": formula, "lost": lost, "dismissed": dismissed}


def test_the_template_lists_every_live_claim_of_a_fresh_database_as_the_reader_numbers_it(
    db_path: Path, tmp_path: Path, fresh: dict
) -> None:
    from factmark.tui.model import ReaderModel

    out = tmp_path / "key.csv"
    result = factmark("export", "--template", "--db", str(db_path), "-o", str(out))

    assert result.returncode == 0, result.stderr
    rows = read_sheet(out.read_bytes())
    assert result.stderr.decode() == f"{len(rows)} rows written to {out}\n"
    with Store.open(db_path, readonly=True) as store:
        live = [
            claim
            for article in articles.ids(store)
            for claim in claims.for_article(store, article)
            if not (claim["dismissed"] or claim["orphaned"])
        ]
        assert [int(row["claim_id"]) for row in rows] == [claim["id"] for claim in live]
        assert fresh["dismissed"] not in {claim["id"] for claim in live}
        assert fresh["lost"] not in {claim["id"] for claim in live}
        reader = ReaderModel(store, "tester")
        for row, claim in zip(rows, live, strict=True):
            article = claim["article_id"]
            reader.open(article)
            counted = reader.ids.index(claim["id"]) + 1  # the reader's `N/total`
            assert row["claim"] == f"{article}/{counted}"
            assert row["article"] == str(article)
            assert row["article_title"] == articles.get(store, article)["title"]
            assert row["text"] == neutralise(claim["text"])
            assert (row["verdict"], row["note"], row["evidence_url"]) == ("", "", "")
    # The dismissed claim keeps its place in the count, as in the reader.
    second = [row["claim"] for row in rows if row["article"] == "2"][1]
    assert second == "2/3"
    formula = next(row for row in rows if row["claim_id"] == str(fresh["formula"]))
    assert formula["text"] == "'" + FORMULA


def test_the_template_is_filled_in_with_the_annotators_verdicts_and_reads_back(
    db_path: Path, tmp_path: Path
) -> None:
    assert factmark("import", "--db", str(db_path), str(SAMPLE)).returncode == 0
    with Store.open(db_path) as store:
        a, b, c, d, e = (claim["id"] for claim in claims.for_article(store, 1)[:5])
        link = "https://example.org/insee?q=ch%C3%B4mage&x=1"
        verdicts.record(store, a, "teacher", "disputed", note="-5 % selon la préfecture")
        verdicts.record(store, a, "teacher", evidence_url=link)
        verdicts.record(store, b, "teacher", "verified")
        verdicts.record(store, c, "teacher", "unsourced", note="gardée")
        verdicts.record(store, c, "teacher", None)  # the verdict cleared, the note kept
        verdicts.record(store, d, "alice", "verified", note="pas la clé")

    rows = template(db_path, "--annotator", "teacher")

    filled = {int(row["claim_id"]): row for row in rows}
    assert (filled[a]["verdict"], filled[a]["note"], filled[a]["evidence_url"]) == (
        "disputed",
        "'-5 % selon la préfecture",  # neutralised, as every export's cells
        link,
    )
    assert (filled[b]["verdict"], filled[b]["note"]) == ("verified", "")
    assert (filled[c]["verdict"], filled[c]["note"]) == ("", "gardée")
    assert all(row["verdict"] == "" for row in rows if int(row["claim_id"]) not in {a, b})
    # Whose verdicts: --annotator's, else the default annotator's, as everywhere.
    assert template(db_path, env={"FACTMARK_ANNOTATOR": "teacher"}) == rows
    assert template(db_path, "--annotator", "alice")[3]["note"] == "pas la clé"

    # A half-written key goes back and forth: what was there stays, what is new lands.
    filled[e]["verdict"], filled[e]["note"] = "unsourced", "à vérifier"
    sheet = tmp_path / "key.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        sheet_writer = csv.DictWriter(handle, HEADER, quoting=csv.QUOTE_ALL)
        sheet_writer.writeheader()
        sheet_writer.writerows(rows)
    result = factmark("import-verdicts", str(sheet), "--db", str(db_path), "--annotator", "teacher")
    assert result.returncode == 0, result.stderr
    assert result.stderr.decode().startswith("1 verdicts imported, 2 unchanged, 0 rows refused")
    again = {int(row["claim_id"]): row for row in template(db_path, "--annotator", "teacher")}
    assert (again[e]["verdict"], again[e]["note"]) == ("unsourced", "à vérifier")
    assert again[a] == filled[a]


def test_the_template_takes_the_exports_separator_and_byte_order_mark(db_path: Path) -> None:
    assert factmark("import", "--db", str(db_path), str(SAMPLE)).returncode == 0
    result = factmark("export", "--template", "--excel", "--delimiter", ";", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"\xef\xbb\xbf" + ";".join(HEADER).encode() + b"\r\n")
    assert result.stdout.splitlines()[1].startswith(b'1;"Coup de bluff US fait pschiit!";"1/1";')


@pytest.mark.parametrize("other", ["--gradebook", "--history"])
def test_the_template_with_the_gradebook_or_history_is_a_usage_error(
    db_path: Path, tmp_path: Path, other: str
) -> None:
    assert factmark("import", "--db", str(db_path), str(SAMPLE)).returncode == 0
    out = tmp_path / "key.csv"
    result = factmark("export", "--template", other, "--db", str(db_path), "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "factmark: export: --template cannot go with --gradebook or --history\n"
    )
    assert not out.exists()
