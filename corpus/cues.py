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
from bisect import bisect_left
from collections import defaultdict
from functools import cache

from .dates import find_dates
from .lexicon import all_entries, index, words
from .sentences import quoted_ranges

_DIGITS = re.compile(r"\d+")
_CURRENCY_SIGN = re.compile(r"[$€£¥]")
# Words that may stand between an auxiliary and its participle: "n'a pas tardé".
_FR_BETWEEN = frozenset(
    (
        "été",
        "pas",
        "plus",
        "jamais",
        "déjà",
        "bien",
        "ainsi",
        "encore",
        "aussi",
        "même",
        "d'ailleurs",
        "également",
        "officiellement",
        "récemment",
        "notamment",
        "finalement",
        "enfin",
        "effectivement",
    )
)
_FR_PARTICIPLE = (
    "é",
    "ée",
    "és",
    "ées",
    "i",
    "ie",
    "is",
    "ies",
    "it",
    "ite",
    "its",
    "u",
    "ue",
    "us",
    "ues",
    "ert",
    "erte",
    "erts",
    "ort",
    "orte",
    "orts",
    "int",
    "inte",
    "ints",
)
_FR_FUTURE_ENDINGS = ("eront", "iront", "dront", "eraient", "iraient", "draient")
_EN_NOT_PAST = frozenset({"hundred", "indeed", "naked", "wicked", "sacred", "kindred"})

# Cue name -> lexicon list: present in the asserted text counts for a claim.
_FOR = {
    "office": "offices",
    "change": "change_verbs",
    "comparison": "comparatives",
    "cause": "causal",
}
# Lists counted in what is asserted, and in the wording that judges it.
_ASSERTED = (*_FOR.values(), "magnitudes", "percent", "money", "weekdays", "past_verbs", "oaths")
_JUDGED = ("hedges", "opinion", "loaded")


_PHRASE_REACH = 80  # characters either side of a key word where its phrase may be
_LISTS = (*_ASSERTED, *_JUDGED, "first_person", "imperative_starts")
_TOKEN = re.compile(r"[^\W\d_][\w'-]*")
_ELIDED = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)'(?=\w)")


@cache
def _not_names() -> frozenset[str]:
    return frozenset(all_entries("sentence_starters")) | frozenset(all_entries("function_words"))


def _after_opening(text: str, position: int) -> bool:
    """Right after an opening quotation mark: capitalised for that reason alone."""
    return text[max(0, position - 2) : position].strip() in ("«", "“", '"')


@cache
def _titles() -> frozenset[str]:
    return frozenset(all_entries("titles"))


class TextCues:
    """Cue evidence found once in a whole text, then read off for any sentence of it.

    Every regex and lexicon runs once over the article instead of once per sentence:
    the difference between 0.3 and several MB of text per second.
    """

    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.language = language
        # One tokenising pass; every word cue below is read off these tokens.
        self.tokens: list[tuple[int, str]] = []
        self.names: list[tuple[int, str]] = []
        self.ends: dict[int, int] = {}  # token start -> end
        where: dict[str, list[int]] = defaultdict(list)
        not_names = _not_names()
        for m in _TOKEN.finditer(text):
            position, word = m.start(), m.group(0)
            lowered = word.lower().replace("’", "'")
            self.tokens.append((position, lowered))
            self.ends[position] = m.end()
            where[lowered].append(position)
            if (
                word[0].isupper()
                and lowered not in not_names
                and not _after_opening(text, position)
            ):
                self.names.append((position, word))
        self.token_starts = [p for p, _ in self.tokens]
        # French elisions are looked up with and without their article: "l'ambassade".
        for word in [w for w in where if "'" in w]:
            bare = _ELIDED.sub("", word)
            if bare != word:
                shift = len(word) - len(bare)
                where[bare].extend(p + shift for p in where[word])
                self.ends.update((p + shift, self.ends[p]) for p in where[word])
        self.phrase_ends: dict[tuple[str, int], int] = {}
        self.hits = self._lexicon_hits(text, language, where)
        self.marks = self._marks(text, language, where)

    def _lexicon_hits(
        self, text: str, language: str, where: dict[str, list[int]]
    ) -> dict[str, list[int]]:
        """Positions of every lexicon entry: each distinct word looked up once."""
        lexicons = index(language, _LISTS)
        words = list(where)
        hits: dict[str, list[int]] = {name: [] for name in _LISTS}
        for word, names in zip(words, lexicons.names_of(words), strict=True):
            for name in names:
                hits[name].extend(where[word])
        for name, regex, heads in lexicons.phrase_regexes(words):
            # Search only around the phrases' key words, not the whole text.
            found = {
                m.start(): m.end()
                for head in heads & where.keys()
                for position in where[head]
                for m in regex.finditer(
                    text, max(0, position - _PHRASE_REACH), position + _PHRASE_REACH
                )
            }
            hits[name].extend(found)
            self.phrase_ends.update(((name, start), end) for start, end in found.items())
        for positions in hits.values():
            positions.sort()
        return hits

    def _marks(self, text: str, language: str, where: dict[str, list[int]]) -> dict[str, list[int]]:
        """Positions of numbers, dates, signs and verb tenses."""
        digits = [m.span() for m in _DIGITS.finditer(text)]
        years = [(a, b) for a, b in digits if b - a == 4 and text[a : a + 2] in ("18", "19", "20")]
        dates = find_dates(text, where.keys())
        dated = sorted([(d.start, d.end) for d in dates] + years)
        starts = [a for a, _ in dated]

        def undated(p: int) -> bool:
            i = bisect_left(starts, p + 1) - 1  # the last date starting at or before p
            return i < 0 or p >= dated[i][1]

        return {
            "date": starts,
            "digit": [a for a, _ in digits if undated(a)],
            "percent": [i for i, ch in enumerate(text) if ch == "%"] if "%" in text else [],
            "money": [m.start() for m in _CURRENCY_SIGN.finditer(text)],
            "future": self._ending(_FR_FUTURE_ENDINGS) if language == "fr" else [],
            "past": self._past_fr() if language == "fr" else self._past_en(),
        }

    def _ending(self, endings: tuple[str, ...], unless: tuple[str, ...] = ()) -> list[int]:
        return [p for p, w in self.tokens if w.endswith(endings) and not w.endswith(unless)]

    def _past_fr(self) -> list[int]:
        """Passé composé and plus-que-parfait ("a annoncé", "ont été tirés", "n'a pas
        tardé"), and the imparfait ("comptait"), not the conditional ("serait")."""
        found = self._ending(("ait", "aient"), unless=("rait", "raient"))
        tokens, auxiliaries = self.tokens, words(self.language, "auxiliaries")
        for i, (position, word) in enumerate(tokens):
            if word not in auxiliaries:
                continue
            for _, following in tokens[i + 1 : i + 5]:
                if following in _FR_BETWEEN:
                    continue
                if len(following) > 2 and following.endswith(_FR_PARTICIPLE):
                    found.append(position)
                break
        return sorted(found)

    def _past_en(self) -> list[int]:
        return [
            p
            for p, w in self.tokens
            if len(w) > 4
            and w.endswith("ed")
            and (w[-3] != "e" or w.endswith("ied"))
            and w not in _EN_NOT_PAST
        ]

    def span(self, start: int, end: int) -> dict[str, float]:
        """Cue name -> value for text[start:end]; absent cues are zero."""
        sentence = self.text[start:end]
        quoted = [(start + a, start + b) for a, b in quoted_ranges(sentence)]
        dominant = bool(quoted) and sum(b - a for a, b in quoted) >= (end - start) / 2

        def inside(p: int) -> bool:
            return any(a < p < b for a, b in quoted)

        # What is asserted, and the wording that judges it. In a sentence that is mostly
        # a quotation ("« ... », a réagi X") the quotation is asserted and its own
        # wording (opinion, promise, hedge) decides; otherwise the whole sentence is
        # asserted and the writer's words outside quotations judge it. The first person
        # counts only in the writer's words: "we received 40% more calls" is a fact.
        def asserted(p: int) -> bool:
            return inside(p) if dominant else True

        def judged(p: int) -> bool:
            return inside(p) if dominant else not inside(p)

        def count(positions: list[int], keep) -> int:
            lo, hi = bisect_left(positions, start), bisect_left(positions, end)
            if not quoted:
                return hi - lo  # no quotation: every position is asserted and judged
            return sum(1 for p in positions[lo:hi] if keep(p))

        found: dict[str, float] = {}
        hits, marks = self.hits, self.marks
        if count(marks["digit"], asserted) or count(hits["magnitudes"], asserted):
            found["number"] = 1
        if count(marks["percent"], asserted) or count(hits["percent"], asserted):
            found["percent"] = 1
        if count(marks["money"], asserted) or count(hits["money"], asserted):
            found["money"] = 1
        if count(marks["date"], asserted) or count(hits["weekdays"], asserted):
            found["date"] = 1
        first = self._first_token(start, end)
        lo = bisect_left(self.names, (start, ""))
        names = {w for p, w in self.names[lo:] if p < end and p != first and asserted(p)}
        if names:
            found["named"] = min(len(names), 3) / 3
        if count(marks["past"], asserted) or count(hits["past_verbs"], asserted):
            found["past-event"] = 1
        for cue, name in _FOR.items():
            if count(hits[name], asserted):
                found[cue] = 1

        ending = sentence.rstrip(' »”"’)]\xa0')
        if ending.endswith("?"):
            found["question"] = 1
        elif ending.endswith("!"):
            found["exclamation"] = 1
        if self._imperative(start, end):
            found["imperative"] = 1
        if any(
            not inside(p) and not self._is_title(p)
            for p in self._in(hits["first_person"], start, end)
        ):
            found["first-person"] = 1
        hedges = count(hits["hedges"], judged) + count(marks["future"], judged)
        if hedges:
            found["hedge"] = min(hedges, 2) / 2
        if count(hits["opinion"], judged):
            found["opinion"] = 1
        loaded = count(hits["loaded"], judged)
        if loaded:
            found["loaded"] = min(loaded, 2) / 2
        if count(hits["oaths"], asserted):
            found["oath"] = 1
        if bisect_left(self.token_starts, end) - bisect_left(self.token_starts, start) <= 6:
            found["short"] = 1
        return found

    def spans(self, name: str) -> list[tuple[int, int]]:
        """Where a list's entries are, as (start, end); a phrase wins over its first word."""
        found: dict[int, int] = {}
        for p in self.hits[name]:
            end = self.phrase_ends.get((name, p), self.ends.get(p, p))
            found[p] = max(end, found.get(p, 0))
        return sorted(found.items())

    @staticmethod
    def _in(positions: list[int], start: int, end: int) -> list[int]:
        return positions[bisect_left(positions, start) : bisect_left(positions, end)]

    def _first_token(self, start: int, end: int) -> int:
        i = bisect_left(self.token_starts, start)
        return self.token_starts[i] if i < len(self.token_starts) else end

    def _is_title(self, position: int) -> bool:
        """ "Me" (Maître) and other titles that look like pronouns."""
        word = self.text[position : position + 4].split()[0] if self.text[position:] else ""
        return word[:1].isupper() and word.lower().rstrip(".") in _titles()

    def _imperative(self, start: int, end: int) -> bool:
        """The sentence opens with an order or an appeal ("Il faut", "Let's", "Imagine")."""
        i = bisect_left(self.token_starts, start)
        head = [w for p, w in self.tokens[i : i + 2] if p < end]
        if not head:
            return False
        head[0] = _ELIDED.sub("", head[0]) if head[0].startswith(("n'", "l'", "qu'")) else head[0]
        starts = index(self.language, ("imperative_starts",))
        phrases = starts.phrase_sets.get("imperative_starts", frozenset())
        return head[0] in starts.words or " ".join(head) in phrases


class Evidence(dict):
    """TextCues of one text, made once per language it is read in (an article and its
    paragraphs in other languages), shared by loaded-language and claim detection."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def __missing__(self, language: str) -> TextCues:
        self[language] = found = TextCues(self.text, language)
        return found


def cues(sentence: str, language: str) -> dict[str, float]:
    """Cue name -> value for one sentence or clause on its own."""
    return TextCues(sentence, language).span(0, len(sentence))
