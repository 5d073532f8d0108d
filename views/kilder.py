"""Kilder og metode: every source with its metadata, the assumptions, the statistical methods,
the doubtful prints and a browser for every printed cell.

Rendered from data/sources.toml (query sources) and the database; nothing here is typed twice.
Filters of the cell browser: report year (?aar=2016) and a free-text search that is passed to
the query as the $search parameter, never into SQL.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import streamlit as st

import queries
from components import state
from components.downloads import excel_csv
from components.i18n import lang, t

METHODS = ["wilson", "chi", "trend", "newcombe", "tmean", "welch", "cohend", "funnel", "profiles"]
KIND_KEY = {
    "cells": "kind_cells",
    "quotes": "kind_quotes",
    "reference": "kind_reference",
    "assumption": "kind_assumption",
    "import": "kind_import",
}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]~$#|<>])")
MAX_SEARCH = 64


def md(text) -> str:
    """Metadata shown as Markdown: special characters escaped (no emphasis, links or LaTeX)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def code(text) -> str:
    return f"`{str(text).replace('`', '')}`"


# ----------------------------------------------------------------------------- 1 sources


def report_box(rows: pd.DataFrame) -> None:
    # the report's own datasets first: the 'import' row carries its own title
    rows = rows.sort_values("kind", key=lambda k: k == "import", kind="stable")
    first = rows.iloc[0]
    none = t("kilder.field_none")
    label = t(
        "kilder.report_label", publisher=first.publisher, year=first.year, title=first.report_title
    )
    with st.expander(label):
        citation = first.citation_nb if lang() == "nb" else first.citation_en
        fields = [
            ("field_publisher", md(first.publisher)),
            ("field_title", md(first.report_title)),
            ("field_year", md(first.year)),
            ("field_document", code(first.document) if first.document else none),
            ("field_url", md(first.url) if first.url else none),
            ("field_licence", md(first.licence)),
            ("field_citation", md(citation)),
        ]
        st.markdown("\n".join(f"- **{t(f'kilder.{k}')}:** {v}" for k, v in fields))
        st.markdown(f"**{t('kilder.datasets_header', n=len(rows))}**")
        for r in rows.itertuples():
            kind = t("kilder." + KIND_KEY.get(r.kind, "kind_reference"))
            where = f" · {t('kilder.dataset_file')}: {code(r.file)}" if r.file else ""
            lines = [
                f"- **{md(r.table_no)}** – {md(r.title)}",
                f"  - {t('kilder.dataset_kind')}: {kind}{where}",
                f"  - {t('kilder.dataset_place')}: {md(r.place)}",
                f"  - {t('kilder.dataset_transform')}: {md(r.transformations)}",
            ]
            issues = json.loads(r.known_issues or "[]")
            if issues:
                lines.append(f"  - {t('kilder.dataset_issues')}:")
                lines += [f"    - {md(i)}" for i in issues]
            st.markdown("\n".join(lines))


def section_sources(sources: pd.DataFrame) -> None:
    st.header(t("kilder.sources_header"))
    st.markdown(t("kilder.sources_intro"))
    order = sources.groupby("report_id", sort=False).year.min().sort_values(kind="stable")
    for report_id in order.index:
        report_box(sources[sources.report_id == report_id])
    st.caption(t("kilder.english_metadata"))


# ----------------------------------------------------------------------------- 2 assumptions


def section_assumptions(sources: pd.DataFrame) -> None:
    st.header(t("kilder.assumptions_header"))
    st.markdown(t("kilder.assumptions_intro"))

    st.subheader(t("kilder.landsdel_header"))
    st.markdown(t("kilder.landsdel_text"))
    grouping = sources[sources.source_id == "landsdel_grouping"]
    if not grouping.empty:
        g = grouping.iloc[0]
        # "Oslo og Akershus: Oslo, Akershus. Østlandet: …" → one bullet per landsdel
        parts = [p.strip() for p in re.split(r"\.\s+(?=[A-ZÆØÅ])", g.transformations) if p.strip()]
        st.markdown("\n".join(f"- {md(p.rstrip('.'))}" for p in parts))
        issues = json.loads(g.known_issues or "[]")
        if issues:
            st.caption(" ".join(issues) + " " + t("common.assumption_landsdel"))

    st.subheader(t("kilder.size_header"))
    st.markdown(t("kilder.size_text"))

    split = queries.run("fylke_split")
    st.subheader(t("kilder.split_header"))
    st.markdown(t("kilder.split_text", n=len(split)))
    st.dataframe(
        split.rename(
            columns={
                "kommune_code": t("kilder.col_code"),
                "kommune_name": t("kilder.col_kommune"),
                "fylke_2010_listed": t("kilder.col_fylker_listed"),
                "fylke_2010_assigned": t("kilder.col_fylke_assigned"),
                "landsdel": t("kilder.col_landsdel"),
            }
        ),
        hide_index=True,
        width="stretch",
    )

    succ = queries.run("kommune_successors")
    st.subheader(t("kilder.successors_header"))
    st.markdown(t("kilder.successors_text"))
    st.dataframe(
        succ.drop(columns=["source_id"]).rename(
            columns={
                "kommune_name_as_published": t("kilder.col_former"),
                "kommune_code_before_2020": t("kilder.col_former_code"),
                "successor_2020_name": t("kilder.col_successor"),
                "successor_2020_code": t("kilder.col_successor_code"),
                "note": t("kilder.col_note"),
            }
        ),
        hide_index=True,
        width="stretch",
    )


# ----------------------------------------------------------------------------- 3 methods


def section_methods() -> None:
    st.header(t("kilder.methods_header"))
    st.markdown(t("kilder.methods_intro"))
    for m in METHODS:
        with st.container(border=True):
            st.markdown(f"**{t(f'kilder.m_{m}')}**")
            st.markdown(f"*{t('kilder.method_col_used')}:* {t(f'kilder.m_{m}_used')}")
            st.markdown(f"*{t('kilder.method_col_conclude')}:* {t(f'kilder.m_{m}_says')}")


# ----------------------------------------------------------------------------- 4 doubtful prints


def cell_columns(df: pd.DataFrame) -> pd.DataFrame:
    return df[
        [
            "report_year",
            "table_no",
            "row_label",
            "column_label",
            "value_printed",
            "value",
            "doubtful",
            "note",
            "file",
            "line_no",
        ]
    ].rename(
        columns={
            "report_year": t("kilder.col_year"),
            "table_no": t("kilder.col_table"),
            "row_label": t("kilder.col_row"),
            "column_label": t("kilder.col_column"),
            "value_printed": t("kilder.col_printed"),
            "value": t("kilder.col_value"),
            "doubtful": t("kilder.col_doubtful"),
            "note": t("kilder.col_cell_note"),
            "file": t("kilder.col_file"),
            "line_no": t("kilder.col_line"),
        }
    )


def cell_config() -> dict:
    return {
        t("kilder.col_year"): st.column_config.NumberColumn(format="%d", width="small"),
        t("kilder.col_row"): st.column_config.TextColumn(width="medium"),
        t("kilder.col_column"): st.column_config.TextColumn(width="medium"),
        t("kilder.col_value"): st.column_config.NumberColumn(width="small"),
        t("kilder.col_cell_note"): st.column_config.TextColumn(width="large"),
        t("kilder.col_line"): st.column_config.NumberColumn(format="%d", width="small"),
    }


def section_doubtful() -> None:
    st.header(t("kilder.doubt_header"))
    st.markdown(t("kilder.doubt_intro"))
    flags = queries.run("validation_flags")
    # The build writes each message in both languages; show the page's.
    flags["message"] = flags["message_nb"] if lang() == "nb" else flags["message"]
    flags = flags.drop(columns="message_nb")
    st.subheader(t("kilder.flags_header", n=len(flags)))
    st.dataframe(
        flags.rename(
            columns={
                "source_id": t("kilder.flag_col_source"),
                "table_no": t("kilder.flag_col_table"),
                "row_label": t("kilder.flag_col_row"),
                "column_label": t("kilder.flag_col_column"),
                "rule": t("kilder.flag_col_rule"),
                "message": t("kilder.flag_col_message"),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    cells = queries.run("source_cells", report_year=0, search="")
    marked = cells[cells.doubtful.astype(bool) | cells.note.notna()]
    st.subheader(t("kilder.cells_header", n=len(marked)))
    st.dataframe(
        cell_columns(marked),
        hide_index=True,
        width="stretch",
        height=320,
        column_config=cell_config(),
    )
    st.caption(t("kilder.english_metadata"))


# ----------------------------------------------------------------------------- 5 cell browser


def search_text() -> str:
    """Free text for the cell search: only ever passed as a query parameter. It is not kept in
    the link: a link holds stable codes, and any text would be a valid search."""
    value = st.text_input(
        t("kilder.search_label"),
        key="sok",
        max_chars=MAX_SEARCH,
        placeholder=t("kilder.search_placeholder"),
    )
    return (value or "").strip()


def section_cells() -> None:
    st.header(t("kilder.cells_browser_header"))
    st.markdown(t("kilder.cells_browser_intro"))
    years = sorted(queries.run("source_cells", report_year=0, search="").report_year.unique())
    c1, c2 = st.columns([3, 4])
    with c1:
        year = state.url_choice(
            "aar",
            ["0", *[str(y) for y in years]],
            t("kilder.year_label"),
            default="0",
            format_func=lambda y: t("kilder.year_all") if y == "0" else y,
        )
    with c2:
        search = search_text()
    state.show_notices()
    cells = queries.run("source_cells", report_year=int(year), search=search)
    if cells.empty:
        st.info(t("kilder.cells_none"), icon=":material/search_off:")
        return
    st.caption(t("kilder.cells_count", n=len(cells)))
    table = cell_columns(cells)
    st.dataframe(table, hide_index=True, width="stretch", height=420, column_config=cell_config())
    st.download_button(
        t("kilder.download_cells"),
        data=excel_csv(table),
        file_name=f"trykte_celler_{year if year != '0' else 'alle'}.csv",
        mime="text/csv",
        key="kilder_download_cells",
        on_click="ignore",
        icon=":material/download:",
    )


# ----------------------------------------------------------------------------- page

st.title(t("kilder.title"))
st.markdown(t("kilder.intro"))
st.markdown(t("kilder.toc"))
sources = queries.run("sources")
section_sources(sources)
section_assumptions(sources)
section_methods()
section_doubtful()
section_cells()

# Keep ?aar=… in the address bar even when Streamlit runs this page without app.py.
state.write_url()
