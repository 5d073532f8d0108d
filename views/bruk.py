"""Bruk: who used the «Bedre læringsmiljø» guidance in 2010 – by kommune size, and step by step."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import queries
from analysis.proportions import add_wilson, cochran_armitage_trend, two_proportion_difference
from components import maps, state
from components.charts import draw, recipe
from components.downloads import data_panel
from components.i18n import fmt_num, fmt_pct, t
from components.provenance import source_text
from components.survey_charts import (
    export_stack,
    for_export,
    share_panel,
    swatch_legend,
    use_chain_chart,
)
from components.survey_sections import (
    SIZE_ORDER,
    chain_captions,
    chain_frame,
    chain_warnings,
    class_colour,
    double_words,
    size_legend,
    size_map_caption,
    size_map_props,
    size_name,
    trend_words,
)

st.title(t("bruk.title"))
st.caption(t("bruk.intro"))

kommuner = queries.run("kommune_sizes")
kommune = state.current_kommune()
mine = kommuner[kommuner["kommune_code"] == kommune]

# ----------------------------------------------------------------------------- Tabell 6
st.subheader(t("bruk.size_heading"))
use = add_wilson(queries.run("owner_use_by_size"), "share_pct", "n_respondents")
use["label"] = use["size_class"].map(size_name)
classes = use.set_index("size_class").loc[SIZE_ORDER].reset_index()  # ordered small → large
fylke = use[use["is_fylke"]]
total = use[use["is_total"]].iloc[0]
mine_class = mine["size_class_2010"].iloc[0] if len(mine) else None

# Scores 0, 1, 2: equally spaced classes, the usual choice when only the order is known.
trend = cochran_armitage_trend(
    list(classes["share_pct"]), list(classes["n_respondents"]), [0, 1, 2]
)
small, large = classes.iloc[0], classes.iloc[-1]
diff = two_proportion_difference(
    large.share_pct, large.n_respondents, small.share_pct, small.n_respondents
)

panel_args = {
    "x_title": t("bruk.x_title"),
    "reference": float(total["share_pct"]),
    "reference_label": t("bruk.reference", share=fmt_pct(total["share_pct"])),
    "highlight": size_name(mine_class) if mine_class in SIZE_ORDER else None,
}
panels = [(t("bruk.panel_kommuner"), classes), (t("bruk.panel_fylke"), fylke)]
for title, part in panels:
    st.markdown(f"**{title}**")
    # the same y-label width in both panels, so their x axes line up
    draw(recipe(share_panel, part, "label", label_width=200, **panel_args))
st.caption(
    t("bruk.reference_caption", share=fmt_pct(total["share_pct"]), n=int(total["n_respondents"]))
)
for row in mine.itertuples():
    if pd.notna(row.population_2010):
        pop = fmt_num(row.population_2010)
        size = size_name(mine_class)
        text = t("bruk.your_class", kommune=row.kommune_name, pop=pop, year=2010, size=size)
    else:
        text = t("bruk.your_class_missing", kommune=row.kommune_name, year=2010)
    st.caption(text)
answer, caveat = trend_words(trend, classes)
st.markdown(answer)
st.caption(caveat)
st.markdown(double_words(diff, large, small))
owner_chain = queries.run("use_chain", respondent="skoleeiere")
n7 = owner_chain.loc[owner_chain["table_no"] == "Tabell 7", "n_base"].max()
st.caption(
    t("bruk.fylke_note", n=int(fylke["n_respondents"].iloc[0]))
    + " "
    + t("bruk.n_mismatch", n6=int(total["n_respondents"]), n7=int(n7) if pd.notna(n7) else "–")
)
size_table = pd.DataFrame(
    {
        t("bruk.col_class"): use["label"],
        t("bruk.col_share"): use["share_pct"],
        t("bruk.col_lo"): use["ci_low_pct"].round(1),
        t("bruk.col_hi"): use["ci_high_pct"].round(1),
        t("bruk.col_n"): use["n_respondents"],
        t("bruk.col_note"): use["note"].fillna(""),
    }
)
data_panel(
    size_table,
    "skoleeiere_bruk_etter_storrelse_2010",
    use["source_id"].unique(),
    lambda: export_stack(
        [(title, share_panel(part, "label", **panel_args)) for title, part in panels],
        t("bruk.size_heading"),
        source_text(use["source_id"].unique()),
    ),
    key="bruk_size",
)

# ----------------------------------------------------------------------------- map
st.subheader(t("bruk.map_heading"))
aar = state.url_choice(
    "aar",
    ["2010", "2020"],
    t("bruk.aar_label"),
    default="2010",
    format_func=lambda v: t(f"bruk.aar_{v}"),
)
class_of = dict(zip(kommuner["kommune_code"], kommuner[f"size_class_{aar}"], strict=True))
map_col, legend_col = st.columns([2, 1], gap="large")
with map_col:
    clicked = maps.choropleth(
        "kommuner",
        "kommune_code",
        size_map_props(kommuner, use, aar),
        lambda code: class_colour(class_of.get(code)),
        t("bruk.map_tooltip"),
        key="bruk_map",
        selected=kommune,
        overlay="fylker",
        look=maps.LIGHT,
        height=620,
    )
with legend_col:
    draw(recipe(swatch_legend, size_legend(kommuner, use, aar)))
    missing = list(kommuner.loc[kommuner[f"size_class_{aar}"].isna(), "kommune_name"])
    for line in size_map_caption(aar, missing):
        st.caption(line)
if clicked:  # a click is reported once (components/maps.py)
    state.request_kommune(clicked)
map_table = pd.DataFrame(
    {
        t("bruk.col_code"): kommuner["kommune_code"],
        t("bruk.col_kommune"): kommuner["kommune_name"],
        t("bruk.col_fylke"): kommuner["fylke_name_2020"],
        t("bruk.col_pop", year=2010): kommuner["population_2010"],
        t("bruk.col_pop_status"): kommuner["population_2010_status"],
        t("bruk.col_pop", year=2020): kommuner["population_2020"],
        t("bruk.col_class") + " 2010": kommuner["size_class_2010"],
        t("bruk.col_class") + " 2020": kommuner["size_class_2020"],
    }
)
data_panel(
    map_table,
    f"kommuner_storrelsesklasse_{aar}",
    ["ssb_kommune_population", *use["source_id"].unique()],
    key="bruk_map_data",
)

# ----------------------------------------------------------------------------- chain
st.subheader(t("bruk.chain_heading"))
hvem = state.url_choice(
    "hvem",
    ["skoler", "skoleeiere"],
    t("bruk.hvem_label"),
    default="skoler",
    format_func=lambda v: t(f"bruk.hvem_{v}"),
)
chain = queries.run("use_chain", respondent=hvem)
text = queries.run("text_figures", source_id="r2010_tekst")
places = {
    "Tekst etter Tabell 2": t("kjennskap.place_after_t2"),
    "Oppsummering": t("kjennskap.place_summary"),
}
steps = add_wilson(chain_frame(chain, hvem, places), "share_pct", "n_base")
chain_chart = recipe(
    use_chain_chart,
    steps,
    x_title=t("bruk.chain_x"),
    base_titles={"all": t("bruk.kind_all"), "sub": t("bruk.kind_sub")},
)
draw(chain_chart)
for line in chain_captions(text, hvem):
    st.caption(line)
for message, icon in chain_warnings(chain, steps, hvem):
    st.warning(message, icon=icon)
chain_table = pd.DataFrame(
    {
        t("bruk.col_step"): steps["row"],
        t("bruk.col_base"): steps["text"],
        t("bruk.col_share"): steps["share_pct"],
        t("bruk.col_lo"): steps["ci_low_pct"].round(1),
        t("bruk.col_hi"): steps["ci_high_pct"].round(1),
        t("bruk.col_n_base"): steps["n_base"],
        t("bruk.col_n_printed"): steps["n_printed"],
        t("bruk.col_doubtful"): steps["doubtful"],
        t("bruk.col_table"): steps["table_no"],
        t("bruk.col_note"): steps["note"].fillna(""),
    }
)
data_panel(
    chain_table,
    f"fra_kjennskap_til_bruk_{hvem}_2010",
    chain["source_id"].unique(),
    lambda: for_export(
        chain_chart.build(), t("bruk.chain_heading"), source_text(chain["source_id"].unique())
    ),
    key=f"bruk_chain_{hvem}",
)
