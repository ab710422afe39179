"""Claim detection on the sample corpus and on the labelled development sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from factmark.corpus import evaluate
from factmark.corpus.attribution import attribute
from factmark.corpus.claims import detect, sentences
from factmark.corpus.cues import cues
from factmark.corpus.loaded import loaded_regions
from factmark.corpus.reading import read_articles
from factmark.corpus.sentences import quoted_ranges
from tests.helpers import SAMPLE, labelled_set

CLAIMS = Path(__file__).resolve().parent.parent / "data" / "claims"


def sample(seed: str):
    path = SAMPLE / seed
    (article,) = read_articles(str(path), path.read_bytes())
    return article


def highlighted(article) -> list[str]:
    return [article.text[c.start : c.end] for c in article.claims]


def test_factual_sentences_are_highlighted() -> None:
    claims = highlighted(sample("000_31e52ad88bccfe9c.txt"))
    assert any(c.startswith("Le commandement de l’opération des Hachd al-Chaabi") for c in claims)
    assert any(c.startswith("Lors d'un contact téléphonique le secrétaire d'État") for c in claims)
    claims = highlighted(sample("004_ed6ee1afb0d2860c.txt"))
    assert any(c.startswith("Le Pentagone a annoncé mardi que Trump réduirait") for c in claims)


@pytest.mark.parametrize(
    "seed, left_out",
    [
        ("000_31e52ad88bccfe9c.txt", "Le coup de bluff US a fait pschiit!"),
        ("000_31e52ad88bccfe9c.txt", "Je le jure devant Dieu"),
        ("000_31e52ad88bccfe9c.txt", "Mais pourquoi cette marche arrière?"),
        ("001_24373408e20db4c0.txt", "Le méga clash est éminent."),
        ("001_24373408e20db4c0.txt", "Peut-on croire cette annonce"),
        ("001_24373408e20db4c0.txt", "US Rep. Ilhan Omar"),  # a caption from another story
        ("001_24373408e20db4c0.txt", "2e anniversaire de l'assassinat"),  # the headline
        ("002_77341eb219bfa874.txt", "Une mission bien réduite des forces"),  # an intertitle
        ("002_77341eb219bfa874.txt", "Lire plus:"),
        ("004_ed6ee1afb0d2860c.txt", "Source des photos"),
        ("004_ed6ee1afb0d2860c.txt", "Partager Cet Article"),
    ],
)
def test_rhetoric_questions_headlines_captions_and_boilerplate_are_left_out(
    seed: str, left_out: str
) -> None:
    for claim in highlighted(sample(seed)):
        assert left_out not in claim


def test_every_claim_comes_with_its_evidence() -> None:
    for claim in sample("004_ed6ee1afb0d2860c.txt").claims:
        assert 0.0 <= claim.score <= 1.0 and claim.cues


def test_a_long_sentence_yields_its_factual_clause_not_the_quoted_oath() -> None:
    (claim,) = [c for c in highlighted(sample("000_31e52ad88bccfe9c.txt")) if "Abou Ali" in c]
    assert claim.endswith("de quitter l’Irak :")


@pytest.mark.parametrize(
    "sentence, language, attributed, source, vague",
    [
        (
            "« La trêve doit être prise au sérieux », a déclaré mercredi le porte-parole du "
            "Kataëb Hezbollah, Mohammed Mohi.",
            "fr",
            True,
            "le porte-parole du Kataëb Hezbollah",
            False,
        ),
        ("Selon certaines sources, les troupes partiront.", "fr", True, "certaines sources", True),
        (
            "Mercredi, une source de sécurité a révélé que 200 véhicules étaient arrivés.",
            "fr",
            True,
            "une source de sécurité",
            True,
        ),
        (
            "According to the Labor Department, unemployment fell.",
            "en",
            True,
            "the Labor Department",
            False,
        ),
        (
            "Unemployment fell to 5.2% in February, the ministry said.",
            "en",
            True,
            "the ministry",
            False,
        ),
        ("Critics say the plan will fail.", "en", True, "Critics", True),
        # A title's period does not cut the speaker's name short.
        ("« Le message est clair », a lancé M. Aubertin.", "fr", True, "M. Aubertin", False),
        # "croyait" inside the quotation is the speaker's verb, not the report's.
        (
            "« On n'y croyait plus », a lancé Jean-Marc Tissier.",
            "fr",
            True,
            "Jean-Marc Tissier",
            False,
        ),
        # A verb followed by "que" is not inverted: the speaker comes before it.
        (
            "L'avocat, Michel Brun, a indiqué que son client ferait appel.",
            "fr",
            True,
            "Michel Brun",
            False,
        ),
        # "qu'il" after the verb introduces what was said; "qui" is not the speaker.
        (
            "Le groupe Alpha, qui affirme qu'il frappera encore, a revendiqué l'attaque.",
            "fr",
            True,
            "Le groupe Alpha",
            False,
        ),
        # An inverted pronoun ("a-t-il") is no one named in the sentence.
        ("« Nous partirons en mars », a-t-il dit.", "fr", True, None, True),
        # A passive names what is spoken of, not who speaks.
        ("Le geste est salué, mais il arrive tard.", "fr", False, None, False),
        ("The plan was praised by many.", "en", False, None, False),
        ("Les USA auraient même menacé de fermer l'ambassade.", "fr", False, None, False),
        ("Ses pourparlers dits stratégiques ont été reportés.", "fr", False, None, False),
    ],
)
def test_attribution_names_the_source_and_flags_vague_ones(
    sentence: str, language: str, attributed: bool, source: str | None, vague: bool
) -> None:
    found = attribute(sentence, language)
    assert (found.attributed, found.source, found.vague) == (attributed, source, vague)


def test_loaded_language_is_found_in_french_and_english() -> None:
    fr = "Superbement accueilli, il a subi un méga revers face à un État américain terroriste."
    en = "The so-called reform by the regime was a disaster, critics said."
    assert [fr[r.start : r.end] for r in loaded_regions(fr, "fr")] == [
        "Superbement",
        "méga revers",
        "État américain terroriste",
    ]
    assert [en[r.start : r.end] for r in loaded_regions(en, "en")] == [
        "so-called",
        "regime",
        "disaster",
    ]


@pytest.mark.parametrize(
    ("sentence", "present", "absent"),
    [
        # A name keeps counting behind an elided article, whichever apostrophe.
        ("Des renforts sont partis vers l'Irak.", {"named"}, set()),
        # Compound past through an elided pronoun, but "c'est" is no auxiliary.
        ("Le ministre l'a annoncé hier soir.", {"past-event"}, set()),
        ("Le problème, c'est nous tous.", set(), {"past-event"}),
        # A lexicon phrase that starts after an elision: "l'Union européenne".
        ("L'Union européenne débloque une aide.", {"office"}, set()),
    ],
)
def test_french_elisions_read_the_same_with_either_apostrophe(
    sentence: str, present: set[str], absent: set[str]
) -> None:
    straight, curly = cues(sentence, "fr"), cues(sentence.replace("'", "’"), "fr")
    assert straight == curly
    assert present <= straight.keys()
    assert not absent & straight.keys()


@pytest.mark.parametrize(
    ("sentence", "language", "present", "absent"),
    [
        # A sentence that opens with a quotation asserts the quotation: its first
        # person is the speaker's own voice, however long the attribution after it.
        # The report's own past ("a témoigné") is no event of the claim's...
        (
            "« Nous ne voyons jamais l'eau monter aussi vite », a témoigné une habitante "
            "du quartier de la gare, encore sous le choc.",
            "fr",
            {"first-person"},
            {"past-event"},
        ),
        # ...the quotation's is, a participle of two letters included ("avions vu").
        (
            "« Nous n'avions jamais vu l'eau monter aussi vite », a témoigné une habitante "
            "du quartier de la gare, encore sous le choc.",
            "fr",
            {"first-person", "past-event"},
            set(),
        ),
        ("Le système n'a pas pu intercepter les missiles.", "fr", {"past-event"}, set()),
        # A compound passive reports what was done ("a été mise en place"); a compound
        # past of "être" alone does not ("est restée").
        (
            "Une cellule de crise a été mise en place par la chambre d'agriculture.",
            "fr",
            {"past-event", "passive-event"},
            set(),
        ),
        ("La date n'a pas encore été fixée.", "fr", {"passive-event"}, set()),
        ("Le ministre a annoncé la mesure.", "fr", {"past-event"}, {"passive-event"}),
        # A month on its own dates an event; in English only when capitalised.
        ("L'autorité avait inscrit le site sur sa liste dès février.", "fr", {"date"}, set()),
        ("Prices rose sharply in March.", "en", {"date"}, set()),
        ("Prices may march higher.", "en", set(), {"date"}),
        # "Not ruled out" is a hedge, not a fact.
        ("D'autres interpellations ne sont pas exclues.", "fr", {"hedge"}, set()),
    ],
)
def test_cues_read_quotations_months_and_hedges(
    sentence: str, language: str, present: set[str], absent: set[str]
) -> None:
    found = cues(sentence, language)
    assert present <= found.keys()
    assert not absent & found.keys()


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        # Compounds whose every part is a number word...
        ("La scène n'avait duré que quatre-vingt-dix secondes.", "fr"),
        ("Les dix-huit salariés ont été licenciés.", "fr"),
        ("Twenty-five workers were laid off.", "en"),
        ("Two-thirds of the budget went to roads.", "en"),
        # ...and round figures in words.
        ("Une vingtaine de familles ont été relogées.", "fr"),
        ("Nineteen people were hurt.", "en"),
        ("Veinticinco personas resultaron heridas.", "es"),
        ("Una ventina di famiglie sono state evacuate.", "it"),
        ("Uma vintena de famílias foi realojada.", "pt"),
    ],
)
def test_quantities_written_in_words_count_as_numbers(sentence: str, language: str) -> None:
    assert "number" in cues(sentence, language)


def test_a_compound_is_a_number_only_when_each_part_is_one() -> None:
    assert "number" not in cues("Les deux-roues ont envahi la ville.", "fr")


def test_a_quoted_figure_stays_a_claim_but_a_quoted_feeling_does_not() -> None:
    text = (
        "Bilan\n\n"
        "« Nous avons perdu 18 % de notre chiffre d'affaires en un an », a déclaré mardi "
        "le directeur général, Paul Martin. "
        "« Je n'ai pas réfléchi, j'ai juste écouté mes jambes », a-t-il confié au micro de "
        "France Télévisions, encore essoufflé.\n"
    )
    (article,) = read_articles("quotes.txt", text.encode())
    assert article.language == "fr"
    assert [c[:20] for c in highlighted(article)] == ["« Nous avons perdu 1"]


def test_english_news_is_detected_too() -> None:
    text = (
        "Unemployment fell to 5.2% in February\n\n"
        "The statistics office said on Tuesday that unemployment fell to 5.2% in February. "
        "Will it last? We must do better. Officials expect more hiring soon.\n"
    )
    (article,) = read_articles("news.txt", text.encode())
    assert article.language == "en"
    assert highlighted(article) == [
        "The statistics office said on Tuesday that unemployment fell to 5.2% in February."
    ]


def test_every_sentence_is_scored_in_order() -> None:
    article = sample("003_28a4533ba83c704f.txt")
    scored = list(sentences(article.text, article.language, article.regions))
    assert [s.start for s in scored] == sorted(s.start for s in scored)
    assert {(c.start, c.end) for c in article.claims} <= {(s.start, s.end) for s in scored}


@pytest.mark.parametrize("held_out", [False, True])
def test_development_sets_keep_their_precision_and_recall(held_out: bool) -> None:
    """The targets (precision >= 0.85, recall >= 0.90 per language) hold, and the
    figures in docs/benchmarks.md cannot quietly drop below them."""
    tuning = ["sample_labels", "fr_tune", "fr_more_tune", "fr_third_tune", "en_tune"]
    names = ["fr_heldout", "en_heldout"] if held_out else tuning
    articles = [a for n in names for a in labelled_set(CLAIMS / f"{n}.jsonl")]
    for language, counts in evaluate.measure(articles).items():
        assert counts.precision >= 0.85, (language, counts.precision)
        assert counts.recall >= 0.90, (language, counts.recall)


def test_detection_is_deterministic() -> None:
    first = [sample(p.name).claims for p in sorted(SAMPLE.glob("*.txt"))]
    again = [sample(p.name).claims for p in sorted(SAMPLE.glob("*.txt"))]
    assert first == again


@pytest.mark.parametrize(
    "sentence, language, source",
    [
        # A marker after which the source is named, in each language's own words.
        ("Según el Banco de España, los precios subieron.", "es", "el Banco de España"),
        ("Secondo l'Istat, i prezzi sono saliti a marzo.", "it", "l'Istat"),
        # Without a comma, the source ends at the sentence's auxiliary.
        ("Laut Polizei wurden am Samstag 300 Menschen festgenommen.", "de", "Polizei"),
        ("Segundo o Banco de Portugal, os preços subiram.", "pt", "o Banco de Portugal"),
        # A reporting verb opening what was said ("dass", "che"), so said by its subject.
        ("Der Minister sagte, dass die Preise 2023 um drei Prozent stiegen.", "de", "Der Minister"),
        ("Il ministro ha detto che i prezzi sono saliti del 3 per cento.", "it", "Il ministro"),
        # A reporting verb after a comma, the speaker after it ("..., dijo X").
        ("Wir haben 400 Stellen geschaffen, sagte der Minister.", "de", "der Minister"),
        ("Criamos 300 mil empregos, disse o presidente.", "pt", "o presidente"),
        ("El paro bajó un 3 % en 2023, dijo el presidente.", "es", "el presidente"),
        # The same after an auxiliary, for a verb with other senses ("detto", "dit").
        ("Abbiamo creato 200 mila posti, ha detto il ministro.", "it", "il ministro"),
        ("Le chômage a baissé de 2 %, a dit le ministre.", "fr", "le ministre"),
        # When it was said is not who said it, in each language's words for days.
        ("«Bajamos el paro un 3 %», dijo el lunes el ministro.", "es", "el ministro"),
        ("«Abbiamo creato 200 mila posti», ha detto ieri il ministro.", "it", "il ministro"),
        ("„Wir haben 400 Stellen geschaffen“, sagte am Montag der Minister.", "de", "der Minister"),
        ("«Criamos 300 mil empregos», disse ontem o presidente.", "pt", "o presidente"),
    ],
)  # fmt: skip
def test_sources_are_named_in_every_language_the_detector_knows(
    sentence: str, language: str, source: str
) -> None:
    found = attribute(sentence, language)
    assert (found.attributed, found.source) == (True, source)


def test_german_quotation_marks_hold_a_quote() -> None:
    # „ opens and “ closes in German, where “ would open in English: the opinion inside
    # is the speaker's, and a verb inside it is not the report's.
    sentence = "„Das ist ein Haushalt der Vernunft“, sagte die Ministerin."
    assert quoted_ranges(sentence) == [(0, sentence.index("“"))]
    assert attribute(sentence, "de").source == "die Ministerin"


def test_german_guillemets_hold_a_quote() -> None:
    # »…« in German: the quotation is the speaker's, the report names who spoke.
    sentence = "»Das ist ein Haushalt der Vernunft«, sagte die Ministerin."
    assert quoted_ranges(sentence) == [(0, sentence.index("«"))]
    assert attribute(sentence, "de").source == "die Ministerin"
    # A French » after a word closes a quotation opened elsewhere: it opens none.
    line = "la fin » a-t-il dit. Puis « une autre »"
    assert quoted_ranges(line) == [(line.index("«"), line.rindex("»"))]


def test_the_english_past_tense_rule_stays_in_english() -> None:
    # "usted" (Spanish "you") ends like an English past tense; it is no past event.
    (scored,) = sentences("Usted y su familia tienen derecho a una vivienda digna.", "es")
    assert "past-event" not in scored.cues


@pytest.mark.parametrize(
    "sentence, language, source",
    [
        # A clause before the verb is not its subject.
        (
            "Le maire et ses adjoints ont été reçus à Lyon et les élus ont annoncé 3 projets.",
            "fr",
            "les élus",
        ),
        # Whom it was said to is no speaker: the verb was not inverted.
        (
            "Le porte-parole Jean Dupré, a affirmé au préfet que 40 familles ont été relogées.",
            "fr",
            "Le porte-parole Jean Dupré",
        ),
        # The speaker after an inverted verb ends where another reporting verb starts.
        (
            "Deux bus attaqués, a rapporté l'agence Tass précisant que 4 soldats sont morts.",
            "fr",
            "l'agence Tass",
        ),
        # An apposition says who the speaker is; it is not the speaker.
        (
            "The Harbour Trust, a local charity, said in a statement that 120 boats sank in 2019.",
            "en",
            "The Harbour Trust",
        ),
    ],
)
def test_the_source_is_the_speaker_not_a_clause(sentence: str, language: str, source: str) -> None:
    found = attribute(sentence, language)
    assert (found.attributed, found.source) == (True, source)


@pytest.mark.parametrize(
    "text, language",
    [
        (
            "« Nous avons perdu 300 hommes en 2019. C'est une honte absolue. Il faut partir "
            "maintenant », a déclaré le général Martin.",
            "fr",
        ),
        (
            '"We lost 300 men in 2019. It is a disgrace. We must leave now," General Martin said.',
            "en",
        ),
    ],
)
def test_each_sentence_of_a_quotation_is_judged_on_its_own(text: str, language: str) -> None:
    # The year and the figure make the first quoted sentence a claim, not the opinions
    # around it; all three keep the speaker.
    found = detect(text, language)
    assert [text[c.start : c.end] for c in found] == [text[: text.index("2019.") + 5]]
    assert all(s.source == "le général Martin" or s.source == "General Martin"
               for s in sentences(text, language))  # fmt: skip


@pytest.mark.parametrize(
    "sentence, language, vague",
    [
        ("Varios expertos dijeron que la cifra era falsa.", "es", True),
        ("Alcuni esperti hanno detto che il dato è falso.", "it", True),
        ("Um porta-voz disse que a cifra era falsa.", "pt", True),
        # Portuguese "a" is "the": the minister is someone a reader can identify.
        ("A ministra disse que a cifra era falsa.", "pt", False),
        ("Juan Pérez, un portavoz del partido, dijo que la cifra era falsa.", "es", False),
    ],
)
def test_a_source_naming_no_one_is_vague_in_its_own_language(
    sentence: str, language: str, vague: bool
) -> None:
    found = attribute(sentence, language)
    assert found.attributed and found.vague == vague, found
