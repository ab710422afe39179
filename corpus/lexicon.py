"""Word lists kept as data files, one folder per language (`common` for all).

Lists live in `corpus/data/<lang>/<name>.txt`, one entry per line; `#` starts a
comment line. Keeping them out of code lets a linguist extend a language without
touching Python, and keeps the detector honest: no names from one corpus in code.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_DATA = resources.files(__package__).joinpath("data")


@cache
def languages() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in _DATA.iterdir() if p.is_dir() and p.name != "common"))


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
def pattern(language: str, name: str) -> re.Pattern[str] | None:
    """A case-insensitive regex matching any entry of a list, as whole words.

    Lists are taken from `language` and `common`; for a language with no list of that
    name, from every language, so text in other languages still gets the shared cues.
    """
    found = entries(language, name) + entries("common", name)
    if not entries(language, name):
        found = all_entries(name)
    if not found:
        return None
    alternatives = sorted({_phrase_regex(e) for e in found}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
_ELIDED = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)'(?=\w)")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, with French elisions also seen without them
    ("l'ambassade" gives "l'ambassade" and "ambassade")."""
    found = []
    for token in _TOKEN.findall(text.lower().replace("’", "'")):
        found.append(token)
        if "'" in token and (bare := _ELIDED.sub("", token)) != token:
            found.append(bare)
    return found


class Index:
    """Every entry of several lists, to count them all in one pass over a text's tokens.

    Single words are found by dictionary lookup, `word*` by prefix, phrases by a regex
    that only runs when a phrase's longest word is present: an order of magnitude faster
    than one regex per list, which matters at 1 MB of text per second.
    """

    def __init__(self, lists: dict[str, tuple[str, ...]]) -> None:
        self.words: dict[str, list[str]] = {}
        self.prefixes: dict[str, list[str]] = {}
        phrases: dict[str, list[str]] = {}
        self.heads: dict[str, set[str]] = {}
        for name, found in lists.items():
            for entry in (e.replace("’", "'") for e in found):
                if " " in entry:
                    phrases.setdefault(name, []).append(entry)
                    # Keyed by its longest word, the likeliest to be rare ("en raison de"
                    # by "raison"): the regex runs only where that word is.
                    key = max((w for w in entry.split() if w != "*"), key=len).rstrip("*")
                    self.heads.setdefault(key, set()).add(name)
                elif entry.endswith("*"):
                    self.prefixes.setdefault(entry[:-1], []).append(name)
                else:
                    self.words.setdefault(entry, []).append(name)
        self.heads_of = {
            name: frozenset(w for w, names in self.heads.items() if name in names)
            for name in phrases
        }
        self.prefix_lengths = sorted({len(p) for p in self.prefixes})
        self._names: dict[str, tuple[str, ...]] = {}
        self.phrases = {
            name: re.compile(
                r"(?<!\w)(?:"
                + "|".join(sorted({_phrase_regex(e) for e in entries_}, key=len, reverse=True))
                + r")(?!\w)",
                re.IGNORECASE,
            )
            for name, entries_ in phrases.items()
        }
        self.phrase_sets = {name: frozenset(entries_) for name, entries_ in phrases.items()}

    def _lookup(self, word: str) -> tuple[str, ...]:
        """The lists a word belongs to (whole or by prefix), remembered: news repeats
        its words, so most tokens are found with one dictionary lookup."""
        names = list(self.words.get(word, ()))
        for length in self.prefix_lengths:
            if len(word) < length:
                break
            names.extend(self.prefixes.get(word[:length], ()))
        if len(self._names) > 200_000:
            self._names.clear()
        self._names[word] = found = tuple(names)
        return found

    def names_of(self, words_: list[str]) -> list[tuple[str, ...]]:
        """For each word, the lists it belongs to (as a whole word or by prefix)."""
        known = self._names
        return [known[w] if w in known else self._lookup(w) for w in words_]

    def phrase_regexes(
        self, words_: list[str]
    ) -> list[tuple[str, re.Pattern[str], frozenset[str]]]:
        """(list, its phrase regex, its key words) for the lists worth searching in a
        text with these words."""
        present: set[str] = set()
        for word in set(words_) & self.heads.keys():
            present |= self.heads[word]
        return [(name, self.phrases[name], self.heads_of[name]) for name in sorted(present)]

    def counts(self, text: str, words_: list[str]) -> dict[str, int]:
        """How many entries of each list occur in `text`, whose `tokens()` are `words_`."""
        found: dict[str, int] = {}
        phrase_lists: set[str] = set()
        for word in words_:
            names = self._names[word] if word in self._names else self._lookup(word)
            for name in names:
                found[name] = found.get(name, 0) + 1
            if word in self.heads:
                phrase_lists |= self.heads[word]
        for name in phrase_lists:
            n = len(self.phrases[name].findall(text))
            if n:
                found[name] = found.get(name, 0) + n
        return found


@cache
def index(language: str, names: tuple[str, ...]) -> Index:
    """An Index of lists from `language` and `common` (or every language when
    `language` has no such list, so other languages still get the shared cues)."""
    lists = {}
    for name in names:
        found = entries(language, name) + entries("common", name)
        lists[name] = found if entries(language, name) else all_entries(name)
    return Index(lists)
