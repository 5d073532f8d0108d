"""Column metadata from data/columns.toml: one label per language, a unit and the published
decimals per column, so a table on screen, its CSV/Excel download and a chart axis agree.

A column is found by its key (`fylke_mean`) or by its label in either language («Fylkessnitt»),
because many tables reach the download already renamed for the reader.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from components.i18n import lang as page_lang

COLUMNS_TOML = Path(__file__).resolve().parents[1] / "data" / "columns.toml"


def _lang(lang: str | None) -> str:
    return lang if lang in ("nb", "en") else page_lang()


@lru_cache(maxsize=1)
def _meta() -> dict:
    with open(COLUMNS_TOML, "rb") as f:
        return tomllib.load(f)


def columns() -> dict[str, dict]:
    return _meta()["columns"]


def units() -> dict[str, dict]:
    return _meta()["units"]


def label(key: str, lang: str | None = None) -> str:
    """«Fylkessnitt» / «Fylke mean»; an unknown key shows itself."""
    entry = columns().get(key)
    return entry[f"label_{_lang(lang)}"] if entry else key


def labels(keys, lang: str | None = None) -> dict[str, str]:
    """{key: label} for DataFrame.rename."""
    return {k: label(k, lang) for k in keys}


@lru_cache(maxsize=256)
def find(name: str) -> dict | None:
    """The metadata of a column named by key or by either language's label."""
    if name in columns():
        return columns()[name]
    for entry in columns().values():
        if name in (entry["label_nb"], entry["label_en"]):
            return entry
    return None


def decimals(name: str) -> int | None:
    entry = find(name)
    return None if entry is None else entry.get("decimals")


def unit_text(unit: str, lang: str | None = None) -> str:
    """The unit a reader sees in a download's unit column: «prosent», «karakterpoeng»."""
    entry = units().get(unit)
    return entry[_lang(lang)] if entry else unit


def unit_decimals(unit: str) -> int | None:
    entry = units().get(unit)
    return None if entry is None else entry.get("decimals")


def axis_format(name: str) -> str:
    """A d3 number format for a chart axis: «.1f» for a column published with one decimal."""
    d = decimals(name)
    return f".{d}f" if d is not None else ""
