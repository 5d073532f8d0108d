"""The survey pages' numbers in words: p-values and effect sizes (components.fmt, words in
strings/common.toml) and the Aktører sentence per item (components.ratings_words), nb and en.

Moved here from tests/test_analysis_*.py when analysis/ stopped returning sentences; the
assertions are the same facts (Tabell 4.1 of the 2016 report: Skoleeier 3,88 (0,77) vs 4,40
(0,70); Veilederteamet 4,66 (0,54) vs 4,56 (0,73); n = 36 and 10).
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.ratings import item_statistics
from components import fmt
from components.i18n import use_language
from components.ratings_words import difference_sentence


def test_p_words():
    assert fmt.p_words(0.032, "nb") == (
        "p = 0,032: forskjellen er større enn tilfeldig variasjon alene lett gir (5 %-nivå)"
    )
    assert fmt.p_words(0.41, "nb") == "p = 0,41: forskjellen kan godt skyldes tilfeldigheter"
    assert fmt.p_words(0.41, "en") == "p = 0.41: the difference may well be due to chance"
    assert fmt.p_words(0.032, "en").startswith("p = 0.032: the difference is larger")
    assert fmt.p_words(0.0004, "nb").startswith("p < 0,001:")
    assert "1 %-nivå" in fmt.p_words(0.004, "nb")
    assert "ikke utelukkes" in fmt.p_words(0.07, "nb")
    for p in (0.0001, 0.03, 0.07, 0.5):
        for lang in ("nb", "en"):
            assert "proves" not in fmt.p_words(p, lang) and "bevis" not in fmt.p_words(p, lang)
    assert "beregnes" in fmt.p_words(float("nan"), "nb")


def test_p_value_does_not_round_onto_a_threshold():
    assert fmt.p_value(0.0496, "nb") == "p = 0,0496"
    assert fmt.p_value(0.052, "en") == "p = 0.052"


def test_magnitude_words_tabell_1_1():
    assert fmt.magnitude(0.0, "nb") == "ingen/svak effekt"
    assert fmt.magnitude(-0.19, "nb") == "ingen/svak effekt"
    assert fmt.magnitude(0.2, "nb") == "liten effekt"
    assert fmt.magnitude(-0.49, "nb") == "liten effekt"
    assert fmt.magnitude(0.5, "nb") == "moderat effekt"
    assert fmt.magnitude(0.79, "nb") == "moderat effekt"
    assert fmt.magnitude(0.795, "nb") == "stor effekt"  # prints as 0,80: the gap is closed upwards
    assert fmt.magnitude(1.3, "en") == "large effect"
    assert fmt.magnitude(0.3, "en", short=True) == "small"
    assert fmt.magnitude(0.6, "nb", short=True) == "moderat"
    assert fmt.magnitude(float("nan"), "nb") == "–"


def _row(m1, s1, m2, s2):
    df = pd.DataFrame(
        {
            "item": ["x"],
            "mean_leader": [m1],
            "sd_leader": [s1],
            "n_leader": [36],
            "mean_owner": [m2],
            "sd_owner": [s2],
            "n_owner": [10],
            "d_printed": [None],
        }
    )
    return next(item_statistics(df).itertuples())


def test_difference_sentence_nb_and_en():
    with use_language("nb"):
        txt = difference_sentence(_row(3.88, 0.77, 4.40, 0.70))
    assert txt.startswith("Skoleeierne vurderer i snitt 0,52 høyere")
    d = 0.52 / math.sqrt((0.77**2 + 0.70**2) / 2)  # 0.7066 → "0,71", moderat
    assert f"beregnet d = {d:.2f}".replace(".", ",") in txt and "moderat" in txt
    assert "tilfeldigheter" in txt and "n = 36 og 10" in txt
    with use_language("en"):
        en = difference_sentence(_row(4.66, 0.54, 4.56, 0.73))
    assert en.startswith("School leaders rate on average 0.10 higher")
    assert "none/weak" in en and "recomputed d = " in en
