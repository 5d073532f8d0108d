"""analysis.skolebidrag on hand-made units and synthetic data with known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.skolebidrag import (
    DEFAULT_PERIODS,
    classify_profiles,
    estimate_sigma,
    funnel_flags,
    funnel_limits,
    period_sort_key,
    spread_by_unit,
    validate_period,
)

P5 = ["2014+15", "2015+16", "2016+17", "2017+18", "2018+19"]


def long(units: dict[str, list[float]], periods=P5) -> pd.DataFrame:
    rows = [
        {"kommune_code": u, "period": p, "value": v}
        for u, vals in units.items()
        for p, v in zip(periods, vals, strict=False)
    ]
    return pd.DataFrame(rows)


def test_periods():
    assert list(DEFAULT_PERIODS) == P5
    assert validate_period("2014+15") and validate_period("2019+20") and validate_period("1999+00")
    for bad in ("2014+16", "2014-15", "14+15", "2014+15 ", 2014, None, "abcd+ef"):
        assert not validate_period(bad)
    assert period_sort_key("2016+17") == 2016
    with pytest.raises(ValueError):
        period_sort_key("2016+18")


def test_classify_hand_made_units():
    df = long(
        {
            "A_high": [0.5, 1.0, 0.2, 2.0, 0.1],
            "B_low": [-0.5, -1.0, -0.2, -2.0, -0.1],
            "C_rising": [-2, -1, 0, 1, 2],
            "D_mixed": [1, -1, 1, -1, 1],
            "E_four": [1, 1, 1, 1],
            "F_zero": [1, 1, 0, 1, 1],
            "G_zero_low": [-1, -1, 0, -1, -1],
            "H_high_rising": [1, 2, 3, 4, 5],
            "I_flat_step": [-2, -1, -1, 0, 1],
        }
    )
    out = classify_profiles(df).set_index("kommune_code")
    assert out.profile.to_dict() == {
        "A_high": "stabilt_hoy",
        "B_low": "stabilt_lav",
        "C_rising": "jevn_progresjon",
        "D_mixed": "ingen",
        "E_four": "ufullstendig",
        "F_zero": "ingen",
        "G_zero_low": "ingen",
        "H_high_rising": "stabilt_hoy",
        "I_flat_step": "ingen",
    }
    assert out.n_periods["E_four"] == 4 and out.n_periods["A_high"] == 5
    assert not out.stable_high["E_four"] and not out.steady_progress["E_four"]
    assert not out.stable_high["F_zero"] and not out.stable_low["G_zero_low"]
    # both flags kept for a unit that is high and rising
    assert out.stable_high["H_high_rising"] and out.steady_progress["H_high_rising"]
    assert out.steady_progress["C_rising"] and not out.stable_high["C_rising"]


def test_classify_ignores_other_periods_and_checks_sequence():
    df = long({"A": [1, 1, 1, 1, 1, -5]}, periods=[*P5, "2019+20"])
    assert classify_profiles(df).profile[0] == "stabilt_hoy"
    later = ["2015+16", "2016+17", "2017+18", "2018+19", "2019+20"]
    assert classify_profiles(df, periods=later).profile[0] == "ingen"
    with pytest.raises(ValueError):
        classify_profiles(df, periods=["2014+15", "2016+17"])  # gap
    with pytest.raises(ValueError):
        classify_profiles(pd.concat([df, df]))  # duplicate unit × period


def test_classify_custom_columns_and_missing_value():
    df = long({"A": [1, 1, np.nan, 1, 1]}).rename(
        columns={"kommune_code": "k", "period": "p", "value": "v"}
    )
    out = classify_profiles(df, unit_col="k", period_col="p", value_col="v")
    assert out.profile[0] == "ufullstendig" and out.n_periods[0] == 4


def test_spread_by_unit_by_hand():
    df = long({"A": [1, 3, 2], "B": [-1, np.nan, 4, 5, 6], "C": [7]})
    out = spread_by_unit(df).set_index("kommune_code")
    assert out.loc["A", "min"] == 1 and out.loc["A", "max"] == 3
    assert out.loc["A", "mean"] == pytest.approx(2.0)
    assert out.loc["A", "sd"] == pytest.approx(1.0)  # √(((1−2)² + 1² + 0²)/2)
    assert out.loc["A", "latest_period"] == "2016+17" and out.loc["A", "latest_value"] == 2
    assert out.loc["B", "n_periods"] == 4
    assert out.loc["B", "mean"] == pytest.approx(14 / 4)
    assert out.loc["B", "latest_period"] == "2018+19" and out.loc["B", "latest_value"] == 6
    assert math.isnan(out.loc["C", "sd"]) and out.loc["C", "n_periods"] == 1


def test_funnel_limits_by_hand():
    lim = funnel_limits([100, 400], sigma=10)
    # 10/√100 = 1 → ±1.96, ±3.09; 10/√400 = 0.5 → ±0.98, ±1.545
    assert lim.loc[0, ["lower_95", "upper_95", "lower_998", "upper_998"]].tolist() == (
        pytest.approx([-1.96, 1.96, -3.09, 3.09])
    )
    assert lim.loc[1, "upper_95"] == pytest.approx(0.98)
    assert lim.loc[1, "lower_998"] == pytest.approx(-1.545)
    shifted = funnel_limits([100], sigma=10, center=2.0)
    assert shifted.upper_95[0] == pytest.approx(3.96)
    with pytest.raises(ValueError):
        funnel_limits([0], sigma=10)


def test_estimate_sigma_recovers_known_sigma():
    rng = np.random.default_rng(20210511)
    sigma = 12.0
    sizes = rng.integers(50, 5000, size=400).astype(float)
    values = rng.normal(0.0, sigma / np.sqrt(sizes))
    est = estimate_sigma(values, sizes)
    assert abs(est - sigma) / sigma < 0.10
    # formula by hand on a tiny case: v²·size = 1·2, 4·1, 9·0.25 = 2, 4, 2.25 → median 2.25
    expected = math.sqrt(2.25 / 0.45494)
    assert estimate_sigma([1, 2, 3], [2, 1, 0.25]) == pytest.approx(expected, rel=1e-4)
    # with a centre: (v − 1)²·size = 0, 1, 4 → median 1
    assert estimate_sigma([1, 2, 3], [1, 1, 1], center=1) == pytest.approx(
        math.sqrt(1 / 0.45494), rel=1e-4
    )
    assert math.isnan(estimate_sigma([np.nan], [10]))


def test_funnel_flags_by_hand():
    df = pd.DataFrame({"v": [1.0, -2.5, 4.0, np.nan], "size": [100, 100, 100, 100]})
    out = funnel_flags(df, "v", "size", sigma=10)
    # z = v·√100/10 = v
    assert out.z_score[:3].tolist() == pytest.approx([1.0, -2.5, 4.0])
    assert out.outside_95[:3].tolist() == [False, True, True]
    assert out.outside_998[:3].tolist() == [False, False, True]
    assert pd.isna(out.outside_95[3]) and "z_score" not in df.columns
