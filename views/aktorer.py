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
from components import ratings_words as words
from components.charts import draw, recipe
from components.downloads import data_panel
from components.figures import figure_text, figures, values
from components.i18n import lang, t
from components.provenance import source_line
from components.ratings_charts import axis_labels, export_version, rating_forest
from components.ratings_tables import comparison_table, download_frame
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

# ----------------------------------------------------------------------------- sample
st.title(t("aktorer.title"))
st.write(t("aktorer.intro"))
n = values("r2016_schools_answered", "r2016_owners_answered")
n_leader, n_owner = int(n["r2016_schools_answered"]), int(n["r2016_owners_answered"])
warning = figure_text("aktorer.sample_warning") + " " + figure_text("aktorer.n_warning")
st.warning(f"**{t('aktorer.sample_title')}.** {warning}", icon=":material/warning:")
source_line(["r2016_tekst"])

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
stats["note_text"] = [words.row_note(r, claimed, read_as_note) for r in stats.itertuples()]
two_groups = stats["mean_owner"].notna().any()
if sort == "forskjell" and not stats["both"].any():
    st.caption(t("aktorer.sort_no_difference"))
stats = sort_items(stats, SORTS[sort])
stats["item_wrapped"] = axis_labels(stats, negative)

# ----------------------------------------------------------------------------- chart
heading = t("aktorer.heading", code=code, name=names[code])
st.header(heading)
title = queries.run("sources", lang=lang()).set_index("source_id").loc[source_id, "title"]
st.caption(t("aktorer.printed_title", title=title))
st.caption(t("aktorer.scale_effort" if code == "4.1" else "aktorer.scale_degree"))
for item in negative:
    st.info(t("aktorer.negative_item", item=item), icon=":material/swap_vert:")
st.markdown(
    words.md_escape(words.takeaway(stats, n_owner))
)  # what to take away, from the printed means
claim = words.claim_text(stats, claimed)
if claim:
    st.warning(
        f"**{t('aktorer.text_claim_title')}.** " + words.md_escape(claim), icon=":material/report:"
    )
chart = recipe(
    rating_forest,
    stats,
    list(stats["item_wrapped"]),
    group_labels={
        "leader": t("aktorer.group_leader", n=n_leader),
        "owner": t("aktorer.group_owner", n=n_owner),
    },
    x_title=t("aktorer.x_title"),
    legend_title=t("aktorer.legend_title"),
)
draw(chart)
if two_groups:
    st.caption(t("aktorer.chart_caption", n_owner=n_owner, n_leader=n_leader))
else:
    st.caption(t("aktorer.chart_caption_leaders_only", n_leader=n_leader))
sources = [source_id, "r2016_tekst", "r2016_tabell_1_1"]
data_panel(
    download_frame(stats, table_no),
    t("aktorer.download_name", code=code),
    sources,
    lambda: export_version(chart.build(), heading, sources),
    key=f"aktorer_{code}",
)

# ----------------------------------------------------------------------------- comparison
if two_groups:
    st.subheader(t("aktorer.compare_heading"))
    st.caption(t("aktorer.compare_intro"))
    table, config = comparison_table(stats)
    st.dataframe(table, hide_index=True, width="stretch", column_config=config, placeholder="–")
    st.markdown(f"**{t('aktorer.words_heading')}**")
    st.markdown(words.plain_words(stats))
    conventions = words.convention_lines(stats, code)
    for line in conventions:
        st.markdown(line)
    if conventions:
        st.caption(t("aktorer.convention_explain"))
    st.caption(words.thresholds_text())
    source_line(sources)
else:
    st.caption(t("aktorer.no_d"))

noted = stats.dropna(subset=["note"])
if len(noted):
    with st.expander(t("aktorer.cell_notes_title")):
        st.caption(t("aktorer.cell_notes_caption"))
        for line in words.notes_list(noted):
            st.markdown(line)

# ----------------------------------------------------------------------------- quotes
# The report's own words next to the table: context, never data.
st.subheader(t("aktorer.quotes_heading", code=code))
quotes = queries.run("quotes", table_no=table_no)
for q in quotes.itertuples():
    st.markdown(words.quote(q, code))
if quotes.empty:
    st.caption(t("aktorer.no_quotes"))
else:
    st.caption(t("aktorer.quotes_caption"))
    source_line(["r2016_sitater"])
