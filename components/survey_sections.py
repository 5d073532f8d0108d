"""Labels, statistics in words and small UI helpers for the 2010 survey pages.

Pages «Kjennskap» and «Bruk» read top to bottom; what they share lives here: the stable URL
codes for landsdeler, printed labels translated for the reader, the sentences that put a test
into plain words, the notes for doubtful prints, and a map-click guard.
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import streamlit as st

from analysis.proportions import describe_p
from components.i18n import fmt_num, fmt_p, fmt_pct, lang, t

# URL codes (ASCII, stable) → the landsdel names printed in Tabell 2, used in core.kommune and
# as feature ids in the 'landsdeler' map layer.
LANDSDEL = {
    "oslo-akershus": "Oslo og Akershus",
    "ostlandet": "Østlandet",
    "sor-vestlandet": "Sør- og Vestlandet",
    "midt-nord": "Midt- og Nord-Norge",
}
CODE_OF = {name: code for code, name in LANDSDEL.items()}
_PRINTED_KEY = {
    "Barnetrinn": "trinn_barnetrinn",
    "Barne- og ungdomstrinn": "trinn_barne_ungdom",
    "Ungdomstrinn": "trinn_ungdomstrinn",
    "Videregående": "trinn_videregaende",
    "Alle": "all_schools",
    "Via e-post fra Utdanningsdirektoratet": "src_epost",
    "På nettstedet www.udir.no": "src_udir",
    "Gjennom informasjon fra Fylkesmannen": "src_fylkesmannen",
    "Gjennom informasjon fra skoleeier": "src_skoleeier",
    "På konferanse hvor det ble informert om Bedre læringsmiljø": "src_konferanse",
    "Mottatt løpeseddel med informasjon om Bedre læringsmiljø": "src_loepeseddel",
    "I dagspressen": "src_dagspressen",
    "Gjennom sosiale medier": "src_sosiale",
    "Annet": "src_annet",
    "Ubesvart": "src_ubesvart",
}


def printed_name(label: str) -> str:
    """A label printed in the report, in the reader's language (the print itself if unknown)."""
    if label in CODE_OF:
        return t(f"kjennskap.ld_{CODE_OF[label].replace('-', '_')}")
    return t("kjennskap." + _PRINTED_KEY[label]) if label in _PRINTED_KEY else label


def wrap_label(text: str, width: int = 13) -> str:
    """Break a header into lines for Altair's labelExpr split on '|'."""
    return "|".join(textwrap.wrap(text, width)) or text


def ci_text(lo: float, hi: float) -> str:
    return f"{fmt_num(lo, 1)}–{fmt_pct(hi, 1)}"


def _half_up(x: float) -> int:
    return math.floor(x + 0.5 + 1e-9)


def rounding_explains(yes: float, no: float, n: int) -> tuple[int, float, float] | None:
    """A count k for which both printed whole percentages are plain half-up rounding of k/n."""
    for k in range(n + 1):
        if _half_up(100 * k / n) == yes and _half_up(100 * (n - k) / n) == no:
            return k, 100 * k / n, 100 * (n - k) / n
    return None


def flagged_labels(flags: pd.DataFrame, source_id: str, rule: str | None = None) -> set[str]:
    """Row and column labels named by validation flags for one source table (and rule)."""
    hit = flags[flags["source_id"] == source_id]
    if rule:
        hit = hit[hit["rule"] == rule]
    return set(hit["row_label"]) | set(hit["column_label"])


def rounding_caption(sensitivity: dict) -> str:
    key = "rounding_stable" if sensitivity["conclusion_robust"] else "rounding_fragile"
    return t(
        f"kjennskap.{key}", p_min=fmt_p(sensitivity["p_min"]), p_max=fmt_p(sensitivity["p_max"])
    )


def chi_square_words(test: dict, shares: pd.Series, dim_words: str) -> str:
    """«Are the differences larger than chance would give?» answered from a chi-square dict."""
    key = "test_differ" if test["p_value"] < 0.05 else "test_same"
    return t(
        f"kjennskap.{key}",
        lo=fmt_pct(shares.min()),
        hi=fmt_pct(shares.max()),
        chi2=fmt_num(test["chi2"], 2),
        dof=test["dof"],
        p_words=describe_p(test["p_value"], lang()),
        v=fmt_num(test["cramers_v"], 2),
        dim=dim_words,
    )


def sum_flag_note(row) -> str:
    """The note under a chart for a group whose printed Ja + Nei is not the printed Sum."""
    text = t(
        "kjennskap.flag_sum",
        group=printed_name(row.group_label),
        table=row.table_no,
        yes=fmt_num(row.share_pct),
        no=fmt_num(row.share_no_pct),
        total=fmt_num(row.share_pct + row.share_no_pct),
        printed=fmt_num(row.sum_printed_pct),
    )
    explained = rounding_explains(row.share_pct, row.share_no_pct, int(row.n_respondents))
    if explained:
        k, p_yes, p_no = explained
        n = int(row.n_respondents)
        text += " " + t(
            "kjennskap.flag_rounding",
            k=k,
            rest=n - k,
            n=n,
            p_yes=fmt_pct(p_yes, 1),
            p_no=fmt_pct(p_no, 1),
        )
    return text


def new_click(clicked: str | None, memory_key: str) -> str | None:
    """The clicked map id if it is a new click, else None.

    A pydeck selection persists across reruns; without this guard a later choice in a control
    would be overwritten on every run by the old click.
    """
    if clicked == st.session_state.get(memory_key):
        return None
    st.session_state[memory_key] = clicked
    return clicked


# ----------------------------------------------------------------------------- «Bruk»
SIZE_KEY = {
    "Under 3000": "size_under_3000",
    "3000–9999": "size_3000_9999",
    "10000 og mer": "size_10000",
    "Fylke": "size_fylke",
    "Alle": "size_alle",
}
SIZE_ORDER = ["Under 3000", "3000–9999", "10000 og mer"]  # the survey's kommune size classes


def size_name(label: str | None) -> str:
    if label is None or label != label:
        return t("bruk.size_none")
    return t(f"bruk.{SIZE_KEY[label]}") if label in SIZE_KEY else str(label)


def _share_range(share_pct: float, n: float) -> tuple[float, float]:
    """Counts compatible with a share printed in whole percent: share ± 0.5 % of n."""
    return ((share_pct - 0.5) * n / 100, (share_pct + 0.5) * n / 100)


def inconsistent_steps(chain: pd.DataFrame) -> dict[str, dict]:
    """Steps whose «share of users» and «share of all» cannot both be right, rounding allowed.

    A share of a subgroup implies a count (share × n); that count over all respondents must round
    to the printed share of all. Tabell 5 fails this (78 % of 224 ≈ 175 = 26.6 % of 656, printed
    24 %); the build flags it too (validation_flags rule base_consistency).
    """
    out = {}
    for step, rows in chain.groupby("step_key", sort=False):
        sub = rows[rows["base_key"] == "brukere"]
        everyone = rows[rows["base_key"] == "alle"]
        if sub.empty or everyone.empty:
            continue
        s, a = sub.iloc[0], everyone.iloc[0]
        lo, hi = _share_range(s.share_pct, s.n_base)
        lo_all, hi_all = _share_range(a.share_pct, a.n_base)
        if hi < lo_all or lo > hi_all:
            count = s.share_pct * s.n_base / 100
            out[step] = {
                "table": s.table_no,
                "share_sub": fmt_pct(s.share_pct),
                "n_sub": int(s.n_base),
                "count": fmt_num(count),
                "implied": fmt_pct(100 * count / a.n_base, 1),
                "n_all": int(a.n_base),
                "share_all": fmt_pct(a.share_pct),
            }
    return out


def chain_frame(chain: pd.DataFrame, respondent: str, places: dict[str, str]) -> pd.DataFrame:
    """One chart row per (step, base) with its label naming its own base («36 % av 532 …»)."""
    who = t(f"bruk.who_{respondent}")
    bad = inconsistent_steps(chain)
    data = chain.copy()
    data["base_kind"] = ["all" if b == "alle" else "sub" for b in data["base_key"]]
    data = data.sort_values(["step_order", "base_kind"], ascending=[True, False], kind="stable")
    two_rows = data["step_key"].duplicated(keep=False)
    rows, texts = [], []
    for r, both in zip(data.itertuples(), two_rows, strict=True):
        step = t(f"bruk.step_{r.step_key}")
        rows.append(step + (" " + t(f"bruk.base_of_{r.base_kind}") if both else ""))
        share = fmt_pct(r.share_pct)
        if pd.isna(r.n_base):  # no n printed (owners' familiarity)
            text = t("bruk.bar_no_n", share=share, place=places.get(r.table_no, r.table_no))
        else:
            text = t(f"bruk.bar_{r.base_key}", share=share, n=int(r.n_base), who=who)
        if r.doubtful:
            text += t("bruk.bar_doubtful", printed=r.n_printed)
        if r.step_key in bad and r.base_key == "alle":
            text += t("bruk.bar_inconsistent")
        texts.append(text)
    data["row"], data["text"] = rows, texts
    # Doubtful prints and shares that contradict their neighbours get a dashed, pale bar.
    data["questioned"] = data["doubtful"] | (
        data["step_key"].isin(bad) & (data["base_key"] == "alle")
    )
    return data
