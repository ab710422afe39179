"""Photo captions and credits, told apart from body text that names an agency or points
at the picture; wire datelines open the body, name the source and are regions of their
own, so the lead's claim is the sentence after them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factmark.corpus.reading import read_articles
from factmark.corpus.structure import analyse
from tests.helpers import factmark

REUTERS_LEAD = (
    "WASHINGTON (Reuters) - The U.S. unemployment rate fell to 3.4% in January, the lowest "
    "level since 1969, the Labor Department said on Friday."
)
AFP_LEAD = (
    "PARIS (AFP) - Le taux de chômage a reculé à 7,1 % au quatrième trimestre 2023, "
    "a annoncé mardi l'Insee."
)
PHOTO = (
    "Le maire, Jean Dupont (photo), a affirmé mardi que la commune avait dépensé 4 millions "
    "d'euros en 2023 pour la nouvelle piscine."
)
ARCHIVES = (
    "L'opposition estime que le coût réel dépasse 6 millions d'euros, selon un rapport de la "
    "chambre régionale des comptes publié en mars (archives)."
)


def detected(tmp_path: Path, name: str, text: str) -> dict[str, dict]:
    """`factmark detect --all` on one file: each sentence's line, by its text."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = factmark("detect", "--all", "--format", "jsonl", str(path))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    return {row["text"]: row for row in rows}


@pytest.mark.parametrize(
    "name, text, lead",
    [
        (
            "reuters_lead.txt",
            f"Unemployment falls to record low\n\n{REUTERS_LEAD}\n\n"
            "Employers added 517,000 jobs last month, far more than economists had expected.\n",
            REUTERS_LEAD,
        ),
        (
            "afp_lead_fr.txt",
            f"Le chômage au plus bas\n\n{AFP_LEAD}\n\n"
            "Le nombre de demandeurs d'emploi a baissé de 12 000 personnes en un an, "
            "selon le ministère du Travail.\n",
            AFP_LEAD,
        ),
    ],
)
def test_a_wire_lead_is_body_text_and_the_main_claim(
    tmp_path: Path, name: str, text: str, lead: str
) -> None:
    found = detected(tmp_path, name, text)
    dateline, sentence = lead.split(" - ", 1)
    assert found[f"{dateline} -"]["cues"] == ["dateline"]
    assert "caption" not in found[sentence]["cues"]
    assert found[sentence]["score"] >= 0.9


def test_pointing_at_the_picture_inside_a_sentence_is_body_text(tmp_path: Path) -> None:
    found = detected(
        tmp_path, "photo_archives_fr.txt", f"Conseil municipal\n\n{PHOTO}\n\n{ARCHIVES}\n"
    )
    for sentence in (PHOTO, ARCHIVES):
        assert "caption" not in found[sentence]["cues"]
        assert found[sentence]["score"] >= 0.5


def test_a_wire_dateline_names_the_source_unless_one_is_given() -> None:
    english = analyse(f"Unemployment falls to record low\n\n{REUTERS_LEAD}\n")
    french = analyse(f"Le chômage au plus bas\n\n{AFP_LEAD}\n")
    mixed_case = analyse("Titre\n\nParis (AFP) - Le gouvernement a annoncé mardi un plan.\n")
    given = analyse(f"Unemployment falls to record low\n\n{REUTERS_LEAD}\n", source="The Paper")
    assert (english.source, french.source, mixed_case.source) == ("Reuters", "AFP", "AFP")
    assert given.source == "The Paper"
    assert [r.kind for r in english.regions] == ["title", "dateline"]  # the rest is body
    dateline = english.regions[1]
    assert REUTERS_LEAD[: dateline.end - dateline.start] == "WASHINGTON (Reuters) -"
    # AP writes its dash as two hyphens.
    ap = analyse("Fire\n\nLOS ANGELES (AP) -- A wildfire destroyed 45 homes on Monday.\n")
    assert ap.source == "AP"


def test_a_party_after_a_name_is_no_agency() -> None:
    structure = analyse("Titre\n\nJean Dupont (PS) - Le maire a promis une piscine en 2024.\n")
    assert structure.source is None


def test_a_wire_dateline_dates_the_story() -> None:
    text = "Grève\n\nPARIS, 3 mars (AFP) - La grève, commencée le 1er mars 2023, a coûté cher.\n"
    assert analyse(text).published == "2023-03-03"


def captions(text: str) -> list[str]:
    return [text[r.start : r.end] for r in analyse(text).regions if r.kind == "caption"]


@pytest.mark.parametrize(
    "caption",
    [
        "Le président iranien, Rohani et le PM irakien Kazemi, 22 juillet 2020, Téhéran/IRNA",
        "Des missiles tirés vers la Zone verte de Bagdad, le 17 novembre 2020. ©Akhbar Al-Aan",
        "Speaker Nancy Pelosi at the US Capitol on March 08, 2019 in Washington, DC. (AFP photo)",
        "Le ministre lors d'une conférence de presse, le 2 avril 2020. (Photo AFP)",
        "Le maire de Lyon lors du conseil municipal (archives)",
        "A trader works on the floor of the New York Stock Exchange. Jane Doe/Reuters",
        "Photo : Ludovic Marin / AFP",
        "Crédits : Jean Dupont / Le Progrès",
        "© AFP",
        "REUTERS/Brendan McDermid",
    ],
)
def test_a_line_ending_or_opening_with_a_credit_is_a_caption(caption: str) -> None:
    text = f"Un titre\n\nLe ministre a annoncé mardi un plan de 3 milliards.\n\n{caption}\n\nFin.\n"
    assert captions(text) == [caption]


def test_a_paragraph_standing_with_its_credit_is_a_caption() -> None:
    picture = "A protester holds a sign outside the Capitol in Washington."
    text = (
        "Jobs report\n\nEmployers added 517,000 jobs last month, the department said.\n\n"
        f"{picture}\nPhoto: Jane Doe/Reuters\n\nEconomists had expected far fewer.\n"
    )
    assert captions(text) == [picture, "Photo: Jane Doe/Reuters"]


def test_captions_are_never_claims() -> None:
    caption = "Le ministre à Paris, le 2 avril 2020, devant 3 000 personnes. (Photo AFP)"
    text = f"Titre\n\nLe ministre a annoncé mardi un plan de 3 milliards.\n\n{caption}\n"
    (article,) = read_articles("a.txt", text.encode())
    claimed = [text[c.start : c.end] for c in article.claims]
    assert claimed == ["Le ministre a annoncé mardi un plan de 3 milliards."]


def test_a_dateline_without_a_year_never_borrows_a_captions_year() -> None:
    """A photo may be years older than the story."""
    text = (
        "Le chômage recule\n\nPARIS, 3 mars (AFP) - Le taux de chômage a reculé, a annoncé "
        "vendredi l'Insee.\n\nUn manifestant à Paris, le 20 septembre 2017. (AFP photo)\n"
    )
    assert analyse(text).published is None
