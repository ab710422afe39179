"""Agreement between annotators: Cohen's kappa, Krippendorff's alpha, Gwet's AC1.

Pure functions over plain data, so they can be checked against hand computations; none
raises. Each figure is 1 for perfect agreement and 0 for what chance alone would give,
below 0 for less (systematic disagreement); None where the method leaves it undefined.
Kappa-type figures collapse when one verdict dominates (the "kappa paradox"): a class
that marks nearly everything "unsourced" agrees a lot but gets a low kappa, which is
why AC1 is reported beside alpha.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence


def percent_agreement(pairs: Sequence[tuple[str, str]]) -> float | None:
    """The share of pairs whose two verdicts are the same, in [0, 1]; None for none."""
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else None


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa (Cohen 1960) of two raters' verdicts on the same items, as
    (first, second) pairs: in [-1, 1]; None for no pairs."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected == 1:
        return 1.0 if observed == 1 else None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Mapping[object, Sequence[str]]) -> float | None:
    """Krippendorff's alpha for nominal data (Krippendorff, "Content Analysis", 2004),
    over units (claims) each with the values its raters gave, from the coincidence
    matrix; units with fewer than two values are not pairable and are left out, as the
    method says. At most 1; None when fewer than two values are paired or all of them
    are the same."""
    coincidences: Counter[tuple[str, str]] = Counter()
    for values in units.values():
        m = len(values)
        if m < 2:
            continue
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidences[a, b] += 1 / (m - 1)
    totals: Counter[str] = Counter()
    for (a, _), count in coincidences.items():
        totals[a] += count
    n = sum(totals.values())
    disagreeing = sum(count for (a, b), count in coincidences.items() if a != b)
    expected = sum(totals[a] * totals[b] for a in totals for b in totals if a != b)
    if n <= 1 or expected == 0:
        return None
    return 1 - (n - 1) * disagreeing / expected


def gwet_ac1(units: Mapping[object, Sequence[str]], categories: Sequence[str]) -> float | None:
    """Gwet's AC1 for any number of raters per unit (Gwet 2008, "Computing inter-rater
    reliability and its variance in the presence of high agreement"), over units with
    two values or more, chance agreement taken over `categories`: at most 1; None when
    no unit is pairable or there are fewer than two categories."""
    q = len(categories)
    rated = [Counter(values) for values in units.values() if values]
    pairable = [(c, sum(c.values())) for c in rated if sum(c.values()) >= 2]
    if not pairable or q < 2:
        return None
    observed = sum(
        sum(k * (k - 1) for k in counts.values()) / (r * (r - 1)) for counts, r in pairable
    ) / len(pairable)
    shares = {
        c: sum(counts[c] / sum(counts.values()) for counts in rated) / len(rated)
        for c in categories
    }
    expected = sum(p * (1 - p) for p in shares.values()) / (q - 1)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)
