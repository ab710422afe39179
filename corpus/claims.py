"""Check-worthiness: which sentences (or clauses) of an article a reader should check.

A deterministic, explainable scorer: the cues of `cues.py` weighed in a logistic
model, so every highlight comes with the short names of its evidence. Titles,
captions, boilerplate and the like (found at ingestion) are never claims.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import NamedTuple

from .article import Claim, Region
from .attribution import NONE, attribute
from .cues import Evidence
from .sentences import quoted_ranges, split
from .speech import WORDING, model, speaking
from .vocabulary import HEADING, NON_BODY, OTHER_LANGUAGE

THRESHOLD = 0.40
BIAS = -1.7
# Weights of the logistic model (positive: evidence for a claim). The positive ones
# were fitted on the tuning sets (bench/fit_claim_weights.py) and rounded; the rare,
# decisive negative cues (questions, oaths, orders) keep strengths from public
# check-worthiness data (a question is ~6x less likely to be check-worthy), which a
# small tuning set cannot estimate. The held-out sets are only ever measured.
WEIGHTS = {
    "number": 1.5,
    "past-event": 1.1,
    "passive-event": 0.3,
    "named": 1.0,
    "date": 1.0,
    "office": 0.5,
    "attributed": 0.5,
    "change": 0.4,
    "percent": 0.3,
    "money": 0.3,
    "comparison": 0.25,
    "cause": 0.15,
    # The speech model's evidence (speech.py), already in log-odds: fitted on debates.
    WORDING: 1.0,
    "question": -3.0,
    "oath": -3.0,
    "imperative": -2.0,
    "exclamation": -1.5,
    "first-person": -1.0,
    "hedge": -1.0,
    "opinion": -1.0,
    "short": -1.0,
    "loaded": -0.5,
}
# A long sentence is split into clauses at semicolons, and where a colon opens a
# quotation ("X a sommé les troupes de partir : « ... »"), when each side is long
# enough to assert something of its own: the report and the quote are judged apart.
CLAUSE_FROM = 160
MIN_CLAUSE = 50
_CLAUSE_BREAK = re.compile(r";\s+|:[\s\xa0]+(?=[«“„\"])")


class Scored(NamedTuple):  # a tuple: made for every sentence, it must be cheap
    start: int
    end: int
    score: float
    cues: tuple[str, ...]
    attributed: bool
    source: str | None
    vague_source: bool
    skipped: str | None = None  # the region kind that keeps it from being a claim


def _evidence(features: dict[str, float]) -> float:
    """The weighted sum of the cues, before the bias."""
    return sum(WEIGHTS.get(name, 0.0) * value for name, value in features.items())


def _logistic(evidence: float) -> float:
    return 1 / (1 + math.exp(-(BIAS + evidence)))


def _explained(features: dict[str, float]) -> tuple[str, ...]:
    """Cue names, strongest evidence for first, then the evidence against."""
    weighted = sorted(features, key=lambda n: (-WEIGHTS.get(n, 0) * features[n], n))
    return tuple(weighted)


# What opens a line without being part of its sentence: a bullet, a dash before a
# space, quoted mail's ">".
_MARKER = re.compile(r"(?:[>•·▪►*]|[-–—](?=\s))[\s>•·▪►*]*")


def sentences(
    text: str,
    language: str,
    regions: tuple[Region, ...] = (),
    evidence: Evidence | None = None,
    attribute_below: float = 0.0,
) -> Iterator[Scored]:
    """Every sentence (or clause) of the text with its score, in order.

    Attribution is worked out for every sentence that could score `attribute_below` or
    more with it; for the rest (they cannot become claims) it is left unknown, which
    saves the costliest per-sentence step.
    """
    skip = [r for r in regions if r.kind in NON_BODY or r.kind == HEADING]
    foreign = [r for r in regions if r.kind == OTHER_LANGUAGE]
    evidence = Evidence(text) if evidence is None else evidence
    for start, end in split(text):
        marker = _MARKER.match(text, start, end)
        if marker and marker.end() < end:  # a list's bullet or quoted mail's ">"
            start = marker.end()
        region = next((r for r in skip if r.start < end and start < r.end), None)
        if region is not None and region.start <= start and region.end < end:
            # A region opening the sentence ("WASHINGTON (Reuters) -"): the rest is body.
            yield Scored(start, region.end, 0.0, (region.kind,), False, None, False, region.kind)
            start = end - len(text[region.end : end].lstrip())
            region = next((r for r in skip if r.start < end and start < r.end), None)
        if region is not None:
            yield Scored(start, end, 0.0, (region.kind,), False, None, False, region.kind)
            continue
        lang = next((r.language for r in foreign if r.start <= start < r.end), None) or language
        yield from _scored_clauses(evidence, lang, start, end, attribute_below)


def _scored_clauses(
    evidence: Evidence, language: str, start: int, end: int, attribute_below: float
) -> Iterator[Scored]:
    sentence = evidence.text[start:end]
    spans = _clauses(sentence) if len(sentence) >= CLAUSE_FROM else [(0, len(sentence))]
    quoted = quoted_ranges(sentence)
    cut = _quoted_sentences(sentence, spans, quoted)
    # Parts of a quotation are judged knowing what of them is quoted.
    quotations = [(start + a, start + b) for a, b in quoted] if cut != spans else None
    cues = evidence[language]
    found = [(a, b, cues.span(start + a, start + b, quotations)) for a, b in cut]
    speech = model(language)
    if speech is not None:
        within = evidence.words.within
        for a, b, features in found:
            inside = [(max(x, a) - a, min(y, b) - a) for x, y in quoted if x < b and y > a]
            own_words = speaking(features, sentence[a:b], inside)
            learned = round(speech.evidence(within(start + a, start + b), features, own_words), 2)
            if learned:
                features[WORDING] = learned
    clauses = [(a, b, features, _evidence(features)) for a, b, features in found]
    attributed = WEIGHTS["attributed"]
    best = _logistic(max(e for *_, e in clauses) + attributed)
    lists = evidence.attribution_lists(language, start, end) if best >= attribute_below else ()
    markers = evidence.markers(language, start, end) if "attribution_markers" in lists else None
    who = attribute(sentence, language, lists, markers) if lists else NONE
    for a, b, features, weighed in clauses:
        if who.attributed:
            features["attributed"] = 1
            weighed += attributed  # "attributed" is the last cue, as in the sum above
        yield Scored(
            start + a,
            start + b,
            round(_logistic(weighed), 4),
            _explained(features),
            who.attributed,
            who.source,
            who.vague,
        )


def _quoted_sentences(
    sentence: str, spans: list[tuple[int, int]], quoted: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """`spans` cut where a quotation of several sentences starts another one: each
    quoted sentence is judged on its own ("« We lost 300 men in 2019. It is a
    disgrace », he said": the figure, not the disgrace), the report around the
    quotation going with the sentence it touches."""
    cuts = [start for a, b in quoted for start, _ in split(sentence, a + 1, b)[1:]]
    if not cuts:
        return spans
    out = []
    for a, b in spans:
        for cut in [c for c in cuts if a < c < b]:
            out.append((a, len(sentence[:cut].rstrip())))
            a = cut
        out.append((a, b))
    return out


def _clauses(sentence: str) -> list[tuple[int, int]]:
    quoted = quoted_ranges(sentence)
    cuts = [
        m.end()
        for m in _CLAUSE_BREAK.finditer(sentence)
        if not any(a < m.start() < b for a, b in quoted)
    ]
    spans, begin = [], 0
    for cut in cuts:
        if cut - begin >= MIN_CLAUSE and len(sentence) - cut >= MIN_CLAUSE:
            spans.append((begin, len(sentence[:cut].rstrip())))
            begin = cut
    spans.append((begin, len(sentence)))
    return spans


def detect(
    text: str,
    language: str,
    regions: tuple[Region, ...] = (),
    threshold: float = THRESHOLD,
    evidence: Evidence | None = None,
) -> tuple[Claim, ...]:
    """The claims of an article: every sentence or clause scoring at least `threshold`."""
    return tuple(
        Claim(s.start, s.end, s.score, s.cues, s.attributed, s.source, s.vague_source)
        for s in sentences(text, language, regions, evidence, attribute_below=threshold)
        if s.skipped is None and s.score >= threshold
    )
