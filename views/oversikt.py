"""Oversikt: the four questions the app answers, one card each with its headline figure, its
uncertainty, one plain sentence and a link to the page that shows the detail.

Kept fast for a five-minute demo: a handful of cached queries, no maps, no charts.
"""

from __future__ import annotations

import sys

import streamlit as st

import queries
from analysis.proportions import (
    cochran_armitage_trend,
    describe_p,
    format_p,
    two_proportion_difference,
    wilson_interval,
)
from analysis.ratings import magnitude_label, welch_t_from_stats
from components import state
from components.i18n import fmt_num, fmt_pct, lang, t
from components.provenance import source_line

# ----------------------------------------------------------------------------- data


def familiarity() -> dict:
    alle = queries.run("familiarity", dimension="landsdel").query("is_total").iloc[0]
    lo, hi = wilson_interval(alle.share_pct, alle.n_respondents)
    text = queries.run("text_figures", source_id="r2010_tekst")
    owners = text[text.row_label == "Skoleeiere som kjenner til satsingen"].set_index("table_no")
    return {
        "share": alle.share_pct,
        "n": int(alle.n_respondents),
        "lo": lo,
        "hi": hi,
        "owners_a": owners.loc["Tekst etter Tabell 2", "value"],
        "owners_b": owners.loc["Oppsummering", "value"],
    }


def use_by_size() -> dict:
    own = queries.run("owner_use_by_size").set_index("size_class")
    classes = own.loc[["Under 3000", "3000–9999", "10000 og mer"]]
    small, large = classes.loc["Under 3000"], classes.loc["10000 og mer"]
    diff = two_proportion_difference(
        large.share_pct, large.n_respondents, small.share_pct, small.n_respondents
    )
    trend = cochran_armitage_trend(classes.share_pct, classes.n_respondents)
    return {
        "large": large.share_pct,
        "n_large": int(large.n_respondents),
        "small": small.share_pct,
        "n_small": int(small.n_respondents),
        "diff": diff,
        "p_trend": trend["p_value"],
    }


def actors() -> dict:
    items = queries.run("rating_items", table_no="Tabell 4.1")
    # A row whose one printed mean is not said to be whose (read_as) is left out of the ranking.
    leaders = items[~items.leader_read_as.astype(bool)].dropna(subset=["mean_leader"])
    owners = items[~items.owner_read_as.astype(bool)].dropna(subset=["mean_owner"])
    both = items.dropna(subset=["mean_leader", "mean_owner", "d_printed"])
    gap = both.loc[both.d_printed.abs().idxmax()]
    welch = welch_t_from_stats(
        gap.mean_leader, gap.sd_leader, gap.n_leader, gap.mean_owner, gap.sd_owner, gap.n_owner
    )
    response = queries.run("text_figures", source_id="r2016_tekst")
    pct = response[response.column_label == "Svarprosent"].set_index("row_label").value
    return {
        "top_leader": leaders.loc[leaders.mean_leader.idxmax()],
        "top_owner": owners.loc[owners.mean_owner.idxmax()],
        "gap": gap,
        "p": welch["p_value"],
        "n_leader": int(items.n_leader.max()),
        "n_owner": int(items.n_owner.max()),
        "pct_schools": pct.get("Skoler"),
        "pct_owners": pct.get("Kommuner"),
    }


def skolebidrag() -> dict:
    out = {}
    for trinn in ("1-4", "8-10"):
        df = queries.run("skolebidrag", trinn=trinn)
        emb = df[df.source_id == "udir_skolebidrag"]
        out[trinn] = emb.kommune_code.nunique()
        out[f"former_{trinn}"] = emb[emb.is_former.astype(bool)].kommune_code.nunique()
    expert = queries.run("expert_profiles")
    five_seven = expert[expert.trinn.str.startswith("5.")]
    by_profile = dict(
        zip(five_seven.profile.str.split(":").str[0], five_seven.n_schools, strict=True)
    )
    out |= {
        "n_57": int(five_seven.n_schools_all_periods.iloc[0]),
        "p1": by_profile.get("Profil 1"),
        "p3": by_profile.get("Profil 3"),
        "p4": by_profile.get("Profil 4"),
    }
    return out


# ----------------------------------------------------------------------------- cards


def card_familiarity(f: dict) -> None:
    st.subheader(t("oversikt.q1"))
    c1, c2 = st.columns(2)
    c1.metric(
        t("oversikt.q1_metric"),
        fmt_pct(f["share"]),
        help=f"n={f['n']}, {t('common.ci95')} {fmt_num(f['lo'])}–{fmt_num(f['hi'])} %",
    )
    c2.metric(
        t("oversikt.q1_metric_owners"),
        t("oversikt.q1_owners_value", a=fmt_pct(f["owners_a"]), b=fmt_pct(f["owners_b"])),
    )
    st.markdown(
        t(
            "oversikt.q1_text",
            share=fmt_pct(f["share"]),
            n=f["n"],
            ci=f"{fmt_num(f['lo'])}–{fmt_num(f['hi'])}",
            owners_a=fmt_pct(f["owners_a"]),
            owners_b=fmt_pct(f["owners_b"]),
        )
    )
    st.caption(t("oversikt.q1_caveat"))
    source_line(["r2010_tabell_2", "r2010_tekst"])
    st.page_link("views/kjennskap.py", label=t("oversikt.q1_link"), icon=":material/arrow_forward:")


def card_use(u: dict) -> None:
    d = u["diff"]
    st.subheader(t("oversikt.q2"))
    c1, c2 = st.columns(2)
    c1.metric(
        t("oversikt.q2_metric_large"),
        fmt_pct(u["large"]),
        help=f"n={u['n_large']}",
    )
    c2.metric(
        t("oversikt.q2_metric_small"),
        fmt_pct(u["small"]),
        help=f"n={u['n_small']}",
    )
    st.markdown(
        t(
            "oversikt.q2_text",
            large=fmt_pct(u["large"]),
            n_large=u["n_large"],
            small=fmt_pct(u["small"]),
            n_small=u["n_small"],
            diff=fmt_num(d["diff_pp"]),
            lo=fmt_num(d["ci_low_pp"]),
            hi=fmt_num(d["ci_high_pp"]),
            h=fmt_num(d["cohens_h"], 2),
            p_words=describe_p(u["p_trend"], lang()),
        )
    )
    st.caption(t("oversikt.q2_caveat"))
    source_line(["r2010_tabell_6"])
    st.page_link("views/bruk.py", label=t("oversikt.q2_link"), icon=":material/arrow_forward:")


def card_actors(a: dict) -> None:
    gap, tl, to = a["gap"], a["top_leader"], a["top_owner"]
    st.subheader(t("oversikt.q3"))
    st.markdown(
        f"| | {t('oversikt.q3_col_top')} | {t('oversikt.q3_col_mean')} |\n|---|---|---:|\n"
        f"| {t('oversikt.q3_leaders', n=a['n_leader'])} | {tl['item']} | "
        f"{fmt_num(tl.mean_leader, 2)} |\n"
        f"| {t('oversikt.q3_owners', n=a['n_owner'])} | {to['item']} | "
        f"{fmt_num(to.mean_owner, 2)} |"
    )
    st.metric(
        t("oversikt.q3_metric_gap", item=gap["item"]),
        f"d = {fmt_num(gap.d_printed, 2)}",
        help=t("oversikt.q3_metric_gap_help"),
    )
    st.markdown(
        t(
            "oversikt.q3_text",
            top_leader=tl["item"],
            mean_leader=fmt_num(tl.mean_leader, 2),
            top_owner=to["item"],
            mean_owner=fmt_num(to.mean_owner, 2),
            item=f"«{gap['item']}»",
            owner=fmt_num(gap.mean_owner, 2),
            leader=fmt_num(gap.mean_leader, 2),
            d=fmt_num(gap.d_printed, 2),
            size=magnitude_label(gap.d_printed, lang(), short=True),
            p=format_p(a["p"], lang()),
        )
    )
    st.caption(
        t(
            "oversikt.q3_caveat",
            pct_schools=fmt_num(a["pct_schools"]),
            pct_owners=fmt_num(a["pct_owners"]),
        )
    )
    source_line(["r2016_tabell_4_1", "r2016_tekst"])
    st.page_link("views/aktorer.py", label=t("oversikt.q3_link"), icon=":material/arrow_forward:")


def card_skolebidrag(s: dict) -> None:
    st.subheader(t("oversikt.q4"))
    c1, c2 = st.columns(2)
    c1.metric(
        t("oversikt.q4_metric_kommuner"),
        f"{s['1-4']} / {s['8-10']}",
        help=t("oversikt.q4_metric_kommuner_help"),
    )
    c2.metric(
        t("oversikt.q4_expert_metric", n=fmt_num(s["n_57"])),
        f"{s['p1']} / {s['p3']} / {s['p4']}",
        help=t("oversikt.q4_expert_help"),
    )
    st.markdown(
        t(
            "oversikt.q4_text",
            n14=s["1-4"],
            n810=s["8-10"],
            former=s["former_1-4"] + s["former_8-10"],
            n_57=fmt_num(s["n_57"]),
            p1=s["p1"],
            p3=s["p3"],
            p4=s["p4"],
        )
    )
    st.caption(t("oversikt.q4_caveat"))
    source_line(["udir_skolebidrag", "r2021_tekst"])
    st.page_link(
        "views/skolebidrag.py", label=t("oversikt.q4_link"), icon=":material/arrow_forward:"
    )


def kommune_line() -> None:
    code = state.current_kommune()
    if not code:
        st.caption(t("oversikt.kommune_none"))
        return
    kommuner = queries.run("kommuner").set_index("kommune_code")
    if code not in kommuner.index:
        return
    row = kommuner.loc[code]
    c1, c2 = st.columns([3, 2], vertical_alignment="center")
    c1.markdown(t("oversikt.kommune_selected", kommune=row.kommune_name, fylke=row.fylke_name_2020))
    c2.page_link(
        "views/min_kommune.py",
        label=t("oversikt.kommune_link", kommune=row.kommune_name),
        icon=":material/location_city:",
    )


# ----------------------------------------------------------------------------- page

st.title(t("oversikt.title"))
st.markdown(t("oversikt.lead"))
kommune_line()

cards = [
    (card_familiarity, familiarity),
    (card_use, use_by_size),
    (card_actors, actors),
    (card_skolebidrag, skolebidrag),
]
for row in (cards[:2], cards[2:]):
    for col, (draw, data) in zip(st.columns(2, gap="medium"), row, strict=True):
        with col, st.container(border=True, height="stretch"):
            try:
                draw(data())
            except Exception as err:  # noqa: BLE001 - one card failing must not hide the others
                st.warning(t("oversikt.card_missing"), icon=":material/warning:")
                print(f"oversikt: {draw.__name__}: {type(err).__name__}: {err}", file=sys.stderr)

st.markdown(t("oversikt.about"))
c1, c2 = st.columns(2)
c1.page_link("views/kilder.py", label=t("oversikt.about_link"), icon=":material/library_books:")
c2.page_link("views/dialogmote.py", label=t("oversikt.dialog_link"), icon=":material/co_present:")
