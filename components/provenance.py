"""Source lines under every chart, rendered from data/sources.toml (via core.sources)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import pandas as pd
import streamlit as st

import queries
from components.i18n import lang, t


def sources_table() -> pd.DataFrame:
    """Every dataset's provenance in the page's language (data/sources.toml, via core.sources)."""
    return queries.run("sources", lang=lang())


def source_text(source_ids: Iterable[str]) -> str:
    """'Kilde: NTNU Samfunnsforskning (2016), …, Tabell 4.1.' for the given dataset ids."""
    src = sources_table().set_index("source_id")
    parts: list[str] = []
    by_report: dict[str, list[str]] = {}
    for sid in dict.fromkeys(source_ids):
        if sid not in src.index:
            continue
        row = src.loc[sid]
        citation = row["citation"]
        # Reference citations already say «Kilde: …»; the line adds the prefix once.
        citation = re.sub(r"^(Kilde|Source):\s*", "", citation)
        places = by_report.setdefault(citation, [])
        table_no = str(row["table_no"])
        if table_no not in ("-", "") and not table_no.startswith("(") and table_no not in citation:
            places.append(table_no)
        elif row["kind"] == "cells":
            places.append(str(row["place"]))
    for citation, places in by_report.items():
        parts.append(citation + (": " + ", ".join(dict.fromkeys(places)) if places else ""))
    return f"{t('common.source_prefix')}: " + "; ".join(parts) + "." if parts else ""


# The reports' own words for a place in them, in English; «Tabell» stays: it is the label the
# report prints, and the English pages cite «Tabell 2» as the report does.
_PLACE_EN = (
    ("Tekst etter", "Text after"),
    ("Tekst foran", "Text before"),
    ("teksten etter", "the text after"),
    ("Fotnote", "Footnote"),
    ("Avsnitt", "Section"),
    ("Oppsummering", "Summary"),
    ("Sammendrag", "Summary"),
    ("Kapittel", "Chapter"),
    (" og ", " and "),
)


def place_text(place, language: str | None = None) -> str:
    """A place in a report as the page says it: «Fotnote 1» on a Norwegian page, «Footnote 1»
    on an English one."""
    if not isinstance(place, str) or (language or lang()) == "nb":
        return place
    for nb, en in _PLACE_EN:
        place = place.replace(nb, en)
    return place


def source_line(source_ids: Iterable[str]) -> None:
    text = source_text(source_ids)
    if text:
        st.caption(text)


def known_issues(source_id: str) -> list[str]:
    src = sources_table().set_index("source_id")
    if source_id not in src.index:
        return []
    return json.loads(src.loc[source_id, "known_issues"])
