"""Which language an article, and each of its paragraphs, is written in.

Two stages, measured: langdetect (seeded, as it samples at random otherwise) costs
about 7 ms for 200 characters on a 2-core machine, more than the whole per-article
budget of a 300 articles/s import. So a vote of function words ("le", "the", "der"...,
kept per language in the lexicons) settles a text when one language clearly
dominates; langdetect judges the rest: other languages, short or mixed text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from operator import itemgetter

from .article import Region
from .lexicon import languages, words
from .structure import Line, lines_of
from .vocabulary import NON_BODY, OTHER_LANGUAGE
from .words import Words

UNDETERMINED = "und"
MIN_LETTERS = 20  # below this, any guess is noise
MIN_PARAGRAPH_CHARS = 40  # langdetect is reliable above about 40 characters
SAMPLE_CHARS = 200
MIN_CONFIDENCE = 0.80
# A vote is decisive with at least this many function words, and this many times
# the runner-up's count.
MIN_VOTES, MIN_MARGIN = 3, 2
_WORD = re.compile(r"[^\W\d_]+")


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))


@cache
def _function_words() -> dict[str, tuple[str, ...]]:
    """Each function word with the languages that use it ("la": fr, es, it)."""
    table: dict[str, list[str]] = {}
    for language in languages():
        for word in words(language, "function_words"):
            table.setdefault(word, []).append(language)
    return {word: tuple(langs) for word, langs in table.items()}


Votes = dict[str, float]  # language -> function-word votes; a shared word's vote is split
_VOTES_OF: dict[str, tuple[tuple[str, float], ...]] = {}


def _word_votes(word: str) -> tuple[tuple[str, float], ...]:
    """What one word votes for, remembered: "la" is French, Spanish and Italian, a
    third each; "l'ambassade" votes as "l"."""
    table = _function_words()
    runs = (word,) if word.isalpha() else _WORD.findall(word)
    if len(_VOTES_OF) > 200_000:
        _VOTES_OF.clear()
    _VOTES_OF[word] = found = tuple(
        (language, 1 / len(table[run])) for run in runs if run in table for language in table[run]
    )
    return found


def _votes(tokens: Iterable[str]) -> Votes:
    """Function-word votes per language."""
    counts: Votes = {}
    known = _VOTES_OF
    for token in tokens:
        for language, weight in known[token] if token in known else _word_votes(token):
            counts[language] = counts.get(language, 0.0) + weight
    return counts


def vote(text: str) -> str | None:
    """The language whose function words clearly dominate `text`, or None."""
    return _decisive(_votes(_WORD.findall(text.lower())))


def _decisive(votes: Votes) -> str | None:
    ranked = [*sorted(votes.items(), key=itemgetter(1), reverse=True)[:2], ("", 0.0), ("", 0.0)]
    (best, n), (_, runner_up) = ranked[0], ranked[1]
    return best if n >= MIN_VOTES and n >= MIN_MARGIN * runner_up else None


def _agrees(votes: Votes, language: str) -> bool:
    """True when `language` has function words and no other language has more."""
    own = votes.get(language, 0)
    return own > 0 and all(n <= own for n in votes.values())


@cache
def _langdetect():
    from langdetect import DetectorFactory, detect_langs  # ~35 ms import: only when needed

    DetectorFactory.seed = 0
    return detect_langs


def langdetect(text: str) -> tuple[str, float]:
    """langdetect's best guess and its probability, ("und", 0) when it cannot tell."""
    sample = text[:SAMPLE_CHARS]
    if _letters(sample) < MIN_LETTERS:
        return UNDETERMINED, 0.0
    try:
        best = _langdetect()(sample)[0]
    except Exception:  # langdetect raises its own error on text without features
        return UNDETERMINED, 0.0
    return best.lang.split("-")[0], best.prob


def detect(text: str) -> str:
    """The language code of `text`, or "und" when there is too little to tell."""
    if _letters(text[:1000]) < MIN_LETTERS:
        return UNDETERMINED
    return vote(text) or langdetect(text)[0]


def article_languages(
    text: str, regions: tuple[Region, ...], declared: str | None = None, words: Words | None = None
) -> tuple[str, tuple[Region, ...]]:
    """The article's language, and a `language` region for each paragraph in another one.

    The article's language is judged on its body (captions from other stories, titles
    and boilerplate left out); `declared` (from metadata) wins when given.
    """
    words = Words(text) if words is None else words
    skip = [(r.start, r.end) for r in regions if r.kind in NON_BODY]
    paragraphs = [(p, _votes(words.within(p.start, p.end))) for p in lines_of(text)]
    body = [
        (p, votes) for p, votes in paragraphs if not any(p.start < e and s < p.end for s, e in skip)
    ]
    language = (declared or "").strip().lower() or _body_language(text, body)
    foreign = []
    for paragraph, votes in paragraphs:
        if len(paragraph.text) < MIN_PARAGRAPH_CHARS or _agrees(votes, language):
            continue
        voted = _decisive(votes)
        code, confidence = (voted, 1.0) if voted else langdetect(paragraph.text)
        if code not in (language, UNDETERMINED) and confidence >= MIN_CONFIDENCE:
            foreign.append(Region(paragraph.start, paragraph.end, OTHER_LANGUAGE, code))
    return language, tuple(foreign)


def _body_language(text: str, body: list[tuple[Line, Votes]]) -> str:
    """`detect` on the body, from its paragraphs' votes (votes add up)."""
    if not body:
        return detect(text)
    joined = " ".join(p.text for p, _ in body)
    if _letters(joined[:1000]) < MIN_LETTERS:
        return UNDETERMINED
    votes: Votes = {}
    for _, paragraph_votes in body:
        for language, count in paragraph_votes.items():
            votes[language] = votes.get(language, 0.0) + count
    return _decisive(votes) or langdetect(joined)[0]
