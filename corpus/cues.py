"""The evidence a sentence gives for and against being a checkable claim.

Each cue is a short name with a value (usually 0 or 1). The cues and their strengths
follow what holds across news and check-worthiness data (design notes): quantities,
percentages, money, dates, named people and offices, past events, change,
comparison and cause count for a claim; questions, exclamations, orders, the writer's
own voice, hedges and predictions, opinion, loaded words, oaths and very short
segments count against. Words come from the lexicons, never from code.
"""

from __future__ import annotations

import re
from functools import cache

from .dates import find_dates
from .lexicon import all_entries, pattern, words
from .sentences import quoted_ranges

_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_PERCENT_SIGN = re.compile(r"%")
_CURRENCY_SIGN = re.compile(r"[$€£¥]")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CAPITALISED = re.compile(r"(?<![.!?«“\"]\s)(?<!^)\b[A-ZÀ-ÖØ-Þ][\w'’-]*")
_FR_PAST = re.compile(
    r"\b(?:a|ont|avait|avaient|eut|aurait|auraient|ayant|a-t-(?:il|elle|on)|est|sont|était|"
    r"étaient|fut|furent|sera|seront)\s+(?:(?:été|pas|plus|jamais|déjà|bien|ainsi|encore|aussi|"
    r"même|d'ailleurs|d’ailleurs|également|officiellement|récemment|notamment|finalement|"
    r"enfin|effectivement|en effet)\s+){0,3}[a-zàâçéèêëîïôûùüÿœ-]+(?:é|ée|és|ées|i|ie|is|ies|"
    r"it|ite|its|u|ue|us|ues|ert|erte|erts|ort|orte|orts|int|inte|ints)\b",
    re.IGNORECASE,
)
_EN_PAST = re.compile(r"\b[a-z]{2,}(?<!e)ed\b|\b[a-z]+ied\b", re.IGNORECASE)
_EN_NOT_PAST = frozenset({"hundred", "indeed", "naked", "wicked", "sacred", "kindred", "need"})
_FUTURE_FR = re.compile(r"\b[a-zéèêàç]{2,}(?:eront|iront|dront|eraient|iraient|draient)\b")


@cache
def _starters() -> frozenset[str]:
    return frozenset(all_entries("sentence_starters")) | frozenset(all_entries("function_words"))


def _count(language: str, name: str, text: str) -> int:
    regex = pattern(language, name)
    return len(regex.findall(text)) if regex else 0


def _voices(sentence: str) -> tuple[str, str, str]:
    """(what is asserted, the wording that judges it, the writer's own words).

    In a sentence that is mostly a quotation ("« ... », a réagi X"), the quotation is
    what is asserted, and its wording (opinion, promise, hedge) decides. Otherwise the
    whole sentence is asserted, judged on the writer's words outside quotations. The
    first person counts only in the writer's words: a speaker saying "we received 40%
    more calls" reports a fact.
    """
    ranges = quoted_ranges(sentence)
    chars = list(sentence)
    for start, end in ranges:
        chars[start : end + 1] = " " * (end + 1 - start)
    writer = "".join(chars)
    quoted = sum(end - start for start, end in ranges)
    if ranges and quoted >= len(sentence) / 2:
        inside = " ".join(sentence[start + 1 : end] for start, end in ranges)
        return inside, inside, writer
    return sentence, writer, writer


def _first_person(text: str, language: str) -> bool:
    """ "je", "we"...; not "Me" (Maître) or "notre ère" style titles and idioms."""
    pronouns = words(language, "first_person")
    titles = frozenset(all_entries("titles"))
    return any(
        w.lower() in pronouns and not (w[:1].isupper() and w.lower() in titles)
        for w in _WORD.findall(text)
    )


def cues(sentence: str, language: str) -> dict[str, float]:
    """Cue name -> value for one sentence or clause; absent cues are zero."""
    found: dict[str, float] = {}
    stripped = sentence.rstrip(' »”"’)]\xa0')
    tokens = _WORD.findall(sentence)
    sentence, own_words, writer = _voices(sentence)

    dates = find_dates(sentence)
    without_dates = sentence
    for d in reversed(dates):
        without_dates = without_dates[: d.start] + without_dates[d.end :]
    without_dates = _YEAR.sub("", without_dates)
    if _DIGIT.search(without_dates) or _count(language, "magnitudes", sentence):
        found["number"] = 1
    if _PERCENT_SIGN.search(sentence) or _count(language, "percent", sentence):
        found["percent"] = 1
    if _CURRENCY_SIGN.search(sentence) or _count(language, "money", sentence):
        found["money"] = 1
    if dates or _YEAR.search(sentence) or _count(language, "weekdays", sentence):
        found["date"] = 1
    names = {
        m.group(0) for m in _CAPITALISED.finditer(sentence) if m.group(0).lower() not in _starters()
    }
    if names:
        found["named"] = min(len(names), 3) / 3
    if _count(language, "offices", sentence):
        found["office"] = 1
    past = (
        _FR_PAST.findall(sentence)
        if language == "fr"
        else [w for w in _EN_PAST.findall(sentence) if w.lower() not in _EN_NOT_PAST]
    )
    if past or _count(language, "past_verbs", sentence):
        found["past-event"] = 1
    for name, cue in (
        ("change_verbs", "change"),
        ("comparatives", "comparison"),
        ("causal", "cause"),
    ):
        if _count(language, name, sentence):
            found[cue] = 1

    if stripped.endswith("?") or "?" in own_words[-3:]:
        found["question"] = 1
    elif stripped.endswith("!"):
        found["exclamation"] = 1
    opening = pattern(language, "imperative_starts")
    if opening and opening.match(sentence.lstrip(' «“"')):
        found["imperative"] = 1
    if _first_person(writer, language):
        found["first-person"] = 1
    hedges = _count(language, "hedges", own_words) + len(_FUTURE_FR.findall(own_words))
    if hedges:
        found["hedge"] = min(hedges, 2) / 2
    if _count(language, "opinion", own_words):
        found["opinion"] = 1
    loaded = _count(language, "loaded", own_words)
    if loaded:
        found["loaded"] = min(loaded, 2) / 2
    if _count(language, "oaths", sentence):
        found["oath"] = 1
    if len(tokens) <= 6:
        found["short"] = 1
    return found
