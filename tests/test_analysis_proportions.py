"""analysis.proportions against published examples and formulas written out here by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.proportions import (
    add_wilson,
    base_inconsistencies,
    chi_square_independence,
    cochran_armitage_trend,
    consistent_count_range,
    counts_from_shares,
    implied_count,
    ordered_groups,
    rounding_explains,
    two_proportion_difference,
    wilson_interval,
)

Z95 = 1.959963984540054  # standard normal 97.5 % quantile

# Tabell 2 (2010): schools knowing «Bedre læringsmiljø», by landsdel (without the "Alle" row).
T2_SHARES = [85, 82, 82, 88]
T2_NS = [96, 175, 233, 152]
# Tabell 6 (2010): owners using the web guidance, the three ordered kommune-size classes.
T6_SHARES = [32, 53, 64]
T6_NS = [38, 30, 28]


def wilson_by_hand(x: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson (1927) closed form: (2x + z² ± z√(z² + 4x(n−x)/n)) / (2(n + z²))."""
    root = z * math.sqrt(z * z + 4 * x * (n - x) / n)
    return ((2 * x + z * z - root) / (2 * (n + z * z)), (2 * x + z * z + root) / (2 * (n + z * z)))


# ------------------------------------------------------------------------------------ Wilson


def test_wilson_newcombe_1998_example_81_of_263():
    # Newcombe (1998), Stat Med 17:857, Table I: 81/263 → score interval 0.2553 to 0.3662.
    lo, hi = wilson_interval(100 * 81 / 263, 263)
    assert lo / 100 == pytest.approx(0.2553, abs=5e-5)
    assert hi / 100 == pytest.approx(0.3662, abs=5e-5)


def test_wilson_zero_of_ten():
    # Newcombe (1998) Table I: 0/10 → 0 to 0.2775. By hand: upper = z²/(n + z²).
    lo, hi = wilson_interval(0, 10)
    assert lo == pytest.approx(0.0, abs=1e-12)
    assert hi / 100 == pytest.approx(Z95**2 / (10 + Z95**2), abs=1e-12)
    assert hi / 100 == pytest.approx(0.2775, abs=5e-5)


def test_wilson_tabell2_oslo_akershus_by_formula():
    # 85 % of n=96; the closed form with x = 0.85·96 = 81.6 (the share is used as printed).
    lo, hi = wilson_interval(85, 96)
    exp_lo, exp_hi = wilson_by_hand(81.6, 96)
    assert lo == pytest.approx(100 * exp_lo, abs=1e-9)
    assert hi == pytest.approx(100 * exp_hi, abs=1e-9)
    # and roughly 76.6–90.9 %: asymmetric around 85 (more room towards 50 %)
    assert 85 - lo > hi - 85


def test_wilson_other_level_uses_its_quantile():
    z90 = 1.6448536269514722
    lo, hi = wilson_interval(50, 40, level=0.90)
    exp = wilson_by_hand(20, 40, z90)
    assert (lo / 100, hi / 100) == pytest.approx(exp, abs=1e-12)


def test_wilson_missing_and_invalid():
    assert all(math.isnan(x) for x in wilson_interval(50, float("nan")))
    assert all(math.isnan(x) for x in wilson_interval(float("nan"), 10))
    assert all(math.isnan(x) for x in wilson_interval(50, None))
    with pytest.raises(ValueError):
        wilson_interval(50, 0)
    with pytest.raises(ValueError):
        wilson_interval(50, -3)
    with pytest.raises(ValueError):
        wilson_interval(101, 10)


def test_add_wilson_is_vectorised_copy():
    df = pd.DataFrame({"share_pct": [85, 0, 50, np.nan], "n_respondents": [96, 10, np.nan, 20]})
    out = add_wilson(df)
    assert "ci_low_pct" not in df.columns  # a copy
    lo, hi = wilson_by_hand(81.6, 96)
    assert out.ci_low_pct[0] == pytest.approx(100 * lo)
    assert out.ci_high_pct[0] == pytest.approx(100 * hi)
    assert out.ci_high_pct[1] == pytest.approx(100 * Z95**2 / (10 + Z95**2))
    assert out.ci_low_pct[2:].isna().all() and out.ci_high_pct[2:].isna().all()
    with pytest.raises(ValueError):
        add_wilson(pd.DataFrame({"share_pct": [50], "n_respondents": [0]}))


def test_add_wilson_custom_columns():
    df = pd.DataFrame({"s": [81 * 100 / 263], "n": [263]})
    out = add_wilson(df, share_col="s", n_col="n")
    assert out.ci_low_pct[0] == pytest.approx(25.53, abs=0.005)


# ------------------------------------------------------------------------------------ counts


def test_counts_from_shares_by_hand():
    # 85 % of 96 = 81.6 → 82; 82 % of 175 = 143.5 → 144 (half up); 82 % of 233 = 191.06 → 191;
    # 88 % of 152 = 133.76 → 134
    assert counts_from_shares(T2_SHARES, T2_NS).tolist() == [82, 144, 191, 134]
    assert counts_from_shares(T6_SHARES, T6_NS).tolist() == [12, 16, 18]


def test_consistent_count_range():
    # n=656, 84 %: 100c/656 within 83.5–84.5 → c within 547.76–554.32 → 548..554
    assert consistent_count_range(84, 656) == (548, 554)
    # n=38, 32 %: 12/38 = 31.6 % is the only count in 31.5–32.5 %
    assert consistent_count_range(32, 38) == (12, 12)
    # impossible print (50 % of 3): falls back to the rounded count
    assert consistent_count_range(50, 3) == (2, 2)


# ------------------------------------------------------------------------------------ chi-square


def test_chi_square_2x2_worked_example():
    # Yes: 30 of 50 (60 %) vs 20 of 50 (40 %). Totals: yes 50, no 50, N 100 → every expected = 25.
    # chi2 = 4 · (5²/25) = 4.0, df 1, p = P(χ²₁ > 4) = 2·(1 − Φ(2)).
    res = chi_square_independence([60, 40], [50, 50])
    assert res["chi2"] == pytest.approx(4.0)
    assert res["dof"] == 1
    assert res["p_value"] == pytest.approx(2 * stats.norm.sf(2.0))
    assert res["expected_min"] == pytest.approx(25.0)
    assert res["cramers_v"] == pytest.approx(math.sqrt(4.0 / 100))  # = 0.2
    assert res["n_total"] == 100
    # exact print: only one consistent table
    assert res["rounding_sensitivity"]["n_combinations"] == 1


def test_chi_square_tabell2_not_significant():
    res = chi_square_independence(T2_SHARES, T2_NS)
    assert res["dof"] == 3
    # By hand: counts 82,144,191,134 of 96,175,233,152; pooled share p̄ = 551/656.
    x = np.array([82, 144, 191, 134])
    n = np.array(T2_NS)
    pbar = x.sum() / n.sum()
    chi2 = sum(
        (x[i] - n[i] * pbar) ** 2 / (n[i] * pbar)
        + ((n[i] - x[i]) - n[i] * (1 - pbar)) ** 2 / (n[i] * (1 - pbar))
        for i in range(4)
    )
    assert res["chi2"] == pytest.approx(chi2)
    assert res["p_value"] == pytest.approx(stats.chi2.sf(chi2, 3))
    assert res["p_value"] > 0.05
    assert res["cramers_v"] == pytest.approx(math.sqrt(chi2 / 656))
    assert res["expected_min"] == pytest.approx(96 * (1 - pbar))
    sens = res["rounding_sensitivity"]
    assert sens["exhaustive"]
    assert sens["p_min"] <= res["p_value"] <= sens["p_max"]
    assert sens["p_min"] > 0.05 and sens["conclusion_robust"]


def test_chi_square_rounding_sensitivity_enumerates_all_consistent_tables():
    # 50 % of 200 → counts 99, 100, 101 (49.5–50.5 %); 30 % of 10 → 3 only.
    res = chi_square_independence([50, 30], [200, 10])
    sens = res["rounding_sensitivity"]
    assert sens["n_combinations"] == 3

    def p_for(c1):
        x, n = np.array([c1, 3]), np.array([200, 10])
        pb = x.sum() / 210
        chi2 = (((x - n * pb) ** 2) / (n * pb * (1 - pb))).sum()
        return stats.chi2.sf(chi2, 1)

    ps = [p_for(c) for c in (99, 100, 101)]
    assert sens["p_min"] == pytest.approx(min(ps))
    assert sens["p_max"] == pytest.approx(max(ps))


def test_chi_square_caps_enumeration():
    res = chi_square_independence([50, 50, 50], [1000, 1000, 1000], max_combinations=100)
    sens = res["rounding_sensitivity"]
    assert not sens["exhaustive"]
    assert sens["n_combinations"] == 2**3 + 1


# ------------------------------------------------------------------------------------ trend


def ca_by_hand(x, n, t):
    x, n, t = (np.asarray(a, dtype=float) for a in (x, n, t))
    N = n.sum()
    pbar = x.sum() / N
    T = np.sum(t * (x - n * pbar))
    var = pbar * (1 - pbar) * (np.sum(n * t**2) - np.sum(n * t) ** 2 / N)
    return T / math.sqrt(var)


def test_cochran_armitage_agresti_alcohol_malformation():
    # Agresti, Categorical Data Analysis (2002), Table 3.7 / §5.3.5: malformation by alcohol
    # consumption, scores 0, 0.5, 1.5, 4, 7; Agresti reports z² ≈ 6.57 (P ≈ 0.01).
    present = np.array([48, 38, 5, 1, 1])
    absent = np.array([17066, 14464, 788, 126, 37])
    n = present + absent
    scores = [0, 0.5, 1.5, 4.0, 7.0]
    res = cochran_armitage_trend(100 * present / n, n, scores=scores)
    assert res["counts"].tolist() == present.tolist()
    z = ca_by_hand(present, n, scores)
    assert res["z"] == pytest.approx(z)
    assert res["z"] ** 2 == pytest.approx(6.57, abs=0.02)
    assert res["p_value"] == pytest.approx(2 * stats.norm.sf(abs(z)))
    assert 0.009 < res["p_value"] < 0.012


def test_cochran_armitage_small_hand_example():
    # x = 2, 5, 8 of n = 10 each, scores 0,1,2: p̄ = 0.5, T = 0·(−3) + 1·0 + 2·3 = 6,
    # Var = 0.25 · (50 − 30²/30) = 0.25 · 20 = 5 → z = 6/√5; slope = 30 pp per step.
    res = cochran_armitage_trend([20, 50, 80], [10, 10, 10])
    assert res["z"] == pytest.approx(6 / math.sqrt(5))
    assert res["slope_pct_per_step"] == pytest.approx(30.0)
    # decreasing shares give a negative z
    assert cochran_armitage_trend([80, 50, 20], [10, 10, 10])["z"] == pytest.approx(-6 / 5**0.5)


def test_cochran_armitage_tabell6_kommune_size_trend_significant():
    res = cochran_armitage_trend(T6_SHARES, T6_NS)
    # counts 12/38, 16/30, 18/28; by hand p̄ = 46/96, T = 1·(16 − 30p̄) + 2·(18 − 28p̄),
    # Var = p̄(1 − p̄)(30 + 4·28 − (30 + 2·28)²/96)
    pbar = 46 / 96
    T = (16 - 30 * pbar) + 2 * (18 - 28 * pbar)
    var = pbar * (1 - pbar) * (30 + 4 * 28 - (30 + 56) ** 2 / 96)
    z = T / math.sqrt(var)
    assert res["z"] == pytest.approx(z)
    assert res["p_value"] == pytest.approx(2 * stats.norm.sf(z))
    assert res["p_value"] < 0.05
    sens = res["rounding_sensitivity"]
    assert sens["p_max"] < 0.05 and sens["conclusion_robust"]
    assert res["slope_pct_per_step"] > 0


def test_cochran_armitage_rejects_bad_scores():
    with pytest.raises(ValueError):
        cochran_armitage_trend([10, 20], [10, 10], scores=[1, 1])
    with pytest.raises(ValueError):
        cochran_armitage_trend([10, 20], [10, 10], scores=[1, 2, 3])


# ------------------------------------------------------------------------------------ Newcombe


def test_newcombe_method10_published_example():
    # Newcombe (1998), Stat Med 17:873, Table II example (b): 56/70 vs 48/80,
    # difference 0.2000, method 10: 0.0524 to 0.3339.
    res = two_proportion_difference(100 * 56 / 70, 70, 100 * 48 / 80, 80)
    assert res["diff_pp"] == pytest.approx(20.0)
    assert res["ci_low_pp"] / 100 == pytest.approx(0.0524, abs=5e-5)
    assert res["ci_high_pp"] / 100 == pytest.approx(0.3339, abs=5e-5)


def test_two_proportion_h_and_pooled_z_by_hand():
    res = two_proportion_difference(80, 70, 60, 80)
    h = 2 * math.asin(math.sqrt(0.8)) - 2 * math.asin(math.sqrt(0.6))
    assert res["cohens_h"] == pytest.approx(h)
    pooled = (56 + 48) / 150
    z = 0.2 / math.sqrt(pooled * (1 - pooled) * (1 / 70 + 1 / 80))
    assert res["z"] == pytest.approx(z)
    assert res["p_value"] == pytest.approx(2 * stats.norm.sf(z))


# ------------------------------------------------------------------- ordered groups, rounding, bases


def test_ordered_groups_tabell_6_trend_and_ends():
    # Tabell 6: 32 % of 38, 53 % of 30, 64 % of 28: «dobbelt så mange» in the largest kommuner.
    res = ordered_groups(T6_SHARES, T6_NS)
    assert res["trend"]["z"] == pytest.approx(cochran_armitage_trend(T6_SHARES, T6_NS)["z"])
    assert res["trend"]["z"] == pytest.approx(2.68, abs=0.005)
    assert res["trend"]["p_value"] == pytest.approx(0.0074, abs=0.00005)
    end = two_proportion_difference(64, 28, 32, 38)
    assert res["diff"] == end  # last minus first
    assert round(res["diff"]["diff_pp"]) == 32
    assert (round(res["diff"]["ci_low_pp"]), round(res["diff"]["ci_high_pp"])) == (8, 52)
    assert res["ratio"] == pytest.approx(2.0)


def test_rounding_explains_the_101_of_tabell_2():
    # Midt- og Nord-Norge: Ja 88 + Nei 13 = 101 for n=152; 133/152 = 87.5 % and 19/152 = 12.5 %
    # both round half up.
    k, yes, no = rounding_explains(88, 13, 152)
    assert k == 133
    assert yes == pytest.approx(87.5) and no == pytest.approx(12.5)
    assert rounding_explains(85, 16, 96) is None  # no count of 96 gives both


def test_base_inconsistencies_tabell_5():
    # Tabell 5: 78 % of 224 schools that used material ≈ 175, which is 26.6 % of all 656, while
    # the share of all is printed 24 %. The other step (87 % of 223 ≈ 194 = 29.6 % of 656,
    # printed 29 %) is consistent.
    chain = pd.DataFrame(
        {
            "step_key": ["mobbing", "mobbing", "annet", "annet"],
            "base_key": ["brukere", "alle", "brukere", "alle"],
            "share_pct": [78.0, 24.0, 87.0, 29.0],
            "n_base": [224, 656, 223, 656],
            "table_no": ["Tabell 5"] * 4,
        }
    )
    bad = base_inconsistencies(chain)
    assert list(bad["step_key"]) == ["mobbing"]
    row = bad.iloc[0]
    assert round(row["count"]) == 175 and round(row["implied_pct"], 1) == 26.6
    assert (row["n_sub"], row["n_all"], row["share_all"]) == (224, 656, 24.0)
    assert base_inconsistencies(chain.iloc[2:]).empty


def test_implied_count():
    # Tabell 7: 76 % of the printed «58?» ≈ 44, which is 36 % of 122.
    count, share = implied_count(76, 58, 122)
    assert round(count) == 44 and round(share) == 36
    assert math.isnan(implied_count(76, 58)[1])
