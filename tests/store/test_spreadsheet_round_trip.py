"""The answer-key template through a real spreadsheet: exported, filled in, opened and
saved again by LibreOffice in the formats teachers' spreadsheets save, and read back by
import-verdicts exactly as written."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from factmark.store import claims, verdicts
from factmark.store.database import Store
from tests.helpers import SAMPLE, factmark
from tests.store.spreadsheet import CP1252_SEMICOLON, CSV_OUT, UTF8_COMMA, Calc

# What the teacher types, by row of the template: (verdict, note).
TYPED = {
    0: ("disputed", "Chiffre invérifiable, source : l’Insee"),
    3: ("verified", "Confirmé par « Le Monde », p. 3 ; œuvre citée"),
    20: ("unsourced", "Aucune source nommée,\nà revoir en classe"),
    41: ("disputed", ""),
    70: ("Verified", "Déjà démenti par le ministère"),
}
# Verdicts the key already held when the template was exported (claim row: event).
EARLIER = {
    9: {"verdict": "disputed", "note": "-5 % selon la préfecture"},
    12: {
        "verdict": "unsourced",
        "note": "=SOMME(A1) n’est pas une source",
        "evidence_url": "https://example.org/recherche?q=ch%C3%B4mage&x=1",
    },
}
CHANGED = {9: "verified"}  # a verdict the teacher changes in the sheet


@pytest.fixture(scope="session")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """LibreOffice's profile: a fresh one for each test session."""
    return tmp_path_factory.mktemp("libreoffice-profile")


def _utf8_csv(calc: Calc, sheet: Path, folder: Path) -> Path:
    saved = calc.convert(sheet, CSV_OUT + UTF8_COMMA, folder / "saved", UTF8_COMMA)
    assert "invérifiable" in saved.read_bytes().decode("utf-8")
    return saved


def _cp1252_semicolon_csv(calc: Calc, sheet: Path, folder: Path) -> Path:
    saved = calc.convert(sheet, CSV_OUT + CP1252_SEMICOLON, folder / "saved", UTF8_COMMA)
    data = saved.read_bytes()
    assert data.startswith(b"article;article_title;claim;claim_id;")
    assert "invérifiable, source : l’Insee".encode("cp1252") in data
    return saved


def _via_xlsx(calc: Calc, sheet: Path, folder: Path) -> Path:
    workbook = calc.convert(sheet, "xlsx", folder / "workbook", UTF8_COMMA)
    assert workbook.read_bytes().startswith(b"PK")
    return calc.convert(workbook, CSV_OUT + UTF8_COMMA, folder / "saved")


ROUTES: dict[str, Callable[[Calc, Path, Path], Path]] = {
    "utf8-csv": _utf8_csv,
    "cp1252-semicolon-csv": _cp1252_semicolon_csv,
    "via-xlsx": _via_xlsx,
}


@pytest.mark.parametrize("route", ROUTES)
def test_a_key_written_in_libreoffice_lands_as_typed(
    profile: Path, db_path: Path, tmp_path: Path, route: str
) -> None:
    calc = Calc(profile)
    assert factmark("import", "--db", str(db_path), str(SAMPLE)).returncode == 0
    with Store.open(db_path) as store:
        numbers = claims.numbers(store)
        ids = sorted(numbers, key=numbers.__getitem__)  # by article, then in text order
        for row, event in EARLIER.items():
            verdicts.record(store, ids[row], "teacher", **event)
    sheet = tmp_path / "key.csv"
    exported = factmark("export", "--template", "--annotator", "teacher", "--db", str(db_path))
    assert exported.returncode == 0, exported.stderr
    sheet.write_bytes(exported.stdout)

    with sheet.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(row["claim_id"]) for row in rows] == ids
    for index, (verdict, note) in TYPED.items():
        rows[index]["verdict"], rows[index]["note"] = verdict, note
    for index, verdict in CHANGED.items():
        rows[index]["verdict"] = verdict
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        sheet_writer = csv.DictWriter(handle, list(rows[0]), quoting=csv.QUOTE_ALL)
        sheet_writer.writeheader()
        sheet_writer.writerows(rows)

    saved = ROUTES[route](calc, sheet, tmp_path)
    result = factmark("import-verdicts", str(saved), "--annotator", "teacher", "--db", str(db_path))

    assert result.returncode == 0, result.stderr
    assert result.stderr.decode().startswith(
        f"{len(TYPED) + len(CHANGED)} verdicts imported, "
        f"{len(EARLIER) - len(CHANGED)} unchanged, 0 rows refused"
    )
    expected = {
        ids[row]: (verdict.lower(), note or None, None) for row, (verdict, note) in TYPED.items()
    }
    for row, event in EARLIER.items():
        verdict = CHANGED.get(row, event["verdict"])
        expected[ids[row]] = (verdict, event["note"], event.get("evidence_url"))
    with Store.open(db_path, readonly=True) as store:
        held = {
            claim: (event["verdict"], event["note"], event["evidence_url"])
            for claim in ids
            if (event := verdicts.current(store, claim, "teacher")) is not None
        }
    assert held == expected
