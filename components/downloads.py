"""Downloads beside every chart: the figures as CSV and Excel, the chart as PNG and SVG.

A download is read away from the page, so it carries what the page said around it:
- CSV in the page's language: Norwegian `;` and decimal comma (what Norwegian Excel opens as
  columns), English `,` and decimal point; UTF-8 with BOM; headers in the page's language;
  numbers rounded to their published decimals (data/columns.toml); the provenance in a column
  «Kilde»/«Source» on every row, never as lines after the data.
- Excel (.xlsx, openpyxl): the same table with typed numeric cells and a header row, and a
  second sheet «Kilde»/«Source» with the source line, the view's link and the date.
- PNG/SVG (vl-convert, rendered on the server only when clicked): the chart with its title,
  a subtitle (kommune, trinn, period, unit), the source line and the view's link on the image.
Cells that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return at the
start of a text) are prefixed with an apostrophe; real numbers are left as numbers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import textwrap
import unicodedata
from collections.abc import Callable, Iterable
from functools import partial
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.elements.vega_charts import _altair_globals_lock

from components import columns as colmeta
from components import fmt
from components.charts import localise
from components.i18n import lang, text, use_language
from components.provenance import source_line, source_text

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell inert in a spreadsheet; numbers pass through unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _inferred_decimals(values: pd.Series) -> int:
    """Decimals for a float column without metadata: none when every value is whole (a
    population is 111213, not 111213,0), else up to two (no 16-decimal means)."""
    v = values.dropna().astype(float)
    for d in (0, 1, 2):
        if ((v.round(d) - v).abs() < 1e-9).all():
            return d
    return 2


def column_decimals(df: pd.DataFrame, col) -> int | None:
    """The published decimals of a numeric column: metadata first, else inferred."""
    if not pd.api.types.is_numeric_dtype(df[col]) or pd.api.types.is_bool_dtype(df[col]):
        return None
    meta = colmeta.find(str(col))
    if meta is not None:  # metadata without decimals: a column of mixed units, rounded per row
        return meta.get("decimals")
    if pd.api.types.is_integer_dtype(df[col]):
        return 0
    return _inferred_decimals(df[col])


def export_frame(df: pd.DataFrame, source: str = "", language: str | None = None) -> pd.DataFrame:
    """The table as a download holds it: yes/no in the language, numbers rounded to their
    published decimals (whole numbers as integers), formula-looking text neutralised, and the
    source in a last column when given."""
    language = language or lang()
    out = df.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_bool_dtype(series):
            out[col] = series.map(
                {True: text("common.yes", language), False: text("common.no", language)}
            )
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            out[col] = series.map(neutralise)
        else:
            d = column_decimals(out, col)
            if d is None:
                continue
            rounded = pd.to_numeric(series, errors="coerce").round(d)
            out[col] = rounded.astype("Int64") if d == 0 else rounded
    label = colmeta.label("source", language)
    if source and label not in out.columns:  # a table with a source per row keeps its own
        out[label] = neutralise(source)
    return out


def _csv_cell(value, language: str, decimals: int | None = None) -> str:
    """One CSV cell: a number with the language's decimal sign (no thousands separator, so a
    spreadsheet reads it as a number), a text made inert, a missing value empty."""
    if fmt.missing(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if decimals is not None:
            s = f"{value:.{decimals}f}"
        else:
            s = repr(value) if value != int(value) else str(int(value))
        return s.replace(".", ",") if language == "nb" else s
    if isinstance(value, int):
        return str(value)
    return str(neutralise(value))


def excel_csv(df: pd.DataFrame, source: str = "", language: str | None = None) -> bytes:
    """CSV in the page's language. nb: semicolons and decimal comma (what Norwegian Excel opens
    as columns); en: commas and decimal point. UTF-8 with BOM, Norwegian or English headers as
    the table has them, formula-looking cells neutralised, provenance in a «Kilde» column."""
    import csv

    language = language or lang()
    out = export_frame(df, source, language)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if language == "nb" else ",", lineterminator="\r\n")
    writer.writerow([str(neutralise(str(c))) for c in out.columns])
    places = [
        column_decimals(out, c) if pd.api.types.is_float_dtype(out[c]) else None
        for c in out.columns
    ]
    for row in out.itertuples(index=False):
        writer.writerow(
            [
                _csv_cell(v.item() if hasattr(v, "item") else v, language, d)
                for v, d in zip(row, places, strict=True)
            ]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def excel_xlsx(
    df: pd.DataFrame,
    source: str = "",
    language: str | None = None,
    *,
    title: str = "",
    url: str = "",
) -> bytes:
    """An Excel workbook (openpyxl): the table with a header row and typed numeric cells (each
    number formatted with its published decimals), and a second sheet «Kilde»/«Source» with the
    provenance: title, source, link to the view and the date of the download."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    language = language or lang()
    out = export_frame(df, "", language)
    wb = Workbook()
    ws = wb.active
    ws.title = text("common.xlsx_data_sheet", language)
    ws.append([str(c) for c in out.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in out.itertuples(index=False):
        ws.append(
            [None if fmt.missing(v) else (v.item() if hasattr(v, "item") else v) for v in row]
        )
    for j, col in enumerate(out.columns, start=1):
        numeric = pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(
            out[col]
        )
        d = column_decimals(out, col) if numeric else None
        width = max([len(str(col))] + [len(str(v)) for v in out[col].head(200)]) + 2
        ws.column_dimensions[ws.cell(1, j).column_letter].width = min(width, 60)
        for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a text starting with «=» stays text, never a formula
            elif numeric and d is not None and cell.value is not None:
                cell.number_format = "0" if d == 0 else "0." + "0" * d
    meta = wb.create_sheet(text("common.source_prefix", language))
    rows = [
        (text("common.xlsx_title", language), title),
        (text("common.source_prefix", language), source),
        (text("common.xlsx_link", language), url),
        (text("common.xlsx_made", language), dt.date.today().isoformat()),
    ]
    for key, value in rows:
        if value:
            meta.append([key, value])
    for row in meta.iter_rows():
        row[0].font = Font(bold=True)
        row[1].data_type = "s"
    meta.column_dimensions["A"].width = 18
    meta.column_dimensions["B"].width = 120
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


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
_WRAP = 120  # characters of an 11 px subtitle line across an export


def _title_block(old, title: str, subtitle: str, source: str, url: str) -> dict:
    """One title block: the chart's own title (or `title`), then subtitle, source and link,
    each wrapped to the image's width (Vega does not wrap a title)."""
    if isinstance(old, dict):
        block = dict(old)
    elif old:
        block = {"text": old}
    else:
        block = {"text": title}
    lines = block.get("subtitle") or []
    lines = [lines] if isinstance(lines, str) else list(lines)
    for extra in (subtitle, source, url):
        if extra and not any(extra in line for line in lines):
            lines += textwrap.wrap(extra, _WRAP, break_long_words=True)
    if not block.get("text"):
        block["text"] = " "
    block |= {"subtitle": lines, "anchor": "start", "subtitleFontSize": 11}
    block.setdefault("fontSize", 15)
    block.setdefault("subtitleColor", "#333333")
    return block


def export_spec(
    chart: alt.TopLevelMixin,
    language: str = "nb",
    source: str = "",
    *,
    title: str = "",
    subtitle: str = "",
    url: str = "",
) -> dict:
    """The chart's Vega-Lite spec for a PNG/SVG file: fixed widths (not ~300 px wide), the
    language's number format, and a title block with the chart's title, the subtitle (kommune,
    trinn, period, unit), the source line and the view's link, so a pasted figure keeps what it
    shows and where it came from."""
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
    spec["title"] = _title_block(spec.get("title"), title, subtitle, source, url)
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


def view_url() -> str:
    """The link that reopens this view (page, kommune, language, filters chosen so far)."""
    from components import state

    try:
        base = (st.context.url or "").split("?")[0]
    except Exception:  # noqa: BLE001 - no browser (AppTest, a worker thread)
        base = ""
    params = state.url_params()
    return base + ("?" + urlencode(params) if params else "")


def display_formats(df: pd.DataFrame, language: str | None = None) -> dict:
    """Per column, how the page shows its numbers: text in the page's language with published
    decimals (a Norwegian page says «0,61» whatever the browser's locale), missing as «–».
    Codes, years and line numbers stay as they are (no «2 010»)."""
    formats = {}
    for col in df.columns:
        d = column_decimals(df, col)
        meta = colmeta.find(str(col))
        if d is None or (meta is not None and meta.get("unit") == ""):
            continue
        values = pd.to_numeric(df[col], errors="coerce")
        small = (values.dropna().abs() < 10000).all()
        if meta is None and pd.api.types.is_integer_dtype(df[col]) and small:
            continue  # counts and years read the same in both languages
        formats[col] = partial(fmt.num, decimals=d, lang=language)
    return formats


def display_table(df: pd.DataFrame, language: str | None = None):
    """The table as the page shows it: a Styler that keeps the numbers (so a column sorts as
    numbers and tests read values) and shows them as `display_formats` says."""
    formats = display_formats(df, language)
    if not formats:
        return df
    # pandas gives each Styler a random id; a fixed one keeps the same view the same element
    # (no redraw on rerun, the same proto in every session).
    uid = hashlib.sha1("\x1f".join(map(str, df.columns)).encode()).hexdigest()[:8]
    return df.style.set_uuid(f"t{uid}").format(formats)


def download_buttons(
    df: pd.DataFrame,
    name: str,
    source: str,
    *,
    key: str,
    chart: alt.TopLevelMixin | Callable[[], alt.TopLevelMixin] | None = None,
    title: str = "",
    subtitle: str = "",
) -> None:
    """CSV, Excel, PNG and SVG side by side (the chart ones only with a chart)."""
    language = lang()
    url = view_url()
    file = safe_name(name)
    cols = st.columns(4 if chart is not None else 2, gap="small")
    cols[0].download_button(
        text("common.download_csv", language),
        data=excel_csv(df, source, language),
        file_name=f"{file}.csv",
        mime="text/csv",
        key=f"dl_csv_{key}",
        on_click="ignore",
        icon=":material/download:",
    )
    cols[1].download_button(
        text("common.download_xlsx", language),
        data=lambda: excel_xlsx(df, source, language, title=title, url=url),
        file_name=f"{file}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dl_xlsx_{key}",
        on_click="ignore",
        icon=":material/table_view:",
    )
    if chart is None:
        return
    extras = {"title": title, "subtitle": subtitle, "url": url}

    def spec() -> dict:
        return export_spec(_chart_of(chart, language), language, source, **extras)

    # The spec is built only when a download is clicked: Altair validates a spec against its
    # JSON schema, which cost more than drawing the page itself.
    cols[2].download_button(
        text("common.download_png", language),
        data=lambda: _chart_png(spec()),
        file_name=f"{file}.png",
        mime="image/png",
        key=f"dl_png_{key}",
        on_click="ignore",
        icon=":material/image:",
    )
    cols[3].download_button(
        text("common.download_svg", language),
        data=lambda: _chart_svg(spec()),
        file_name=f"{file}.svg",
        mime="image/svg+xml",
        key=f"dl_svg_{key}",
        on_click="ignore",
        icon=":material/draw:",
    )


def data_panel(
    df: pd.DataFrame,
    name: str,
    source_ids: Iterable[str],
    chart: alt.TopLevelMixin | Callable[[], alt.TopLevelMixin] | None = None,
    *,
    key: str | None = None,
    expanded: bool = False,
    column_config: dict | None = None,
    title: str = "",
    subtitle: str = "",
) -> None:
    """Under a chart: its source line, the downloads beside it, and «Vis som tabell»."""
    source_ids = list(source_ids)
    source = source_text(source_ids)
    key = key or safe_name(name)
    source_line(source_ids)
    download_buttons(df, name, source, key=key, chart=chart, title=title, subtitle=subtitle)
    # Numbers as text in the page's language: Streamlit's number formats follow the browser.
    shown = display_table(df)
    config = {
        k: v
        for k, v in (column_config or {}).items()
        if k not in df.columns or not pd.api.types.is_numeric_dtype(df[k])
    }
    with st.expander(text("common.show_table", lang()), expanded=expanded):
        st.dataframe(shown, hide_index=True, width="stretch", column_config=config)
