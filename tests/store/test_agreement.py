"""Agreement figures against small cases computed by hand (worked out in comments)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from factmark.store.agreement import (
    cohen_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)

# Two raters, three items: (a, a), (a, b), (b, b).
PAIRS = [("a", "a"), ("a", "b"), ("b", "b")]
UNITS = {1: ["a", "a"], 2: ["a", "b"], 3: ["b", "b"]}


def test_cohen_kappa_by_hand() -> None:
    # po = 2/3. Rater 1: a 2/3, b 1/3; rater 2: a 1/3, b 2/3.
    # pe = 2/3*1/3 + 1/3*2/3 = 4/9; kappa = (2/3 - 4/9) / (1 - 4/9) = (2/9)/(5/9) = 2/5.
    assert cohen_kappa(PAIRS) == pytest.approx(float(Fraction(2, 5)))
    assert percent_agreement(PAIRS) == pytest.approx(2 / 3)


def test_cohen_kappa_edge_cases() -> None:
    assert cohen_kappa([]) is None
    assert cohen_kappa([("a", "a"), ("a", "a")]) == 1.0  # pe = 1 and all agree
    assert cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)


def test_krippendorff_alpha_by_hand() -> None:
    # Coincidences: o_aa = 2 (unit 1), o_ab = o_ba = 1 (unit 2), o_bb = 2 (unit 3).
    # n_a = 3, n_b = 3, n = 6. alpha = 1 - (n - 1) * sum(o_ck, c != k) / sum(n_c n_k, c != k)
    #       = 1 - 5 * 2 / (2 * 3 * 3) = 1 - 10/18 = 4/9.
    assert krippendorff_alpha(UNITS) == pytest.approx(float(Fraction(4, 9)))


def test_krippendorff_alpha_with_missing_values_and_three_raters() -> None:
    # Unit 1: a, a, b -> each ordered pair weighs 1/(3-1): o_aa = 2 * 1/2 = 1,
    #   o_ab = 2 * 1/2 = 1, o_ba = 1. Unit 2: b, b -> o_bb = 2. Unit 3: a alone (left out).
    # n_a = o_aa + o_ab = 2, n_b = o_ba + o_bb = 3, n = 5.
    # alpha = 1 - 4 * (1 + 1) / (2 * 2 * 3) = 1 - 8/12 = 1/3.
    units = {1: ["a", "a", "b"], 2: ["b", "b"], 3: ["a"]}
    assert krippendorff_alpha(units) == pytest.approx(1 / 3)


def test_krippendorff_alpha_is_one_for_perfect_agreement_with_variation() -> None:
    assert krippendorff_alpha({1: ["a", "a"], 2: ["b", "b"]}) == pytest.approx(1.0)
    assert krippendorff_alpha({1: ["a", "a"]}) is None  # no variation: undefined


def test_gwet_ac1_by_hand() -> None:
    # Two categories: pa = 2/3 (units 1 and 3 agree).
    # pi_a = (1 + 1/2 + 0)/3 = 1/2, pi_b = 1/2; pe = (1/(2-1)) * (1/4 + 1/4) = 1/2.
    # AC1 = (2/3 - 1/2) / (1 - 1/2) = 1/3.
    assert gwet_ac1(UNITS, ["a", "b"]) == pytest.approx(1 / 3)
    # Three categories (c unused): pe = (1/2) * (1/4 + 1/4 + 0) = 1/4;
    # AC1 = (2/3 - 1/4) / (3/4) = 5/9.
    assert gwet_ac1(UNITS, ["a", "b", "c"]) == pytest.approx(5 / 9)


def test_ac1_stays_high_where_kappa_collapses_on_a_dominant_verdict() -> None:
    # 10 items, 9 rated "u" by both raters, one split: the kappa paradox.
    pairs = [("u", "u")] * 9 + [("u", "d")]
    units = {i: list(p) for i, p in enumerate(pairs)}
    assert cohen_kappa(pairs) == pytest.approx(0.0)
    assert gwet_ac1(units, ["u", "d"]) > 0.85
