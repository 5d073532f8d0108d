"""Profiles, spread and funnel limits for skolebidrag (Udir/Skoleporten).

Skolebidrag is published per unit (here: kommune) and period, where a period is two merged school
years written 'YYYY+YY' ('2014+15' … '2018+19'; later ones such as '2019+20' may be imported).
0 is the national average.

* Profiles follow the expert group (2021, section 5.1.1), which classifies *schools* over the
  five periods 2014+15 … 2018+19: stable high (above the national average in all five), steady
  progress («jevn årlig progresjon») and stable low (below in all five). It counted, at school
  level, 18 / 8 / 15 of 1430 schools (5.–7. trinn) and 18 / 6 / 17 of 779 (8.–10.). We apply the
  same rules per kommune, so our counts are not comparable with theirs one to one.
* Funnel limits show how far from the national average a unit of a given size is expected to
  swing by chance alone; small kommuner swing much more, so ranking them by raw value mostly
  ranks their size.

No Streamlit and no database code lives here: these are pure functions of data frames.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "DEFAULT_PERIODS",
    "validate_period",
    "period_sort_key",
    "classify_profiles",
    "spread_by_unit",
    "funnel_limits",
    "estimate_sigma",
    "funnel_flags",
    "Funnel",
    "funnel",
    "flag_of",
    "group_mean",
]

#: The five periods the expert group's profiles are defined over.
DEFAULT_PERIODS = ("2014+15", "2015+16", "2016+17", "2017+18", "2018+19")

#: Median of the chi-square distribution with 1 df (≈ 0.45494).
CHI2_1_MEDIAN = float(stats.chi2.ppf(0.5, 1))

_PERIOD_RE = re.compile(r"^(\d{4})\+(\d{2})$")


def validate_period(p) -> bool:
    """True if ``p`` is a string 'YYYY+YY' whose second year is the first plus one
    ('2014+15', '2019+20', '1999+00'); anything else, including non-strings, is False."""
    if not isinstance(p, str):
        return False
    m = _PERIOD_RE.match(p)
    if not m:
        return False
    return int(m.group(2)) == (int(m.group(1)) + 1) % 100


def period_sort_key(period: str) -> int:
    """The first year of a period ('2016+17' → 2016), for sorting; ValueError if invalid."""
    if not validate_period(period):
        raise ValueError(f"not a period of the form 'YYYY+YY' with consecutive years: {period!r}")
    return int(period[:4])


def _check_periods(periods: Sequence[str]) -> list[str]:
    """Validate, sort and require consecutive periods (no gaps, no duplicates)."""
    periods = list(periods)
    if not periods:
        raise ValueError("periods must not be empty")
    keys = sorted(period_sort_key(p) for p in periods)
    if any(b - a != 1 for a, b in zip(keys, keys[1:], strict=False)):
        raise ValueError(f"periods must be consecutive school years without gaps: {periods}")
    return sorted(periods, key=period_sort_key)


def _wide(df: pd.DataFrame, unit_col: str, period_col: str, value_col: str) -> pd.DataFrame:
    bad = [p for p in df[period_col].dropna().unique() if not validate_period(p)]
    if bad:
        raise ValueError(f"invalid periods in {period_col!r}: {bad[:5]}")
    sub = df[[unit_col, period_col, value_col]].copy()
    sub[value_col] = pd.to_numeric(sub[value_col], errors="coerce")
    sub = sub.dropna(subset=[period_col])
    dup = sub.duplicated([unit_col, period_col])
    if dup.any():
        first = sub.loc[dup, [unit_col, period_col]].iloc[0].tolist()
        raise ValueError(f"more than one value per unit and period, e.g. {first}")
    return sub.pivot(index=unit_col, columns=period_col, values=value_col)


def classify_profiles(
    df: pd.DataFrame,
    unit_col: str = "kommune_code",
    period_col: str = "period",
    value_col: str = "value",
    periods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per unit with the expert group's three profiles.

    Columns: ``unit_col, n_periods`` (periods with a value, among the required ones),
    ``stable_high, steady_progress, stable_low`` (bool) and ``profile`` ∈ {'stabilt_hoy',
    'jevn_progresjon', 'stabilt_lav', 'ingen', 'ufullstendig'}.

    Definitions (over ``periods``, default the five 2014+15 … 2018+19; they must be consecutive):

    * stable high: value > 0 in every period; stable low: value < 0 in every period. Exactly 0
      (= the national average) is neither above nor below, so it breaks both.
    * steady progress: the value strictly increases from each period to the next. The expert
      group's operational definition of «jevn årlig progresjon» is not printed; this is our
      reading (every year-on-year step up, however small, no step back and no standstill).
    * A unit missing any required period gets no profile ('ufullstendig', all flags False).

    A unit can meet more than one definition (e.g. stable high *and* rising every period): the
    flags keep all of them, while ``profile`` picks one — stable high or stable low first, then
    steady progress — so the profiles partition the units.
    """
    periods = _check_periods(DEFAULT_PERIODS if periods is None else periods)
    wide = _wide(df, unit_col, period_col, value_col)
    units = pd.Index(df[unit_col].dropna().unique(), name=unit_col)
    wide = wide.reindex(index=units, columns=periods)
    values = wide.to_numpy(dtype=float)
    n_periods = (~np.isnan(values)).sum(axis=1)
    complete = n_periods == len(periods)
    with np.errstate(invalid="ignore"):
        high = complete & (values > 0).all(axis=1)
        low = complete & (values < 0).all(axis=1)
        if len(periods) > 1:
            rising = complete & (np.diff(values, axis=1) > 0).all(axis=1)
        else:
            rising = np.zeros(len(units), dtype=bool)
    profile = np.select(
        [~complete, high, low, rising],
        ["ufullstendig", "stabilt_hoy", "stabilt_lav", "jevn_progresjon"],
        default="ingen",
    )
    out = pd.DataFrame(
        {
            unit_col: units,
            "n_periods": n_periods.astype(int),
            "stable_high": high,
            "steady_progress": rising,
            "stable_low": low,
            "profile": profile.astype(object),
        }
    )
    return out.sort_values(unit_col, kind="stable").reset_index(drop=True)


def spread_by_unit(
    df: pd.DataFrame,
    unit_col: str = "kommune_code",
    period_col: str = "period",
    value_col: str = "value",
    periods: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per unit over its periods: ``min, max, mean, sd`` (sample SD, ddof=1; NaN with one
    period), ``n_periods``, ``latest_period`` and ``latest_value`` (the latest period with a
    value). ``periods`` restricts the periods used (default: all in the data; need not be
    consecutive here). Why: a unit's swing between periods is the plainest guard against reading
    one period's value as a stable property of the kommune.
    """
    wide = _wide(df, unit_col, period_col, value_col)
    units = pd.Index(df[unit_col].dropna().unique(), name=unit_col)
    cols = sorted(wide.columns if periods is None else periods, key=period_sort_key)
    wide = wide.reindex(index=units, columns=cols)
    values = wide.to_numpy(dtype=float)
    has = ~np.isnan(values)
    n = has.sum(axis=1)
    if values.shape[1]:
        last_idx = np.where(has.any(axis=1), len(cols) - 1 - np.argmax(has[:, ::-1], axis=1), -1)
    else:
        last_idx = np.full(len(units), -1)
    latest_period = [cols[i] if i >= 0 else None for i in last_idx]
    latest_value = [values[r, i] if i >= 0 else np.nan for r, i in enumerate(last_idx)]
    out = pd.DataFrame(
        {
            unit_col: units,
            "min": wide.min(axis=1).to_numpy(),
            "max": wide.max(axis=1).to_numpy(),
            "mean": wide.mean(axis=1).to_numpy(),
            "sd": wide.std(axis=1, ddof=1).to_numpy(),
            "n_periods": n.astype(int),
            "latest_period": pd.Series(latest_period, dtype=object).to_numpy(),
            "latest_value": np.array(latest_value, dtype=float),
        }
    )
    return out.sort_values(unit_col, kind="stable").reset_index(drop=True)


def funnel_limits(
    sizes: Sequence[float],
    sigma: float,
    center: float = 0.0,
    z: tuple[float, float] = (1.96, 3.09),
) -> pd.DataFrame:
    """Funnel-plot control limits center ± z·sigma/√size for each size.

    Columns ``size, lower_95, upper_95, lower_998, upper_998`` (z = 1.96 and 3.09: two-sided 95 %
    and 99.8 %, Spiegelhalter 2005). Why a funnel: it compares every unit with what chance alone
    would give a unit of *its* size, instead of ranking small and large kommuner on one scale.
    See :func:`estimate_sigma` for what sigma and size mean here.
    """
    s = np.asarray(sizes, dtype=float).ravel()
    if np.isnan(s).any() or (s <= 0).any():
        raise ValueError("sizes must be positive numbers")
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got {sigma!r}")
    se = sigma / np.sqrt(s)
    return pd.DataFrame(
        {
            "size": s,
            "lower_95": center - z[0] * se,
            "upper_95": center + z[0] * se,
            "lower_998": center - z[1] * se,
            "upper_998": center + z[1] * se,
        }
    )


def estimate_sigma(values: Sequence[float], sizes: Sequence[float], center: float = 0.0) -> float:
    """Robust estimate of the per-pupil SD sigma, assuming var(value_i) = sigma² / size_i.

    Under that model (value_i − center)²·size_i / sigma² is χ²₁-distributed, so
        sigma = √( median((value_i − center)²·size_i) / 0.45494 ),
    0.45494 being the median of χ²₁. The median (not the mean) keeps the few real outliers — the
    very units a funnel plot is meant to show — from inflating the limits.

    This is an approximation, not an official confidence interval: the size measure is the
    kommune's population aged 6–15, not the number of tested pupils behind the skolebidrag, and
    real differences between kommuner are part of the spread. The limits show how much more
    smaller units are expected to swing, not which kommuner differ "significantly".
    Pairs with a missing value or size are dropped; sizes must be positive; NaN if none is left.
    """
    v = np.asarray(values, dtype=float).ravel()
    s = np.asarray(sizes, dtype=float).ravel()
    if v.shape != s.shape:
        raise ValueError("values and sizes must have the same length")
    ok = ~(np.isnan(v) | np.isnan(s))
    v, s = v[ok], s[ok]
    if (s <= 0).any():
        raise ValueError("sizes must be positive")
    if v.size == 0:
        return math.nan
    return float(math.sqrt(np.median((v - center) ** 2 * s) / CHI2_1_MEDIAN))


def funnel_flags(
    df: pd.DataFrame,
    value_col: str,
    size_col: str,
    sigma: float,
    center: float = 0.0,
    z: tuple[float, float] = (1.96, 3.09),
) -> pd.DataFrame:
    """Copy of ``df`` with ``z_score`` = (value − center)·√size / sigma and ``outside_95``,
    ``outside_998`` (|z| beyond 1.96 / 3.09; nullable boolean, NA where value or size is
    missing). Same model and caveats as :func:`estimate_sigma` and :func:`funnel_limits`.
    """
    if not sigma > 0:
        raise ValueError(f"sigma must be positive, got {sigma!r}")
    out = df.copy()
    v = pd.to_numeric(out[value_col], errors="coerce").to_numpy(dtype=float)
    s = pd.to_numeric(out[size_col], errors="coerce").to_numpy(dtype=float)
    if (s[~np.isnan(s)] <= 0).any():
        raise ValueError(f"column {size_col!r} has sizes <= 0")
    zs = (v - center) * np.sqrt(s) / sigma
    missing = np.isnan(zs)
    out["z_score"] = zs
    out["outside_95"] = pd.array(
        np.where(missing, None, np.abs(zs) > z[0]).tolist(), dtype="boolean"
    )
    out["outside_998"] = pd.array(
        np.where(missing, None, np.abs(zs) > z[1]).tolist(), dtype="boolean"
    )
    return out


# ----------------------------------------------------------------------------- funnel

#: Fewer units than this give no usable funnel: sigma is estimated from the units themselves,
#: and the median of fewer than ten squared z-values swings by a factor of two or more.
MIN_FUNNEL_UNITS = 10
#: The size measures, in order of preference: the number of pupils behind the value (where an
#: export gives it), else the kommune's population aged 6–15 (SSB), a proxy for its pupils.
SIZE_MEASURES = ("n_pupils", "population_6_15")
FLAGS = ("below_998", "below_95", "inside", "above_95", "above_998")


@dataclass(frozen=True)
class Funnel:
    """A funnel plot's content: every unit's position, the limits, and what they rest on."""

    points: pd.DataFrame  # the units with size, z_score, outside_95, outside_998, flag
    limits: pd.DataFrame  # funnel_limits() over a grid of sizes spanning the units
    sigma: float
    size_measure: str | None  # one of SIZE_MEASURES, None when no unit has a size
    n_units: int
    min_units: int = MIN_FUNNEL_UNITS

    @property
    def enough(self) -> bool:
        return self.n_units >= self.min_units and self.sigma == self.sigma

    def position(self, unit, unit_col: str = "kommune_code") -> pd.Series | None:
        """The row of one unit (z_score, flag, size, …), or None if it is not in the funnel."""
        hit = self.points[self.points[unit_col] == unit]
        return None if hit.empty or not self.enough else hit.iloc[0]


def flag_of(z: float) -> str:
    """Where a z-score lies: beyond the 99.8 % limits, beyond 95 %, or inside."""
    if z != z:
        return "inside"
    if z > 3.09:
        return "above_998"
    if z < -3.09:
        return "below_998"
    if z > 1.96:
        return "above_95"
    if z < -1.96:
        return "below_95"
    return "inside"


def funnel(
    units: pd.DataFrame, value_col: str = "value", min_units: int = MIN_FUNNEL_UNITS, grid: int = 90
) -> Funnel:
    """The funnel of one period: every unit against what chance alone gives a unit of its size.

    `units` holds one row per unit with `value_col` and the size columns of SIZE_MEASURES it
    has. The size measure is the first one every unit with a value has (pupils, else
    population 6–15); units without a value or a positive size are left out. With fewer than
    `min_units` units the funnel is not `enough` and no unit gets a position.
    """
    pts = units[pd.to_numeric(units[value_col], errors="coerce").notna()].copy()
    measure = next(
        (m for m in SIZE_MEASURES if m in pts and len(pts) and pts[m].notna().all()), None
    )
    if measure is None:
        measure = next((m for m in SIZE_MEASURES[::-1] if m in pts and pts[m].notna().any()), None)
    pts["size"] = pd.to_numeric(pts[measure], errors="coerce") if measure else np.nan
    pts = pts[pts["size"] > 0]
    if pts.empty:
        return Funnel(
            pts.assign(z_score=[], flag=[]), pd.DataFrame(), math.nan, measure, 0, min_units
        )
    sigma = estimate_sigma(pts[value_col], pts["size"])
    if not sigma > 0:
        return Funnel(
            pts.assign(z_score=np.nan, flag="inside"),
            pd.DataFrame(),
            math.nan,
            measure,
            len(pts),
            min_units,
        )
    flagged = funnel_flags(pts, value_col, "size", sigma)
    flagged["flag"] = flagged.z_score.map(flag_of)
    sizes = np.geomspace(flagged["size"].min() * 0.8, flagged["size"].max() * 1.25, grid)
    return Funnel(
        flagged.reset_index(drop=True),
        funnel_limits(sizes, sigma),
        sigma,
        measure,
        len(flagged),
        min_units,
    )


# ----------------------------------------------------------------------------- group means

#: A fylke mean is shown only when it rests on at least this many kommuner …
MIN_GROUP_UNITS = 5
#: … and on at least this share of the fylke's kommuner: a mean of two kommuner out of 51 says
#: nothing about «the fylke».
MIN_GROUP_SHARE = 0.5


def group_mean(values: Sequence[float], n_members: int) -> dict:
    """Unweighted mean of the members' values (each kommune counts once, whatever its size),
    with n, the group's size and whether it may be shown (MIN_GROUP_UNITS, MIN_GROUP_SHARE)."""
    v = pd.to_numeric(pd.Series(list(values), dtype=float), errors="coerce").dropna()
    n = len(v)
    shown = n >= MIN_GROUP_UNITS and n >= MIN_GROUP_SHARE * n_members
    return {
        "mean": float(v.mean()) if n else math.nan,
        "n": n,
        "n_members": int(n_members),
        "shown": bool(shown),
    }
