"""The one number formatter: Norwegian and English, missing values, intervals, p-values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from components import fmt

NB = "\u00a0"


@pytest.mark.parametrize(
    "x, decimals, nb, en",
    [
        (5367580, 0, f"5{NB}367{NB}580", "5,367,580"),
        (0.61, 2, "0,61", "0.61"),
        (-2.9, 1, "\u22122,9", "-2.9"),
        (-0.04, 1, "0,0", "0.0"),  # no «−0,0»
        (None, 0, "–", "–"),
        (math.nan, 1, "–", "–"),
        (pd.NA, 1, "–", "–"),
    ],
)
def test_num(x, decimals, nb, en):
    assert fmt.num(x, decimals, "nb") == nb
    assert fmt.num(x, decimals, "en") == en


def test_pct_and_signed():
    assert fmt.pct(84, 0, "nb") == f"84{NB}%"
    assert fmt.pct(None, 0, "en") == "–"
    assert fmt.signed(0.46, 1, "nb") == "+0,5"
    assert fmt.signed(-1.25, 1, "nb") == "\u22121,2"  # f-string rounding: half to even
    assert fmt.signed(0.01, 1, "en") == "0.0"


def test_interval_one_rule():
    assert fmt.interval(81.04, 86.7, 0, "%", "nb") == f"81–87{NB}%"
    assert fmt.interval(0.31, 0.62, 2, lang="en") == "0.31–0.62"
    # a negative bound: words, not a dash between two minus signs
    assert fmt.interval(-1.2, 0.4, 1, lang="nb") == "\u22121,2 til 0,4"
    assert fmt.interval(-1.2, 0.4, 1, lang="en") == "-1.2 to 0.4"
    assert fmt.interval(None, 3, 0, lang="en") == "–"
    assert fmt.ci(81.04, 86.7, 0, "%", "en") == f"95{NB}% CI 81–87{NB}%"


@pytest.mark.parametrize(
    "p, nb, en",
    [
        (0.032, "p = 0,032", "p = 0.032"),
        (0.0496, "p = 0,0496", "p = 0.0496"),  # not rounded onto the 5 % threshold
        (0.00049, "p < 0,001", "p < 0.001"),
        (0.31, "p = 0,31", "p = 0.31"),
        (None, "p = –", "p = –"),
    ],
)
def test_p_value(p, nb, en):
    assert fmt.p_value(p, "nb") == nb
    assert fmt.p_value(p, "en") == en


def test_words_come_from_the_string_files():
    assert fmt.p_words(0.032, "nb").startswith("p = 0,032: forskjellen er større")
    assert fmt.p_words(0.5, "en").endswith("may well be due to chance")
    assert fmt.p_words(None, "nb") == "p kan ikke beregnes"
    # Tabell 1.1 of the 2016 report: 0,2–0,49 liten, 0,5–0,79 moderat, > 0,8 stor
    assert fmt.magnitude(0.70, "nb") == "moderat effekt"
    assert fmt.magnitude(0.797, "nb", short=True) == "stor"  # prints as 0,80
    assert fmt.magnitude(-0.16, "en") == "none/weak effect"
    assert fmt.magnitude(None, "en") == "–"
