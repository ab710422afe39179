"""Finding a claim again in an edited article (TextQuoteSelector)."""

from __future__ import annotations

from factmark.corpus.anchoring import locate, quote

OLD = "Intro. The army said 200 trucks arrived. Later, the army said 200 trucks arrived. End."


def test_exact_quote_found_after_text_is_inserted_before_it() -> None:
    start = OLD.index("The army")
    selector = quote(OLD, start, start + len("The army said 200 trucks arrived."))
    new = "A new first paragraph.\n\n" + OLD
    span = locate(new, selector, start)
    assert new[span[0] : span[1]] == selector.exact and span[0] == start + 24


def test_repeated_quote_is_told_apart_by_its_context() -> None:
    second = OLD.rindex("the army said")
    selector = quote(OLD, second, second + len("the army said 200 trucks arrived."))
    new = OLD.replace("Later, ", "Much later, ")
    span = locate(new, selector, 0)
    assert span[0] == new.rindex("the army said")


def test_changed_spacing_still_matches() -> None:
    start = OLD.index("The army")
    selector = quote(OLD, start, start + len("The army said 200 trucks arrived."))
    new = OLD.replace("said 200", "said\xa0200").replace("200 trucks", "200\ntrucks")
    span = locate(new, selector)
    assert new[span[0] : span[1]] == "The army said\xa0200\ntrucks arrived."


def test_removed_quote_is_not_found() -> None:
    start = OLD.index("The army")
    selector = quote(OLD, start, start + 20)
    assert locate("Entirely different text now.", selector) is None
