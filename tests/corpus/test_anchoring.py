"""Finding a claim again in an edited article (TextQuoteSelector)."""

from __future__ import annotations

from factmark.corpus.anchoring import Quote, find, locate, quote

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


def test_a_quote_that_fits_two_places_equally_is_placed_only_where_it_was() -> None:
    old = "Intro. The army said 200 trucks arrived. End."
    start = old.index("The army")
    selector = quote(old, start, old.index(" End."))
    new = old + "\n\n" + old  # the paragraph pasted twice: both places fit as well
    assert locate(new, selector) is None
    assert locate(new, selector, start) == (start, old.index(" End."))
    assert locate("Preface.\n\n" + new, selector, start) is None  # and neither is there now


def test_a_repeated_quote_is_not_moved_onto_its_lookalike() -> None:
    sentence = "the minister said 40 % of voters stayed home."
    old = (
        f"Results\n\nOn Sunday {sentence} Turnout was the lowest since 1958.\n\n"
        f"In short\n\n{sentence}\n"
    )
    start = old.index(sentence)
    selector = quote(old, start, start + len(sentence))
    new = old.replace(f"On Sunday {sentence}", "On Sunday nobody gave a figure.")
    assert find(new, selector, start, old_text=old) is None
    # Without the old text, the one place left is taken: it cannot be told a lookalike.
    assert find(new, selector, start) is not None


def test_a_repeated_quote_whose_context_still_matches_is_found() -> None:
    sentence = "the minister said 40 % of voters stayed home."
    old = f"On Sunday {sentence} Turnout fell.\n\nIn short\n\n{sentence}\n"
    second = old.rindex(sentence)
    selector = quote(old, second, second + len(sentence))
    new = "A new opening paragraph.\n\n" + old.replace("Turnout fell.", "Turnout fell a lot.")
    place = find(new, selector, second, old_text=old)
    assert place is not None and place.start == new.rindex(sentence)


def test_a_unique_quote_moved_to_another_context_is_still_found() -> None:
    old = "Alpha. The port handled 3 million tonnes in 2020. Omega."
    start = old.index("The port")
    selector = quote(old, start, old.index(" Omega."))
    new = "Completely new lead.\n\nThe port handled 3 million tonnes in 2020.\n"
    span = locate(new, selector, start, old_text=old)
    assert span is not None and new[span[0] : span[1]] == selector.exact


def test_an_empty_or_blank_quote_is_never_found() -> None:
    assert find("Some text.", Quote("", "", "")) is None
    assert find("Some text.", Quote("  \n", "a", "b"), 0, old_text="a  \nb") is None


def test_a_quote_found_hundreds_of_times_is_placed_only_where_its_whole_context_is() -> None:
    """ "e" in a long text: weighing each of its places would take seconds a quote; it
    is placed where prefix, quote and suffix occur together once, else nowhere."""
    text = "Une phrase de remplissage. " * 20_000 + "Le seul endroit vrai. Fin."
    assert find(text, Quote("e", "", "")) is None
    assert find(text, Quote("e", "Un", " phrase")) is None  # that context, 20,000 times
    placed = find(text, Quote("e", "Le s", "ul endroit"))
    assert placed is not None
    assert text[placed.start - 4 : placed.end + 10] == "Le seul endroit"
