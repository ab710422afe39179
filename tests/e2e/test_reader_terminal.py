"""The reader in a real terminal (tmux 3.3a measures some characters differently from
Rich): tabs and emoji sequences never push text past the right edge, and the claim
opened is the claim shown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal
from tests.helpers import FACTMARK

TABBED = (
    "Piscine municipale\n\n"
    "\tLe maire a dépensé 4 millions d euros en 2022 pour la nouvelle piscine municipale du "
    "centre ville, selon la chambre régionale des comptes.\n\n"
    "\t\tLe conseil a voté 12 millions d euros en 2023 pour la nouvelle piscine olympique du "
    "quartier nord, selon le journal local.\n"
)
EMOJI = (
    "Test des emoji\n\n"
    "skin 👍🏽 : la commune a dépensé exactement 9876543210 euros en 2023 pour skin fin.\n\n"
    "scientist 🧑🏻‍🔬 : la commune a dépensé exactement 9876543210 euros en 2023 pour "
    "scientist fin.\n\n"
    "famille 👨‍👩‍👧 ✅ ❌ ⭐ : la commune a dépensé exactement 9876543210 euros en 2023 "
    "pour famille fin.\n"
)


def open_article(tmp_path: Path, text: str, width: int) -> Terminal:
    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    environment = {
        "TERM": "xterm-256color",
        "FACTMARK_ANNOTATOR": "e2e",
        "HOME": os.environ["HOME"],
        "PATH": os.environ["PATH"],
        "LANG": "C.UTF-8",
    }
    command = [FACTMARK, "--db", str(tmp_path / "f.db"), "open", str(article)]
    return Terminal(command, environment, size=(width, 24))


def words_shown(screen: str) -> list[str]:
    """The article's words as drawn, gutter and glyphs aside."""
    return [w for row in screen.splitlines() for w in row[2:].split() if w not in "○▶"]


@pytest.mark.parametrize("text, width", [(TABBED, 80), (EMOJI, 72)], ids=["tabs", "emoji"])
def test_every_word_of_the_article_is_drawn_whole(tmp_path: Path, text: str, width: int) -> None:
    terminal = open_article(tmp_path, text, width)
    try:
        terminal.wait_for(lambda s: "Claims" in s)
        terminal.keys("Enter")
        paragraphs = [" ".join(p.split()) for p in text.split("\n\n")[1:]]

        def whole(screen: str) -> bool:
            shown = " ".join(words_shown(screen))
            return "decided" in screen and all(p in shown for p in paragraphs)

        terminal.wait_for(whole)
    finally:
        terminal.close()
