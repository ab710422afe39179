"""Who a claim is attributed to, and whether that source can be checked.

Attribution is everywhere in news, so it says little about whether a sentence is worth
checking; it says a lot about how: "selon une source de sécurité" and "critics say"
name no one a reader could ask. That drives the reader's "unsourced" hint.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from .lexicon import all_words, entries, index, pattern, words
from .sentences import quoted_ranges

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|\d[\d\s.,]*|[«»“”„\"]|[,.;:!?()]")
_STOP = re.compile(r"[,.;:!?()«»“”„\"]")
_QUOTES = frozenset('«»“”„"')


@cache
def _subordinators() -> tuple[frozenset[str], tuple[str, ...], re.Pattern[str]]:
    """The words that open what was said ("que", "that", "dass": `subordinators` in
    every language, with ":"), their elided forms ("qu'"), and a regex for one of them
    right after a verb: a verb followed by one introduces what was said, so is not
    inverted."""
    entries = all_words("subordinators")
    elided = tuple(e for e in entries if e.endswith("'"))
    elided += tuple(e[:-1] + "’" for e in elided)
    alternatives = [re.escape(e[:-1]) + "['’]" for e in elided if e.endswith("'")]
    alternatives += [re.escape(e) + r"\b" for e in entries if not e.endswith("'")]
    after = re.compile(r"\s+(?:" + "|".join(sorted(alternatives)) + ")", re.IGNORECASE)
    return entries | set(elided) | {":"}, elided, after


# Auxiliaries, adverbs and relative pronouns between a subject and its verb: "X a
# d'ailleurs souligné", "X, qui affirme".
MAX_SOURCE_WORDS = 12


@dataclass(frozen=True)
class Attribution:
    attributed: bool
    source: str | None = None
    vague: bool = False


NONE = Attribution(False)


@cache
def _verbs(language: str) -> tuple[frozenset[str], frozenset[str]]:
    return words(language, "reporting_verbs"), words(language, "reporting_verbs_ambiguous")


LISTS = ("reporting_verbs", "attribution_markers", "vague_sources")


def attribute(
    sentence: str,
    language: str,
    lists: Collection[str] | None = None,
    markers: list[tuple[int, int]] | None = None,
) -> Attribution:
    """Does `sentence` name a source, who, and is that source vague?

    `lists`, which of LISTS have an entry in the sentence, and `markers`, where its
    attribution markers are (start, end), save looking again when the caller knows.
    """
    if lists is None:
        lists = index(language, LISTS).names_in(sentence)
    if "attribution_markers" in lists:
        if markers is None:
            found = pattern(language, "attribution_markers").finditer(sentence)
            markers = [m.span() for m in found]
        for a, b in markers:
            if sentence[a:b].lower().replace("’", "'") in all_words("source_markers"):
                return _judged(_before_a_verb(_phrase_after(sentence, b), language), language)
    verb = _reporting_verb(sentence, language) if "reporting_verbs" in lists else None
    if verb is None:
        vague = "vague_sources" in lists and _vague_marker(sentence, language)
        return _judged(None, language) if vague else NONE
    return _judged(_speaker(sentence, verb, language), language)


@cache
def _trailing(language: str) -> re.Pattern[str]:
    """The words closing a speaker's phrase that are not the speaker ("qui a", "che
    ha": `speaker_trailers`), as a regex for the end of the text before the verb."""
    trailers = sorted(entries(language, "speaker_trailers"), key=lambda w: (-len(w), w))
    if not trailers:
        return re.compile(r"(?!)")  # nothing to strip
    return re.compile(r"(?:\s+(?:" + "|".join(map(re.escape, trailers)) + "))+$", re.IGNORECASE)


def _judged(source: str | None, language: str) -> Attribution:
    source = _tidy(source)
    return Attribution(True, source, source is None or _is_vague(source, language))


def _reporting_verb(sentence: str, language: str) -> re.Match[str] | None:
    """The first reporting verb used as one: after an auxiliary, before "que"/"that",
    or beside a quotation. Words with other senses ("dit", "continued") need the
    stronger signals."""
    verbs, ambiguous = _verbs(language)
    if not verbs:
        return None
    subordinators, elided, _ = _subordinators()
    tokens = list(_TOKEN.finditer(sentence))
    lowered = [t.group(0).lower() for t in tokens]
    quoted = quoted_ranges(sentence)
    for i in [i for i, word in enumerate(lowered) if word in verbs]:
        token, word = tokens[i], lowered[i]
        if any(a < token.start() < b for a, b in quoted):
            continue  # a verb inside the quotation is the speaker's, not the report's
        before, after = lowered[max(0, i - 3) : i], lowered[i + 1 : i + 3]
        strong = any(w in subordinators or w.startswith(elided) for w in after) or (
            not _QUOTES.isdisjoint(lowered[max(0, i - 4) : i + 4])
        )
        if not strong and before and before[-1] in words(language, "passive_auxiliaries"):
            continue  # "le geste est salué": what is said of, not who says
        after_aux = bool(words(language, "auxiliaries") & set(before))
        # "..., ha detto il ministro": a comma, an auxiliary, the verb: a report even
        # for a verb with other senses ("detto", "dit").
        inverted = (
            len(before) >= 2 and before[-2] == "," and before[-1] in words(language, "auxiliaries")
        )
        if strong or inverted or (word not in ambiguous and (after_aux or language != "fr")):
            return token
    return None


def _speaker(sentence: str, verb: re.Match[str], language: str) -> str | None:
    """Who spoke: after the verb when it is inverted behind a quotation or a comma
    (« ... », a déclaré X / "...," said X), else the subject just before it."""
    before = sentence[: verb.start()]
    inverted = re.search(r"[»”\",][\s,]*(\w[\w'’-]*\s+)?$", before)
    # Inversion ("», a déclaré X") reads the same in every language: any auxiliary.
    auxiliary = inverted and (inverted.group(1) or "").strip().lower()
    if (
        inverted
        and not _subordinators()[2].match(sentence, verb.end())
        and (not auxiliary or auxiliary in all_words("auxiliaries"))
    ):
        after = _speaker_after(_phrase_after(sentence, verb.end()), language)
        if after:
            return _time_phrase().sub("", after).strip() or after
    subject = _trailing(language).sub("", before.rstrip()).rstrip(" ,")
    parts = re.split(r"[«»“”\"]|,\s", subject)
    articles = words(language, "indefinite_articles")
    apposition = before.rstrip().endswith(",") and _first_word(parts[-1]) in articles
    if apposition and len(parts) > 1 and parts[-2].strip():
        parts.pop()  # "X, a local group, said": X speaks, the apposition says who X is
    speaker = _last_clause(parts[-1], language).strip()
    # "», a-t-il dit": an auxiliary holding its pronoun names no one.
    return None if speaker.lower() in all_words("auxiliaries") else speaker or None


def _before_a_verb(phrase: str | None, language: str) -> str | None:
    """The source named after a marker, up to the sentence's auxiliary where no comma
    comes first ("Laut Polizei wurden 300 Menschen festgenommen": "Polizei")."""
    if not phrase:
        return None
    verbs = _verb_forms(language)
    words_ = phrase.split()
    for i, word in enumerate(words_[1:], start=1):
        if word.lower() in verbs:
            return " ".join(words_[:i])
    return phrase


@cache
def _verb_forms(language: str) -> frozenset[str]:
    """The auxiliaries of `language`: words that are verbs and nothing else ("wurden",
    "hat"; a reporting verb or a past form may be a noun: "report", "released")."""
    return words(language, "auxiliaries") | words(language, "passive_auxiliaries")


def _speaker_after(phrase: str | None, language: str) -> str | None:
    """The speaker named after an inverted verb: the phrase up to the next reporting
    verb ("a rapporté X précisant que"). None when what was said starts first ("a
    affirmé au ministre que"): the verb was not inverted, and whom it was said to
    is no speaker."""
    if not phrase:
        return None
    subordinators, elided, _ = _subordinators()
    verbs = _verbs(language)[0]
    kept: list[str] = []
    for word in phrase.split():
        lowered = word.lower()
        if lowered in subordinators or lowered.startswith(elided):
            return None
        if lowered in verbs:
            break
        kept.append(word)
    return " ".join(kept) or None


def _last_clause(subject: str, language: str) -> str:
    """The subject of the reporting verb, not a clause before it: after a verb of its
    own (an auxiliary), the words after the next joining word ("ont été en visite à
    Téhéran et les parties ont évoqué": "les parties")."""
    tokens = subject.split()
    auxiliaries, joiners = words(language, "auxiliaries"), words(language, "name_joiners")
    verb_at = [i for i, token in enumerate(tokens) if token.lower() in auxiliaries]
    if verb_at:
        joined = [i for i in range(verb_at[-1] + 1, len(tokens)) if tokens[i].lower() in joiners]
        if joined:
            return " ".join(tokens[joined[0] + 1 :])
    return subject


def _phrase_after(sentence: str, position: int) -> str | None:
    """Up to the next punctuation, at most MAX_SOURCE_WORDS words."""
    rest = sentence[position:].lstrip()
    cut = _STOP.search(rest)
    while cut and cut.group() == "." and _ends_title(rest, cut.start()):
        cut = _STOP.search(rest, cut.end())  # "a lancé M. Aubertin"
    phrase = rest[: cut.start()] if cut else rest
    return " ".join(phrase.split()[:MAX_SOURCE_WORDS]) or None


def _ends_title(text: str, period: int) -> bool:
    """The period at `period` closes an abbreviated title ("M.", "Dr.")."""
    before = text[:period].split()
    return bool(before) and before[-1].lower() in all_words("titles")


def _tidy(source: str | None) -> str | None:
    if not source:
        return None
    source = source.strip(" ,;:«»“”\"'")
    words_ = source.split()
    if len(words_) > MAX_SOURCE_WORDS:
        source = " ".join(words_[-MAX_SOURCE_WORDS:])
    return source or None


def _vague_marker(sentence: str, language: str) -> bool:
    """A source noun ("sources", "fuentes", `source_nouns` in every language) and a
    vague source in the sentence."""
    vague = pattern(language, "vague_sources")
    return bool(_source_nouns().search(sentence) and vague.search(sentence))


@cache
def _time_phrase() -> re.Pattern[str]:
    """A day or a date opening the words after an inverted reporting verb ("lundi le
    ministre", "ayer el ministro", "am Montag der Minister"): every language's
    `time_openers` and `weekdays` (days and relative dates), or a number and a word."""
    openers = _alternatives(all_words("time_openers"))
    days = _alternatives(all_words("weekdays"))
    return re.compile(
        rf"^(?:(?:{openers})\s+)?(?:(?:\w+\s+)?\d{{1,2}}\s+\w+|(?:{days})\b)\s*", re.IGNORECASE
    )


def _alternatives(entries: Collection[str]) -> str:
    """A regular expression matching any of `entries` (phrases with any spaces), the
    longest first."""
    ordered = sorted(entries, key=lambda e: (-len(e), e))
    return "|".join(r"\s+".join(map(re.escape, e.split())) for e in ordered)


def _first_word(text: str) -> str:
    return text.split()[0].lower() if text.split() else ""


@cache
def _source_nouns() -> re.Pattern[str]:
    nouns = sorted(all_words("source_nouns"), key=lambda n: (-len(n), n))
    return re.compile(r"\b(?:" + "|".join(map(re.escape, nouns)) + r")\b", re.IGNORECASE)


def _is_vague(source: str, language: str) -> bool:
    """No one a reader could identify: "une source de sécurité", "critics", "some"."""
    vague = pattern(language, "vague_sources")
    if vague.match(source):
        return True
    tokens = source.split()
    first = tokens[0].lower().strip("'’")
    named = any(t[:1].isupper() for t in tokens[1:])
    indefinite = words(language, "indefinite_articles") | words(language, "indefinite_determiners")
    return first in indefinite and not named
