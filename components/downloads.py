"""Table view and downloads under every chart.

CSV for Excel: semicolon-separated, decimal comma, UTF-8 with BOM (what Norwegian Excel opens
without an import wizard). Cells that a spreadsheet would run as a formula (=, +, -, @, tab,
carriage return at the start of a text) are prefixed with an apostrophe; real numbers are left
as numbers. Charts are rendered to PNG and SVG on the server (vl-convert), only when clicked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.elements.vega_charts import _altair_globals_lock

from components.charts import localise
from components.i18n import lang, t, use_language
from components.provenance import source_line, source_text

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell inert in a spreadsheet; numbers pass through unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def excel_csv(df: pd.DataFrame, source: str = "") -> bytes:
    """Semicolons, decimal comma, UTF-8 with BOM (what Norwegian Excel opens as columns),
    yes/no in the page's language for true/false, formula-looking cells neutralised."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map({True: t("common.yes"), False: t("common.no")})
        elif out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    text = out.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n")
    if source:
        text += "\r\n" + neutralise(source) + "\r\n"
    return ("\ufeff" + text).encode("utf-8")


_NORDIC = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "a", "Å": "A"})


def safe_name(name: str) -> str:
    """A file name any system accepts, readable: «Bodø» → «Bodo», «Ås» → «As», «Sámi» → «Sami»."""
    ascii_ = unicodedata.normalize("NFKD", name.translate(_NORDIC))
    ascii_ = ascii_.encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", ascii_).strip("_") or "data"


def _chart_png(spec: dict) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec, scale=2)


def _chart_svg(spec: dict) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec)


EXPORT_WIDTH = 760  # px; a chart drawn at container width has no width of its own on the server


def export_spec(chart: alt.TopLevelMixin, language: str = "nb", source: str = "") -> dict:
    """The chart's Vega-Lite spec for a PNG/SVG file: fixed widths (not ~300 px wide), the
    language's number format, and the source line under it when the chart has no title block
    of its own (a pasted figure keeps its provenance)."""
    # Altair's data transformer is process-wide: hold Streamlit's lock so an export converted
    # here cannot take the data of a chart another session is drawing.
    with _altair_globals_lock:
        spec = chart.to_dict(validate=False)

    def fix(node: dict) -> None:
        if node.get("width") == "container":
            node["width"] = EXPORT_WIDTH
        for key in ("layer", "vconcat", "hconcat", "concat"):
            for child in node.get(key, []) or []:
                if isinstance(child, dict):
                    fix(child)

    fix(spec)
    if source and "title" not in spec:
        spec["title"] = {
            "text": source,
            "orient": "bottom",
            "anchor": "start",
            "fontSize": 11,
            "fontWeight": "normal",
            "offset": 14,
        }
    return localise(spec, language)


def _chart_of(chart, language: str) -> alt.TopLevelMixin:
    """The export chart: given, or made by a function, so it is only built on a click.

    Streamlit calls a deferred download in a worker thread with no session, so texts made
    there (titles, source lines) would fall back to Norwegian: they use the page's language.
    """
    if isinstance(chart, alt.TopLevelMixin):
        return chart
    with use_language(language):
        return chart()


def data_panel(
    df: pd.DataFrame,
    name: str,
    source_ids: Iterable[str],
    chart: alt.TopLevelMixin | Callable[[], alt.TopLevelMixin] | None = None,
    *,
    key: str | None = None,
    expanded: bool = False,
    column_config: dict | None = None,
) -> None:
    """Source line, «Vis som tabell», CSV download and chart downloads for one chart."""
    source_ids = list(source_ids)
    language = lang()
    source = source_text(source_ids)
    key = key or safe_name(name)
    source_line(source_ids)
    # Decimals in the reader's own format (a comma in a Norwegian browser), like the text.
    config = {
        col: st.column_config.NumberColumn(format="localized")
        for col in df.columns
        if pd.api.types.is_float_dtype(df[col])
    } | (column_config or {})
    with st.expander(t("common.show_table"), expanded=expanded):
        st.dataframe(df, hide_index=True, width="stretch", column_config=config)
        cols = st.columns(3)
        cols[0].download_button(
            t("common.download_csv"),
            data=excel_csv(df, source),
            file_name=f"{safe_name(name)}.csv",
            mime="text/csv",
            key=f"dl_csv_{key}",
            on_click="ignore",
            icon=":material/download:",
        )
        if chart is not None:
            # The spec is built only when a download is clicked: Altair validates a spec
            # against its JSON schema, which cost more than drawing the page itself.
            cols[1].download_button(
                t("common.download_png"),
                data=lambda: _chart_png(export_spec(_chart_of(chart, language), language, source)),
                file_name=f"{safe_name(name)}.png",
                mime="image/png",
                key=f"dl_png_{key}",
                on_click="ignore",
                icon=":material/image:",
            )
            cols[2].download_button(
                t("common.download_svg"),
                data=lambda: _chart_svg(export_spec(_chart_of(chart, language), language, source)),
                file_name=f"{safe_name(name)}.svg",
                mime="image/svg+xml",
                key=f"dl_svg_{key}",
                on_click="ignore",
                icon=":material/draw:",
            )
