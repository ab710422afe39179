"""Short Windows-1252 files: read in the code page their language is written in, and the
import says that the encoding was guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from factmark.store import articles, claims
from factmark.store.database import Store
from tests.helpers import factmark, judged_sample

# The failing inputs as found: French, Windows-1252, 35 to 93 bytes.
FOUND = {
    "depute.cp1252.txt": "Le député a déclaré que le chômage a baissé de 3 % en 2023.\n",
    "equipe.cp1252.txt": "L'équipe a gagné 2 à 0 à Besançon.\n",
    "tweet.cp1252.txt": (
        "Élection municipale à Besançon : le maire sortant a été réélu avec 52,3 % des voix "
        "dimanche.\n"
    ),
}


def stored_texts(db_path: Path) -> list[str]:
    with Store.open(db_path, readonly=True) as store:
        return [articles.get(store, i)["text"] for i in articles.ids(store)]


def test_short_french_cp1252_files_keep_their_accents_and_say_the_guess(
    db_path: Path, tmp_path: Path
) -> None:
    paths = []
    for name, text in FOUND.items():
        (tmp_path / name).write_bytes(text.encode("cp1252"))
        paths.append(str(tmp_path / name))
    result = factmark("--db", str(db_path), "import", *paths)
    assert result.returncode == 0, result.stderr
    assert stored_texts(db_path) == list(FOUND.values())
    err = result.stderr.decode()
    for name in FOUND:
        assert f"{tmp_path / name}: encoding guessed as Windows-1252" in err
    assert err.splitlines()[-1] == "3 imported, 0 unchanged, 0 updated, 0 refused"
    with Store.open(db_path, readonly=True) as store:
        (claim,) = claims.for_article(store, 1)
        assert claim["text"] == FOUND["depute.cp1252.txt"].strip()


@pytest.mark.parametrize(
    "text",
    [
        "Le ministre a annoncé 4 500 créations d'emplois à Besançon.\n",
        "The café’s owner said prices rose 5 % last year — “a record”.\n",
        "Der Bürgermeister sagte, die Arbeitslosigkeit sei um 3 % gesunken.\n",
    ],
    ids=["french", "english", "german"],
)
def test_short_cp1252_text_is_read_right(db_path: Path, tmp_path: Path, text: str) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode("cp1252"))
    result = factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 0, result.stderr
    assert stored_texts(db_path) == [text]
    assert f"{path}: encoding guessed as Windows-1252" in result.stderr.decode()


def test_detect_reads_a_short_cp1252_file_right_and_says_the_guess(tmp_path: Path) -> None:
    path = tmp_path / "equipe.txt"
    path.write_bytes(FOUND["equipe.cp1252.txt"].encode("cp1252"))
    result = factmark("detect", "--all", "--format", "text", str(path))
    assert result.returncode == 0, result.stderr
    assert "L'équipe a gagné 2 à 0 à Besançon." in result.stdout.decode()
    assert "encoding guessed as Windows-1252" in result.stderr.decode()


def test_a_short_utf8_file_is_not_misread_nor_said_guessed(db_path: Path, tmp_path: Path) -> None:
    text = "L'équipe a gagné 2 à 0 à Besançon.\n"
    path = tmp_path / "equipe.txt"
    path.write_text(text, encoding="utf-8")
    result = factmark("--db", str(db_path), "import", str(path))
    assert result.returncode == 0, result.stderr
    assert stored_texts(db_path) == [text]
    assert "guessed" not in result.stderr.decode()


def test_a_short_cp1252_verdict_sheet_keeps_its_accents(tmp_path: Path) -> None:
    db = judged_sample(tmp_path / "factmark.db", "")
    sheet = tmp_path / "key.csv"  # French Excel's plain CSV: ';' and Windows-1252
    sheet.write_bytes("claim_id;verdict;note\r\n1;disputed;Chiffre erroné\r\n".encode("cp1252"))
    result = factmark("import-verdicts", "--db", str(db), "--annotator", "prof", str(sheet))
    assert result.returncode == 0, result.stderr
    assert f"{sheet}: encoding guessed as Windows-1252" in result.stderr.decode()
    with Store.open(db, readonly=True) as store:
        (note,) = store.conn.execute("SELECT note FROM verdicts WHERE annotator = 'prof'")
    assert note[0] == "Chiffre erroné"


def test_a_word_or_two_of_latin_text_keeps_its_accents(tmp_path: Path) -> None:
    """Too short for any language to be told: ASCII letters with an accented one or a
    euro sign read as Windows-1252, not as a code page of another script."""
    db = tmp_path / "tiny.db"
    texts = ("Café\n", "Prix: 5 €\n")
    for number, text in enumerate(texts):
        (tmp_path / f"{number}.txt").write_bytes(text.encode("cp1252"))
    result = factmark("import", *(str(tmp_path / f"{n}.txt") for n in range(2)), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert sorted(t.strip() for t in stored_texts(db)) == sorted(t.strip() for t in texts)
