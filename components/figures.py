"""Printed figures by stable key (data/raw/figure_keys.csv → core.figures → queries/figures.sql).

A page names the figures it shows by key («r2010_owners_know_pct_summary»), never by the
label they are printed under: a corrected print or transcription is then fixed in data/raw and
no page changes. Every key is checked by the build (unique, exactly one printed cell).
"""

from __future__ import annotations

import re

import pandas as pd

import queries
from components import fmt
from components.i18n import t, text


def figures(*keys: str) -> pd.DataFrame:
    """One row per key, in the order asked, indexed by key: value (a number, or NaN for printed
    text), value_printed, doubtful, note (in the page language), source_id, table_no, row_label,
    column_label. A key that is not in figure_keys.csv raises KeyError naming it."""
    # A sorted tuple: hashable for the query cache, and the same set of keys hits the same entry.
    found = queries.run("figures", keys=tuple(sorted(set(keys)))).set_index("figure_key")
    missing = [k for k in keys if k not in found.index]
    if missing:
        raise KeyError(f"not in data/raw/figure_keys.csv: {', '.join(missing)}")
    return found.loc[list(keys)]


def values(*keys: str) -> dict[str, float]:
    """{key: value} for figures read as numbers."""
    return figures(*keys)["value"].to_dict()


_PLACEHOLDER = re.compile(r"\{(r\d{4}_[a-z0-9_]+)\}")


def as_printed(row) -> str:
    """A figure in the reader's number format with the decimals it was printed with (71,3 %
    keeps one, 92 % none); a share (a key with the word «pct») with «%»; printed text (Tabell
    1.1's «0.5-.0.79») exactly as printed."""
    if pd.isna(row.value):
        return str(row.value_printed)
    decimals = re.findall(r"[.,](\d+)", str(row.value_printed))
    places = len(decimals[-1]) if decimals else 0
    share = "pct" in str(row.name).split("_")
    return fmt.pct(row.value, places) if share else fmt.num(row.value, places)


def figure_text(key: str, **more) -> str:
    """The string `key` (components/strings) with every {rYYYY_…} placeholder filled by that
    figure as printed: the template says which printed figure goes where, the data says what
    it is. Other placeholders come from `more`."""
    keys = list(dict.fromkeys(_PLACEHOLDER.findall(text(key, "nb"))))
    found = figures(*keys) if keys else pd.DataFrame()
    return t(key, **{k: as_printed(found.loc[k]) for k in keys}, **more)
