"""Kilder og metode: every source and what it gives the app, the assumptions, the statistical
methods, the doubtful prints and a browser over every printed cell.

Rendered from data/sources.toml (queries «reports» and «sources», in the page's language) and
the database; the building blocks are in components/sources_page.py. Filters of the cell
browser: report year (?aar=2016) and a free-text search that is passed to the query as the
$search parameter, never into SQL.
"""

from __future__ import annotations

import streamlit as st

import queries
from components import sources_page as sp
from components import state
from components.i18n import t

st.title(t("kilder.title"))
st.markdown(t("kilder.intro"))
st.markdown(t("kilder.toc"))
reports, datasets = sp.reports(), sp.datasets()

# ----------------------------------------------------------------------------- 1 sources
# The five reports first, each with what it contributes (and saying so when no figure from it
# is shown), then every report and statistics source with its datasets.
st.header(t("kilder.sources_header"))
st.markdown(t("kilder.reports_intro"))
sp.report_overview(reports)
st.markdown(t("kilder.sources_intro"))
sp.report_boxes(reports, datasets)
st.caption(t("kilder.metadata_language"))

# ----------------------------------------------------------------------------- 2 assumptions
st.header(t("kilder.assumptions_header"))
st.markdown(t("kilder.assumptions_intro"))

st.subheader(t("kilder.landsdel_header"))
st.markdown(t("kilder.landsdel_text"))
sp.landsdel_grouping(datasets)

st.subheader(t("kilder.size_header"))
st.markdown(t("kilder.size_text"))

split = sp.fylke_split()
st.subheader(t("kilder.split_header"))
st.markdown(t("kilder.split_text", n=len(split)))
sp.table(split, sp.SPLIT)

st.subheader(t("kilder.successors_header"))
st.markdown(t("kilder.successors_text"))
sp.table(queries.run("kommune_successors"), sp.SUCCESSORS)

# ----------------------------------------------------------------------------- 3 methods
st.header(t("kilder.methods_header"))
st.markdown(t("kilder.methods_intro"))
sp.methods()

# ----------------------------------------------------------------------------- 4 doubtful prints
# Printed figures are never changed: what the build flagged, and every cell with a question
# mark or a transcriber's note.
st.header(t("kilder.doubt_header"))
st.markdown(t("kilder.doubt_intro"))
flags = sp.flags()
st.subheader(t("kilder.flags_header", n=len(flags)))
sp.table(flags, sp.FLAGS)
marked = sp.marked_cells()
st.subheader(t("kilder.cells_header", n=len(marked)))
sp.table(marked, sp.CELLS, height=320, column_config=sp.cell_config())

# ----------------------------------------------------------------------------- 5 cell browser
st.header(t("kilder.cells_browser_header"))
st.markdown(t("kilder.cells_browser_intro"))
c1, c2 = st.columns([3, 4])
with c1:
    year = sp.year_filter()
with c2:
    search = sp.search_text()
state.show_notices()
found = sp.cells(int(year), search)
if found.empty:
    st.info(t("kilder.cells_none"), icon=":material/search_off:")
else:
    st.caption(t("kilder.cells_count", n=len(found)))
    sp.table(found, sp.CELLS, height=420, column_config=sp.cell_config())
    sp.cell_download(found, year)

# Keep ?aar=… in the address bar even when Streamlit runs this page without app.py.
state.write_url()
