"""Skolebidrag: what is loaded, trends with spread, profiles, map, funnel, schools and upload.

Reads top to bottom: data (embedded + imported + this session's upload, one function) → what
is loaded → trinn → kommuner → trends → period → map → profiles → uncertainty → schools →
upload. Sections live in components/skolebidrag_*.py, statistics in analysis/skolebidrag.py.
"""

from __future__ import annotations

import streamlit as st

import queries
from components import skolebidrag_data as sd
from components import skolebidrag_funnel as funnel
from components import skolebidrag_map as kart
from components import skolebidrag_overview as overview
from components import skolebidrag_profiles as profiles
from components import skolebidrag_trends as trends
from components import skolebidrag_upload as upload
from components import skolebidrag_words as w
from components import state
from components.i18n import t
from data.skolebidrag import TRINN

# Examples when the sidebar kommune has no figures: large kommuner with all five periods.
EXAMPLE = {"1-4": ["3024"], "8-10": ["1804"]}

st.title(t("skolebidrag.title"))
st.markdown(t("skolebidrag.lead"))

# ----------------------------------------------------------------------------- data
data = sd.rows()
values = sd.with_values(data)
overview.intro()
overview.coverage()

# ----------------------------------------------------------------------------- trinn
mine = state.current_kommune()
trinn_with_data = [tr for tr in TRINN if (values.trinn == tr).any()]
mine_trinn = [
    tr for tr in trinn_with_data if mine and trends.units_for(mine, values[values.trinn == tr])
]
default_trinn = next(
    (tr for tr in ("8-10", "1-4", "5-7") if tr in (mine_trinn or trinn_with_data)), "8-10"
)
trinn = state.url_choice(
    "trinn", TRINN, t("skolebidrag.trinn_label"), default=default_trinn, format_func=w.trinn_label
)
overview.explain(trinn)
df = data[data.trinn == trinn]

if trinn not in trinn_with_data:
    state.show_notices()
    overview.no_data(trinn)
else:
    periods = w.period_order(df.period)
    selected = trends.kommune_selection(df, trinn, mine, EXAMPLE.get(trinn, []))
    state.show_notices()  # a bad link value is reported beside the filters, not one run later
    trends.trends(df, selected, periods, trinn)
    trends.grade_points(selected, trinn)

    prof = profiles.profiles_for(df)
    period = kart.period_choice(df, periods)
    st.divider()
    kart.kommune_map(df, queries.run("kommuner"), period, trinn, selected, mine)
    st.divider()
    profiles.profiles(prof, df, trinn)
    st.divider()
    funnel.funnel(df, period, selected, trinn)
    profiles.schools(trends.units_for(mine, df) if mine else selected, trinn)

st.divider()
upload.upload_section()
state.show_notices()
