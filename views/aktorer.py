"""Aktører: school leaders' and school owners' ratings in the 2016 survey (report 001).

Reads top to bottom: sample warning → filters → data → statistics → chart → comparison table →
quotes. Every number comes from the printed tables (core.rating_items) and is recomputed only
from printed means, SDs and the respondent counts in section 1.1. Items the page says
something special about are named by key (data/raw/figure_keys.csv), not by printed label.
"""

from __future__ import annotations

import streamlit as st

import queries
from analysis.ratings import item_statistics, sort_items
from components import fmt
from components.charts import draw, recipe
from components.downloads import data_panel
from components.figures import figures
from components.i18n import t
from components.provenance import source_line
from components.ratings_charts import axis_labels, export_version, rating_forest
from components.ratings_tables import comparison_table, download_frame
from components.ratings_words import (
    claim_text,
    convention_lines,
    md_escape,
    plain_words,
    row_note,
    takeaway,
    thresholds_text,
)
from components.state import show_notices, url_choice
from components.survey_labels import choice

BATTERIES = ["2.1", "3.1", "4.1", "4.2", "5.1", "6.1", "6.2", "6.3"]
SORTS = {"leder": "leader", "forskjell": "difference", "trykt": "printed"}  # URL code → order
# Items the page says something about, by key → what it says: the text under Tabell 4.1 claims
# leaders rate three actors higher (the page checks it against the means); one mean of 4.1 and
# 4.2 is placed with the owners for a stated reason; Tabell 5.1's last item is worded negatively.
ITEM_KEYS = {f"r2016_tabell_4_1_text_leaders_higher_{i}": "claim" for i in (1, 2, 3)} | {
    "r2016_tabell_4_1_skoleleder_read_as_owner": "note_skoleleder_4_1",
    "r2016_tabell_4_2_skoleleder_read_as_owner": "note_skoleleder_4_2",
    "r2016_tabell_5_1_negative_item": "negative",
}
SAMPLE = ["schools_answered", "owners_answered", "schools_invited", "owners_invited"]

# ----------------------------------------------------------------------------- sample
st.title(t("aktorer.title"))
st.write(t("aktorer.intro"))
sample = figures(*(f"r2016_{k}" for k in [*SAMPLE, "schools_response_pct", "owners_response_pct"]))
n = {k: int(sample.loc[f"r2016_{k}", "value"]) for k in SAMPLE}
n_leader, n_owner = n["schools_answered"], n["owners_answered"]
pcts = {
    f"{g}_pct": fmt.pct(sample.loc[f"r2016_{g}_response_pct", "value"])
    for g in ("schools", "owners")
}
warning = t("aktorer.sample_warning", **n, **pcts)
notes = t("aktorer.n_warning", n_leader=n_leader, n_owner=n_owner)
st.warning(f"**{t('aktorer.sample_title')}.** {warning} {notes}", icon=":material/warning:")
source_line(sample["source_id"].unique())

# ----------------------------------------------------------------------------- filters
names = {code: t(f"aktorer.b_{code.replace('.', '_')}") for code in BATTERIES}
code = url_choice(
    "tabell",
    BATTERIES,
    t("aktorer.battery_label"),
    default="4.1",
    format_func=lambda c: t("aktorer.battery_option", code=c, name=names[c]),
)
sort = choice("sort", list(SORTS), "aktorer", "leder")
show_notices()  # a bad link value is reported beside the filters, not one run later

# ----------------------------------------------------------------------------- data
table_no, source_id = f"Tabell {code}", f"r2016_tabell_{code.replace('.', '_')}"
items = queries.run("rating_items", table_no=table_no)
marked = figures(*ITEM_KEYS).assign(role=list(ITEM_KEYS.values()))
marked = marked[marked["table_no"] == table_no]
claimed = list(marked.loc[marked["role"] == "claim", "row_label"])
negative = list(marked.loc[marked["role"] == "negative", "row_label"])
read_as_note = dict(zip(marked["row_label"], marked["role"], strict=True))

# ----------------------------------------------------------------------------- statistics
stats = item_statistics(items)
stats["note_text"] = [row_note(r, claimed, read_as_note) for r in stats.itertuples()]
two_groups = stats["mean_owner"].notna().any()
if sort == "forskjell" and not stats["both"].any():
    st.caption(t("aktorer.sort_no_difference"))
stats = sort_items(stats, SORTS[sort])
stats["item_wrapped"] = axis_labels(stats, negative)

# ----------------------------------------------------------------------------- chart
heading = t("aktorer.heading", code=code, name=names[code])
st.header(heading)
title = queries.run("sources").set_index("source_id").loc[source_id, "title"]
st.caption(t("aktorer.printed_title", title=title))
st.caption(t("aktorer.scale_effort" if code == "4.1" else "aktorer.scale_degree"))
for item in negative:
    st.info(t("aktorer.negative_item", item=item), icon=":material/swap_vert:")
st.markdown(md_escape(takeaway(stats, n_owner)))  # what to take away, from the printed means
claim = claim_text(stats, claimed)
if claim:
    st.warning(
        f"**{t('aktorer.text_claim_title')}.** " + md_escape(claim), icon=":material/report:"
    )
groups = {
    "leader": t("aktorer.group_leader", n=n_leader),
    "owner": t("aktorer.group_owner", n=n_owner),
}
chart = recipe(
    rating_forest,
    stats,
    list(stats["item_wrapped"]),
    group_labels=groups,
    x_title=t("aktorer.x_title"),
    legend_title=t("aktorer.legend_title"),
)
draw(chart)
if two_groups:
    st.caption(t("aktorer.chart_caption", n_owner=n_owner, n_leader=n_leader))
else:
    st.caption(t("aktorer.chart_caption_leaders_only", n_leader=n_leader))
sources = [source_id, "r2016_tekst", "r2016_tabell_1_1"]
numbers = download_frame(stats, table_no)
data_panel(
    numbers,
    t("aktorer.download_name", code=code),
    sources,
    lambda: export_version(chart.build(), heading, sources),
    key=f"aktorer_{code}",
    # The browser's own number format (decimal comma in a Norwegian browser); the columns stay
    # numbers, so they sort as numbers.
    column_config={
        c: st.column_config.NumberColumn(format="localized")
        for c in numbers.select_dtypes("number").columns
    },
)

# ----------------------------------------------------------------------------- comparison
if two_groups:
    st.subheader(t("aktorer.compare_heading"))
    st.caption(t("aktorer.compare_intro"))
    table, config = comparison_table(stats)
    st.dataframe(table, hide_index=True, width="stretch", column_config=config)
    st.markdown(f"**{t('aktorer.words_heading')}**")
    st.markdown(plain_words(stats))
    conventions = convention_lines(stats, code)
    for line in conventions:
        st.markdown(line)
    if conventions:
        st.caption(t("aktorer.convention_explain"))
    bands = figures(
        "r2016_d_band_none", "r2016_d_band_small", "r2016_d_band_moderate", "r2016_d_band_large"
    )
    st.caption(thresholds_text(list(bands["value_printed"])))
    source_line(sources)
else:
    st.caption(t("aktorer.no_d"))

noted = stats.dropna(subset=["note"])
if len(noted):
    with st.expander(t("aktorer.cell_notes_title")):
        st.caption(t("aktorer.cell_notes_caption"))
        st.markdown(
            "\n".join(f"- **{md_escape(r.item)}**: {md_escape(r.note)}" for r in noted.itertuples())
        )

# ----------------------------------------------------------------------------- quotes
# The report's own words next to the table: context, never data.
st.subheader(t("aktorer.quotes_heading", code=code))
quotes = queries.run("quotes", table_no=table_no)
for q in quotes.itertuples():
    speaker = t(f"aktorer.speaker_{str(q.speaker).lower()}")
    said = md_escape(t("aktorer.quote_attribution", speaker=speaker, code=code))
    st.markdown(f"> «{md_escape(q.quote)}»\n>\n> {said}")
if quotes.empty:
    st.caption(t("aktorer.no_quotes"))
else:
    st.caption(t("aktorer.quotes_caption"))
    source_line(["r2016_sitater"])
