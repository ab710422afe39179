"""Sentence spans: exact offsets, and a trap suite of French and English cases."""

from __future__ import annotations

import pytest

from factmark.corpus.sentences import split
from tests.helpers import SAMPLE

TRAPS = [
    # French abbreviations and titles
    ("M. Mohi a parlé. Il est parti.", ["M. Mohi a parlé.", "Il est parti."]),
    (
        "MM. Dupont et Durand ont voté. Mme Martin s'est abstenue.",
        ["MM. Dupont et Durand ont voté.", "Mme Martin s'est abstenue."],
    ),
    ("Le Dr. Karim a opéré. Le Pr Lévy a signé.", ["Le Dr. Karim a opéré.", "Le Pr Lévy a signé."]),
    (
        "Le Gén. Rasoul a publié un communiqué. Il est bref.",
        ["Le Gén. Rasoul a publié un communiqué.", "Il est bref."],
    ),
    (
        "Voir p. 12 du rapport. La suite est p. 14.",
        ["Voir p. 12 du rapport.", "La suite est p. 14."],
    ),
    (
        "Selon l'art. 3 de la loi, c'est interdit. Fin.",
        ["Selon l'art. 3 de la loi, c'est interdit.", "Fin."],
    ),
    (
        "La ville fut fondée en 50 av. J.-C. Elle a grandi.",
        ["La ville fut fondée en 50 av. J.-C.", "Elle a grandi."],
    ),
    (
        "Des pommes, des poires, etc. Le marché ferme à midi.",
        ["Des pommes, des poires, etc.", "Le marché ferme à midi."],
    ),
    # Numbers
    (
        "Washington comptait 150\xa0000 soldats. Il en reste 2 500.",
        ["Washington comptait 150\xa0000 soldats.", "Il en reste 2 500."],
    ),
    (
        "De 4 500 à 2 500 soldats, et de 10 000 à 17 000 GI's. Voilà.",
        ["De 4 500 à 2 500 soldats, et de 10 000 à 17 000 GI's.", "Voilà."],
    ),
    (
        "Le taux est de 45.6 %. Il était de 12,5 % en 2019.",
        ["Le taux est de 45.6 %.", "Il était de 12,5 % en 2019."],
    ),
    (
        "Le 17.11.2020, sept missiles ont été tirés. Aucun n'a été intercepté.",
        ["Le 17.11.2020, sept missiles ont été tirés.", "Aucun n'a été intercepté."],
    ),
    (
        "Les troupes sont parties en 2019. 150 soldats sont restés.",
        ["Les troupes sont parties en 2019.", "150 soldats sont restés."],
    ),
    # Quotations keep their attribution
    (
        "« Nous avons achevé la phase finale. Les troupes partent », a déclaré M. al-Araji. Fin.",
        [
            "« Nous avons achevé la phase finale. Les troupes partent », a déclaré M. al-Araji.",
            "Fin.",
        ],
    ),
    (
        "« La trêve doit être prise au sérieux », a déclaré le porte-parole. Il a ajouté un mot.",
        [
            "« La trêve doit être prise au sérieux », a déclaré le porte-parole.",
            "Il a ajouté un mot.",
        ],
    ),
    ("Il a dit : « Non ! » Puis il est parti.", ["Il a dit : « Non ! »", "Puis il est parti."]),
    (
        "« Vraiment ? » a-t-il demandé. Personne n'a répondu.",
        ["« Vraiment ? » a-t-il demandé.", "Personne n'a répondu."],
    ),
    (
        "Le PM a parlé du « coup d'État doux ». Les Américains ont réagi.",
        ["Le PM a parlé du « coup d'État doux ».", "Les Américains ont réagi."],
    ),
    # Ellipses, exclamations, questions, lower-case starts
    (
        "Je le jure devant Dieu... Le méga clash est éminent.",
        ["Je le jure devant Dieu...", "Le méga clash est éminent."],
    ),
    (
        "Il est parti… et n'est jamais revenu. Quelle histoire !",
        ["Il est parti… et n'est jamais revenu.", "Quelle histoire !"],
    ),
    (
        "Le coup de bluff US a fait pschiit! Les milices ont réagi.",
        ["Le coup de bluff US a fait pschiit!", "Les milices ont réagi."],
    ),
    (
        "Peut-on croire cette annonce ? Oui, selon lui.",
        ["Peut-on croire cette annonce ?", "Oui, selon lui."],
    ),
    (
        "Ils en ont informé le négociateur irakien. la Résistance finira par convaincre le PM.",
        [
            "Ils en ont informé le négociateur irakien.",
            "la Résistance finira par convaincre le PM.",
        ],
    ),
    (
        "5 mois après les premières tentatives, Daech recule. C'est net.",
        ["5 mois après les premières tentatives, Daech recule.", "C'est net."],
    ),
    # Headlines and line breaks
    (
        "Une mission bien réduite des forces américaines\nLe porte-parole a parlé.",
        ["Une mission bien réduite des forces américaines", "Le porte-parole a parlé."],
    ),
    (
        "Titre sans point\n\nCorps du texte. Deuxième phrase.",
        ["Titre sans point", "Corps du texte.", "Deuxième phrase."],
    ),
    # English
    ("Lt. Col. Smith spoke. Gen. Lee did not.", ["Lt. Col. Smith spoke.", "Gen. Lee did not."]),
    (
        "The U.S. Army left Iraq. It kept two bases.",
        ["The U.S. Army left Iraq.", "It kept two bases."],
    ),
    (
        "Troops stayed in the U.S. The next day they flew out.",
        ["Troops stayed in the U.S.", "The next day they flew out."],
    ),
    (
        "Rep. Omar and Sen. Warren voted on H.R. 1 in March. The bill passed.",
        ["Rep. Omar and Sen. Warren voted on H.R. 1 in March.", "The bill passed."],
    ),
    (
        "Dr. Jones arrived at 3 p.m. on Jan. 17. She left at noon.",
        ["Dr. Jones arrived at 3 p.m. on Jan. 17.", "She left at noon."],
    ),
    (
        "Mr. and Mrs. Smith said no. Ms. Lee agreed.",
        ["Mr. and Mrs. Smith said no.", "Ms. Lee agreed."],
    ),
    (
        '"We are done. It is over," she said. Then she left.',
        ['"We are done. It is over," she said.', "Then she left."],
    ),
    (
        "Unemployment fell to 5.2% in February. It was 5.6% in January.",
        ["Unemployment fell to 5.2% in February.", "It was 5.6% in January."],
    ),
    (
        "The company earned $3.2 billion. Shares rose 4.5 percent.",
        ["The company earned $3.2 billion.", "Shares rose 4.5 percent."],
    ),
    ("See No. 5 on the list. It is cheap.", ["See No. 5 on the list.", "It is cheap."]),
    ("Is this the end? No. It is not.", ["Is this the end?", "No.", "It is not."]),
    ("Wait... what happened? Nobody knows!", ["Wait... what happened?", "Nobody knows!"]),
    ("J. R. R. Tolkien wrote it. It sold well.", ["J. R. R. Tolkien wrote it.", "It sold well."]),
    (
        "Apples, pears, etc. are sold here. The shop opens at 9.",
        ["Apples, pears, etc. are sold here.", "The shop opens at 9."],
    ),
    (
        "He earned 4,500 dollars (about €4.100). That is all.",
        ["He earned 4,500 dollars (about €4.100).", "That is all."],
    ),
    (
        "(This is an aside.) The main text goes on.",
        ["(This is an aside.)", "The main text goes on."],
    ),
    # Spanish, German, Italian, Portuguese: generic rules
    ("El Sr. García llegó. La Sra. López no.", ["El Sr. García llegó.", "La Sra. López no."]),
    (
        "Der Bundestag tagte am 3. Oktober. Dr. Weber sprach.",
        ["Der Bundestag tagte am 3. Oktober.", "Dr. Weber sprach."],
    ),
    # German quotations: „…“ and »…«, whose closing mark touches the stop.
    (
        "„Wir haben 400 Stellen geschaffen.“ Der Minister sprach in Berlin.",
        ["„Wir haben 400 Stellen geschaffen.“", "Der Minister sprach in Berlin."],
    ),
    (
        "Er sagte: »Das ist gut. Es bleibt so.« Die Opposition widersprach.",
        ["Er sagte: »Das ist gut. Es bleibt so.«", "Die Opposition widersprach."],
    ),
    # A French » ending a quotation begun on another line opens nothing.
    (
        "fin de la citation » a dit le ministre. Puis « une autre » a suivi.",
        ["fin de la citation » a dit le ministre.", "Puis « une autre » a suivi."],
    ),
]


@pytest.mark.parametrize("text, expected", TRAPS, ids=[t[:40] for t, _ in TRAPS])
def test_trap_suite(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split(text)] == expected


def test_trap_suite_is_large_enough() -> None:
    assert len(TRAPS) >= 40


@pytest.mark.parametrize("seed", sorted(p.name for p in SAMPLE.glob("*.txt")))
def test_spans_are_exact_in_order_and_only_white_space_lies_between(seed: str) -> None:
    text = (SAMPLE / seed).read_text(encoding="utf-8")
    spans = split(text)
    position = 0
    for start, end in spans:
        assert position <= start < end
        assert not text[position:start].strip()
        assert text[start:end] == text[start:end].strip()
        position = end
    assert not text[position:].strip()


def test_a_sub_range_is_split_with_offsets_into_the_whole_text() -> None:
    text = "Avant. Le titre\n\nUn. Deux."
    start = text.index("Un")
    assert split(text, start) == [(start, start + 3), (start + 4, start + 9)]


def _seconds(work) -> float:
    import time

    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def test_a_line_full_of_quotation_marks_is_split_in_linear_time() -> None:
    # Each full stop once looked at every quotation on its line: 8 times the text took
    # 64 times as long. Measured against itself, so the machine's speed does not matter.
    piece = "A. B. C. 3. „ » « “ ” "
    small, large = piece * 400, piece * 3200
    ratio = _seconds(lambda: split(large)) / _seconds(lambda: split(small))
    assert ratio < 24, ratio
