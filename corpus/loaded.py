"""Loaded and evaluative language: words that tell the reader what to feel.

Reported apart from claims, as a teaching aid the reader can show on request
("superbement", "stupide", "méga revers", "régime", "an evil regime"). The lists are
in the lexicons; a loaded word can sit in a checkable sentence, so this is a lens for
reading, not a verdict.
"""

from __future__ import annotations

from .article import Region
from .cues import Evidence
from .vocabulary import OTHER_LANGUAGE

SKIP = frozenset({"boilerplate", "source", "label", "dateline", "byline"})


def loaded_regions(
    text: str,
    language: str,
    regions: tuple[Region, ...] = (),
    evidence: Evidence | None = None,
) -> tuple[Region, ...]:
    """A `loaded` region for each loaded word or phrase outside site furniture."""
    evidence = Evidence(text) if evidence is None else evidence
    skip = [(r.start, r.end) for r in regions if r.kind in SKIP]
    foreign = sorted((r for r in regions if r.kind == OTHER_LANGUAGE), key=lambda r: r.start)
    found = []
    for paragraph_language, start, end in _stretches(text, language, foreign):
        for a, b in evidence[paragraph_language].spans("loaded"):
            if start <= a < end and not any(s <= a < e for s, e in skip):
                found.append(Region(a, b, "loaded", paragraph_language))
    return tuple(found)


def _stretches(text: str, language: str, foreign: list[Region]):
    """(language, start, end) covering the text: the article's language between
    paragraphs marked as being in another one."""
    position = 0
    for region in foreign:
        yield language, position, region.start
        yield region.language or language, region.start, region.end
        position = region.end
    yield language, position, len(text)
