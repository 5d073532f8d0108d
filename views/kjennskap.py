"""Kjennskap: which schools knew «Bedre læringsmiljø» in 2010, by landsdel or trinn (Tabell 1–3),
and what the report says about school owners (figures by key: data/raw/figure_keys.csv)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import queries
from analysis.proportions import add_wilson, chi_square_independence
from components import fmt, state, survey_maps
from components.charts import draw, recipe, share_bars
from components.downloads import data_panel
from components.figures import figure_text, figures
from components.i18n import t
from components.provenance import place_text
from components.survey_charts import info_sources_heatmap
from components.survey_labels import LANDSDEL, choice, printed_name
from components.survey_sections import (
    chart_panel,
    info_sources_view,
    survey_table,
    with_doubt_marks,
)
from components.survey_words import chi_square_words, share_text, sum_flag_note

# ----------------------------------------------------------------------------- filters
st.title(t("kjennskap.title"))
st.caption(t("kjennskap.intro"))
f1, f2 = st.columns(2)
dim = choice("dim", ["landsdel", "trinn"], "kjennskap", "landsdel", container=f1)
chosen = state.url_choice(
    "landsdel",
    ["alle", *LANDSDEL],
    t("kjennskap.landsdel_label"),
    default="alle",
    format_func=lambda v: (
        printed_name(LANDSDEL[v]) if v in LANDSDEL else t("kjennskap.landsdel_all")
    ),
    widget="selectbox",
    container=f2,
    disabled=dim != "landsdel",
    help=t("kjennskap.landsdel_disabled_help"),
)

# ----------------------------------------------------------------------------- data
fam = add_wilson(queries.run("familiarity", dimension=dim), "share_pct", "n_respondents")
fam = with_doubt_marks(fam, queries.run("validation_flags"))
groups = fam[~fam["is_total"]].reset_index(drop=True)
total = fam[fam["is_total"]].iloc[0]
source_ids = fam["source_id"].unique()

kommuner = queries.run("kommuner").set_index("kommune_code")
kommune = state.current_kommune()
kommune_landsdel = kommuner.loc[kommune, "landsdel"] if kommune in kommuner.index else None
selected = (LANDSDEL.get(chosen) or kommune_landsdel) if dim == "landsdel" else None
sel_rows = groups[groups["group_label"] == selected]

# ----------------------------------------------------------------------------- statistics
test = chi_square_independence(list(groups["share_pct"]), list(groups["n_respondents"]))
answer, caveat = chi_square_words(test, groups["share_pct"], dim)

# ----------------------------------------------------------------------------- bars
heading = t(f"kjennskap.heading_{'region' if dim == 'landsdel' else 'trinn'}")
st.subheader(heading)
bars = recipe(
    share_bars,
    groups,
    "label",
    x_title=t("kjennskap.x_title"),
    reference=float(total["share_pct"]),
    reference_label=t("kjennskap.reference", share=fmt.pct(total["share_pct"])),
    highlight=sel_rows["label"].iloc[0] if len(sel_rows) else None,
    sort=list(groups["label"]),
)
draw(bars)
caption = t(
    "kjennskap.reference_caption", share=fmt.pct(total["share_pct"]), n=total["n_respondents"]
)
st.caption(caption)
for row in sel_rows.itertuples():
    if LANDSDEL.get(chosen):
        st.markdown(share_text(row, "kjennskap.map_selected", landsdel=row.label))
    else:
        name = kommuner.loc[kommune, "kommune_name"]
        st.caption(t("kjennskap.map_kommune", kommune=name, landsdel=row.label))
columns = ["share_pct", "share_no_pct", "sum_printed_pct", "ci_low_pct", "ci_high_pct"]
table = survey_table(fam, "kjennskap", {"label": "col_group"}, [*columns, "n_respondents", "note"])
chart_panel(table, f"kjennskap_{dim}_2010", source_ids, bars, heading, key=f"kj_{dim}")

# ----------------------------------------------------------------------------- map + test
if dim == "landsdel":
    map_col, text_col = st.columns([2, 1], gap="large")
    with map_col:
        survey_maps.landsdel_map(groups, selected, source_ids)
else:
    text_col = st.container()
with text_col:
    st.markdown(answer)
    st.caption(caveat)
    if dim == "landsdel":
        st.caption(t("common.assumption_landsdel"))
    for row in groups[groups["doubtful"]].itertuples():
        st.caption(sum_flag_note(row), help=row.note if isinstance(row.note, str) else None)

# ----------------------------------------------------------------------------- sources (Tabell 3)
heading = t("kjennskap.sources_heading")
st.subheader(heading)
src, columns, rows, wide = info_sources_view(queries.run("info_sources"))
heat = recipe(
    info_sources_heatmap,
    src,
    x_title=t("kjennskap.sources_x"),
    colour_title=t("kjennskap.sources_colour"),
    column_order=columns,
    row_order=rows,
)
draw(heat)
st.caption(figure_text("kjennskap.sources_caption"))
chart_panel(wide, "informasjonskilder_2010", src["source_id"].unique(), heat, heading, "kj_sources")

# ----------------------------------------------------------------------------- school owners
st.subheader(t("kjennskap.owners_heading"))
PLACES = {
    "r2010_owners_know_pct_after_tabell_2": "place_after_t2",
    "r2010_owners_know_pct_summary": "place_summary",
}
owners = figures(*PLACES)
for col, (key, place) in zip(st.columns(len(PLACES)), PLACES.items(), strict=True):
    label = t("kjennskap.owners_metric", place=t(f"kjennskap.{place}"))
    col.metric(label, fmt.pct(owners.loc[key, "value"]))
st.markdown(figure_text("kjennskap.owners_caption"))
owner_table = pd.DataFrame(
    {
        t("kjennskap.col_place"): owners["table_no"].map(place_text),
        t("kjennskap.col_what"): owners["row_label"],
        t("kjennskap.col_printed"): owners["value_printed"],
        t("kjennskap.col_note"): owners["note"].fillna(""),
    }
)
data_panel(owner_table, "skoleeiere_kjennskap_2010", owners["source_id"].unique(), key="kj_owners")

with st.expander(t("kjennskap.about_title")):
    st.markdown(figure_text("kjennskap.about_text", assumption=t("common.assumption_landsdel")))
