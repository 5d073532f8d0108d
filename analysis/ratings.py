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

from analysis.proportions import format_number, format_p

__all__ = [
    "mean_ci",
    "welch_t_from_stats",
    "cohens_d_unweighted",
    "cohens_d_pooled",
    "hedges_g",
    "magnitude_label",
    "d_rounding_range",
    "check_printed_d",
    "describe_difference",
]

#: Lower bounds of the report's Tabell 1.1 bands on |d|, with the printed gaps (0.19–0.2,
#: 0.49–0.5, 0.79–0.8) closed at the midpoint: a d that prints as 0,20 is "liten", and so on.
MAGNITUDE_BOUNDS = (0.195, 0.495, 0.795)

_LABELS = {
    "nb": ("ingen/svak effekt", "liten effekt", "moderat effekt", "stor effekt"),
    "en": ("none/weak effect", "small effect", "moderate effect", "large effect"),
}
_SHORT = {
    "nb": ("ingen/svak", "liten", "moderat", "stor"),
    "en": ("none/weak", "small", "moderate", "large"),
}


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


def magnitude_label(d: float, lang: str = "nb", short: bool = False) -> str | None:
    """Label |d| with the report's Tabell 1.1 bands: 0–0.19 «ingen/svak effekt», 0.2–0.49 «liten
    effekt», 0.5–0.79 «moderat effekt», > 0.8 «stor effekt».

    Judgement call: the print leaves gaps (0.19–0.2, 0.49–0.5, 0.79–0.8); we close them at the
    midpoints 0.195 / 0.495 / 0.795, i.e. by how the d would print to two decimals (0.797 prints
    as 0,80 and is labelled «stor»). ``short=True`` drops the word «effekt»/"effect". Missing d
    gives None; unknown ``lang`` falls back to English.
    """
    if _missing(d):
        return None
    labels = (_SHORT if short else _LABELS).get(lang, (_SHORT if short else _LABELS)["en"])
    a = abs(d)
    band = sum(a >= b for b in MAGNITUDE_BOUNDS)
    return labels[band]


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


_GROUPS = {"nb": ("skolelederne", "skoleeierne"), "en": ("school leaders", "school owners")}


def describe_difference(
    m1: float,
    s1: float,
    n1: float,
    m2: float,
    s2: float,
    n2: float,
    lang: str = "nb",
    group1: str | None = None,
    group2: str | None = None,
    decimals: int = 2,
) -> str:
    """One plain sentence about a leader/owner difference, e.g.

    "Skoleeierne vurderer i snitt 0,52 høyere enn skolelederne (beregnet d = 0,71, moderat); Welch t-test
    p = 0,059 — med så få svar (n = 36 og 10) kan forskjellen godt skyldes tilfeldigheter."

    d is the unweighted convention (the report's), shown without sign since the sentence names
    the higher group. Group names default to skolelederne/skoleeierne (group 1/group 2); pass
    ``group1``/``group2`` (definite plural, lower case) for other groups. Decimal comma in nb.
    """
    nb = lang == "nb"
    g1, g2 = (
        group1 or _GROUPS["nb" if nb else "en"][0],
        group2 or _GROUPS["nb" if nb else "en"][1],
    )
    if _missing(m1, s1, n1, m2, s2, n2):
        return "Mangler tall for å sammenligne." if nb else "Numbers missing; cannot compare."
    d = cohens_d_unweighted(m1, s1, m2, s2)
    welch = welch_t_from_stats(m1, s1, n1, m2, s2, n2)
    lang_key = "nb" if nb else "en"
    # Recomputed from the printed means and SDs, so it may differ from the printed d by rounding
    # (0,71 here, 0,70 in print): say so, next to a table that shows both.
    d_word = "beregnet d" if nb else "recomputed d"
    d_txt = (
        f"{d_word} = {format_number(abs(d), 2, lang_key)}, "
        f"{magnitude_label(d, lang_key, short=True)}"
    )
    diff = m2 - m1
    if round(abs(diff), decimals) == 0:
        head = (
            f"{g2.capitalize()} og {g1} vurderer i snitt likt ({d_txt})"
            if nb
            else f"{g2.capitalize()} and {g1} rate the same on average ({d_txt})"
        )
    else:
        higher, lower = (g2, g1) if diff > 0 else (g1, g2)
        amount = format_number(abs(diff), decimals, lang_key)
        head = (
            f"{higher.capitalize()} vurderer i snitt {amount} høyere enn {lower} ({d_txt})"
            if nb
            else f"{higher.capitalize()} rate on average {amount} higher than {lower} ({d_txt})"
        )
    p = welch["p_value"]
    p_txt = f"Welch t-test {format_p(p, lang_key)}"
    n_txt = f"n = {int(n1)} {'og' if nb else 'and'} {int(n2)}"
    if p < 0.05:
        tail = (
            "forskjellen er større enn tilfeldig variasjon alene lett gir"
            if nb
            else "the difference is larger than chance variation alone readily produces"
        )
    else:
        tail = (
            f"med så få svar ({n_txt}) kan forskjellen godt skyldes tilfeldigheter"
            if nb
            else f"with so few responses ({n_txt}) the difference may well be due to chance"
        )
    return f"{head}; {p_txt} — {tail}."
