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
from bisect import bisect_left, bisect_right
from collections import defaultdict
from functools import cache

from .attribution import LISTS as ATTRIBUTION
from .dates import MonthWord, find_dates, full_month_names, month_names
from .lexicon import Index, all_words, entries, index, words
from .sentences import quoted_ranges
from .words import Words, bare

_DIGITS = re.compile(r"\d+")
_CURRENCY_SIGNS = "$€£¥"
_QUOTE_MARKS = '«“»”„"'
_FR_FUTURE_ENDINGS = ("eront", "iront", "dront", "eraient", "iraient", "draient")
_EN_NOT_PAST = frozenset({"hundred", "indeed", "naked", "wicked", "sacred", "kindred"})

# Cue -> the marks and lists whose presence in the asserted text counts for a claim.
_FOR = {
    "number": ("digit", "magnitudes"),
    "percent": ("percent_sign", "percent"),
    "money": ("currency_sign", "money"),
    "date": ("date", "weekdays"),
    "past-event": ("past", "past_verbs"),
    "passive-event": ("passive",),
    "office": ("offices",),
    "change": ("change_verbs",),
    "comparison": ("comparatives",),
    "cause": ("causal",),
}
_CUE_OF = {source: cue for cue, sources in _FOR.items() for source in sources}
_MARKS = frozenset({"digit", "percent_sign", "currency_sign", "date", "past", "passive", "future"})
_ASSERTED = (*(k for keys in _FOR.values() for k in keys if k not in _MARKS), "oaths")
_JUDGED = ("hedges", "opinion", "loaded")
_SPAN_KEYS = (*_MARKS, *_ASSERTED, *_JUDGED, "first_person")


# Lists found in every text; the last three only say whether attribution is worth
# working out for a sentence.
_LISTS = (
    *_ASSERTED,
    *_JUDGED,
    "first_person",
    "imperative_starts",
    *ATTRIBUTION,
)
_TENSES = frozenset({"future", "past", "auxiliary"})
# Where month names are capitalised, a lower-case one is another word ("may", "march").
_CAPITALISED_MONTHS = frozenset({"en", "de"})


def _positions(text: str, characters: str) -> list[int]:
    """Where any of `characters` stands in `text`, in order: `str.find` runs several
    times faster than a regex character class over a whole article."""
    found = []
    for character in characters:
        i = text.find(character)
        while i >= 0:
            found.append(i)
            i = text.find(character, i + 1)
    return sorted(found)


@cache
def _not_names() -> frozenset[str]:
    return all_words("sentence_starters") | all_words("function_words")


def _after_opening(text: str, position: int) -> bool:
    """Right after an opening quotation mark: capitalised for that reason alone."""
    return text[max(0, position - 2) : position].strip() in ("«", "“", "„", '"')


class _Vocabulary:
    """What each word means to the cues in one language, worked out once per word and
    remembered: news repeats its words, so most tokens cost one dictionary lookup."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.lexicons = index(language, _LISTS)
        self.auxiliaries = words(language, "auxiliaries")
        # A compound past: an auxiliary, perhaps a few of `between`, then a participle
        # known by its ending, or one too short to go by it ("n'a pas pu").
        self.between = words(language, "between_auxiliary_and_participle")
        self.participle_endings = entries(language, "participle_endings")
        self.participles = words(language, "short_participles")
        self.passives = words(language, "passive_auxiliaries")
        self.months = month_names()
        self.known: dict[str, tuple[str, ...]] = {}

    def learn(self, word: str) -> tuple[str, ...]:
        """The lists `word` is in, the tense its form marks ("future", "past",
        "auxiliary"), "month", and "head" when it is the key word of a phrase."""
        kinds = list(self.lexicons.names_of([word])[0])
        tense = self._tense(word)
        if tense:
            kinds.append(tense)
        if word in self.months:
            kinds.append("month")
        if word in self.lexicons.heads:
            kinds.append("head")
        if len(self.known) > 200_000:
            self.known.clear()
        self.known[word] = found = tuple(kinds)
        return found

    def _tense(self, word: str) -> str | None:
        if self.language == "en":
            english_past = (
                len(word) > 4
                and word.endswith("ed")
                and (word[-3] != "e" or word.endswith("ied"))
                and word not in _EN_NOT_PAST
            )
            return "past" if english_past else None
        if self.language != "fr":
            return None  # other languages list their past forms (`past_verbs`)
        if word.endswith(_FR_FUTURE_ENDINGS):
            return "future"
        if word.endswith(("ait", "aient")) and not word.endswith(("rait", "raient")):
            return "past"  # the imparfait, not the conditional ("serait")
        if bare(word) in self.auxiliaries and not word.startswith("c'"):
            return "auxiliary"  # "l'a annoncé", "n'a pas tardé", not "c'est connu"
        return None


@cache
def _vocabulary(language: str) -> _Vocabulary:
    return _Vocabulary(language)


class TextCues:
    """Cue evidence found once in a whole text, then read off for any sentence of it.

    Every regex and lexicon runs once over the article instead of once per sentence,
    and each distinct word is looked up once.
    """

    def __init__(self, words: Words, language: str) -> None:
        self.text = text = words.text
        self.words = words
        self.language = language
        starts, tokens = words.starts, words.words
        self.names = self._names(text, starts, tokens)
        self.name_positions = [p for p, _ in self.names]
        # Each distinct word, and each French word without its elision ("l'ambassade"
        # is also "ambassade"), is classified; then one pass finds where they are.
        vocabulary = _vocabulary(language)
        known, learn = vocabulary.known, vocabulary.learn
        distinct = set(tokens)
        elided = {w: b for w in distinct if "'" in w and (b := bare(w)) != w}
        kinds = {
            w: k
            for w in distinct.union(elided.values())
            if (k := known[w] if w in known else learn(w))
        }
        wanted = kinds.keys() | {w for w, b in elided.items() if b in kinds}
        where: dict[str, list[int]] = defaultdict(list)
        unelided: list[tuple[int, str]] = []
        for p, w in [(p, w) for p, w in zip(starts, tokens, strict=True) if w in wanted]:
            where[w].append(p)
            if w in elided:
                unelided.append((p + len(w) - len(elided[w]), elided[w]))
        by_kind: dict[str, list[int]] = defaultdict(list)
        for w, positions in where.items():
            for kind in kinds.get(w, ()):
                by_kind[kind].extend(positions)
        for p, w in unelided:  # a tense is read off the whole word: "c'est" is no auxiliary
            where[w].append(p)
            for kind in kinds.get(w, ()):
                if kind not in _TENSES:
                    by_kind[kind].append(p)
        self.phrase_ends: dict[tuple[str, int], int] = {}
        self._spans: dict[str, list[tuple[int, int]]] = {}
        hits = self._lexicon_hits(vocabulary.lexicons, by_kind, where)
        months_at = sorted(
            (p, p + len(w), w) for w in where if w in vocabulary.months for p in where[w]
        )
        # Where each list's entries and each mark stand, by name.
        self.at = {**hits, **self._marks(text, months_at, by_kind)}
        # Every position of every list and mark in one ordered sequence, so that a
        # sentence's evidence is one slice of it.
        events = sorted((p, key) for key in _SPAN_KEYS for p in self.at[key])
        self.event_positions = [p for p, _ in events]
        self.event_keys = [key for _, key in events]

    @staticmethod
    def _names(text: str, starts: list[int], tokens: list[str]) -> list[tuple[int, str]]:
        """Capitalised words that are not sentence openers or function words, as
        (position, word); an elided article does not hide a name: "l'Irak"."""
        not_names = _not_names()
        found = []
        candidates = [
            (p, w) for p, w in zip(starts, tokens, strict=True) if text[p] != w[0] or "'" in w
        ]
        for p, w in candidates:  # capitalised, or perhaps after an elision
            name = bare(w)
            p += len(w) - len(name)
            if text[p].isupper() and name not in not_names and not _after_opening(text, p):
                found.append((p, text[p : p + len(name)]))
        return found

    def _lexicon_hits(
        self, lexicons: Index, by_kind: dict[str, list[int]], where: dict[str, list[int]]
    ) -> dict[str, list[int]]:
        """Positions of every lexicon entry, single words and phrases."""
        hits = {name: by_kind.get(name, []) for name in _LISTS}
        for name, found in lexicons.phrases_in(self.words, where).items():
            hits[name].extend(found)
            self.phrase_ends.update(((name, start), end) for start, end in found.items())
        for positions in hits.values():
            positions.sort()
        return hits

    def _marks(
        self, text: str, months_at: list[MonthWord], by_kind: dict[str, list[int]]
    ) -> dict[str, list[int]]:
        """Positions of numbers, dates, signs and verb tenses."""
        digits = [m.span() for m in _DIGITS.finditer(text)]
        years = [(a, b) for a, b in digits if b - a == 4 and text[a : a + 2] in ("18", "19", "20")]
        dates = find_dates(text, months_at, digits)
        dated = sorted([(d.start, d.end) for d in dates] + years)
        starts = [a for a, _ in dated]

        def undated(p: int) -> bool:
            i = bisect_left(starts, p + 1) - 1  # the last date starting at or before p
            return i < 0 or p >= dated[i][1]

        # A month on its own ("en février", "last March") dates an event as a weekday does.
        capitalised = self.language in _CAPITALISED_MONTHS
        months = [
            a
            for a, _, w in months_at
            if w in full_month_names() and text[a].isupper() == capitalised and undated(a)
        ]

        compound, passive = self._compound_past(by_kind["auxiliary"])
        return {
            "date": sorted(starts + months),
            "digit": [a for a, _ in digits if undated(a)],
            "percent_sign": _positions(text, "%"),
            "currency_sign": _positions(text, _CURRENCY_SIGNS),
            "quote_mark": _positions(text, _QUOTE_MARKS),
            "future": sorted(by_kind["future"]),
            "past": sorted(by_kind["past"] + compound),
            "passive": passive,
        }

    def _compound_past(self, auxiliaries: list[int]) -> tuple[list[int], list[int]]:
        """Passé composé and plus-que-parfait: an auxiliary, perhaps a few adverbs, then
        a participle ("a annoncé", "ont été tirés", "n'a pas tardé"); and of those, the
        passives, whose participle follows a passive auxiliary ("a été mise en place",
        "n'ont pas été retrouvés"): what was done, reported as done."""
        starts, tokens = self.words.starts, self.words.words
        vocabulary = _vocabulary(self.language)
        endings = vocabulary.participle_endings
        found, passive = set(), set()
        for i in {bisect_right(starts, p) - 1 for p in auxiliaries}:  # "n'a" is one token
            through_passive = False
            for following in tokens[i + 1 : i + 5]:
                if following in vocabulary.between:
                    through_passive = through_passive or following in vocabulary.passives
                    continue
                if following in vocabulary.participles or (
                    len(following) > 2 and following.endswith(endings)
                ):
                    found.add(starts[i])
                    if through_passive:
                        passive.add(starts[i])
                break
        return sorted(found), sorted(passive)

    def span(
        self, start: int, end: int, quotations: list[tuple[int, int]] | None = None
    ) -> dict[str, float]:
        """Cue name -> value for text[start:end]; absent cues are zero. `quotations`,
        the quotation marks' spans (in the text) of a sentence that text[start:end] is
        one part of, say which of it is quoted when a quotation crosses its ends."""
        sentence = self.text[start:end]
        marks = self.at["quote_mark"]
        if quotations is not None:
            quoted = [
                (max(a, start - 1), min(b, end)) for a, b in quotations if a < end and b > start
            ]
        elif bisect_left(marks, start) < bisect_left(marks, end):
            quoted = [(start + a, start + b) for a, b in quoted_ranges(sentence)]
        else:
            quoted = []
        # A sentence that opens with a quotation ("« ... », a témoigné X, ...") or is
        # mostly one reports what was said: the quotation is its assertion.
        dominant = bool(quoted) and (
            min(quoted)[0] - start <= len(sentence) - len(sentence.lstrip())
            or sum(b - a for a, b in quoted) >= (end - start) / 2
        )

        def inside(p: int) -> bool:
            return any(a < p < b for a, b in quoted)

        # What is asserted, and the wording that judges it. In a sentence that is mostly
        # a quotation ("« ... », a réagi X") the quotation is asserted and its own
        # wording (opinion, promise, hedge) decides; otherwise the whole sentence is
        # asserted and the writer's words outside quotations judge it. So the first
        # person counts in the writer's words, and in a speaker's when the quotation is
        # the sentence: "« J'ai eu l'impression... », a confié X" tells a feeling.
        def asserted(p: int) -> bool:
            return inside(p) if dominant else True

        def judged(p: int) -> bool:
            return inside(p) if dominant else not inside(p)

        lo = bisect_left(self.event_positions, start)
        hi = bisect_left(self.event_positions, end, lo)
        keys = self.event_keys[lo:hi]  # what the sentence says, and how it is worded
        if quoted:  # without quotations everything is asserted and judged
            positions = self.event_positions[lo:hi]
            said = {k for p, k in zip(positions, keys, strict=True) if asserted(p)}
            keys = [k for p, k in zip(positions, keys, strict=True) if judged(p)]
        else:
            said = set(keys)
        hits = {_CUE_OF[k] for k in said if k in _CUE_OF}
        found: dict[str, float] = {cue: 1 for cue in _FOR if cue in hits}  # in a fixed order
        starts = self.words.starts
        lo_token, hi_token = bisect_left(starts, start), bisect_left(starts, end)
        first = starts[lo_token] if lo_token < hi_token else end
        lo = bisect_left(self.name_positions, start)
        hi = bisect_left(self.name_positions, end, lo)
        names = {w for p, w in self.names[lo:hi] if p != first and asserted(p)}
        if names:
            found["named"] = min(len(names), 3) / 3

        ending = sentence.rstrip(' »”"’)]\xa0')
        if ending.endswith("?"):
            found["question"] = 1
        elif ending.endswith("!"):
            found["exclamation"] = 1
        if self._imperative(self.words.words[lo_token : min(lo_token + 2, hi_token)]):
            found["imperative"] = 1
        if any(
            judged(p) and not self._is_title(p)
            for p in self._in(self.at["first_person"], start, end)
        ):
            found["first-person"] = 1
        hedges = keys.count("hedges") + keys.count("future")
        if hedges:
            found["hedge"] = min(hedges, 2) / 2
        if "opinion" in keys:
            found["opinion"] = 1
        loaded = keys.count("loaded")
        if loaded:
            found["loaded"] = min(loaded, 2) / 2
        if "oaths" in said:
            found["oath"] = 1
        if hi_token - lo_token <= 6:
            found["short"] = 1
        return found

    def spans(self, name: str) -> list[tuple[int, int]]:
        """Where a list's entries are, as (start, end); a phrase wins over its first word."""
        if name not in self._spans:
            found: dict[int, int] = {}
            for p in self.at[name]:
                end = self.phrase_ends.get((name, p)) or self.words.end_of(p)
                found[p] = max(end, found.get(p, 0))
            self._spans[name] = sorted(found.items())
        return self._spans[name]

    @staticmethod
    def _in(positions: list[int], start: int, end: int) -> list[int]:
        return positions[bisect_left(positions, start) : bisect_left(positions, end)]

    def _is_title(self, position: int) -> bool:
        """ "Me" (Maître) and other titles that look like pronouns."""
        word = (self.text[position : position + 4].split() or [""])[0]
        return word[:1].isupper() and word.lower().rstrip(".") in all_words("titles")

    def _imperative(self, head: list[str]) -> bool:
        """The sentence, whose first two words are `head`, opens with an order or an
        appeal ("Il faut", "Let's", "Imagine")."""
        if not head:
            return False
        starts = index(self.language, ("imperative_starts",))
        phrases = starts.phrase_sets.get("imperative_starts", frozenset())
        if head[0] in starts.words:  # "qu'ils" (a wish or an order: "Qu'ils partent")
            return True
        head[0] = bare(head[0]) if head[0].startswith(("n'", "l'", "qu'")) else head[0]
        return head[0] in starts.words or " ".join(head) in phrases


class Evidence(dict):
    """TextCues of one text, made once per language it is read in (an article and its
    paragraphs in other languages), shared by loaded-language and claim detection."""

    def __init__(self, text: str, words: Words | None = None) -> None:
        super().__init__()
        self.text = text
        self.words = Words(text) if words is None else words

    def __missing__(self, language: str) -> TextCues:
        self[language] = found = TextCues(self.words, language)
        return found

    def attribution_lists(self, language: str, start: int, end: int) -> frozenset[str]:
        """Which attribution lists (reporting verbs, markers such as "selon", vague
        sources) have an entry in text[start:end]: without one there is no source."""
        hits = self[language].at
        return frozenset(
            name
            for name in ATTRIBUTION
            if bisect_left(hits[name], start) < bisect_left(hits[name], end)
        )

    def markers(self, language: str, start: int, end: int) -> list[tuple[int, int]]:
        """Where attribution markers ("selon", "according to") stand in text[start:end],
        as offsets from `start`."""
        spans = self[language].spans("attribution_markers")
        lo = bisect_left(spans, (start, 0))
        hi = bisect_left(spans, (end, 0), lo)
        return [(a - start, b - start) for a, b in spans[lo:hi]]


def cues(sentence: str, language: str) -> dict[str, float]:
    """Cue name -> value for one sentence or clause on its own."""
    return TextCues(Words(sentence), language).span(0, len(sentence))
