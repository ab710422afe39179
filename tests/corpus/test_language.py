"""Article and paragraph languages: the caption from another story is found."""

from __future__ import annotations

from pathlib import Path

import pytest

from factmark.corpus import language
from factmark.corpus.reading import read_articles
from factmark.corpus.structure import lines_of
from tests.helpers import SAMPLE

DATA = Path(__file__).resolve().parent.parent / "data"


def article(path: Path):
    (result,) = read_articles(str(path), path.read_bytes())
    return result


@pytest.mark.parametrize("seed", sorted(p.name for p in SAMPLE.glob("*.txt")))
def test_sample_articles_are_french(seed: str) -> None:
    assert article(SAMPLE / seed).language == "fr"


@pytest.mark.parametrize("seed", ["001_24373408e20db4c0.txt", "002_77341eb219bfa874.txt"])
def test_the_english_caption_from_another_story_is_marked(seed: str) -> None:
    result = article(SAMPLE / seed)
    foreign = [r for r in result.regions if r.kind == "language"]
    assert len(foreign) == 1 and foreign[0].language == "en"
    assert result.text[foreign[0].start : foreign[0].end].startswith("US Rep. Ilhan Omar")


def test_english_article_is_english_with_no_foreign_paragraph() -> None:
    result = article(DATA / "en_article.txt")
    assert result.language == "en"
    assert not [r for r in result.regions if r.kind == "language"]


@pytest.mark.parametrize("text", ["", "12 345 678", "!!! ??? ...", "Oui.", "😀😀😀"])
def test_too_little_text_is_undetermined_never_an_error(text: str) -> None:
    assert language.detect(text) == "und"


def test_the_quick_vote_never_contradicts_langdetect_on_the_sample() -> None:
    """The function-word vote stands in for langdetect only where they agree."""
    checked = 0
    for path in SAMPLE.glob("*.txt"):
        for paragraph in lines_of(path.read_text(encoding="utf-8")):
            voted = language.vote(paragraph.text)
            if voted and len(paragraph.text) >= 40:
                assert voted == language.langdetect(paragraph.text)[0], paragraph.text
                checked += 1
    assert checked >= 40


def test_detection_is_deterministic() -> None:
    text = "Ceci est un texte court mais assez long pour langdetect, avec des mots."
    assert {language.langdetect(text) for _ in range(5)} == {language.langdetect(text)}
