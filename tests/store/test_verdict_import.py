"""import-verdicts reads the sheets spreadsheets really save: other encodings and
separators, bad rows among good ones, odd names, and a disk that fills up mid-way."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest

from factmark.store import claims, verdicts
from factmark.store.database import Store
from factmark.store.errors import DiskFull
from factmark.store.verdict_import import BATCH, import_verdicts
from tests.helpers import SAMPLE, factmark

SEED = SAMPLE / "000_31e52ad88bccfe9c.txt"


@pytest.fixture
def db(db_path: Path) -> Path:
    assert factmark("import", str(SEED), "--db", str(db_path)).returncode == 0
    return db_path


def claim_rows(db: Path) -> list[dict]:
    with Store.open(db, readonly=True) as store:
        return [dict(c) for c in claims.for_article(store, 1)]


def import_sheet(db: Path, sheet: Path, *args: str) -> subprocess.CompletedProcess:
    return factmark("import-verdicts", str(sheet), "--db", str(db), *args)


def exported(db: Path) -> dict[tuple[int, str], dict]:
    """What `factmark export` says each annotator holds on each claim."""
    result = factmark("export", "--db", str(db))
    assert result.returncode == 0, result.stderr
    rows = csv.DictReader(io.StringIO(result.stdout.decode("utf-8"), newline=""))
    return {(int(r["claim_id"]), r["annotator"]): r for r in rows}


def problems(result: subprocess.CompletedProcess) -> list[str]:
    err = result.stderr.decode()
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("factmark: ")]


# How spreadsheets save "CSV": (encoding, separator, first line).
SPREADSHEETS = {
    "excel-fr-ansi": ("cp1252", ";", ""),  # French Excel's plain CSV
    "excel-fr-utf8": ("utf-8-sig", ";", ""),  # French Excel's "CSV UTF-8"
    "unicode-text": ("utf-16", "\t", ""),  # Excel's "Unicode text", LibreOffice's tab
    "excel-sep-hint": ("utf-8", ";", "sep=;\r\n"),  # Excel's separator hint line
    "title-row": ("utf-8-sig", ";", "Clé de correction, 1re B;;;\r\n;;;\r\n"),
}


@pytest.mark.parametrize("dialect", SPREADSHEETS)
def test_a_key_saved_by_a_spreadsheet_lands_as_written(
    db: Path, tmp_path: Path, dialect: str
) -> None:
    encoding, separator, first_line = SPREADSHEETS[dialect]
    a, b, c = claim_rows(db)[:3]
    notes = {
        a["id"]: "Chiffre erroné : l'Insee donne 2,5 % ; voir à la page trois",
        b["id"]: "-5 % selon la préfecture, « très » exagéré\tà revoir",
        c["id"]: "Déjà démenti\npar le ministère, œuvre à part",
    }
    buffer = io.StringIO(newline="")
    buffer.write(first_line)
    sheet_writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    sheet_writer.writerow(["claim_id", "claim_text", "verdict", "note"])
    sheet_writer.writerow([a["id"], a["text"], "disputed", notes[a["id"]]])
    sheet_writer.writerow([b["id"], b["text"], "Unsourced", "'" + notes[b["id"]]])
    sheet_writer.writerow([c["id"], c["text"], "verified", notes[c["id"]]])
    sheet_writer.writerow([a["id"], a["text"], "peut-être", ""])
    sheet = tmp_path / "cle.csv"
    # A claim's text may hold characters the code page lacks; the spreadsheet replaces them.
    sheet.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))

    result = import_sheet(db, sheet, "--annotator", "teacher")

    # The header comes after the first lines, if any; c's note spans two lines.
    bad_line = 6 + first_line.count("\n")
    assert problems(result) == [
        f"factmark: {sheet}:{bad_line}: unknown verdict 'peut-être' "
        "(use one of verified, disputed, unsourced)"
    ]
    assert result.returncode == 1
    assert "3 verdicts imported, 0 unchanged, 1 rows refused" in result.stderr.decode()
    held = exported(db)
    assert {claim: held[claim, "teacher"]["verdict"] for claim in notes} == {
        a["id"]: "disputed",
        b["id"]: "unsourced",
        c["id"]: "verified",
    }
    with Store.open(db, readonly=True) as store:
        # The apostrophe export puts before "-5 %" is not part of the note.
        assert {
            claim: verdicts.current(store, claim, "teacher")["note"] for claim in notes
        } == notes


def test_bad_rows_are_refused_by_the_line_they_start_on_and_every_good_row_lands(
    db: Path, tmp_path: Path
) -> None:
    a, b, c, d, e, f = (row["id"] for row in claim_rows(db)[:6])
    sheet = tmp_path / "key.csv"
    sheet.write_text(
        "claim_id,verdict,note,evidence_url\n"  # 1
        f'{a},verified,"checked\nwith the\nministry",https://example.org/a\n'  # 2-4
        "99999999999999999999999,verified,,\n"  # 5
        "twelve,verified,,\n"  # 6
        "999999,disputed,,\n"  # 7
        f'{b},maybe,"two\nlines",\n'  # 8-9
        f'{c},verified,"{"N" * 200_000}",\n'  # 10
        f"{c},verified,ok,javascript:alert(1)\n"  # 11
        f"{d},disputed,\x1b]0;unterminated title,\n"  # 12: the gate cleans it, no more
        f"{e},unsourced,last but one,https://example.org/e\n"  # 13
        f"{f},verified,a note, with a comma,https://example.org/f\n",  # 14: five cells
        encoding="utf-8",
        newline="",
    )

    result = import_sheet(db, sheet, "--annotator", "teacher")

    assert result.returncode == 1
    refused = [line.split(": ", 2)[1] for line in problems(result)]
    assert refused == [f"{sheet}:{n}" for n in (5, 6, 7, 8, 10, 11, 14)]
    err = result.stderr.decode()
    assert f"{sheet}:5: no claim 99999999999999999999999" in err
    assert f"{sheet}:6: claim_id 'twelve' is not a number" in err
    assert f"{sheet}:7: no claim 999999" in err
    assert f"{sheet}:8: unknown verdict 'maybe'" in err
    assert f"{sheet}:10: the note cell has 200,000 characters" in err
    assert f"{sheet}:11: not a web link" in err
    assert f"{sheet}:14: 5 cells where the header has 4" in err
    assert "3 verdicts imported, 0 unchanged, 7 rows refused" in err
    held = exported(db)
    assert held[a, "teacher"]["note"] == "checked\nwith the\nministry"
    assert held[d, "teacher"]["verdict"] == "disputed"
    assert held[e, "teacher"]["evidence_url"] == "https://example.org/e"
    assert {claim for claim, _ in held} == {a, d, e}


def test_annotator_names_are_normalised_and_a_row_without_one_is_refused(
    db: Path, tmp_path: Path
) -> None:
    a, b, c = (row["id"] for row in claim_rows(db)[:3])
    sheet = tmp_path / "class.csv"
    sheet.write_text(
        "claim_id,verdict,annotator\n"
        f'{a},verified,"  Alice   Martin "\n'
        f"{b},disputed,\x1b[31m\n"
        f"{c},verified,\n",
        encoding="utf-8",
    )

    first = import_sheet(db, sheet)

    assert first.returncode == 1
    assert [line.split(": ", 2)[1] for line in problems(first)] == [f"{sheet}:3", f"{sheet}:4"]
    assert list(exported(db)) == [(a, "Alice Martin")]
    again = import_sheet(db, sheet)
    assert "0 verdicts imported, 1 unchanged, 2 rows refused" in again.stderr.decode()


@pytest.mark.parametrize(
    "content, says",
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 8, "binary file (a ZIP archive)"),
        (b'claim_id,verdict,note\n1,verified,"' + b"x" * 11_000_000 + b'"\n', "too large"),
        ("claim_id,verdict\n1,verified\n".encode("utf-16-le"), "binary file"),
    ],
    ids=["xlsx", "over-10MB", "utf16-without-bom"],
)
def test_a_file_that_is_no_verdict_sheet_is_refused_in_one_line(
    db: Path, tmp_path: Path, content: bytes, says: str
) -> None:
    sheet = tmp_path / "key.csv"
    sheet.write_bytes(content)

    result = import_sheet(db, sheet, "--annotator", "teacher")

    assert result.returncode == 1
    assert len(result.stderr.decode().splitlines()) == 1
    assert problems(result)[0].startswith(f"factmark: {sheet}: {says}")
    assert exported(db) == {}


def test_a_full_disk_stops_the_import_and_keeps_the_rows_that_landed(
    db: Path, tmp_path: Path
) -> None:
    ids = [row["id"] for row in claim_rows(db)]
    sheet = tmp_path / "key.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        sheet_writer = csv.writer(handle)
        sheet_writer.writerow(["claim_id", "verdict", "note", "annotator"])
        for n in range(3 * BATCH):  # each note takes about a page of the database
            sheet_writer.writerow([ids[n % len(ids)], "verified", "n" * 3000, f"s{n}"])

    with Store.open(db) as store:
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        # SQLite says "database or disk is full" past this size, as on a full disk.
        store.conn.execute(f"PRAGMA max_page_count = {pages + BATCH * 3 // 2}")
        with pytest.raises(DiskFull) as raised:
            import_verdicts(store, sheet, None)

    message = str(raised.value)
    assert "\n" not in message and "damaged" not in message
    landed = len(exported(db))
    assert 0 < landed < 3 * BATCH
    assert f"import stopped at {sheet}:{landed + 2}: {landed} verdicts imported" in message


def test_a_row_without_a_verdict_changes_nothing_and_a_short_row_is_refused(
    db: Path, tmp_path: Path
) -> None:
    a, b, c, d = (row["id"] for row in claim_rows(db)[:4])
    decided = tmp_path / "decided.csv"
    decided.write_text(f"claim_id,verdict,note\n{a},verified,sure\n{b},disputed,\n{c},unsourced,\n")
    assert import_sheet(db, decided, "--annotator", "teacher").returncode == 0
    sheet = tmp_path / "key.csv"
    sheet.write_text(
        "claim_id,verdict,note\n"  # 1
        f"{a}\n"  # 2: claim_id only
        f"{b},,\n"  # 3: undecided
        f"{c},,a note but no verdict\n"  # 4: undecided
        f"{d},\n"  # 5: undecided, the note cell left off
        ",,\n",  # 6: an empty row
        encoding="utf-8",
    )

    result = import_sheet(db, sheet, "--annotator", "teacher")

    assert result.returncode == 1
    assert problems(result) == [
        f"factmark: {sheet}:2: too few cells: 1 where the header needs 2 (claim_id, verdict)"
    ]
    assert (
        "0 verdicts imported, 0 unchanged, 1 rows refused, 3 rows without a verdict skipped"
        in result.stderr.decode()
    )
    held = exported(db)
    assert {claim: held[claim, "teacher"]["verdict"] for claim, _ in held} == {
        a: "verified",
        b: "disputed",
        c: "unsourced",
    }
    assert held[a, "teacher"]["note"] == "sure" and held[c, "teacher"]["note"] == ""


@pytest.mark.parametrize(
    "cells, line",
    [('disputed,"never closed', 4), ('disputed,"a note\non two lines","never closed', 5)],
    ids=["in-the-row's-first-line", "after-a-two-line-cell"],
)
def test_a_quote_never_closed_is_reported_where_it_opens(
    db: Path, tmp_path: Path, cells: str, line: int
) -> None:
    a, b, c = (row["id"] for row in claim_rows(db)[:3])
    sheet = tmp_path / "key.csv"
    sheet.write_text(
        "claim_id,verdict,note,evidence_url\n"  # 1
        f'{a},verified,"two\nlines"\n'  # 2-3
        f"{b},{cells}\n"  # 4: the quote never closed, on its first line or its second
        f"{c},verified,x\n",  # read as part of that cell, were it not refused
        encoding="utf-8",
    )

    result = import_sheet(db, sheet, "--annotator", "teacher")

    assert result.returncode == 1
    assert problems(result) == [
        f"factmark: {sheet}:{line}: a quote opened here is never closed; "
        "the rest of the file was not read"
    ]
    assert "1 verdicts imported, 0 unchanged, 1 rows refused" in result.stderr.decode()
    assert list(exported(db)) == [(a, "teacher")]


def test_a_column_that_appears_twice_is_refused_not_guessed(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    assert factmark("import", "--db", str(db), str(SAMPLE)).returncode == 0
    sheet = tmp_path / "key.csv"
    sheet.write_text("claim_id,verdict,note,verdict\r\n1,,,verified\r\n")
    result = factmark("import-verdicts", "--db", str(db), "--annotator", "t", str(sheet))
    assert result.returncode == 1
    assert result.stderr.decode().strip() == (
        f"factmark: {sheet}: the column verdict appears 2 times"
    )


def test_a_row_may_name_its_claim_as_the_reader_numbers_it(db: Path, tmp_path: Path) -> None:
    a, b, c = (row["id"] for row in claim_rows(db)[:3])
    sheet = tmp_path / "key.csv"
    sheet.write_text(
        "article,article_title,claim,claim_id,text,verdict,note,evidence_url\n"  # 1
        "1,Titre,1/1,,texte,verified,vu à l'Insee,\n"  # 2: claim_id left empty
        "1,Titre, 1 / 3 ,,texte,disputed,,\n"  # 3
        "1,Titre,1/999,,texte,verified,,\n"  # 4
        "9,Titre,9/1,,texte,verified,,\n"  # 5
        "1,Titre,01/02/26,,texte,verified,,\n"  # 6: a date a spreadsheet made of 1/2
        "1,Titre,,,texte,verified,,\n",  # 7
        encoding="utf-8",
    )
    by_number_only = tmp_path / "short.csv"
    by_number_only.write_text("claim;verdict\n1/2;unsourced\n", encoding="utf-8")

    result = import_sheet(db, sheet, "--annotator", "teacher")
    short = import_sheet(db, by_number_only, "--annotator", "teacher")

    assert problems(result) == [
        f"factmark: {sheet}:4: no claim 1/999",
        f"factmark: {sheet}:5: no claim 9/1",
        f"factmark: {sheet}:6: claim '01/02/26' is not article/claim, like 5/3 "
        "(if a spreadsheet made it a date, format the column as text)",
        f"factmark: {sheet}:7: no claim_id or claim",
    ]
    assert "2 verdicts imported, 0 unchanged, 4 rows refused" in result.stderr.decode()
    assert short.returncode == 0, short.stderr
    held = exported(db)
    assert {claim: held[claim, "teacher"]["verdict"] for claim, _ in held} == {
        a: "verified",
        b: "unsourced",
        c: "disputed",
    }
    assert held[a, "teacher"]["note"] == "vu à l'Insee"


def test_a_row_whose_claim_and_claim_id_disagree_is_refused_and_the_others_land(
    db: Path, tmp_path: Path
) -> None:
    a, b, c, d, e = (row["id"] for row in claim_rows(db)[:5])
    sheet = tmp_path / "key.csv"
    sheet.write_text(
        "claim;claim_id;verdict;note\n"  # 1
        f"1/1;{a};verified;\n"  # 2
        f"1/2;{c};disputed;copied from the row below\n"  # 3
        f"1/3;{c};unsourced;\n"  # 4
        f"01/04/26;{d};verified;\n"  # 5: a date a spreadsheet made of 1/4: claim_id decides
        f"1/99;{e};verified;\n"  # 6
        f"1/2;{b};;\n",  # 7: undecided, so not checked
        encoding="utf-8",
    )

    result = import_sheet(db, sheet, "--annotator", "teacher")

    assert result.returncode == 1
    assert problems(result) == [
        f"factmark: {sheet}:3: claim 1/2 is claim_id {b}, not {c}: "
        "correct one of the two, or empty one",
        f"factmark: {sheet}:6: no claim 1/99",
    ]
    assert "3 verdicts imported, 0 unchanged, 2 rows refused" in result.stderr.decode()
    held = exported(db)
    assert {claim: held[claim, "teacher"]["verdict"] for claim, _ in held} == {
        a: "verified",
        c: "unsourced",
        d: "verified",
    }
