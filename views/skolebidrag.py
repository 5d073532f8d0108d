"""Skolebidrag: coverage, trends with spread, profiles, funnel plot, map and upload.

Reads top to bottom: data (embedded + this session's upload) → coverage → trinn → kommuner →
trends → map → profiles → uncertainty → upload. Sections live in
components/skolebidrag_sections.py, charts in components/skolebidrag_charts.py.
"""

from __future__ import annotations

import streamlit as st

import queries
from components import skolebidrag_sections as sec
from components import skolebidrag_upload as upload
from components import state
from components.i18n import t

# Examples when the sidebar kommune has no figures: large kommuner with all five periods.
EXAMPLE = {"1-4": ["3024"], "8-10": ["1804"]}

st.title(t("skolebidrag.title"))
st.markdown(t("skolebidrag.lead"))

# ----------------------------------------------------------------------------- data
kommuner = queries.run("kommuner")
data = upload.merge_uploaded(upload.embedded_all(), upload.stored_rows(), kommuner)
with_values = data[data.skolebidrag_points.notna()]
trinn_with_data = [tr for tr in sec.TRINN if (with_values.trinn == tr).any()]

sec.coverage(data)

# ----------------------------------------------------------------------------- trinn
mine = state.current_kommune()
mine_trinn = [
    tr
    for tr in trinn_with_data
    if mine
    and (
        (with_values.trinn == tr)
        & (
            (with_values.kommune_code == mine)
            | with_values.successor_2020_code.astype(str).str.contains(mine, regex=False)
        )
    ).any()
]
default_trinn = next(
    (tr for tr in ("8-10", "1-4", "5-7") if tr in (mine_trinn or trinn_with_data)), "8-10"
)
trinn = state.url_choice(
    "trinn",
    sec.TRINN,
    t("skolebidrag.trinn_label"),
    default=default_trinn,
    format_func=sec.trinn_label,
)
sec.explain(trinn)
df = data[data.trinn == trinn]

if trinn not in trinn_with_data:
    state.show_notices()
    sec.no_data(trinn)
else:
    periods = sec.period_order(df.period)
    selected = sec.kommune_selection(df, kommuner, trinn, mine, EXAMPLE.get(trinn, []))
    state.show_notices()  # a bad link value is reported beside the filters, not one run later
    sec.trends(df, selected, periods, trinn)
    sec.grade_points(df, selected)

    profiles = sec.profiles_for(df)
    period = sec.period_choice(df, periods)
    st.divider()
    sec.kommune_map(df, profiles, kommuner, period, trinn, selected, mine)
    st.divider()
    sec.profiles(profiles, df, trinn)
    st.divider()
    sec.funnel(df, period, selected, trinn)

st.divider()
sec.upload_section()
state.show_notices()
