"""The sections of «Min kommune», each drawn from components/kommune_summary.py's Facts:
the page's own kommune picker, the landsdel (Tabell 2), the size class (Tabell 6), skolebidrag
per trinn (chart with its downloads beside it) and the one-file download of every figure.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import queries
from components import columns as colmeta
from components import kommune_summary as ks
from components import state
from components.charts import draw, recipe
from components.downloads import data_panel, download_buttons
from components.fmt import p_words
from components.i18n import fmt_num, fmt_pct, t
from components.provenance import source_line, source_text
from components.survey_labels import printed_name

EXAMPLES = ["1804", "0301", "4649"]  # Bodø (has 8–10 data), Oslo (none), Stad (merged 2020)


def _picked() -> None:
    """The page's picker changed: the sidebar picker (key «kommune», in the URL) follows."""
    state.choose_kommune(st.session_state.get("mk_kommune"))


def picker() -> None:
    """The kommune picker in the page itself: on a phone the sidebar is a closed drawer. It
    shows the sidebar's choice and writes to the same key, so both (and the URL) agree."""
    kommuner = queries.run("kommuner").set_index("kommune_code")
    names = kommuner.kommune_name + " (" + kommuner.fylke_name_2020 + ")"
    st.session_state["mk_kommune"] = state.current_kommune()
    st.selectbox(
        t("min_kommune.page_picker"),
        list(kommuner.index),
        index=None,
        key="mk_kommune",
        format_func=lambda c: names.get(c, c),
        placeholder=t("common.kommune_placeholder"),
        on_change=_picked,
    )


def no_kommune() -> None:
    st.title(t("min_kommune.title"))
    st.subheader(t("min_kommune.none_title"))
    st.markdown(t("min_kommune.none_text"))
    picker()
    kommuner = queries.run("kommuner").set_index("kommune_code").kommune_name
    cols = st.columns(len(EXAMPLES))
    for col, code in zip(cols, EXAMPLES, strict=True):
        col.button(
            t("min_kommune.example_button", kommune=kommuner.get(code, code)),
            key=f"mk_example_{code}",
            icon=":material/location_city:",
            width="stretch",
            on_click=state.choose_kommune,
            args=(code,),
        )
    st.caption(t("min_kommune.none_link_hint"))


def section_landsdel(facts: ks.Facts) -> None:
    ld, info = facts.landsdel, facts.info
    st.subheader(t("min_kommune.landsdel_header"))
    if ld is None:
        return
    c1, c2 = st.container(key="mk_detail_metrics_landsdel").columns(2)
    c1.metric(
        t("min_kommune.metric_landsdel", landsdel=printed_name(ld["name"])),
        fmt_pct(ld["share"]),
        help=t("min_kommune.metric_ci", n=ld["n"], ci=ks.ci(ld["lo"], ld["hi"])),
        border=True,
    )
    c2.metric(
        t("min_kommune.metric_national"),
        fmt_pct(ld["all_share"]),
        help=t("min_kommune.metric_ci", n=ld["all_n"], ci=ks.ci(ld["all_lo"], ld["all_hi"])),
        border=True,
    )
    st.container(key="mk_detail_landsdel").markdown(
        t(
            "min_kommune.landsdel_caption",
            share=fmt_pct(ld["share"]),
            landsdel=printed_name(ld["name"]),
            n=ld["n"],
            ci=ks.ci(ld["lo"], ld["hi"]),
            share_all=fmt_pct(ld["all_share"]),
            n_all=ld["all_n"],
            ci_all=ks.ci(ld["all_lo"], ld["all_hi"]),
            p_words=p_words(ld["p"]),
        )
    )
    notes = [
        t("min_kommune.landsdel_meaning", kommune=info.kommune_name),
        t(
            "min_kommune.landsdel_assumption",
            fylke_2010=info.fylke_2010,
            landsdel=printed_name(ld["name"]),
        ),
    ]
    if ld["assigned"]:
        notes.append(
            t(
                "min_kommune.landsdel_assigned",
                kommune=info.kommune_name,
                listed=info.fylke_2010_listed,
                fylke_2010=info.fylke_2010,
            )
        )
    total = ld["share"] + ld["share_no"]
    if pd.notna(ld["sum_printed"]) and total != ld["sum_printed"]:
        notes.append(
            t(
                "min_kommune.landsdel_doubtful",
                yes=fmt_num(ld["share"]),
                no=fmt_num(ld["share_no"]),
                total=fmt_num(total),
                printed=fmt_num(ld["sum_printed"]),
            )
        )
    if not ld["robust"]:
        notes.append(t("min_kommune.rounding_fragile"))
    st.caption(" ".join(notes))
    source_line(ks.SRC_LANDSDEL)


def section_size(facts: ks.Facts) -> None:
    sz, info = facts.size, facts.info
    st.subheader(t("min_kommune.size_header"))
    if sz is None:
        return
    if "share" not in sz:
        st.info(t("min_kommune.size_none", kommune=info.kommune_name), icon=":material/info:")
    else:
        size = ks.size_class_label(sz["size_class"])
        c1, c2 = st.container(key="mk_detail_metrics_size").columns(2)
        c1.metric(
            t("min_kommune.metric_size", size=size),
            fmt_pct(sz["share"]),
            help=t("min_kommune.metric_ci", n=sz["n"], ci=ks.ci(sz["lo"], sz["hi"])),
            border=True,
        )
        c2.metric(
            t("min_kommune.metric_all_owners"),
            fmt_pct(sz["all_share"]),
            help=t("min_kommune.metric_ci", n=sz["all_n"], ci=ks.ci(sz["all_lo"], sz["all_hi"])),
            border=True,
        )
        st.container(key="mk_detail_size").markdown(
            t(
                "min_kommune.size_caption",
                kommune=info.kommune_name,
                pop=fmt_num(sz["population_2010"]),
                size=size,
                share=fmt_pct(sz["share"]),
                n=sz["n"],
                ci=ks.ci(sz["lo"], sz["hi"]),
                share_all=fmt_pct(sz["all_share"]),
                n_all=sz["all_n"],
                ci_all=ks.ci(sz["all_lo"], sz["all_hi"]),
            )
        )
    st.markdown(
        t(
            "min_kommune.size_trend",
            slope=fmt_num(sz["slope"], 0),
            p_words=p_words(sz["p"]),
        )
    )
    notes = [t("min_kommune.size_caveat", kommune=info.kommune_name)]
    if sz["merged"]:
        notes.append(t("min_kommune.size_merged", kommune=info.kommune_name))
    if sz["approximate"]:
        notes.append(t("min_kommune.size_approximate"))
    if not sz["robust"]:
        notes.append(t("min_kommune.rounding_fragile"))
    st.caption(" ".join(notes))
    source_line(ks.SRC_SIZE)


def section_trinn(facts: ks.Facts, s: dict) -> None:
    info = facts.info
    st.markdown(f"#### {ks.trinn_label(s['trinn'])[:1].upper() + ks.trinn_label(s['trinn'])[1:]}")
    c1, c2, c3 = st.container(key=f"mk_detail_metrics_sb_{s['trinn']}").columns(3)
    c1.metric(
        t("min_kommune.metric_sb_kommune", kommune=info.kommune_name, period=s["latest_period"]),
        fmt_num(s["latest_value"], 1),
        border=True,
    )
    if pd.notna(s["latest_fylke_mean"]):
        c2.metric(
            t("min_kommune.metric_sb_fylke", fylke=s["fylke"], n=s["latest_fylke_n"]),
            fmt_num(s["latest_fylke_mean"], 1),
            border=True,
        )
    else:  # too few kommuner in the fylke have figures for a mean to say anything
        c2.metric(
            t("min_kommune.metric_sb_fylke_none", fylke=s["fylke"]),
            "–",
            help=t(
                "min_kommune.metric_sb_fylke_few", n=s["latest_fylke_n"], members=s["fylke_members"]
            ),
            border=True,
        )
    c3.metric(t("min_kommune.metric_sb_national"), fmt_num(0, 1), border=True)
    chart = recipe(ks.skolebidrag_chart, s, info.kommune_name)
    draw(chart)
    uploaded = ks.uploaded_periods(s)
    if uploaded:
        st.info(ks.uploaded_text(uploaded), icon=":material/upload_file:")
    sp = s["spread"]
    lines = [
        t(
            "min_kommune.sb_spread",
            n=sp["n"],
            low=fmt_num(sp["min"], 1),
            high=fmt_num(sp["max"], 1),
            sd=fmt_num(sp["sd"], 2),
        ),
        t("min_kommune.sb_profile", profile=ks.profile_label(s["profile"])),
    ]
    f = s["funnel"]
    if f.get("ok"):
        lines.append(
            t(
                "min_kommune.sb_funnel",
                period=f["period"],
                n_units=f["n_units"],
                sigma=fmt_num(f["sigma"], 1),
                z=fmt_num(f["z"], 1),
                where=ks.funnel_words(f),
                size=fmt_num(f["size"]),
                l95=fmt_num(f["limit_95"], 1),
                l998=fmt_num(f["limit_998"], 1),
            )
        )
    else:
        lines.append(t("min_kommune.sb_funnel_few", n_units=f["n_units"], period=f["period"]))
    st.container(key=f"mk_detail_sb_{s['trinn']}").markdown("\n".join(f"- {x}" for x in lines))
    st.caption(
        t("min_kommune.sb_fylke_note", fylke=s["fylke"], kommune=info.kommune_name)
        + " "
        + t("min_kommune.sb_funnel_caveat")
    )
    data_panel(
        trinn_table(facts, s),
        f"skolebidrag_{info.kommune_code}_{s['trinn']}",
        ks.SRC_SB,
        chart.build,
        key=f"mk_sb_{s['trinn']}",
        title=t(
            "min_kommune.export_title", kommune=info.kommune_name, trinn=ks.trinn_label(s["trinn"])
        ),
        subtitle=export_subtitle(facts, s),
    )


def trinn_table(facts: ks.Facts, s: dict) -> pd.DataFrame:
    """One trinn's rows with the kommune number and the unit, headers from data/columns.toml."""
    info = facts.info
    rows = s["rows"].drop(columns=["provenance", "source_file"])
    rows.insert(0, "kommune_code", info.kommune_code)
    rows.insert(1, "kommune_name", info.kommune_name)
    rows["unit"] = colmeta.unit_text(f"points_{s['trinn'].replace('-', '_')}")
    return rows.rename(columns=colmeta.labels(rows.columns))


def export_subtitle(facts: ks.Facts, s: dict) -> str:
    """«Bodø (1804), Nordland · 8.–10. trinn · 2014+15–2018+19 · Skolebidrag (karakterpoeng)»."""
    info, periods = facts.info, list(s["rows"].period)
    return " · ".join(
        [
            f"{info.kommune_name} ({info.kommune_code}), {s['fylke']}",
            ks.trinn_label(s["trinn"]),
            f"{periods[0]}–{periods[-1]}" if len(periods) > 1 else periods[0],
            ks.unit_label(s["trinn"]),
        ]
    )


def section_skolebidrag(facts: ks.Facts) -> None:
    info = facts.info
    st.subheader(t("min_kommune.sb_header"))
    st.caption(t("min_kommune.sb_intro"))
    with_data = [s for s in facts.skolebidrag if s["has_data"]]
    if not with_data:
        st.info(ks.availability(facts), icon=":material/info:")
        if facts.former:  # a 2020 kommune whose former kommuner have figures of their own
            st.markdown(
                t("min_kommune.sb_merged", kommune=info.kommune_name, former=ks.join(facts.former))
            )
        st.markdown(t("min_kommune.sb_get"))
        st.page_link(
            "views/skolebidrag.py", label=t("min_kommune.sb_link"), icon=":material/trending_up:"
        )
        return
    for s in facts.skolebidrag:
        if s["has_data"]:
            section_trinn(facts, s)
        else:
            st.caption(t("min_kommune.sb_trinn_none", trinn=ks.trinn_label(s["trinn"])))


def header(facts: ks.Facts) -> None:
    """Title, lead and the plain-language summary in a box."""
    info = facts.info
    st.title(t("min_kommune.title_kommune", kommune=info.kommune_name))
    with st.container(key="mk_noprint_picker"):
        picker()
    st.markdown(
        t(
            "min_kommune.lead",
            fylke=info.fylke_name_2020,
            pop=fmt_num(info.population_2020),
            pop_6_15=fmt_num(info.population_2020_age_6_15),
        )
    )
    with st.container(border=True):
        st.markdown(f"**{t('min_kommune.summary_header')}**")
        for sentence in ks.sentences(facts):
            st.markdown(f"- {sentence}")
        st.caption(t("min_kommune.summary_note"))


def download_all(facts: ks.Facts) -> None:
    """Every figure of the page in one file (CSV and Excel), not printed."""
    box = st.container(key="mk_noprint_download")
    box.divider()
    box.subheader(t("min_kommune.download_header"))
    with box:
        download_buttons(
            ks.figures_download(facts),
            f"min_kommune_{facts.info.kommune_name}",
            source_text(ks.SRC_LANDSDEL + ks.SRC_SIZE + ks.SRC_SB),
            key="mk_all",
        )
    box.caption(t("common.print_hint"))
