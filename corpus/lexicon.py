"""Word lists kept as data files, one folder per language (`common` for all).

Lists live in `corpus/data/<lang>/<name>.txt`, one entry per line; `#` starts a
comment line. Keeping them out of code lets a linguist extend a language without
touching Python, and keeps the detector honest: no names from one corpus in code.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from functools import cache
from importlib import resources

from .words import Words, bare

_DATA = resources.files(__package__).joinpath("data")


@cache
def languages() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in _DATA.iterdir() if p.is_dir() and p.name != "common"))


# The lists without which the claim detector reads a language by its numbers, names and
# dates alone: who says what, and the writer's own voice, opinion and doubt.
DETECTOR_LISTS = ("reporting_verbs", "first_person", "hedges", "opinion")


@cache
def detector_languages() -> tuple[str, ...]:
    """The languages (ISO 639-1 codes) whose folder holds every one of DETECTOR_LISTS:
    those the claim detector knows. In any other its highlights are a guess."""
    return tuple(
        language
        for language in languages()
        if all(_DATA.joinpath(language, f"{name}.txt").is_file() for name in DETECTOR_LISTS)
    )


@cache
def entries(language: str, name: str) -> tuple[str, ...]:
    """The entries of one list, lower-cased, in file order; empty if the language has none."""
    path = _DATA.joinpath(language, f"{name}.txt")
    if not path.is_file():
        return ()
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line.lower() for line in lines if line and not line.startswith("#"))


@cache
def words(language: str, name: str) -> frozenset[str]:
    return frozenset(entries(language, name))


@cache
def all_entries(name: str) -> tuple[str, ...]:
    """One list merged across every language and `common`: for cues that travel."""
    merged: dict[str, None] = {}
    for language in ("common", *languages()):
        merged.update(dict.fromkeys(entries(language, name)))
    return tuple(merged)


@cache
def all_words(name: str) -> frozenset[str]:
    """`all_entries` as a set, to test words against."""
    return frozenset(all_entries(name))


def _phrase_regex(entry: str) -> str:
    """One lexicon entry as a regex: `word*` matches any ending, ` * ` up to two words."""
    parts = []
    for word in entry.split():
        if word == "*":
            parts.append(r"(?:\S+\s+){0,2}?")
            continue
        stem = re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else "")
        parts.append(re.sub("['’]", "['’]", stem) + r"\s+")
    return "".join(parts)[: -len(r"\s+")]


@cache
def pattern(language: str, name: str) -> re.Pattern[str]:
    """A case-insensitive regex matching any entry of a list, as whole words.

    Lists are taken from `language` and `common`; for a language with no list of that
    name, from every language, so text in other languages still gets the shared cues.
    With no entries at all, it matches nothing.
    """
    found = entries(language, name) + entries("common", name)
    if not entries(language, name):
        found = all_entries(name)
    if not found:
        return re.compile(r"(?!)")
    alternatives = sorted({_phrase_regex(e) for e in found}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


_GAP = re.compile(r"\s+(?:\S+\s+){0,2}")  # what ` * ` in an entry stands for


class Index:
    """Every entry of several lists, to find them all in a text's tokens (see `Words`).

    Single words are found by dictionary lookup, `word*` by prefix, and a phrase by
    comparing tokens only where its longest word is ("en raison de" where "raison" is):
    an order of magnitude faster than a regex per list, which matters at 1 MB/s.
    """

    def __init__(self, lists: dict[str, tuple[str, ...]]) -> None:
        self.words: dict[str, list[str]] = {}
        self.prefixes: dict[str, list[str]] = {}
        # Key word -> (list, the phrase's words, where the key word stands in it).
        self.heads: dict[str, list[tuple[str, tuple[str, ...], int]]] = {}
        phrases: dict[str, set[str]] = {}
        for name, found in lists.items():
            for entry in (e.replace("’", "'") for e in found):
                if " " in entry:
                    phrases.setdefault(name, set()).add(entry)
                    parts = tuple(entry.split())
                    head = _key_word(parts)
                    self.heads.setdefault(parts[head], []).append((name, parts, head))
                elif entry.endswith("*"):
                    self.prefixes.setdefault(entry[:-1], []).append(name)
                else:
                    self.words.setdefault(entry, []).append(name)
        self.phrase_sets = {name: frozenset(found) for name, found in phrases.items()}
        self.prefix_lengths = sorted({len(p) for p in self.prefixes})
        self._names: dict[str, tuple[str, ...]] = {}

    def _lookup(self, word: str) -> tuple[str, ...]:
        """The lists a word belongs to (whole or by prefix), remembered: news repeats
        its words, so most tokens are found with one dictionary lookup."""
        names = list(self.words.get(word, ()))
        for length in self.prefix_lengths:
            if len(word) < length:
                break
            names.extend(self.prefixes.get(word[:length], ()))
        if not names and "-" in word.strip("-"):
            # A compound listed by its parts: "quatre-vingt-dix", "twenty-five" and
            # "dix-huit" are number words when each part is one.
            parts = [self._lookup(part) for part in word.split("-")]
            names = [name for name in parts[0] if all(name in other for other in parts[1:])]
        if len(self._names) > 200_000:
            self._names.clear()
        self._names[word] = found = tuple(names)
        return found

    def names_of(self, words_: list[str]) -> list[tuple[str, ...]]:
        """For each word, the lists it belongs to (as a whole word or by prefix)."""
        known = self._names
        return [known[w] if w in known else self._lookup(w) for w in words_]

    def phrases_in(
        self, words_: Words, where: Mapping[str, list[int]]
    ) -> dict[str, dict[int, int]]:
        """list -> {start: end} of its phrases in the text, given where (at least) each
        key word present in it stands."""
        found: dict[str, dict[int, int]] = {}
        starts = words_.starts
        for head in self.heads.keys() & where.keys():
            for position in where[head]:
                i = bisect_right(starts, position) - 1  # the token holding the key word
                for name, parts, at in self.heads[head]:
                    first = i - at
                    end = _match(parts, words_, first, None) if first >= 0 else None
                    if end is not None:
                        # The phrase may start after an elision: "l'Union européenne".
                        elided = words_.words[first]
                        start = starts[first] + len(elided) - len(bare(elided))
                        found.setdefault(name, {})[
                            start if elided != parts[0] else starts[first]
                        ] = end
        return found

    def names_in(self, text: str) -> set[str]:
        """The lists with an entry in `text`."""
        words_ = Words(text)
        found: set[str] = set()
        where: dict[str, list[int]] = {}
        for position, word in zip(words_.starts, words_.words, strict=True):
            for w in {word, bare(word)}:
                found.update(self.names_of([w])[0])
                where.setdefault(w, []).append(position)
        return found | self.phrases_in(words_, where).keys()


def _key_word(parts: tuple[str, ...]) -> int:
    """Which word of a phrase to look for: the longest whole word, the likeliest to be
    rare; the first when a gap (`*`) comes before it, so that its place is fixed."""
    plain = [i for i, w in enumerate(parts) if w != "*" and not w.endswith("*")]
    if not plain:
        raise ValueError(f"lexicon phrase {' '.join(parts)!r} needs one whole word")
    longest = max(plain, key=lambda i: len(parts[i]))
    return plain[0] if "*" in parts[:longest] else longest


def _same(word: str, part: str) -> bool:
    return word == part or (part.endswith("*") and word.startswith(part[:-1]))


def _match(parts: tuple[str, ...], words_: Words, i: int, after: int | None) -> int | None:
    """Where a phrase ends if its words match the tokens from index `i` on, each after
    the previous one with only white space between; None if they do not. `after` is
    where the previous word matched ended."""
    if not parts:
        return after
    text, starts, tokens = words_.text, words_.starts, words_.words
    if parts[0] == "*":  # up to two words of any kind
        for skip in range(3):
            k = i + skip
            gap = text[after : starts[k]] if k < len(starts) else ""
            if gap and _GAP.fullmatch(gap) and (end := _match(parts[1:], words_, k, None)):
                return end
        return None
    if i >= len(tokens) or (after is not None and not text[after : starts[i]].isspace()):
        return None
    word, part = tokens[i], parts[0]
    if after is None:
        word = word if _same(word, part) else bare(word)  # the first word: "l'union"
    if not _same(word, part):
        return None
    return _match(parts[1:], words_, i + 1, starts[i] + len(tokens[i]))


@cache
def index(language: str, names: tuple[str, ...]) -> Index:
    """An Index of lists from `language` and `common` (or every language when
    `language` has no such list, so other languages still get the shared cues)."""
    lists = {}
    for name in names:
        found = entries(language, name) + entries("common", name)
        lists[name] = found if entries(language, name) else all_entries(name)
    return Index(lists)
