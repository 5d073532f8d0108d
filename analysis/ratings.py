"""Means, intervals and effect sizes for the rating batteries of report 001 (NTNU 2016).

The report prints, per item, the mean and SD for school leaders (skoleleder, n=36 respondents)
and school owners (skoleeier, n=10), and Cohen's d *without sign*. Working only from those
printed summaries:

* Intervals and tests use the t distribution (Welch for two groups), because the groups are
  small — 10 owners — and their SDs differ.
* The printed d matches d = |m2 − m1| / √((s1² + s2²)/2), the *unweighted* average of the two
  variances, not the n-weighted pooled SD (Veilederteamet: unweighted 0.156 → printed 0,16;
  pooled ≈ 0.17). Both conventions are provided, :func:`check_printed_d` says which one each
  printed value is consistent with, allowing for the rounding of the printed inputs.
* Our d is SIGNED, (group 2 − group 1)/SD with group 2 = skoleeier, so the sign says who rates
  higher; the report's is not.

Caveat for every interval and test here: n per item is not printed. "Vet ikke" answers are
probably excluded item by item, so the real n may be below 36/10 and intervals computed with
n=36/10 may be slightly too narrow (p-values slightly too small).

No Streamlit and no database code lives here: these are pure functions of numbers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats


def _missing(*xs) -> bool:
    for x in xs:
        if x is None or x is pd.NA:
            return True
        try:
            if math.isnan(float(x)):
                return True
        except (TypeError, ValueError):
            return True
    return False


def mean_ci(mean: float, sd: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """Confidence interval for a mean from its printed mean, SD and n: mean ± t·sd/√n.

    Why t with df = n − 1: the SD is itself estimated from the same small sample (10 owners), so
    the normal quantile would understate the uncertainty. See the module caveat about n.
    Missing input gives (nan, nan); n < 2 or sd < 0 raises ValueError.
    """
    if _missing(mean, sd, n):
        return (math.nan, math.nan)
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    if sd < 0:
        raise ValueError(f"sd must not be negative, got {sd}")
    half = stats.t.ppf(0.5 + level / 2, n - 1) * sd / math.sqrt(n)
    return (float(mean - half), float(mean + half))


def welch_t_from_stats(m1: float, s1: float, n1: float, m2: float, s2: float, n2: float) -> dict:
    """Welch's t-test from summary statistics; t is signed like d: positive when group 2 (the
    owners) rates higher.

    Why Welch: the groups are very unequal in size (36 vs 10) and their SDs differ; the
    equal-variance Student test is then miscalibrated, Welch is not. Computed with
    ``scipy.stats.ttest_ind_from_stats(equal_var=False)``; df is the Welch–Satterthwaite df
        df = (v1 + v2)² / (v1²/(n1−1) + v2²/(n2−1)),  v_i = s_i²/n_i.
    Keys: ``t, df, p_value`` (two-sided), ``mean_diff`` (m2 − m1).
    """
    if _missing(m1, s1, n1, m2, s2, n2):
        return {"t": math.nan, "df": math.nan, "p_value": math.nan, "mean_diff": math.nan}
    if n1 < 2 or n2 < 2:
        raise ValueError("each group needs n >= 2")
    res = stats.ttest_ind_from_stats(m2, s2, n2, m1, s1, n1, equal_var=False)
    v1, v2 = s1**2 / n1, s2**2 / n2
    denom = v1**2 / (n1 - 1) + v2**2 / (n2 - 1)
    df = (v1 + v2) ** 2 / denom if denom > 0 else math.nan
    return {
        "t": float(res.statistic),
        "df": float(df),
        "p_value": float(res.pvalue),
        "mean_diff": float(m2 - m1),
    }


def cohens_d_unweighted(m1: float, s1: float, m2: float, s2: float) -> float:
    """Signed d = (m2 − m1) / √((s1² + s2²)/2) — the convention the 2016 report's printed d
    follows (without the sign). Needs no n, which suits summaries where n per item is unknown."""
    if _missing(m1, s1, m2, s2):
        return math.nan
    sd = math.sqrt((s1**2 + s2**2) / 2)
    return (m2 - m1) / sd if sd > 0 else math.nan


def _pooled_sd(s1: float, n1: float, s2: float, n2: float) -> float:
    return math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2))


def cohens_d_pooled(m1: float, s1: float, n1: float, m2: float, s2: float, n2: float) -> float:
    """Signed d = (m2 − m1) / s_pooled, s_pooled = √(((n1−1)s1² + (n2−1)s2²)/(n1+n2−2)).

    The textbook convention; offered to show how much the choice matters (with 36 vs 10 the
    pooled SD leans towards the leaders' SD)."""
    if _missing(m1, s1, n1, m2, s2, n2):
        return math.nan
    if n1 + n2 <= 2:
        raise ValueError("need n1 + n2 > 2")
    sd = _pooled_sd(s1, n1, s2, n2)
    return (m2 - m1) / sd if sd > 0 else math.nan


def hedges_g(m1: float, s1: float, n1: float, m2: float, s2: float, n2: float) -> float:
    """Pooled d times the small-sample correction J = 1 − 3/(4(n1+n2) − 9): d overstates the
    population effect in small samples, g removes most of that bias."""
    d = cohens_d_pooled(m1, s1, n1, m2, s2, n2)
    return d * (1 - 3 / (4 * (n1 + n2) - 9)) if d == d else math.nan


def d_rounding_range(
    m1: float,
    s1: float,
    m2: float,
    s2: float,
    decimals_mean: int = 2,
    decimals_sd: int = 2,
    convention: str = "unweighted",
    n1: float | None = None,
    n2: float | None = None,
) -> tuple[float, float]:
    """Range (lo, hi) of |d| over every set of true inputs that rounds to the printed ones.

    Each printed mean and SD stands for an interval ± half a unit in its last decimal. |d| is
    |m2 − m1| divided by an SD that increases in both s1 and s2 (in both conventions), so the
    extremes are exact at the corners: lo = smallest |m2 − m1| (0 if the difference interval
    contains 0) over the largest SDs, hi = largest |m2 − m1| over the smallest SDs (inf if an SD
    can be 0). ``convention="pooled"`` needs n1 and n2.
    """
    if convention not in ("unweighted", "pooled"):
        raise ValueError(f"convention must be 'unweighted' or 'pooled', got {convention!r}")
    if convention == "pooled" and (n1 is None or n2 is None):
        raise ValueError("the pooled convention needs n1 and n2")
    if _missing(m1, s1, m2, s2) or (convention == "pooled" and _missing(n1, n2)):
        return (math.nan, math.nan)
    hm, hs = 0.5 * 10.0**-decimals_mean, 0.5 * 10.0**-decimals_sd
    diff = m2 - m1
    diff_lo, diff_hi = diff - 2 * hm, diff + 2 * hm
    abs_min = 0.0 if diff_lo <= 0 <= diff_hi else min(abs(diff_lo), abs(diff_hi))
    abs_max = max(abs(diff_lo), abs(diff_hi))

    def sd(a: float, b: float) -> float:
        if convention == "unweighted":
            return math.sqrt((a * a + b * b) / 2)
        return _pooled_sd(a, n1, b, n2)

    sd_max = sd(s1 + hs, s2 + hs)
    sd_min = sd(max(s1 - hs, 0.0), max(s2 - hs, 0.0))
    lo = abs_min / sd_max
    hi = abs_max / sd_min if sd_min > 0 else math.inf
    return (lo, hi)


def _decimals(*values: float, minimum: int = 2, maximum: int = 4) -> int:
    """Fewest decimals (>= minimum) that represent every value exactly (0.889 → 3, 0.54 → 2)."""
    for dec in range(minimum, maximum + 1):
        if all(abs(round(v, dec) - v) < 1e-9 for v in values):
            return dec
    return maximum


def check_printed_d(df: pd.DataFrame) -> pd.DataFrame:
    """Recompute d both ways and say which convention the printed d is consistent with.

    Input columns: ``item, mean_leader, sd_leader, mean_owner, sd_owner, n_leader, n_owner,
    d_printed`` and optionally ``sd_decimals``. Group 1 = leaders, group 2 = owners. Output: a
    copy with ``d_unweighted, d_pooled`` (signed), ``matches_unweighted, matches_pooled``
    (nullable boolean) and ``convention`` ∈ {'unweighted', 'pooled', 'both', 'neither'}.

    "Matches" means the printed |d| lies within :func:`d_rounding_range` widened by 0.005 on each
    side (the printed d is itself rounded to two decimals). Means are taken as printed with two
    decimals. SD decimals: ``sd_decimals`` where given, otherwise inferred — 2, or 3 if an SD of
    the row needs three decimals (Tabell 4.2 prints ",889"). Rows with a missing mean, SD, n or
    printed d get convention NaN (the d that can be computed are still filled in).
    """
    out = df.copy()
    cols = ["mean_leader", "sd_leader", "mean_owner", "sd_owner", "n_leader", "n_owner"]
    # astype(float) turns nullable-integer NA (n for a group that did not answer) into NaN.
    num = {
        c: pd.to_numeric(out[c], errors="coerce").astype("float64") for c in [*cols, "d_printed"]
    }
    has_dec = "sd_decimals" in out.columns
    d_unw, d_pool, m_unw, m_pool, conv = [], [], [], [], []
    for i in range(len(out)):
        m1, s1, m2, s2, n1, n2 = (float(num[c].iloc[i]) for c in cols)
        dp = float(num["d_printed"].iloc[i])
        d_unw.append(cohens_d_unweighted(m1, s1, m2, s2))
        d_pool.append(cohens_d_pooled(m1, s1, n1, m2, s2, n2) if not _missing(n1, n2) else np.nan)
        if _missing(m1, s1, m2, s2, n1, n2, dp):
            m_unw.append(pd.NA)
            m_pool.append(pd.NA)
            conv.append(np.nan)
            continue
        dec_sd = out["sd_decimals"].iloc[i] if has_dec else None
        dec_sd = _decimals(s1, s2) if _missing(dec_sd) else int(dec_sd)
        dec_m = _decimals(m1, m2)
        target = abs(dp)
        flags = []
        for convention in ("unweighted", "pooled"):
            lo, hi = d_rounding_range(m1, s1, m2, s2, dec_m, dec_sd, convention, n1, n2)
            flags.append(lo - 0.005 <= target <= hi + 0.005)
        m_unw.append(flags[0])
        m_pool.append(flags[1])
        conv.append(
            {(True, True): "both", (True, False): "unweighted", (False, True): "pooled"}.get(
                (flags[0], flags[1]), "neither"
            )
        )
    out["d_unweighted"] = np.array(d_unw, dtype=float)
    out["d_pooled"] = np.array(d_pool, dtype=float)
    out["matches_unweighted"] = pd.array(m_unw, dtype="boolean")
    out["matches_pooled"] = pd.array(m_pool, dtype="boolean")
    out["convention"] = pd.Series(conv, index=out.index, dtype=object)
    return out


# --------------------------------------------------------------------------------------------
# A battery: every item of one printed table
# --------------------------------------------------------------------------------------------

GROUPS = ("leader", "owner")  # group 1 = school leaders, group 2 = school owners


def item_statistics(items: pd.DataFrame) -> pd.DataFrame:
    """Per item of a battery: 95 % intervals for each group's mean, d both ways with the
    printed-d check (:func:`check_printed_d`) and Welch's test of owners against leaders.

    Input: one row per item with mean/sd/n per group (``mean_leader, sd_leader, n_leader,
    mean_owner, …``) and ``d_printed``. Output: a copy with ``ci_{group}_low/high``,
    ``d_unweighted, d_pooled, matches_*, convention``, ``diff`` (owners − leaders), ``welch_t,
    welch_df, p_value`` and ``both`` (both groups have a mean). Only printed summaries are
    used; see the module caveat about n per item.
    """
    out = check_printed_d(items.astype({"n_leader": "float64", "n_owner": "float64"}))
    for g in GROUPS:
        cis = [
            mean_ci(m, s, n)
            for m, s, n in zip(out[f"mean_{g}"], out[f"sd_{g}"], out[f"n_{g}"], strict=True)
        ]
        out[f"ci_{g}_low"] = [c[0] for c in cis]
        out[f"ci_{g}_high"] = [c[1] for c in cis]
    cols = ["mean_leader", "sd_leader", "n_leader", "mean_owner", "sd_owner", "n_owner"]
    welch = [welch_t_from_stats(*row) for row in out[cols].itertuples(index=False)]
    out["diff"] = [w["mean_diff"] for w in welch]
    out["welch_t"] = [w["t"] for w in welch]
    out["welch_df"] = [w["df"] for w in welch]
    out["p_value"] = [w["p_value"] for w in welch]
    out["both"] = out["mean_leader"].notna() & out["mean_owner"].notna()
    return out


def battery_summary(table: pd.DataFrame, alpha: float = 0.05) -> dict:
    """What a reader takes away from a battery (:func:`item_statistics` output): the leaders'
    highest and lowest item (``top``, ``bottom``: rows, or None), on how many of the ``m`` items
    both groups answered the owners rate higher (``k_owner_higher``), and the items whose
    difference is below ``alpha`` in Welch's test (``clear``: item names; with m tests some
    will be by chance, which the page says)."""
    ranked = table.dropna(subset=["mean_leader"]).sort_values("mean_leader", ascending=False)
    both = table[table["both"]]
    return {
        "top": ranked.iloc[0] if len(ranked) else None,
        "bottom": ranked.iloc[-1] if len(ranked) else None,
        "m": len(both),
        "k_owner_higher": int((both["diff"] > 0).sum()),
        "clear": list(both.loc[both["p_value"] < alpha, "item"]),
    }


def headline_items(table: pd.DataFrame) -> dict:
    """The front page's three rows of a battery: each group's highest mean (a mean the print
    gives without saying whose, ``*_read_as``, is left out) and the item with the largest
    printed |d| (``gap``)."""
    leaders = table[~table["leader_read_as"].astype(bool)].dropna(subset=["mean_leader"])
    owners = table[~table["owner_read_as"].astype(bool)].dropna(subset=["mean_owner"])
    both = table.dropna(subset=["mean_leader", "mean_owner", "d_printed"])
    return {
        "top_leader": leaders.loc[leaders["mean_leader"].idxmax()],
        "top_owner": owners.loc[owners["mean_owner"].idxmax()],
        "gap": both.loc[both["d_printed"].abs().idxmax()],
    }


def claim_check(table: pd.DataFrame, claimed_leaders_higher: list[str]) -> dict[str, pd.DataFrame]:
    """Items the report's text says leaders rate higher, split by what the printed means say:
    ``contradicted`` (owners' mean higher) and ``confirmed`` (leaders' mean higher)."""
    rows = table[table["item"].isin(claimed_leaders_higher) & table["both"]]
    return {"contradicted": rows[rows["diff"] > 0], "confirmed": rows[rows["diff"] < 0]}


def printed_d_conventions(table: pd.DataFrame) -> dict:
    """How many of the ``m`` printed d match each convention within rounding (``k_unweighted``,
    ``k_pooled``) and which items match neither (``neither``)."""
    printed = table.dropna(subset=["convention"])
    return {
        "m": len(printed),
        "k_unweighted": int(printed["matches_unweighted"].sum()),
        "k_pooled": int(printed["matches_pooled"].sum()),
        "neither": list(printed.loc[printed["convention"] == "neither", "item"]),
    }


def sort_items(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Items by the leaders' mean (``"leader"``, ties by the owners'), by the difference owners −
    leaders (``"difference"``, largest first) or in printed order (anything else). Items with
    only one group's mean have no difference and go last."""
    if by == "difference":
        return table.sort_values(["diff", "mean_owner"], ascending=False, na_position="last")
    if by == "leader":
        return table.sort_values(["mean_leader", "mean_owner"], ascending=False, na_position="last")
    return table.sort_values("item_order")
