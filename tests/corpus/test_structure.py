"""Title, dateline, source and the regions that are not body, on real and written news."""

from __future__ import annotations

from pathlib import Path

from factmark.corpus.structure import analyse
from tests.helpers import SAMPLE

DATA = Path(__file__).resolve().parent.parent / "data"


def regions(path: Path) -> tuple[object, dict[str, list[str]]]:
    text = path.read_text(encoding="utf-8")
    structure = analyse(text)
    found: dict[str, list[str]] = {}
    for r in structure.regions:
        found.setdefault(r.kind, []).append(text[r.start : r.end])
    return structure, found


def test_seed_000_title_dateline_and_site_furniture() -> None:
    structure, found = regions(SAMPLE / "000_31e52ad88bccfe9c.txt")
    assert structure.title == "Coup de bluff US fait pschiit!"
    assert structure.published == "2020-09-27"
    assert found["dateline"] == ["Sep 27, 2020 15:14 UTC"]
    assert found["boilerplate"] == ["Mots clés", "commentaires"]


def test_seed_001_label_captions_share_line_and_source() -> None:
    structure, found = regions(SAMPLE / "001_24373408e20db4c0.txt")
    assert structure.title.startswith("2e anniversaire de l'assassinat de Soleimani")
    assert structure.source == "FRENCH PRESS TV" and structure.published is None
    assert found["label"] == ["TV"]
    assert [c[:20] for c in found["caption"]] == ["US Rep. Ilhan Omar (", "Fin de la présence m"]
    assert found["boilerplate"] == ["Partager Cet Article"]


def test_seed_004_credit_read_also_and_photo_source() -> None:
    _, found = regions(SAMPLE / "004_ed6ee1afb0d2860c.txt")
    assert found["caption"][0].endswith("©Akhbar Al-Aan")
    assert found["boilerplate"][0].startswith("Lire aussi")
    assert found["boilerplate"][1].startswith("Source des photos")


def test_article_without_a_title_line_gets_its_first_words() -> None:
    structure, _ = regions(SAMPLE / "003_28a4533ba83c704f.txt")
    assert not structure.title_found
    assert structure.title.startswith("Le groupe de la Résistance irakienne")
    assert len(structure.title) <= 91 and structure.source == "Divers"


def test_english_article_structure() -> None:
    structure, found = regions(DATA / "en_article.txt")
    assert structure.title == "Unemployment fell to 5.2% in February, ministry says"
    assert structure.published == "2021-03-03"
    assert structure.source == "Reuters"
    assert found["label"] == ["World"]
    assert found["caption"] == ["Photo: Jane Doe/Reuters"]
    assert found["boilerplate"] == [
        "Read more: Jobless claims hit a pandemic low",
        "Share this article",
    ]


def test_dateline_without_year_borrows_it_only_from_a_full_date() -> None:
    with_year = analyse("le 5 novembre\n\nTitre\n\nDepuis le 3 janvier 2020, rien.\n")
    without = analyse("le 5 novembre\n\nTitre\n\nRien de daté ici.\n")
    assert with_year.published == "2020-11-05"
    assert without.published is None


def test_metadata_wins_over_what_the_text_suggests() -> None:
    structure = analyse(
        "Un titre dans le texte\n\nCorps.\n",
        title="Un titre dans le texte",
        published="2021-01-02T10:00:00Z",
        source="Agence",
    )
    assert (structure.title, structure.published, structure.source) == (
        "Un titre dans le texte",
        "2021-01-02",
        "Agence",
    )
    assert [r.kind for r in structure.regions] == ["title"]
