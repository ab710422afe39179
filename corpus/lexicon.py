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
