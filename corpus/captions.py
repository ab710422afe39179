"""Photo captions and credits: short lines that stand apart from the story.

A credit opens with its label ("Photo : Ludovic Marin / AFP", "© AFP", "REUTERS/Jane
Doe") or is a few words ending with an agency ("Jane Doe/Reuters"); a caption ends
with its credit ("... le 17 novembre 2020. ©Akhbar Al-Aan", "... (AFP photo)",
"... Téhéran/IRNA"). A paragraph that merely names an agency or points at the
picture inside a sentence ("WASHINGTON (Reuters) - ...", "Le maire (photo) a
affirmé ...") is body text. A figure's or table's caption opens with its label and
number ("Figure 3 : ..."). The credit words, agencies and figure labels are lexicon
lists (`credits`, `agencies`, `figure_labels`); acronyms are read by their shape.
"""

from __future__ import annotations

import re
from functools import cache

from .lexicon import all_entries

MAX_CREDIT = 100  # a credit alone is a name or two and an agency
MAX_CREDIT_WORDS = 10
_TAIL = 80  # a caption's closing credit is found in its last characters


def _alternatives(name: str, *, symbols: bool) -> str:
    """A regex alternation of a lexicon list's entries: the words (with any kind of
    apostrophe), or the symbols ("©") when `symbols`."""
    found = [e for e in all_entries(name) if e[0].isalnum() != symbols]
    escaped = (re.escape(e).replace("'", "['’]") for e in sorted(found, key=len, reverse=True))
    return "|".join(escaped) or "(?!)"


@cache
def _opening() -> re.Pattern[str]:
    """A credit's label at the start of a line: "Photo :", "Crédit photo:", "©",
    "REUTERS/", "AFP /"."""
    words = _alternatives("credits", symbols=False)
    symbols = _alternatives("credits", symbols=True)
    agencies = _alternatives("agencies", symbols=False)
    return re.compile(
        rf"(?:{symbols})|(?:{words})\s*:|(?:{agencies}|(?-i:[A-Z]{{2,}}))\s*/\s*\w",
        re.IGNORECASE,
    )


@cache
def _closing() -> re.Pattern[str]:
    """A credit at the very end of a line: "(AFP photo)", "(Illustration)", "©Name",
    "Jane Doe/Reuters", "Téhéran/IRNA", "... 2020. REUTERS/Alan Mercer"."""
    words = _alternatives("credits", symbols=False)
    symbols = _alternatives("credits", symbols=True)
    agencies = _alternatives("agencies", symbols=False)
    named = rf"(?<!\w)(?:{words}|{agencies})(?!\w)"
    return re.compile(
        rf"(?:\((?=[^()]*{named})[^()]{{1,60}}\)"  # (AFP photo), (Photo : Reuters)
        rf"|(?:{symbols})[^()©]{{0,60}}"  # © Akhbar Al-Aan
        rf"|/\s*(?:{agencies})"  # Jane Doe/Reuters, Chip Somodevilla/Getty Images
        r"|(?-i:\w\s?/\s?[A-Z]{2,})"  # Téhéran/IRNA: an acronym, in capitals
        # After the caption's last sentence, the agency first: ". REUTERS/Alan Mercer"
        rf"|(?<=[.!?] )(?:{agencies}|(?-i:[A-Z]{{2,}}))\s?/\s?(?-i:[A-Z])[\w'’.\- ]{{1,40}})"
        r"\s*\Z",
        re.IGNORECASE,
    )


def ends_with_credit(text: str) -> bool:
    """True when the line `text` (stripped) ends with a photo credit."""
    return bool(_closing().search(text[-_TAIL:]))


def is_credit(text: str) -> bool:
    """True when the line `text` (stripped) is a credit: it opens with a credit's
    label, or is a few words ending with one ("Ludovic Marin / AFP")."""
    if len(text) > MAX_CREDIT or len(text.split()) > MAX_CREDIT_WORDS:
        return False
    return bool(_opening().match(text)) or ends_with_credit(text)


@cache
def _figure() -> re.Pattern[str]:
    labels = "|".join(map(re.escape, sorted(all_entries("figure_labels"), key=len, reverse=True)))
    return re.compile(rf"(?:{labels})\.?\s*\d{{1,3}}[a-z]?\s*(?:[:.–—-]|\Z)", re.IGNORECASE)


def is_figure_caption(text: str) -> bool:
    """True when the line `text` (stripped) captions a figure or table: "Figure 3 :
    Évolution du taux de pertes (source : SISPEA)", "Tableau 2. Dépenses"."""
    return bool(_figure().match(text))
