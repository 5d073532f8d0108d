"""Tables on screen in the page's language, whatever the browser's locale.

Streamlit formats numbers in st.dataframe with the browser's locale, so a Norwegian page read
in an English browser would say «0.61». Here every cell gets its display text from
components/fmt.py in the page's language (a pandas Styler: the numbers stay numbers, so a
column still sorts as numbers and a test reads the values), with the published decimals from
data/columns.toml:

- numbers: «0,61» / «0.61», thousands «111 213» / «111,213», missing as «–»;
- codes, years and line numbers (unit "" in the metadata, or small whole numbers without
  metadata) as they are: «1804», «2010», never «2 010»;
- a missing value as «–» (the browser draws a missing cell itself, as «None» unless told:
  show() tells it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pandas as pd
import streamlit as st

from components import columns as colmeta
from components import fmt
from components.i18n import lang, text


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


def _value_decimals(x) -> int:
    """A value of a mixed-unit column: as many decimals as it has, at most three."""
    for d in (0, 1, 2):
        if abs(round(float(x), d) - float(x)) < 1e-9:
            return d
    return 3


def _as_is(x) -> str:
    if fmt.missing(x):
        return fmt.DASH
    return str(int(x)) if float(x) == int(x) else str(x)


def cell_format(df: pd.DataFrame, col, language: str) -> Callable | None:
    """The function that turns one cell of `col` into what the reader sees; None: text as is."""
    series = df[col]
    if pd.api.types.is_bool_dtype(series):
        yes, no = text("common.yes", language), text("common.no", language)
        return lambda v: "" if fmt.missing(v) else (yes if v else no)
    if not pd.api.types.is_numeric_dtype(series):
        return None
    meta = colmeta.find(str(col))
    if meta is not None and meta.get("unit") == "":
        return _as_is  # a code or a year
    values = pd.to_numeric(series, errors="coerce")
    small = (values.dropna().abs() < 10000).all()
    if meta is None and pd.api.types.is_integer_dtype(series) and small:
        return _as_is  # counts and years read the same in both languages
    d = column_decimals(df, col)
    if d is None:
        return _exact(language)
    return lambda v: fmt.num(v, d, language)


def _text(x) -> str:
    return "" if fmt.missing(x) else str(x)


def _exact(language: str) -> Callable:
    return lambda v: fmt.DASH if fmt.missing(v) else fmt.num(v, _value_decimals(v), language)


def styled(df: pd.DataFrame, language: str | None = None, exact: tuple = ()):
    """A Styler for st.dataframe: every cell's display text in the page's language. Columns
    in `exact` show each value with its own decimals (a column of printed figures of every
    kind: 0,61 beside 656)."""
    language = language or lang()
    df = df.reset_index(drop=True)
    # pandas gives each Styler a random id; a fixed one keeps the same view the same element
    # (no redraw on a rerun, the same proto in every session).
    uid = hashlib.sha1("\x1f".join(map(str, df.columns)).encode()).hexdigest()[:8]
    styler = df.style.set_uuid(f"t{uid}")
    for i, col in enumerate(df.columns):
        f = _exact(language) if col in exact else cell_format(df, col, language) or _text
        styler = styler.format(f, subset=pd.IndexSlice[:, df.columns[[i]]])
    return styler


def display_table(df: pd.DataFrame, language: str | None = None):
    """The table as the page shows it (a Styler: numbers stay numbers, shown as text)."""
    return styled(df, language)


def show(df: pd.DataFrame, language: str | None = None, exact: tuple = (), **kwargs) -> None:
    """st.dataframe of the table as the page shows it: numbers in the page's language and «–»
    for a missing value (Streamlit's own placeholder is the word «None»)."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    st.dataframe(styled(df, language, exact), placeholder=fmt.DASH, **kwargs)
