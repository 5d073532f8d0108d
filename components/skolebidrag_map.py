"""Skolebidrag page: the period for map and funnel, and the kommune map (value or profile)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

from analysis import skolebidrag as sb
from components import maps, state
from components import skolebidrag_charts as charts
from components import skolebidrag_data as sd
from components import skolebidrag_trends as trends
from components import skolebidrag_words as w
from components.charts import draw, recipe
from components.downloads import data_panel
from components.fmt import num, signed
from components.i18n import t

SOURCE = ["udir_skolebidrag", "kommune_successors", "kartverket_boundaries"]
# Map colours per profile (Okabe–Ito blue / green / vermillion); the tooltip names the profile.
PROFILE_COLOUR = {"stabilt_hoy": 0, "jevn_progresjon": 2, "stabilt_lav": 5}


def period_choice(df: pd.DataFrame, periods: list[str]) -> str:
    """The period for map and funnel: by default the latest one that covers at least half as
    many kommuner as the best-covered period (so a small upload of a newer period does not
    empty the map)."""
    counts = sd.with_values(df).groupby("period").kommune_code.nunique()
    full = [p for p in periods if counts.get(p, 0) >= 0.5 * max(counts.max(), 1)]
    default = full[-1] if full else periods[-1]
    col, _ = st.columns([1, 3])
    return state.url_choice(
        "periode",
        list(reversed(periods)),
        t("skolebidrag.period_label"),
        default=default,
        widget="selectbox",
        container=col,
    )


def _describe(code: str, mode: str, period: str, at: dict, profile_of: dict) -> str:
    """One unit's tooltip line: its value in the period, or its profile, or why there is none."""
    if mode == "profil":
        key = profile_of.get(code, "ufullstendig")
        return (
            w.profile_label(key) if key in w.PROFILE_KEYS else t(f"skolebidrag.tip_profile_{key}")
        )
    if code not in at:
        return t("skolebidrag.tip_no_period", period=period)
    value = at[code]
    if value is None or value != value:
        return t("skolebidrag.tip_suppressed")
    return f"{period}: {num(value, 1)}"


@st.cache_data(show_spinner=False, max_entries=64)
def _content(key: tuple, trinn: str, period: str, mode: str, codes: tuple[str, ...]) -> tuple:
    """Tooltip text and colour value per 2020 kommune, and the colour limit: computed once per
    data version, upload, language, trinn, period and colouring."""
    df = sd.rows(key=key)
    df = df[df.trinn == trinn]
    now = df[df.period == period].drop_duplicates("kommune_code")
    at = dict(zip(now.kommune_code, now.value.where(~now.suppressed.astype(bool)), strict=True))
    prof = sb.classify_profiles(df, value_col="value") if mode == "profil" else None
    profile_of = dict(zip(prof.kommune_code, prof.profile, strict=True)) if prof is not None else {}
    present = set(df.kommune_code)
    units = sd.units()
    # One symmetric limit for the whole trinn, so colours mean the same in every period; the
    # 90th percentile of |value| (not the maximum) so one extreme small kommune does not wash
    # out the rest. Values beyond it get the strongest colour.
    limit = max(0.5, math.ceil(df.value.abs().quantile(0.9) * 2) / 2)
    props, values = {}, {}
    for code in codes:
        p = {"own": None, "former": None, "click": t("skolebidrag.map_tip_click")}
        if code in present:
            p["own"] = _describe(code, mode, period, at, profile_of)
            values[code] = at.get(code) if mode == "verdi" else profile_of.get(code)
        former = [c for c in units.predecessors.get(code, ()) if c in present]
        if former:
            listed = "; ".join(
                f"{units.name(c)}: {_describe(c, mode, period, at, profile_of)}" for c in former
            )
            p["former"] = t("skolebidrag.tip_merged", former=listed)
        if p["own"] is None and p["former"] is None:
            p["own"] = t("skolebidrag.tip_no_data")
        p["info"] = " · ".join(x for x in (p["own"], p["former"]) if x)
        props[code] = p
    return props, values, limit


def kommune_map(
    df: pd.DataFrame,
    kommuner: pd.DataFrame,
    period: str,
    trinn: str,
    selected: list[str],
    mine: str | None,
) -> None:
    """Draw the map; a click on a kommune makes it «min kommune» and adds it to the chart."""
    st.subheader(t("skolebidrag.map_header"))
    mode = state.url_choice(
        "farge",
        ["verdi", "profil"],
        t("skolebidrag.colour_label"),
        default="verdi",
        format_func=lambda m: (
            t("skolebidrag.colour_value", period=period)
            if m == "verdi"
            else t("skolebidrag.colour_profile")
        ),
    )
    codes = tuple(kommuner.kommune_code)
    props, values, limit = _content(sd.cache_key(), trinn, period, mode, codes)

    def fill(code: str) -> list[int]:
        v = values.get(code)
        if mode == "profil":
            return maps.categorical(PROFILE_COLOUR.get(v)) if v in PROFILE_COLOUR else maps.NO_DATA
        return maps.diverging(v, limit) if v is not None and v == v else maps.NO_DATA

    on_map = set(codes)
    highlight = mine if mine in on_map else next((c for c in selected if c in on_map), None)
    focus = maps.focus_toggle("sb_map", highlight)
    own_title = t("skolebidrag.col_profile" if mode == "profil" else "skolebidrag.col_value")
    maps.choropleth(
        "kommuner",
        props,
        fill,
        [
            (own_title, "own"),
            (t("skolebidrag.map_tip_former"), "former"),
            (t("common.map_tip_click"), "click"),
        ],
        key="sb_map",
        selected=highlight,
        borders=True,
        on_pick=trends.pick_kommune,
        focus=focus,
    )
    legend(mode, limit)
    shown = pd.DataFrame(
        {
            t("skolebidrag.col_kommune"): kommuner.kommune_name,
            t("bruk.col_code"): kommuner.kommune_code,
            t("skolebidrag.col_value"): [values.get(c) if mode == "verdi" else None for c in codes],
            t("skolebidrag.col_profile"): [
                w.profile_label(values[c]) if mode == "profil" and values.get(c) else None
                for c in codes
            ],
            t("skolebidrag.map_info"): [props[c]["info"] for c in codes],
        }
    )
    data_panel(shown, f"skolebidrag_{trinn}_kart_{period}", SOURCE, key="sb_map_tbl")


def legend(mode: str, limit: float) -> None:
    if mode == "verdi":
        steps = np.linspace(-limit, limit, 7)
        items = [(signed(v, 1), maps.css(maps.diverging(v, limit))) for v in steps]
        items[0] = ("≤ " + items[0][0], items[0][1])
        items[-1] = ("≥ " + items[-1][0], items[-1][1])
        items.append((t("common.no_data"), maps.css(maps.NO_DATA)))
        draw(recipe(charts.swatch_legend, items), theme=None)
        st.caption(t("skolebidrag.map_caption_value", limit=num(limit, 1)))
    else:
        items = [
            (w.profile_label(k), maps.css(maps.categorical(PROFILE_COLOUR[k])))
            for k in w.PROFILE_KEYS
        ]
        items.append((t("skolebidrag.profile_ingen_map"), maps.css(maps.NO_DATA)))
        draw(recipe(charts.swatch_legend, items), theme=None)
        st.caption(t("skolebidrag.map_caption_profile"))
