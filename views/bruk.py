"""Bruk: who used the «Bedre læringsmiljø» guidance in 2010 – by kommune size, and step by step."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import queries
from analysis.proportions import add_wilson, ordered_groups
from components import fmt, state, survey_maps
from components.charts import draw, recipe
from components.downloads import data_panel
from components.figures import figure_text, values
from components.i18n import t
from components.provenance import source_text
from components.survey_charts import export_stack, share_panel, use_chain_chart
from components.survey_labels import choice, size_name
from components.survey_sections import chart_panel, survey_table
from components.survey_words import chain_captions, chain_frame, chain_warnings, trend_words

st.title(t("bruk.title"))
st.caption(t("bruk.intro"))
kommuner = queries.run("kommune_sizes")
kommune = state.current_kommune()
mine = kommuner[kommuner["kommune_code"] == kommune]

# ----------------------------------------------------------------------------- Tabell 6
heading = t("bruk.size_heading")
st.subheader(heading)
use = add_wilson(queries.run("owner_use_by_size"), "share_pct", "n_respondents")
use["label"] = use["size_class"].map(size_name)
classes = use[use["is_size_class"]]  # printed order: small → large
fylke = use[use["is_fylke"]]
total = use[use["is_total"]].iloc[0]
mine_class = mine["size_class_2010"].iloc[0] if len(mine) else None
answer, caveat, double = trend_words(
    ordered_groups(classes["share_pct"], classes["n_respondents"]), classes
)
panel_args = {
    "x_title": t("bruk.x_title"),
    "reference": float(total["share_pct"]),
    "reference_label": t("bruk.reference", share=fmt.pct(total["share_pct"])),
    "highlight": size_name(mine_class) if mine_class in set(classes["size_class"]) else None,
}
panels = [(t("bruk.panel_kommuner"), classes), (t("bruk.panel_fylke"), fylke)]
for title, part in panels:
    st.markdown(f"**{title}**")
    # the same y-label width in both panels, so their x axes line up
    draw(recipe(share_panel, part, "label", label_width=200, **panel_args))
st.caption(t("bruk.reference_caption", share=fmt.pct(total["share_pct"]), n=total["n_respondents"]))
for row in mine.itertuples():
    if pd.notna(row.population_2010):
        pop, size = fmt.num(row.population_2010), size_name(mine_class)
        text = t("bruk.your_class", kommune=row.kommune_name, pop=pop, year=2010, size=size)
    else:
        text = t("bruk.your_class_missing", kommune=row.kommune_name, year=2010)
    st.caption(text)
st.markdown(answer)
st.caption(caveat)
st.markdown(double)
fn = values("r2010_kommuner_answered", "r2010_fylker_answered")
mismatch = figure_text("bruk.n_mismatch", owners=int(sum(fn.values())))  # kommuner + fylker
st.caption(t("bruk.fylke_note", n=fylke["n_respondents"].iloc[0]) + " " + mismatch)
columns = ["share_pct", "ci_low_pct", "ci_high_pct", "n_respondents", "note"]
data_panel(
    survey_table(use, "bruk", {"label": "col_class"}, columns),
    "skoleeiere_bruk_etter_storrelse_2010",
    use["source_id"].unique(),
    lambda: export_stack(
        [(title, share_panel(part, "label", **panel_args)) for title, part in panels],
        heading,
        source_text(use["source_id"].unique()),
    ),
    key="bruk_size",
)

# ----------------------------------------------------------------------------- map
st.subheader(t("bruk.map_heading"))
aar = choice("aar", ["2010", "2020"], "bruk", "2010")
survey_maps.size_class_map(kommuner, use, kommune, aar)

# ----------------------------------------------------------------------------- chain
heading = t("bruk.chain_heading")
st.subheader(heading)
hvem = choice("hvem", ["skoler", "skoleeiere"], "bruk", "skoler")
chain = queries.run("use_chain", respondent=hvem)
# The only share printed without n is the owners' familiarity in the text after Tabell 2.
steps = chain_frame(chain, hvem, place=t("kjennskap.place_after_t2"))
steps = add_wilson(steps, "share_pct", "n_base")
chain_chart = recipe(
    use_chain_chart,
    steps,
    x_title=t("bruk.chain_x"),
    base_titles={"all": t("bruk.kind_all"), "sub": t("bruk.kind_sub")},
)
draw(chain_chart)
for line in chain_captions(hvem):
    st.caption(line)
for message, icon in chain_warnings(chain, steps, hvem):
    st.warning(message, icon=icon)
labels = {"row": "col_step", "text": "col_base"}
columns = ["share_pct", "ci_low_pct", "ci_high_pct", "n_base", "n_printed", "doubtful", "table_no"]
chain_table = survey_table(steps, "bruk", labels, [*columns, "note"])
sources = chain["source_id"].unique()
chart_panel(
    chain_table,
    f"fra_kjennskap_til_bruk_{hvem}_2010",
    sources,
    chain_chart,
    heading,
    f"bruk_chain_{hvem}",
)
