"""Building blocks of «Kilder og metode»: the reports and what each gives the app, the datasets
taken from them, the assumptions, the doubtful prints and the browser over every printed cell.

Everything a reader sees comes from data/sources.toml (queries «reports» and «sources», in the
page's language) and the database. Report titles and table captions are cited as printed, in
«», because they are the sources' own words; on English pages a report's title is followed by
an English rendering.
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
from components.provenance import place_text
from components.survey_labels import printed_name
from components.tables import show
from data.regions import LANDSDEL_FYLKER_2010

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


def reports() -> pd.DataFrame:
    return queries.run("reports", lang=lang())


def datasets() -> pd.DataFrame:
    return queries.run("sources", lang=lang())


def cited_title(title: str, quoted: bool, gloss: str = "") -> str:
    """«Evaluering av …» (English: Evaluation of …) for a publication's own title."""
    if not quoted:
        return title
    return f"«{title}»" + (f" ({t('kilder.title_in_english')}: {gloss})" if gloss else "")


def page_names(pages_json: str) -> str:
    pages = json.loads(pages_json or "[]")
    return ", ".join(f"«{t(f'common.nav_{p}')}»" for p in pages) or t("kilder.cited_nowhere")


# ----------------------------------------------------------------------------- 1 sources


def report_overview(reps: pd.DataFrame) -> None:
    """The five reports in one list: who, when, and what each gives the app."""
    lines = []
    for r in reps[reps.role != "reference"].itertuples():
        role = t(f"kilder.role_{r.role}")
        lines.append(
            f"- **{md(r.publisher)} ({r.year})**, {md(cited_title(r.title, r.title_quoted))}"
            f" — *{role}.* {md(r.contributes)}"
        )
    st.markdown("\n".join(lines))


def report_box(rep, rows: pd.DataFrame) -> None:
    """One report: its fields, then the datasets taken from it (the import row last)."""
    title = cited_title(rep.title, rep.title_quoted)
    label = t("kilder.report_label", publisher=rep.publisher, year=rep.year, title=title)
    none = t("kilder.field_none")
    with st.expander(label):
        fields = [
            ("field_publisher", md(rep.publisher)),
            ("field_title", md(cited_title(rep.title, rep.title_quoted, rep.title_gloss))),
            ("field_year", md(rep.year)),
            ("field_data_from", md(rep.data_from)),
            ("field_contributes", md(rep.contributes)),
            ("field_pages", page_names(rep.pages)),
            ("field_document", code(rep.document) if rep.document else none),
            ("field_url", md(rep.url) if rep.url else none),
            ("field_licence", md(rep.licence)),
            ("field_citation", md(rep.citation)),
        ]
        st.markdown("\n".join(f"- **{t(f'kilder.{k}')}:** {v}" for k, v in fields))
        if rows.empty:
            st.caption(t("kilder.no_datasets"))
            return
        st.markdown(f"**{t('kilder.datasets_header', n=len(rows))}**")
        rows = rows.sort_values("kind", key=lambda k: k == "import", kind="stable")
        for r in rows.itertuples():
            st.markdown(dataset_lines(r))


def dataset_lines(r) -> str:
    kind = t("kilder." + KIND_KEY.get(r.kind, "kind_reference"))
    where = f" · {t('kilder.dataset_file')}: {code(r.file)}" if r.file else ""
    title = f"«{r.title}»" if r.dataset_title_quoted else r.title
    lines = [
        f"- **{md(r.table_no)}** – {md(title)}",
        f"  - {t('kilder.dataset_kind')}: {kind}{where}",
        f"  - {t('kilder.dataset_place')}: {md(r.place)}",
        f"  - {t('kilder.dataset_transform')}: {md(r.transformations)}",
    ]
    issues = json.loads(r.known_issues or "[]")
    if issues:
        lines.append(f"  - {t('kilder.dataset_issues')}:")
        lines += [f"    - {md(i)}" for i in issues]
    return "\n".join(lines)


def report_boxes(reps: pd.DataFrame, sets: pd.DataFrame) -> None:
    for rep in reps.itertuples():
        report_box(rep, sets[sets.report_id == rep.report_id])


# ----------------------------------------------------------------------------- 2 assumptions


def landsdel_grouping(sets: pd.DataFrame) -> None:
    """The counties of each 2010 region (data/regions.py), names in the page's language."""
    st.markdown(
        "\n".join(
            f"- {md(printed_name(landsdel))}: {', '.join(fylker)}"
            for landsdel, fylker in LANDSDEL_FYLKER_2010.items()
        )
    )
    grouping = sets[sets.source_id == "landsdel_grouping"]
    issues = json.loads(grouping.iloc[0].known_issues or "[]") if not grouping.empty else []
    st.caption(" ".join(issues))


def table(df: pd.DataFrame, names: dict[str, str], **kwargs) -> None:
    """A table with headers in the page's language and numbers formatted in it."""
    shown = df[list(names)].rename(columns={k: t(f"kilder.{v}") for k, v in names.items()})
    exact = (t("kilder.col_value"),)  # printed figures of every kind: 0,61 beside 656
    show(shown, exact=exact, **kwargs)


SPLIT = {
    "kommune_code": "col_code",
    "kommune_name": "col_kommune",
    "fylke_2010_listed": "col_fylker_listed",
    "fylke_2010_assigned": "col_fylke_assigned",
    "landsdel": "col_landsdel",
}
SUCCESSORS = {
    "kommune_name_as_published": "col_former",
    "kommune_code_before_2020": "col_former_code",
    "successor_2020_name": "col_successor",
    "successor_2020_code": "col_successor_code",
    "note": "col_note",
}


def fylke_split() -> pd.DataFrame:
    split = queries.run("fylke_split")
    return split.assign(landsdel=split.landsdel.map(printed_name))


# ----------------------------------------------------------------------------- 4 doubtful prints

FLAGS = {
    "source_id": "flag_col_source",
    "table_no": "flag_col_table",
    "row_label": "flag_col_row",
    "column_label": "flag_col_column",
    "rule": "flag_col_rule",
    "message": "flag_col_message",
}
CELLS = {
    "report_year": "col_year",
    "table_no": "col_table",
    "row_label": "col_row",
    "column_label": "col_column",
    "value_printed": "col_printed",
    "value": "col_value",
    "doubtful": "col_doubtful",
    "note": "col_cell_note",
    "file": "col_file",
    "line_no": "col_line",
}


def flags() -> pd.DataFrame:
    """The build's flags, each message in the page's language."""
    out = queries.run("validation_flags")
    out["message"] = out["message_nb"] if lang() == "nb" else out["message"]
    return out.assign(table_no=out.table_no.map(place_text))


def cells(report_year: int = 0, search: str = "") -> pd.DataFrame:
    out = queries.run("source_cells", report_year=report_year, search=search)
    return out.assign(table_no=out.table_no.map(place_text))


def cell_config() -> dict:
    col = st.column_config.Column
    widths = {"col_year": "small", "col_row": "medium", "col_column": "medium"}
    widths |= {"col_value": "small", "col_cell_note": "large", "col_line": "small"}
    return {t(f"kilder.{k}"): col(width=w) for k, w in widths.items()}


def marked_cells() -> pd.DataFrame:
    every = cells()
    return every[every.doubtful.astype(bool) | every.note.notna()]


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


def year_filter() -> str:
    years = sorted(cells().report_year.unique())
    return state.url_choice(
        "aar",
        ["0", *[str(y) for y in years]],
        t("kilder.year_label"),
        default="0",
        format_func=lambda y: t("kilder.year_all") if y == "0" else y,
    )


def cell_download(found: pd.DataFrame, year: str) -> None:
    shown = found[list(CELLS)].rename(columns={k: t(f"kilder.{v}") for k, v in CELLS.items()})
    st.download_button(
        t("kilder.download_cells"),
        data=excel_csv(shown),
        file_name=f"trykte_celler_{year if year != '0' else 'alle'}.csv",
        mime="text/csv",
        key="kilder_download_cells",
        on_click="ignore",
        icon=":material/download:",
    )


# ----------------------------------------------------------------------------- 3 methods

METHODS = ["wilson", "chi", "trend", "newcombe", "tmean", "welch", "cohend", "funnel", "profiles"]


def methods() -> None:
    """One box per method: what it is used for, what it lets us say and not say."""
    for m in METHODS:
        with st.container(border=True):
            st.markdown(f"**{t(f'kilder.m_{m}')}**")
            st.markdown(f"*{t('kilder.method_col_used')}:* {t(f'kilder.m_{m}_used')}")
            st.markdown(f"*{t('kilder.method_col_conclude')}:* {t(f'kilder.m_{m}_says')}")
