"""Printed figures by stable key (data/raw/figure_keys.csv → core.figures → queries/figures.sql).

A page names the figures it shows by key («r2010_owners_know_pct_summary»), never by the
label they are printed under: a corrected print or transcription is then fixed in data/raw and
no page changes. Every key is checked by the build (unique, exactly one printed cell).
"""

from __future__ import annotations

import pandas as pd

import queries


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
