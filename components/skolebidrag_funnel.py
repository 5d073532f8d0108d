"""Skolebidrag page: the funnel plot of one period (statistics in analysis.skolebidrag.funnel,
the same function Min kommune and Dialogmøte use, so a kommune has one position everywhere)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import skolebidrag as sb
from components import skolebidrag_charts as charts
from components import skolebidrag_data as sd
from components import skolebidrag_words as w
from components.charts import draw, recipe
from components.downloads import data_panel
from components.fmt import num
from components.i18n import t

SOURCE = ["udir_skolebidrag", "kommune_successors", "ssb_kommune_population"]


def pool(df: pd.DataFrame, period: str) -> pd.DataFrame:
    """The units a funnel compares: 2020 kommuner with a value in the period. Former kommuner
    are left out: the only size we have for them is their merged successor's."""
    at = df[(df.period == period) & df.value.notna()]
    return at[~at.is_former]


@st.cache_resource(show_spinner=False, max_entries=64)
def _funnel(key: tuple, trinn: str, period: str) -> sb.Funnel:
    df = sd.rows(key=key)
    return sb.funnel(pool(df[df.trinn == trinn], period))


def kommune_funnel(trinn: str, period: str) -> sb.Funnel:
    """The funnel of one trinn and period for this session's rows (cached on them): the one
    Skolebidrag, Min kommune and Dialogmøte all show."""
    return _funnel(sd.cache_key(), trinn, period)


def funnel(df: pd.DataFrame, period: str, selected: list[str], trinn: str) -> None:
    st.subheader(t("skolebidrag.funnel_header"))
    st.markdown(t("skolebidrag.funnel_intro", period=period))
    f = kommune_funnel(trinn, period)
    if not f.enough:
        st.info(
            t("skolebidrag.funnel_too_few", period=period, n=f.n_units, min=f.min_units),
            icon=":material/info:",
        )
        return
    pts = f.points.assign(
        kommune_label=f.points.label,
        selected=f.points.kommune_code.isin(selected),
        selected_label=t("skolebidrag.selected_label"),
        flag_label=f.points.flag.map(w.flag_label),
        z=f.points.z_score,
    )
    l95, l998 = t("skolebidrag.limit_95"), t("skolebidrag.limit_998")
    lim = f.limits
    limits = pd.concat(
        [
            pd.DataFrame(
                {"size": lim["size"], "limit": l95, "lower": lim.lower_95, "upper": lim.upper_95}
            ),
            pd.DataFrame(
                {"size": lim["size"], "limit": l998, "lower": lim.lower_998, "upper": lim.upper_998}
            ),
        ],
        ignore_index=True,
    )
    pupils = f.size_measure == "n_pupils"
    chart = recipe(
        charts.funnel_chart,
        pts[["kommune_label", "size", "value", "z", "selected", "selected_label", "flag_label"]],
        limits,
        x_title=t(
            "skolebidrag.funnel_size_pupils" if pupils else "skolebidrag.funnel_size_population"
        ),
        y_title=w.unit_label(trinn),
        zero_label=t("skolebidrag.zero_label"),
        limit_labels={"95": l95, "998": l998},
        tooltip_titles={
            "kommune": t("skolebidrag.tt_kommune"),
            "z": t("skolebidrag.tt_z"),
            "flag": t("skolebidrag.tt_flag"),
        },
        selected_title=t("skolebidrag.selected_legend"),
    )
    draw(chart)
    former = df[(df.period == period) & df.value.notna() & df.is_former]
    excluded = (
        t("skolebidrag.funnel_excluded_former", n=former.kommune_code.nunique())
        if len(former)
        else ""
    )
    key = "skolebidrag.funnel_caption_pupils" if pupils else "skolebidrag.funnel_caption_population"
    st.caption(t(key, sigma=num(f.sigma, 0), n=f.n_units, excluded=excluded))
    outside = pts[pts.outside_998.fillna(False).astype(bool)]
    st.markdown(
        t("skolebidrag.funnel_outside", names=w.join(sorted(outside.kommune_label)))
        if len(outside)
        else t("skolebidrag.funnel_outside_none")
    )
    spread = sb.spread_by_unit(
        sd.with_values(df[df.kommune_code.isin(pts.kommune_code)]),
        unit_col="kommune_code",
        period_col="period",
        value_col="value",
    ).set_index("kommune_code")
    table = pd.DataFrame(
        {
            t("skolebidrag.col_kommune"): pts.kommune_label,
            t("skolebidrag.col_value"): pts.value,
            t("skolebidrag.col_size"): pts["size"],
            t("skolebidrag.col_z"): pts.z_score.round(2),
            t("skolebidrag.col_flag"): pts.flag_label,
            t("skolebidrag.col_min"): pts.kommune_code.map(spread["min"]),
            t("skolebidrag.col_max"): pts.kommune_code.map(spread["max"]),
            t("skolebidrag.col_sd"): pts.kommune_code.map(spread["sd"]).round(2),
            t("skolebidrag.col_provenance"): [
                w.source_label(p, f_, i)
                for p, f_, i in zip(pts.provenance, pts.source_file, pts.imported_at, strict=True)
            ],
        }
    ).sort_values(t("skolebidrag.col_kommune"))
    st.caption(t("skolebidrag.funnel_table_note"))
    data_panel(table, f"skolebidrag_{trinn}_trakt_{period}", SOURCE, chart.build, key="sb_funnel")
