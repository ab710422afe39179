"""Untrusted text: what reaches the terminal is text, and every script survives."""

from __future__ import annotations

import pytest

from factmark.corpus.safe_text import clean


@pytest.mark.parametrize(
    "hostile, expected",
    [
        ("a\x1b]0;new title\x07b", "ab"),  # OSC window title, BEL-terminated
        ("a\x1b]52;c;cm0gLXJmIH4=\x1b\\b", "ab"),  # OSC 52 clipboard write, ST-terminated
        ("\x1b[2J\x1b[31mred\x1b[0m", "red"),  # CSI clear screen and colours
        ("a\x9b31mb", "ab"),  # 8-bit CSI
        ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),  # DCS (sixel)
        ("nul\x00 bell\x07 del\x7f c1\x85", "nul bell del c1"),
        ("evil \u202eSSAP\u202c ok \u2066x\u2069", "evil SSAP ok x"),  # bidi overrides
        ("tab\tand\nnewline", "tab\tand\nnewline"),
    ],
)
def test_control_and_escape_sequences_are_removed(hostile: str, expected: str) -> None:
    assert clean(hostile) == expected


@pytest.mark.parametrize(
    "text",
    [
        "مرحبا بالعالم، قال الوزير",  # Arabic, right to left
        "שלום עולם",  # Hebrew
        "emoji 🧐 flags 🇫🇷 family 👨\u200d👩\u200d👧",  # ZWJ sequences
        "wide 漢字かな 한국어",
        "combining e\u0301 and zero\u200bwidth space",
        "[bold]markup[/] [@click=app.quit]x[/] [link=file:///etc/passwd]y[/link]",
    ],
)
def test_every_script_and_symbol_survives(text: str) -> None:
    assert clean(text) == text


@pytest.mark.parametrize(
    "hostile",
    [
        "\x1b]",  # an OSC introducer that is never terminated
        "\x1b]0;not a title",
        "\x9d",  # its 8-bit form
        "\x1bP",  # a DCS introducer
        "\x1b]" + "x" * 5000 + "\x07",  # too long to be a title: not one sequence
    ],
)
def test_an_unterminated_escape_never_takes_the_text_after_it(hostile: str) -> None:
    # A stray control character in an article costs only itself, not the rest of it.
    article = "Le chômage a baissé de 3 %. " + hostile + " Il était de 7 % en 2020.\n" * 20
    cleaned = clean(article)
    assert cleaned.startswith("Le chômage a baissé de 3 %. ")
    assert cleaned.count("Il était de 7 % en 2020.") == 20
    assert "\x1b" not in cleaned and "\x9d" not in cleaned and "\x07" not in cleaned


def test_a_run_of_string_introducers_costs_what_other_controls_cost() -> None:
    # Each C1 introducer (DCS, OSC...) once scanned up to 4,096 characters for its end:
    # a run of them took hundreds of times as long as a run of other C1 controls.
    # Measured against that run, so the machine's speed does not matter.
    import time

    def seconds(text: str) -> float:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            assert clean(text) == "ab"
            best = min(best, time.perf_counter() - start)
        return best

    ratio = seconds("a" + "\x90" * 64_000 + "b") / seconds("a" + "\x85" * 64_000 + "b")
    assert ratio < 10, ratio
