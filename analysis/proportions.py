"""Uncertainty and tests for shares printed in whole percent with their n.

The 2010 survey (Tabell 2, Tabell 6 …) prints shares rounded to whole percent together with the
number of respondents. Everything here starts from those two numbers. Three consequences shape
the methods:

* The n are small (14–233 per group) and some shares are close to 0 or 100 %, so the textbook
  Wald interval (p ± z·√(p(1−p)/n)) would be too narrow and can leave 0–100 %. The Wilson score
  interval keeps close to its nominal coverage in exactly that situation (Newcombe 1998, Brown,
  Cai & DasGupta 2001) and never leaves 0–100 %.
* Tests need counts, and the counts are not printed. They are reconstructed as
  round(share·n/100); because the share is rounded, the true count may differ by up to ±0.5 % of
  n. Every test therefore also reports a *rounding sensitivity*: the smallest and largest p-value
  over all counts consistent with the printed shares, so a page can say whether its conclusion
  survives the rounding.
* The methods are chosen so they can be written out from their formulas (Wilson, Newcombe's
  hybrid score interval, Cochran–Armitage); scipy is used only for distribution functions and the
  chi-square test of independence.

No Streamlit and no database code lives here: these are pure functions of numbers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "wilson_interval",
    "add_wilson",
    "counts_from_shares",
    "consistent_count_range",
    "chi_square_independence",
    "cochran_armitage_trend",
    "two_proportion_difference",
    "ordered_groups",
    "rounding_explains",
    "implied_count",
    "base_inconsistencies",
]

#: Cap on the number of count combinations evaluated in a rounding-sensitivity check. Beyond it
#: only the corners of the box of consistent counts (plus the central counts) are evaluated.
MAX_COMBINATIONS = 200_000


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    return float(stats.norm.ppf(0.5 + level / 2))


def _is_missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float | np.floating) and math.isnan(x))


# --------------------------------------------------------------------------------------------
# Wilson score interval
# --------------------------------------------------------------------------------------------


def _wilson_arrays(p: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson bounds (as proportions) for arrays p (0–1) and n (>0); NaN propagates."""
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def wilson_interval(share_pct: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a share given in percent; returns (low, high) in percent.

    Why Wilson: the survey's groups are small and some shares lie near 0 or 100 %. The Wilson
    interval inverts the score test, so it has close to nominal coverage for small n and extreme
    shares, is never degenerate at 0 % or 100 % and stays inside 0–100 % — unlike the Wald
    interval. The share may be non-integer (e.g. 100·81/263); it is not rounded to a count.

    Missing share or n gives (nan, nan); n <= 0 or a share outside 0–100 raises ValueError.
    """
    if _is_missing(share_pct) or _is_missing(n):
        return (math.nan, math.nan)
    share_pct, n = float(share_pct), float(n)
    if n <= 0:
        raise ValueError(f"n must be positive, got {n}")
    if not 0 <= share_pct <= 100:
        raise ValueError(f"share must be within 0–100 %, got {share_pct}")
    lo, hi = _wilson_arrays(np.array(share_pct / 100), np.array(n), _z(level))
    return (float(lo) * 100, float(hi) * 100)


def add_wilson(
    df: pd.DataFrame,
    share_col: str = "share_pct",
    n_col: str = "n_respondents",
    level: float = 0.95,
) -> pd.DataFrame:
    """Return a copy of ``df`` with Wilson interval columns ``ci_low_pct`` and ``ci_high_pct``.

    Vectorised version of :func:`wilson_interval` (same method, same reasons). Rows with a
    missing share or n get NaN bounds; any n <= 0 or share outside 0–100 raises ValueError.
    """
    out = df.copy()
    p = pd.to_numeric(out[share_col], errors="coerce").to_numpy(dtype=float)
    n = pd.to_numeric(out[n_col], errors="coerce").to_numpy(dtype=float)
    if np.any(n[~np.isnan(n)] <= 0):
        raise ValueError(f"column {n_col!r} has n <= 0")
    ok_p = p[~np.isnan(p)]
    if np.any((ok_p < 0) | (ok_p > 100)):
        raise ValueError(f"column {share_col!r} has shares outside 0–100 %")
    with np.errstate(invalid="ignore", divide="ignore"):
        lo, hi = _wilson_arrays(p / 100, n, _z(level))
    out["ci_low_pct"] = lo * 100
    out["ci_high_pct"] = hi * 100
    return out


# --------------------------------------------------------------------------------------------
# Counts from rounded shares
# --------------------------------------------------------------------------------------------


def _as_arrays(shares_pct, ns) -> tuple[np.ndarray, np.ndarray]:
    s = np.asarray(shares_pct, dtype=float).ravel()
    n = np.asarray(ns, dtype=float).ravel()
    if s.shape != n.shape:
        raise ValueError("shares_pct and ns must have the same length")
    if np.isnan(s).any() or np.isnan(n).any():
        raise ValueError("shares_pct and ns must not contain missing values")
    if (n <= 0).any():
        raise ValueError("every n must be positive")
    if (n != np.round(n)).any():
        raise ValueError("every n must be a whole number")
    if ((s < 0) | (s > 100)).any():
        raise ValueError("shares must lie within 0–100 %")
    return s, n


def counts_from_shares(shares_pct: Sequence[float], ns: Sequence[float]) -> np.ndarray:
    """Reconstruct integer counts as round(share·n/100) (half rounds up).

    The printed shares are themselves rounded to whole percent, so a reconstructed count is only
    approximate: the true count may differ from it by up to ±0.5 % of n (about ±1 for n=200).
    :func:`consistent_count_range` gives every count compatible with the print, and the tests
    below use it for their rounding sensitivity.
    """
    s, n = _as_arrays(shares_pct, ns)
    # floor(x + 0.5) rounds half up; the tiny epsilon absorbs float error in share·n/100.
    return np.floor(s * n / 100 + 0.5 + 1e-9).astype(int)


def consistent_count_range(share_pct: float, n: int) -> tuple[int, int]:
    """Smallest and largest count c with |100·c/n − share| <= 0.5, i.e. counts that round to the
    printed share under either rounding rule (half up or half to even).

    If no count is consistent (the share cannot arise from this n — e.g. 50 % of 3), both ends
    are the reconstructed count round(share·n/100).
    """
    lo = math.ceil(n * (share_pct - 0.5) / 100 - 1e-9)
    hi = math.floor(n * (share_pct + 0.5) / 100 + 1e-9)
    lo, hi = max(lo, 0), min(hi, int(n))
    if lo > hi:
        c = int(math.floor(share_pct * n / 100 + 0.5 + 1e-9))
        return (c, c)
    return (lo, hi)


def _count_grid(shares: np.ndarray, ns: np.ndarray, max_combinations: int):
    """All count vectors consistent with the printed shares (rows), or the corners if too many.

    Returns (grid, exhaustive, inconsistent_groups).
    """
    ranges = [consistent_count_range(float(s), int(n)) for s, n in zip(shares, ns, strict=True)]
    inconsistent = [
        i
        for i, ((lo, hi), s, n) in enumerate(zip(ranges, shares, ns, strict=True))
        if lo == hi and abs(100 * lo / n - s) > 0.5 + 1e-9
    ]
    sizes = [hi - lo + 1 for lo, hi in ranges]
    total = math.prod(sizes)
    if total <= max_combinations:
        axes = [np.arange(lo, hi + 1) for lo, hi in ranges]
        grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, len(ranges))
        return grid, True, inconsistent
    corners = np.array(list(itertools.product(*[(lo, hi) for lo, hi in ranges])))
    central = counts_from_shares(shares, ns)[None, :]
    return np.vstack([corners, central]), False, inconsistent


def _sensitivity(p_values: np.ndarray, exhaustive: bool, inconsistent, alpha: float) -> dict:
    finite = p_values[~np.isnan(p_values)]
    p_min = float(finite.min()) if finite.size else math.nan
    p_max = float(finite.max()) if finite.size else math.nan
    robust = bool(finite.size) and ((p_max < alpha) or (p_min >= alpha))
    return {
        "p_min": p_min,
        "p_max": p_max,
        "n_combinations": int(p_values.size),
        "exhaustive": exhaustive,
        "alpha": alpha,
        "conclusion_robust": robust,
        "inconsistent_groups": list(inconsistent),
    }


# --------------------------------------------------------------------------------------------
# Chi-square test of independence (2 × k)
# --------------------------------------------------------------------------------------------


def _chi2_2xk(counts: np.ndarray, ns: np.ndarray) -> np.ndarray:
    """Pearson chi-square for many 2×k tables at once (rows of ``counts`` = yes counts)."""
    total = ns.sum()
    pbar = counts.sum(axis=1, keepdims=True) / total
    with np.errstate(invalid="ignore", divide="ignore"):
        chi2 = (((counts - ns * pbar) ** 2) / (ns * pbar * (1 - pbar))).sum(axis=1)
    return chi2


def chi_square_independence(
    shares_pct: Sequence[float],
    ns: Sequence[float],
    alpha: float = 0.05,
    max_combinations: int = MAX_COMBINATIONS,
) -> dict:
    """Pearson chi-square test of independence for a 2×k table (yes/no by group).

    Why: it answers the page's question "do the groups differ more than chance would make
    them?" for unordered groups (e.g. landsdel) and is what the 2010 report itself uses. No
    continuity correction (``correction=False``): Yates' correction is only defined for 2×2 and is
    known to be conservative. Counts are reconstructed with :func:`counts_from_shares`.

    Returns ``chi2, dof, p_value, cramers_v, n_total, expected_min, counts`` and
    ``rounding_sensitivity`` (``p_min, p_max, n_combinations, exhaustive, alpha,
    conclusion_robust, inconsistent_groups``): the extreme p-values over all count vectors
    consistent with the printed rounded shares. All combinations are enumerated when there are at
    most ``max_combinations``; otherwise only the corners of the box and the central counts
    (``exhaustive`` False). ``expected_min`` < 5 means the chi-square approximation is shaky.
    Cramér's V = √(χ²/(N·(min(2, k)−1))) = √(χ²/N) for a 2×k table.
    """
    s, n = _as_arrays(shares_pct, ns)
    if s.size < 2:
        raise ValueError("need at least two groups")
    counts = counts_from_shares(s, n)
    table = np.vstack([counts, n.astype(int) - counts])
    n_total = int(n.sum())
    try:
        chi2, p, dof, expected = stats.chi2_contingency(table, correction=False)
        chi2, p, expected_min = float(chi2), float(p), float(np.min(expected))
    except ValueError:  # a whole row is zero (everyone or nobody said yes): undefined
        chi2, p, dof, expected_min = math.nan, math.nan, s.size - 1, 0.0
    cramers_v = math.sqrt(chi2 / (n_total * (min(table.shape) - 1))) if chi2 == chi2 else math.nan

    grid, exhaustive, inconsistent = _count_grid(s, n, max_combinations)
    p_grid = stats.chi2.sf(_chi2_2xk(grid.astype(float), n), dof)
    return {
        "chi2": chi2,
        "dof": int(dof),
        "p_value": p,
        "cramers_v": cramers_v,
        "n_total": n_total,
        "expected_min": expected_min,
        "counts": counts,
        "rounding_sensitivity": _sensitivity(p_grid, exhaustive, inconsistent, alpha),
    }


# --------------------------------------------------------------------------------------------
# Cochran–Armitage trend test
# --------------------------------------------------------------------------------------------


def _ca_z(counts: np.ndarray, ns: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Cochran–Armitage z for many count vectors (rows) at once."""
    total = ns.sum()
    pbar = counts.sum(axis=1) / total
    stat = (counts * t).sum(axis=1) - pbar * (ns * t).sum()  # Σ t_i (x_i − n_i p̄)
    sxx = (ns * t * t).sum() - (ns * t).sum() ** 2 / total  # Σ n_i t_i² − (Σ n_i t_i)²/N
    with np.errstate(invalid="ignore", divide="ignore"):
        return stat / np.sqrt(pbar * (1 - pbar) * sxx)


def cochran_armitage_trend(
    shares_pct: Sequence[float],
    ns: Sequence[float],
    scores: Sequence[float] | None = None,
    alpha: float = 0.05,
    max_combinations: int = MAX_COMBINATIONS,
) -> dict:
    """Cochran–Armitage test for a linear trend in proportions across ordered groups.

    Why: when the groups are ordered (kommune size classes), the question is whether the share
    rises or falls *with* the order, not merely whether the groups differ. The trend test spends
    all its power on that one direction, so it is both more powerful and more to the point than a
    k−1 df chi-square. Written out from the formula (Agresti, *Categorical Data Analysis*,
    §5.3.5) rather than taken from a library:

        p̄ = Σx_i / N,   T = Σ t_i (x_i − n_i p̄),
        Var(T) = p̄(1−p̄) [Σ n_i t_i² − (Σ n_i t_i)² / N],   z = T / √Var(T)

    (this is the form whose z² equals R's ``prop.trend.test``). Default scores 0, 1, 2, …
    Counts are reconstructed with :func:`counts_from_shares`.

    Returns ``z`` (positive = share rises with the score), ``chi2`` (= z²), ``p_value``
    (two-sided), ``slope_pct_per_step`` (n-weighted least-squares slope of the share on the score,
    in percentage points per score unit), ``n_total``, ``counts``, ``scores`` and
    ``rounding_sensitivity`` as in :func:`chi_square_independence` (plus ``z_min``, ``z_max``).
    """
    s, n = _as_arrays(shares_pct, ns)
    if s.size < 2:
        raise ValueError("need at least two ordered groups")
    t = np.arange(s.size, dtype=float) if scores is None else np.asarray(scores, dtype=float)
    if t.shape != s.shape:
        raise ValueError("scores must have one value per group")
    if np.ptp(t) == 0:
        raise ValueError("scores must not all be equal")
    counts = counts_from_shares(s, n)
    z = float(_ca_z(counts[None, :].astype(float), n, t)[0])
    p = float(2 * stats.norm.sf(abs(z))) if z == z else math.nan

    total = n.sum()
    tbar = (n * t).sum() / total
    prop = counts / n
    pbar = counts.sum() / total
    slope = (n * (prop - pbar) * (t - tbar)).sum() / (n * (t - tbar) ** 2).sum()

    grid, exhaustive, inconsistent = _count_grid(s, n, max_combinations)
    z_grid = _ca_z(grid.astype(float), n, t)
    sens = _sensitivity(2 * stats.norm.sf(np.abs(z_grid)), exhaustive, inconsistent, alpha)
    finite = z_grid[~np.isnan(z_grid)]
    sens["z_min"] = float(finite.min()) if finite.size else math.nan
    sens["z_max"] = float(finite.max()) if finite.size else math.nan
    return {
        "z": z,
        "chi2": z * z,
        "p_value": p,
        "slope_pct_per_step": float(slope * 100),
        "n_total": int(total),
        "counts": counts,
        "scores": t,
        "rounding_sensitivity": sens,
    }


# --------------------------------------------------------------------------------------------
# Difference between two proportions
# --------------------------------------------------------------------------------------------


def two_proportion_difference(
    p1_pct: float, n1: float, p2_pct: float, n2: float, level: float = 0.95
) -> dict:
    """Difference p1 − p2 in percentage points with Newcombe's hybrid score interval.

    Why Newcombe (1998, method 10): it combines the two Wilson intervals, so it inherits their
    good coverage for small n and shares near 0/100 %, where the Wald interval for a difference
    fails. Formula, with (L_i, U_i) the Wilson limits of p_i:

        lower = d − √((p1 − L1)² + (U2 − p2)²),   upper = d + √((U1 − p1)² + (p2 − L2)²)

    Also returns Cohen's h = 2·asin√p1 − 2·asin√p2 (an effect size on a scale where equal
    differences are equally detectable at every level) and the two-sided p-value of the pooled
    z-test, z = (p1 − p2) / √(p̄(1−p̄)(1/n1 + 1/n2)). The printed shares are used as they are
    (not rounded to counts).

    Keys: ``diff_pp, ci_low_pp, ci_high_pp, level, cohens_h, z, p_value``.
    """
    for v in (p1_pct, n1, p2_pct, n2):
        if _is_missing(v):
            raise ValueError("shares and n must not be missing")
    if n1 <= 0 or n2 <= 0:
        raise ValueError("n must be positive")
    if not (0 <= p1_pct <= 100 and 0 <= p2_pct <= 100):
        raise ValueError("shares must lie within 0–100 %")
    p1, p2 = p1_pct / 100, p2_pct / 100
    z_crit = _z(level)
    l1, u1 = (float(x) for x in _wilson_arrays(np.array(p1), np.array(float(n1)), z_crit))
    l2, u2 = (float(x) for x in _wilson_arrays(np.array(p2), np.array(float(n2)), z_crit))
    d = p1 - p2
    lower = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se > 0:
        z = d / se
        p = float(2 * stats.norm.sf(abs(z)))
    else:  # both shares 0 % or both 100 %: no evidence of any difference
        z, p = 0.0, 1.0
    h = 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2))
    return {
        "diff_pp": d * 100,
        "ci_low_pp": lower * 100,
        "ci_high_pp": upper * 100,
        "level": level,
        "cohens_h": h,
        "z": z,
        "p_value": p,
    }


# --------------------------------------------------------------------------------------------
# Ordered groups, rounding and bases
# --------------------------------------------------------------------------------------------


def ordered_groups(
    shares_pct: Sequence[float], ns: Sequence[float], scores: Sequence[float] | None = None
) -> dict:
    """The two questions asked of ordered groups (kommune size classes, small → large):

    does the share rise with the order (``trend``: :func:`cochran_armitage_trend`, scores
    0, 1, 2 … unless given: equally spaced, the usual choice when only the order is known), and
    how far apart are the ends (``diff``: :func:`two_proportion_difference`, last − first, with
    ``ratio`` = last / first for «twice as many»)?
    """
    shares, counts = list(shares_pct), list(ns)
    diff = two_proportion_difference(shares[-1], counts[-1], shares[0], counts[0])
    return {
        "trend": cochran_armitage_trend(shares, counts, scores),
        "diff": diff,
        "ratio": shares[-1] / shares[0] if shares[0] else math.nan,
    }


def rounding_explains(yes_pct: float, no_pct: float, n: int) -> tuple[int, float, float] | None:
    """A count k for which both printed whole percentages are plain half-up rounding of k/n and
    (n − k)/n, as (k, exact yes %, exact no %); None if no count gives both.

    Why: Tabell 2 prints Ja 88 + Nei 13 = 101 for n=152; 133 of 152 = 87.5 % and 19 of 152 =
    12.5 % both round up, so the print may be right and only look wrong.
    """
    for k in range(int(n) + 1):
        yes, no = 100 * k / n, 100 * (n - k) / n
        if math.floor(yes + 0.5 + 1e-9) == yes_pct and math.floor(no + 0.5 + 1e-9) == no_pct:
            return k, yes, no
    return None


def _share_range(share_pct: float, n: float) -> tuple[float, float]:
    """Counts compatible with a share printed in whole percent: share ± 0.5 % of n."""
    return ((share_pct - 0.5) * n / 100, (share_pct + 0.5) * n / 100)


def implied_count(share_pct: float, n: float, n_all: float | None = None) -> tuple[float, float]:
    """(count, share of n_all in percent) implied by a share of a subgroup of n: how a share of
    users is checked against the printed share of everyone (NaN without n_all)."""
    count = share_pct * n / 100
    return count, (100 * count / n_all if n_all else math.nan)


def base_inconsistencies(chain: pd.DataFrame) -> pd.DataFrame:
    """Steps whose «share of users» and «share of all» cannot both be right, rounding allowed.

    Input: one row per (step_key, base_key) with share_pct, n_base and table_no, base_key
    «brukere» (a subgroup) or «alle». A share of a subgroup implies a count (share × n); that
    count over all respondents must round to the printed share of all. Tabell 5 fails this
    (78 % of 224 ≈ 175 = 26.6 % of 656, printed 24 %); the build flags it too (validation_flags
    rule base_consistency). Returns one row per failing step: step_key, table_no, share_sub,
    n_sub, count, implied_pct, n_all, share_all.
    """
    rows = []
    for step, group in chain.groupby("step_key", sort=False):
        sub = group[group["base_key"] == "brukere"]
        everyone = group[group["base_key"] == "alle"]
        if sub.empty or everyone.empty:
            continue
        s, a = sub.iloc[0], everyone.iloc[0]
        lo, hi = _share_range(s.share_pct, s.n_base)
        lo_all, hi_all = _share_range(a.share_pct, a.n_base)
        if hi < lo_all or lo > hi_all:
            count, implied = implied_count(s.share_pct, s.n_base, a.n_base)
            rows.append(
                {
                    "step_key": step,
                    "table_no": s.table_no,
                    "share_sub": s.share_pct,
                    "n_sub": int(s.n_base),
                    "count": count,
                    "implied_pct": implied,
                    "n_all": int(a.n_base),
                    "share_all": a.share_pct,
                }
            )
    columns = ["step_key", "table_no", "share_sub", "n_sub", "count", "implied_pct", "n_all"]
    return pd.DataFrame(rows, columns=[*columns, "share_all"])
