"""Wording evidence learned from speech: a linear model over a sentence's words and cues.

The cues of `cues.py` read news; in debate speech the same words mean other things:
"we created two million jobs" is a record to check, "we will create millions of jobs"
a promise, and the first person (a writer's opinion in news) is how a speaker states
facts. A language may ship a model, `data/<lang>/speech_weights.tsv`, fitted by
`bench/fit_debate_model.py` on top of the cue model (whose evidence it takes as
given): one `feature<TAB>weight` line each, `#` lines being comments. Its evidence is
one more cue ("wording", `WORDING`), added to the others' in the logistic score, so
it changes a score only where its features fire and a reader sees it among the cues.
It counts for a claim only in a speaker's own words in the first person (a record, the
case the cues miss); elsewhere it can only count against one (a promise, a wish, a
maybe). So news written in the third person, and the quotations a report gives to
someone (“"We are worried," she said”), keep the cue model's judgement.

Features, all from the lower-case tokens of `words.Words`:
- a word: `jobs`;
- two words in a row, the first word of the sentence after `^`: `we created`, `^ and`;
- the first person (the detector's cue), and each other cue with it (before
  attribution): `cue:first-person`, `cue:first-person+past-event`.
A feature counts each time it occurs.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from importlib import resources

WORDING = "wording"
FIRST_PERSON = "first-person"
_DATA = resources.files(__package__).joinpath("data")


def cue_features(cues: Collection[str]) -> list[str]:
    """The features of a sentence's cue names: in the first person, that and each other
    cue with it (the learned cue itself left out); none otherwise, the cue model
    weighing the cues of the third person as it does."""
    if FIRST_PERSON not in cues:
        return []
    others = [f"cue:{FIRST_PERSON}+{name}" for name in cues if name not in (FIRST_PERSON, WORDING)]
    return [f"cue:{FIRST_PERSON}", *others]


def features(tokens: list[str], cues: Collection[str]) -> list[str]:
    """Every feature of a sentence, as `Model.evidence` reads them, repeats included."""
    found: list[str] = []
    previous = "^"
    for token in tokens:
        found.append(token)
        found.append(previous + " " + token)
        previous = token
    return found + cue_features(cues)


def speaking(cues: Collection[str], text: str, quoted: list[tuple[int, int]]) -> bool:
    """Whether a sentence or clause `text` with these cue names is a speaker's own
    words in the first person: not a quotation with a report around it. `quoted` are
    its quotations' (start, end) in `text` (`sentences.quoted_ranges`); a sentence
    that is all quotation (a transcript's) is the speaker's."""
    if FIRST_PERSON not in cues:
        return False
    if not quoted:
        return True
    outside, last = [], 0
    for start, end in sorted(quoted):
        outside.append(text[last:start])
        last = max(last, end)
    outside.append(text[last:])
    return not any(c.isalpha() for c in "".join(outside))


def gated(total: float, own_words: bool) -> float:
    """The learned evidence `total` as the cue takes it: for a claim only in a speaker's
    own words in the first person (`speaking`), against one anywhere."""
    return total if total < 0 or own_words else 0.0


class Model:
    """Feature -> weight of one language's model."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = weights

    def evidence(self, tokens: list[str], cues: Collection[str], own_words: bool) -> float:
        """The summed weights of the features of a sentence with these tokens and cue
        names (`gated`, `own_words` saying whether it is `speaking`): one pass over the
        tokens, two dictionary lookups a token."""
        weights = self.weights
        total = 0.0
        previous = "^"
        for token in tokens:
            total += weights.get(token, 0.0) + weights.get(previous + " " + token, 0.0)
            previous = token
        for feature in cue_features(cues):
            total += weights.get(feature, 0.0)
        return gated(total, own_words)


def parse(text: str) -> dict[str, float]:
    """`feature<TAB>weight` lines (and `#` comments) -> feature -> weight. Raises
    ValueError on a line that is neither."""
    weights: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        feature, weight = line.split("\t")
        weights[feature] = float(weight)
    return weights


@cache
def model(language: str) -> Model | None:
    """The speech model of `language`, None when it has none."""
    path = _DATA.joinpath(language, "speech_weights.tsv")
    if not path.is_file():
        return None
    return Model(parse(path.read_text(encoding="utf-8")))
