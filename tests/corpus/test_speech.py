"""The speech model: first-person records are claims in English, promises are not."""

from __future__ import annotations

from importlib import resources

import pytest

from factmark.corpus.claims import THRESHOLD, detect, sentences
from factmark.corpus.sentences import quoted_ranges
from factmark.corpus.speech import WORDING, Model, features, model, parse, speaking


def test_the_english_model_loads_small_and_the_same_every_time() -> None:
    path = resources.files("factmark.corpus").joinpath("data", "en", "speech_weights.tsv")
    text = path.read_text(encoding="utf-8")
    assert len(text.encode()) < 1_000_000
    assert text.startswith("# Speech model for English")
    weights = parse(text)
    assert 100 < len(weights) <= 10_000
    assert parse(text) == weights == model("en").weights
    assert all(isinstance(w, float) and w != 0 for w in weights.values())


def test_only_languages_with_a_model_have_one() -> None:
    assert model("en") is not None
    assert model("fr") is None


def test_evidence_is_the_sum_of_the_features_weights_gated_by_person() -> None:
    toy = Model({"we": 0.5, "we cut": 1.0, "^ we": 0.25, "will": -2.0, "cue:first-person": 0.1})
    tokens = ["we", "cut", "it"]
    assert features(tokens, ["first-person", "number"]) == [
        "we", "^ we", "cut", "we cut", "it", "cut it", "cue:first-person", "cue:first-person+number"
    ]  # fmt: skip
    assert toy.evidence(tokens, ["first-person"], True) == pytest.approx(1.85)
    # For a claim only in a speaker's own words; against one anywhere.
    assert toy.evidence(tokens, ["first-person"], False) == 0.0
    assert toy.evidence(["they", "will", "cut", "it"], [], False) == pytest.approx(-2.0)


@pytest.mark.parametrize(
    "text, own_words",
    [
        ("We cut it.", True),
        ('"We cut it."', True),  # a transcript's sentence, all quotation
        ('"We cut it," she said.', False),  # a report of what someone said
        ("They cut it.", False),
    ],
)
def test_a_speaker_speaks_in_the_first_person_unreported(text: str, own_words: bool) -> None:
    cues = ["first-person"] if "We" in text else []
    assert speaking(cues, text, quoted_ranges(text)) is own_words


@pytest.mark.parametrize(
    "record",
    [
        "We cut the deficit by half in four years.",
        "I signed the bill that lowered taxes for every family in the state.",
    ],
)
def test_a_speakers_own_record_is_a_claim(record: str) -> None:
    (scored,) = sentences(record, "en")
    assert scored.score >= THRESHOLD
    assert WORDING in scored.cues
    assert scored.cues.index(WORDING) < scored.cues.index("first-person")  # evidence for


@pytest.mark.parametrize(
    "promise",
    ["We will create millions of jobs.", "I will cut your taxes if you elect me."],
)
def test_a_promise_is_not(promise: str) -> None:
    assert detect(promise, "en") == ()


def test_other_languages_are_scored_without_it() -> None:
    (scored,) = sentences("Nous avons réduit le déficit de moitié en quatre ans.", "fr")
    assert WORDING not in scored.cues
