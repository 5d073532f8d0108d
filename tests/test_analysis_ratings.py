"""analysis.ratings against Tabell 4.1 (NTNU 2016) and formulas written out here by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.ratings import (
    battery_summary,
    check_printed_d,
    claim_check,
    cohens_d_pooled,
    cohens_d_unweighted,
    d_rounding_range,
    headline_items,
    hedges_g,
    item_statistics,
    mean_ci,
    printed_d_conventions,
    sort_items,
    welch_t_from_stats,
)

# Tabell 4.1: item, leader mean, leader SD, owner mean, owner SD, printed d (no sign).
TABELL_4_1 = [
    ("Veilederteamet", 4.66, 0.54, 4.56, 0.73, 0.16),
    ("PPT", 3.62, 0.99, 4.20, 0.79, 0.65),
    ("Skoleeier", 3.88, 0.77, 4.40, 0.70, 0.70),
    ("Lærerne på skolen", 4.31, 0.62, 4.60, 0.52, 0.51),
    ("Læringsmiljøsenteret", 4.37, 0.69, 4.50, 0.85, 0.17),
    ("Fylkesmannen", 3.39, 0.95, 3.57, 0.98, 0.19),
    ("Utdanningsdirektoratet", 4.03, 0.72, 4.29, 0.76, 0.34),
]


def tabell_frame(rows=TABELL_4_1) -> pd.DataFrame:
    df = pd.DataFrame(
        rows, columns=["item", "mean_leader", "sd_leader", "mean_owner", "sd_owner", "d_printed"]
    )
    df["n_leader"] = 36
    df["n_owner"] = 10
    return df


def test_mean_ci_veilederteamet_leaders_by_hand():
    half = stats.t.ppf(0.975, 35) * 0.54 / math.sqrt(36)  # t(35) ≈ 2.0301 → half ≈ 0.1827
    lo, hi = mean_ci(4.66, 0.54, 36)
    assert lo == pytest.approx(4.66 - half)
    assert hi == pytest.approx(4.66 + half)
    assert half == pytest.approx(0.1827, abs=1e-4)


def test_mean_ci_missing_and_invalid():
    assert all(math.isnan(x) for x in mean_ci(4.0, float("nan"), 10))
    with pytest.raises(ValueError):
        mean_ci(4.0, 0.5, 1)


def test_welch_skoleeier_row_by_hand():
    m1, s1, n1, m2, s2, n2 = 3.88, 0.77, 36, 4.40, 0.70, 10
    v1, v2 = s1**2 / n1, s2**2 / n2
    t = (m2 - m1) / math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    p = 2 * stats.t.sf(abs(t), df)
    res = welch_t_from_stats(m1, s1, n1, m2, s2, n2)
    assert res["t"] == pytest.approx(t)  # positive: owners rate higher
    assert res["df"] == pytest.approx(df)
    assert res["p_value"] == pytest.approx(p)
    assert res["mean_diff"] == pytest.approx(0.52)
    assert 0.05 < res["p_value"] < 0.07  # not significant at 5 % with 10 owners


def test_d_conventions_veilederteamet_by_hand():
    # unweighted: −0.10 / √((0.2916 + 0.5329)/2) = −0.10/0.64206 = −0.1557 → printed 0,16
    d_u = cohens_d_unweighted(4.66, 0.54, 4.56, 0.73)
    assert d_u == pytest.approx(-0.10 / math.sqrt((0.54**2 + 0.73**2) / 2))
    assert round(abs(d_u), 2) == 0.16
    # pooled: −0.10 / √((35·0.2916 + 9·0.5329)/44) = −0.10/0.58392 = −0.1713 → 0,17
    d_p = cohens_d_pooled(4.66, 0.54, 36, 4.56, 0.73, 10)
    assert d_p == pytest.approx(-0.10 / math.sqrt((35 * 0.54**2 + 9 * 0.73**2) / 44))
    assert round(abs(d_p), 2) == 0.17


def test_d_conventions_skoleeier_by_hand():
    d_u = cohens_d_unweighted(3.88, 0.77, 4.40, 0.70)
    assert d_u == pytest.approx(0.52 / math.sqrt((0.77**2 + 0.70**2) / 2))  # ≈ 0.707
    d_p = cohens_d_pooled(3.88, 0.77, 36, 4.40, 0.70, 10)
    assert d_p == pytest.approx(0.52 / math.sqrt((35 * 0.77**2 + 9 * 0.70**2) / 44))
    assert d_u > 0 and d_p > 0


def test_hedges_g_by_hand():
    d_p = 0.52 / math.sqrt((35 * 0.77**2 + 9 * 0.70**2) / 44)
    assert hedges_g(3.88, 0.77, 36, 4.40, 0.70, 10) == pytest.approx(d_p * (1 - 3 / (4 * 46 - 9)))


def test_d_rounding_range_by_hand():
    # Veilederteamet: |Δ| ∈ [0.09, 0.11]; SDs ∈ [0.535, 0.545] and [0.725, 0.735].
    lo, hi = d_rounding_range(4.66, 0.54, 4.56, 0.73)
    assert lo == pytest.approx(0.09 / math.sqrt((0.545**2 + 0.735**2) / 2))
    assert hi == pytest.approx(0.11 / math.sqrt((0.535**2 + 0.725**2) / 2))
    lo_p, hi_p = d_rounding_range(4.66, 0.54, 4.56, 0.73, convention="pooled", n1=36, n2=10)
    assert lo_p == pytest.approx(0.09 / math.sqrt((35 * 0.545**2 + 9 * 0.735**2) / 44))
    # three-decimal SDs narrow the box
    lo3, hi3 = d_rounding_range(4.66, 0.54, 4.56, 0.73, decimals_sd=3)
    assert lo3 == pytest.approx(0.09 / math.sqrt((0.5405**2 + 0.7305**2) / 2))
    # equal printed means: the true difference may be 0
    assert d_rounding_range(4.0, 0.5, 4.0, 0.5)[0] == 0.0
    with pytest.raises(ValueError):
        d_rounding_range(4.66, 0.54, 4.56, 0.73, convention="pooled")


def test_check_printed_d_tabell_4_1_is_unweighted():
    out = check_printed_d(tabell_frame())
    assert set(out.convention) <= {"unweighted", "both"}
    assert out.matches_unweighted.all()
    # PPT by hand: pooled |d| at most 0.59/√((35·0.985² + 9·0.785²)/44) ≈ 0.623 < 0.65 − 0.005
    ppt = out.set_index("item").loc["PPT"]
    assert ppt.convention == "unweighted"
    assert ppt.d_unweighted == pytest.approx(0.58 / math.sqrt((0.99**2 + 0.79**2) / 2))
    assert ppt.d_pooled == pytest.approx(0.58 / math.sqrt((35 * 0.99**2 + 9 * 0.79**2) / 44))


def test_check_printed_d_wrong_and_missing():
    rows = [
        ("Veilederteamet (feil d)", 4.66, 0.54, 4.56, 0.73, 0.90),
        ("mangler", 4.66, np.nan, 4.56, 0.73, 0.16),
    ]
    out = check_printed_d(tabell_frame(rows))
    assert out.convention[0] == "neither"
    assert not out.matches_unweighted[0] and not out.matches_pooled[0]
    assert pd.isna(out.convention[1])
    assert pd.isna(out.matches_unweighted[1])


def test_check_printed_d_three_decimal_sd():
    # Inferred decimals: ",889" needs three. Hand-made row: d_unweighted = 0.5/√((0.889² + 0.8²)/2)
    d = 0.5 / math.sqrt((0.889**2 + 0.8**2) / 2)
    rows = [("x", 3.0, 0.889, 3.5, 0.800, round(d, 2))]
    out = check_printed_d(tabell_frame(rows))
    assert out.d_unweighted[0] == pytest.approx(d)
    assert out.matches_unweighted[0]
    explicit = tabell_frame(rows).assign(sd_decimals=3)
    assert check_printed_d(explicit).matches_unweighted[0]


def test_check_printed_d_accepts_nullable_integer_n():
    # Tabell 4.1 «Skoleleder»: only the owners' mean is printed, so n_leader is NA (Int64).
    df = pd.DataFrame(
        {
            "item": ["Veilederteamet", "Skoleleder"],
            "mean_leader": [4.66, None],
            "sd_leader": [0.54, None],
            "mean_owner": [4.56, 4.40],
            "sd_owner": [0.73, 0.70],
            "n_leader": pd.array([36, pd.NA], dtype="Int64"),
            "n_owner": pd.array([10, 10], dtype="Int64"),
            "d_printed": [0.16, None],
        }
    )
    out = check_printed_d(df)
    assert out.loc[0, "convention"] in ("unweighted", "both")
    assert pd.isna(out.loc[1, "convention"])


# ------------------------------------------------------------------------------ a whole battery


def battery(rows=TABELL_4_1) -> pd.DataFrame:
    """Tabell 4.1 as the query rating_items gives it (no «Skoleleder» row: one mean only)."""
    df = tabell_frame(rows).assign(leader_read_as=False, owner_read_as=False)
    df["item_order"] = range(len(df))
    return df


def test_item_statistics_tabell_4_1():
    out = item_statistics(battery()).set_index("item")
    # Skoleeier: owners 4,40 vs leaders 3,88 → +0,52; Welch p ≈ 0,059 (the front page's figure).
    row = out.loc["Skoleeier"]
    assert row["diff"] == pytest.approx(0.52)
    assert round(row["p_value"], 3) == 0.059
    assert row["d_unweighted"] == pytest.approx(0.52 / math.sqrt((0.77**2 + 0.70**2) / 2))
    lo, hi = mean_ci(3.88, 0.77, 36)
    assert (row["ci_leader_low"], row["ci_leader_high"]) == pytest.approx((lo, hi))
    assert out["both"].all()
    assert out.loc["Veilederteamet", "diff"] == pytest.approx(-0.10)  # leaders higher


def test_battery_summary_and_headline_tabell_4_1():
    stats = item_statistics(battery())
    s = battery_summary(stats)
    # Leaders: highest Veilederteamet 4,66, lowest Fylkesmannen 3,39; owners higher on 6 of 7.
    assert (s["top"]["item"], s["bottom"]["item"]) == ("Veilederteamet", "Fylkesmannen")
    assert (s["k_owner_higher"], s["m"]) == (6, 7)
    assert "Skoleeier" not in s["clear"]  # p ≈ 0,059
    top = headline_items(stats)
    assert top["top_leader"]["item"] == "Veilederteamet"
    assert top["top_owner"]["item"] == "Lærerne på skolen"  # 4,60
    assert top["gap"]["item"] == "Skoleeier"  # printed d 0,70, the largest


def test_claim_check_text_under_tabell_4_1():
    # «foruten når det gjelder Veilederteamet; Læringssenteret og Fylkesmannen»: only
    # Veilederteamet has the leaders higher (4,66 vs 4,56).
    check = claim_check(
        item_statistics(battery()), ["Veilederteamet", "Læringsmiljøsenteret", "Fylkesmannen"]
    )
    assert list(check["contradicted"]["item"]) == ["Læringsmiljøsenteret", "Fylkesmannen"]
    assert list(check["confirmed"]["item"]) == ["Veilederteamet"]


def test_printed_d_conventions_tabell_4_1():
    c = printed_d_conventions(item_statistics(battery()))
    # All 7 printed d match the unweighted SD within rounding; 5 also the pooled one.
    assert (c["m"], c["k_unweighted"], c["k_pooled"], c["neither"]) == (7, 7, 5, [])


def test_sort_items():
    stats = item_statistics(battery())
    assert list(sort_items(stats, "leader")["item"][:2]) == [
        "Veilederteamet",
        "Læringsmiljøsenteret",
    ]
    assert list(sort_items(stats, "difference")["item"][:2]) == ["PPT", "Skoleeier"]  # +0,58, +0,52
    assert list(sort_items(stats, "printed")["item"]) == [r[0] for r in TABELL_4_1]
