"""Oversikt: the four questions the app answers, one card each with its headline figure, its
uncertainty, one plain sentence and a link to the page that shows the detail.

Kept fast for a five-minute demo: a handful of cached queries, no maps, no charts. Figures
printed in running text are named by key (data/raw/figure_keys.csv), never by printed label.
"""

from __future__ import annotations

import sys

import streamlit as st

import queries
from analysis.proportions import ordered_groups, wilson_interval
from analysis.ratings import headline_items, item_statistics
from components import fmt, state
from components.figures import figures, values
from components.i18n import t
from components.overview_card import Metric, card


def familiarity() -> None:
    f = values(
        "r2010_schools_know_pct",
        "r2010_schools_know_n",
        "r2010_schools_answered",
        "r2010_owners_know_pct_after_tabell_2",
        "r2010_owners_know_pct_summary",
    )
    share, n = f["r2010_schools_know_pct"], int(f["r2010_schools_know_n"])
    lo, hi = wilson_interval(share, n)
    owners_a, owners_b = (
        fmt.pct(f["r2010_owners_know_pct_after_tabell_2"]),
        fmt.pct(f["r2010_owners_know_pct_summary"]),
    )
    card(
        t("oversikt.q1"),
        [
            Metric(t("oversikt.q1_metric"), fmt.pct(share), f"n={n}, {fmt.ci(lo, hi, 0, '%')}"),
            Metric(
                t("oversikt.q1_metric_owners"),
                t("oversikt.q1_owners_value", a=owners_a, b=owners_b),
            ),
        ],
        t(
            "oversikt.q1_text",
            share=fmt.pct(share),
            n=n,
            ci=fmt.interval(lo, hi),
            owners_a=owners_a,
            owners_b=owners_b,
        ),
        t("oversikt.q1_caveat", n=n, answered=int(f["r2010_schools_answered"])),
        ["r2010_tabell_2", "r2010_tekst"],
        ("views/kjennskap.py", t("oversikt.q1_link")),
    )


def use_by_size() -> None:
    own = queries.run("owner_use_by_size")
    classes = own[own["is_size_class"]]  # printed order: small → large
    small, large = classes.iloc[0], classes.iloc[-1]
    gradient = ordered_groups(classes["share_pct"], classes["n_respondents"])
    d = gradient["diff"]
    card(
        t("oversikt.q2"),
        [
            Metric(
                t("oversikt.q2_metric_large"), fmt.pct(large.share_pct), f"n={large.n_respondents}"
            ),
            Metric(
                t("oversikt.q2_metric_small"), fmt.pct(small.share_pct), f"n={small.n_respondents}"
            ),
        ],
        t(
            "oversikt.q2_text",
            large=fmt.pct(large.share_pct),
            n_large=large.n_respondents,
            small=fmt.pct(small.share_pct),
            n_small=small.n_respondents,
            diff=fmt.num(d["diff_pp"]),
            lo=fmt.num(d["ci_low_pp"]),
            hi=fmt.num(d["ci_high_pp"]),
            h=fmt.num(d["cohens_h"], 2),
            p_words=fmt.p_words(gradient["trend"]["p_value"]),
        ),
        t(
            "oversikt.q2_caveat",
            n_min=classes["n_respondents"].min(),
            n_max=classes["n_respondents"].max(),
        ),
        classes["source_id"].unique(),
        ("views/bruk.py", t("oversikt.q2_link")),
    )


def actors() -> None:
    top = headline_items(item_statistics(queries.run("rating_items", table_no="Tabell 4.1")))
    gap, tl, to = top["gap"], top["top_leader"], top["top_owner"]
    f = figures(
        "r2016_schools_answered",
        "r2016_owners_answered",
        "r2016_schools_invited",
        "r2016_owners_invited",
        "r2016_schools_response_pct",
        "r2016_owners_response_pct",
    )["value"].astype(int)
    n_schools, n_owners = f["r2016_schools_answered"], f["r2016_owners_answered"]
    mean = lambda x: fmt.num(x, 2)  # noqa: E731 - the 1–5 scale is printed with two decimals
    table = (
        f"| | {t('oversikt.q3_col_top')} | {t('oversikt.q3_col_mean')} |\n|---|---|---:|\n"
        f"| {t('oversikt.q3_leaders', n=n_schools)} | {tl['item']} | {mean(tl.mean_leader)} |\n"
        f"| {t('oversikt.q3_owners', n=n_owners)} | {to['item']} | {mean(to.mean_owner)} |"
    )
    card(
        t("oversikt.q3"),
        [
            Metric(
                t("oversikt.q3_metric_gap", item=gap["item"]),
                f"d = {mean(gap.d_printed)}",
                t("oversikt.q3_metric_gap_help"),
            )
        ],
        t(
            "oversikt.q3_text",
            top_leader=tl["item"],
            mean_leader=mean(tl.mean_leader),
            top_owner=to["item"],
            mean_owner=mean(to.mean_owner),
            item=f"«{gap['item']}»",
            owner=mean(gap.mean_owner),
            leader=mean(gap.mean_leader),
            d=mean(gap.d_printed),
            size=fmt.magnitude(gap.d_printed, short=True),
            p=fmt.p_value(gap.p_value),
        ),
        t(
            "oversikt.q3_caveat",
            pct_schools=fmt.num(f["r2016_schools_response_pct"]),
            pct_owners=fmt.num(f["r2016_owners_response_pct"]),
            n_schools=n_schools,
            invited_schools=f["r2016_schools_invited"],
            n_owners=n_owners,
            invited_owners=f["r2016_owners_invited"],
        ),
        ["r2016_tabell_4_1", "r2016_tekst"],
        ("views/aktorer.py", t("oversikt.q3_link")),
        above=lambda: st.markdown(table),
    )


def skolebidrag() -> None:
    n, former = {}, 0
    for trinn in ("1-4", "8-10"):
        df = queries.run("skolebidrag", trinn=trinn)
        embedded = df[df["source_id"] == "udir_skolebidrag"]  # not rows imported later
        n[trinn] = embedded["kommune_code"].nunique()
        former += embedded.loc[embedded["is_former"].astype(bool), "kommune_code"].nunique()
    f = figures(
        "r2021_schools_all_periods_5_7",
        "r2021_profile_1_5_7",
        "r2021_profile_3_5_7",
        "r2021_profile_4_5_7",
    )["value"].astype(int)
    n_57, p1, p3, p4 = f.to_list()
    card(
        t("oversikt.q4"),
        [
            Metric(
                t("oversikt.q4_metric_kommuner"),
                f"{n['1-4']} / {n['8-10']}",
                t("oversikt.q4_metric_kommuner_help"),
            ),
            Metric(
                t("oversikt.q4_expert_metric", n=fmt.num(n_57)),
                f"{p1} / {p3} / {p4}",
                t("oversikt.q4_expert_help"),
            ),
        ],
        t(
            "oversikt.q4_text",
            n14=n["1-4"],
            n810=n["8-10"],
            former=former,
            n_57=fmt.num(n_57),
            p1=p1,
            p3=p3,
            p4=p4,
        ),
        t("oversikt.q4_caveat"),
        ["udir_skolebidrag", "r2021_tekst"],
        ("views/skolebidrag.py", t("oversikt.q4_link")),
    )


def kommune_line() -> None:
    code = state.current_kommune()
    kommuner = queries.run("kommuner").set_index("kommune_code")
    if not code:
        st.caption(t("oversikt.kommune_none"))
    elif code in kommuner.index:
        row = kommuner.loc[code]
        c1, c2 = st.columns([3, 2], vertical_alignment="center")
        c1.markdown(
            t("oversikt.kommune_selected", kommune=row.kommune_name, fylke=row.fylke_name_2020)
        )
        link = t("oversikt.kommune_link", kommune=row.kommune_name)
        c2.page_link("views/min_kommune.py", label=link, icon=":material/location_city:")


# ----------------------------------------------------------------------------- page

st.title(t("oversikt.title"))
st.markdown(t("oversikt.lead"))
kommune_line()
cards = [familiarity, use_by_size, actors, skolebidrag]
for row in (cards[:2], cards[2:]):
    for col, draw_card in zip(st.columns(2, gap="medium"), row, strict=True):
        with col, st.container(border=True, height="stretch"):
            try:
                draw_card()
            except Exception as err:  # noqa: BLE001 - one card failing must not hide the others
                st.warning(t("oversikt.card_missing"), icon=":material/warning:")
                print(
                    f"oversikt: {draw_card.__name__}: {type(err).__name__}: {err}", file=sys.stderr
                )

st.markdown(t("oversikt.about"))
c1, c2 = st.columns(2)
c1.page_link("views/kilder.py", label=t("oversikt.about_link"), icon=":material/library_books:")
c2.page_link("views/dialogmote.py", label=t("oversikt.dialog_link"), icon=":material/co_present:")
