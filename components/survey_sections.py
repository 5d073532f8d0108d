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
from analysis.ratings import magnitude_label  # Cohen's 0.2/0.5/0.8 bands, used for h too
from components import maps
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


def wrap_label(text: str, width: int = 18) -> str:
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


def class_colour(size) -> list[int]:
    """Ordered size classes in light → dark blue (sequential, colour-blind safe); grey if none."""
    if size not in SIZE_ORDER:
        return maps.NO_DATA
    return maps.sequential(SIZE_ORDER.index(size) + 1, 0, len(SIZE_ORDER))


def _use_text(row) -> str:
    if row is None:
        return "–"
    ci = ci_text(row.ci_low_pct, row.ci_high_pct)
    return t("bruk.use_text", share=fmt_pct(row.share_pct), n=int(row.n_respondents), ci=ci)


def _pop_text(row, year: str) -> str:
    pop = getattr(row, f"population_{year}")
    if pd.isna(pop):
        return t("bruk.pop_missing", year=year, codes=row.kommune_codes_2010 or "–")
    approx = year == "2010" and row.population_2010_status == "approximate"
    return t("bruk.pop_approx" if approx else "bruk.pop_text", n=fmt_num(pop), year=year)


def size_map_props(kommuner: pd.DataFrame, use: pd.DataFrame, year: str) -> dict[str, dict]:
    """Tooltip text per kommune: population (and why it may be missing), class, class's use."""
    return _size_map_props(kommuner, use, year, lang())


@st.cache_data(show_spinner=False, max_entries=16)
def _size_map_props(
    kommuner: pd.DataFrame, use: pd.DataFrame, year: str, language: str
) -> dict[str, dict]:
    # 356 × 3 formatted texts; cached per inputs and language (t() reads the session's).
    share_of = {r.size_class: r for r in use.itertuples()}
    size_col = f"size_class_{year}"
    return {
        r.kommune_code: {
            "name": r.kommune_name,
            "pop": _pop_text(r, year),
            "size": size_name(getattr(r, size_col)),
            "use": _use_text(share_of.get(getattr(r, size_col))),
        }
        for r in kommuner.itertuples()
    }


def size_legend(kommuner: pd.DataFrame, use: pd.DataFrame, year: str) -> list[tuple[str, list]]:
    """Legend rows (label with count and use, colour) for the size-class map."""
    share_of = {r.size_class: r for r in use.itertuples()}
    counts = kommuner[f"size_class_{year}"].value_counts()
    items = [
        (
            t(
                "bruk.legend_item",
                size=size_name(s),
                count=int(counts.get(s, 0)),
                share=fmt_pct(share_of[s].share_pct),
                n=int(share_of[s].n_respondents),
            ),
            class_colour(s),
        )
        for s in SIZE_ORDER
        if s in share_of
    ]
    missing = int(kommuner[f"size_class_{year}"].isna().sum())
    if missing:
        items.append((t("bruk.legend_none", count=missing), maps.NO_DATA))
    return items


def size_map_caption(year: str, missing_names: list[str]) -> list[str]:
    lines = []
    if missing_names:
        lines.append(t("bruk.legend_missing", year=year, names=", ".join(missing_names)))
    parts = [t("bruk.map_caption_colour", year=year)]
    if missing_names:
        parts.append(t("bruk.map_caption_grey", year=year))
    parts += [t(f"bruk.map_caption_{year}"), t("bruk.map_caption_end")]
    return lines + [" ".join(parts)]


def text_figure(text: pd.DataFrame, table_no: str, row_start: str, col: str) -> float:
    """One figure printed in the report's running text (query text_figures), NaN if absent."""
    hit = text[
        (text["table_no"] == table_no)
        & text["row_label"].str.startswith(row_start)
        & (text["column_label"] == col)
    ]
    return hit["value"].iloc[0] if len(hit) else float("nan")


def chain_captions(text: pd.DataFrame, respondent: str) -> list[str]:
    """What the report itself says about the chain, in its own figures (no n printed)."""

    def pct(table_no, row_start, col):
        return fmt_pct(text_figure(text, table_no, row_start, col))

    if respondent == "skoler":
        return [
            t("bruk.chain_caption"),
            t(
                "bruk.report_says_schools",
                helhetlig=pct(
                    "Tekst foran Tabell 4",
                    "Skoler som har brukt materiell",
                    "Prosent av skolene i undersøkelsen",
                ),
                none=pct(
                    "Oppsummering",
                    "Skoler som kjenner til satsingen og ikke",
                    "Prosent av skolene som kjenner til satsingen",
                ),
                all=pct("Oppsummering", "Skoler som har brukt alle", "Prosent"),
            ),
        ]
    owners = "Skoleeiere som kjenner"
    return [
        t(
            "bruk.chain_caption_owners",
            a=pct("Tekst etter Tabell 2", owners, "Prosent"),
            b=pct("Oppsummering", owners, "Prosent"),
        ),
        t(
            "bruk.report_says_owners",
            all=pct("Tekst etter Tabell 7", owners, "Alle"),
            big=pct("Tekst etter Tabell 7", owners, "De største kommunene"),
            small=pct("Tekst etter Tabell 7", owners, "De minste kommunene"),
        ),
    ]


def chain_warnings(chain: pd.DataFrame, steps: pd.DataFrame, respondent: str) -> list[tuple]:
    """(text, icon) for every inconsistent or doubtful print in the chain."""
    who = t(f"bruk.who_{respondent}")
    out = [
        (t("bruk.inconsistent_note", who=who, **facts), ":material/rule:")
        for facts in inconsistent_steps(chain).values()
    ]
    for r in steps[steps["doubtful"]].itertuples():
        everyone = chain[(chain["step_key"] == r.step_key) & (chain["base_key"] == "alle")]
        count = r.share_pct * r.n_base / 100
        n_all = int(everyone["n_base"].iloc[0]) if len(everyone) else None
        text = t(
            "bruk.doubtful_note",
            table=r.table_no,
            printed=r.n_printed,
            n=int(r.n_base),
            share=fmt_pct(r.share_pct),
            count=fmt_num(count),
            implied=fmt_pct(100 * count / n_all, 1) if n_all else "–",
            n_all=n_all or "–",
        )
        out.append((text, ":material/help:"))
    return out


def trend_words(trend: dict, classes: pd.DataFrame) -> tuple[str, str]:
    """(answer, caveat) for the Cochran–Armitage test across the ordered size classes."""
    sens = trend["rounding_sensitivity"]
    supported = trend["p_value"] < 0.05 and sens["conclusion_robust"]
    answer = t(
        f"bruk.trend_{'yes' if supported else 'no'}",
        lo=fmt_pct(classes["share_pct"].iloc[0]),
        hi=fmt_pct(classes["share_pct"].iloc[-1]),
        slope=fmt_num(trend["slope_pct_per_step"], 1),
        z=fmt_num(trend["z"], 2),
        p_words=describe_p(trend["p_value"], lang()),
    )
    if fmt_p(sens["p_min"]) == fmt_p(sens["p_max"]):
        key = "bruk.rounding_exact"  # n so small that only one count fits each printed share
    else:
        key = f"bruk.rounding_{'stable' if sens['conclusion_robust'] else 'fragile'}"
    caveat = t(
        "bruk.trend_caveat",
        n=int(classes["n_respondents"].sum()),
        ns=", ".join(f"n={int(n)}" for n in classes["n_respondents"]),
        rounding=t(key, p_min=fmt_p(sens["p_min"]), p_max=fmt_p(sens["p_max"])),
    )
    return answer, caveat


def double_words(diff: dict, large, small) -> str:
    """«Dobbelt så mange»: the largest versus the smallest class, difference with CI and h."""

    return t(
        "bruk.double",
        hi=fmt_pct(large.share_pct),
        lo=fmt_pct(small.share_pct),
        ratio=fmt_num(large.share_pct / small.share_pct, 1),
        diff=fmt_num(diff["diff_pp"]),
        ci_lo=fmt_num(diff["ci_low_pp"], 1),
        ci_hi=fmt_num(diff["ci_high_pp"], 1),
        p_words=describe_p(diff["p_value"], lang()),
        h=fmt_num(diff["cohens_h"], 2),
        magnitude=magnitude_label(diff["cohens_h"], lang()),
    )
