"""Skolebidrag page: what data is loaded (embedded, imported, uploaded), what the indicator for a
trinn measures, and where a user gets the rest — in words, never as a developer command."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import skolebidrag_data as sd
from components import skolebidrag_words as w
from components.downloads import data_panel
from components.figures import figure_text
from components.i18n import t
from components.provenance import source_text
from components.tables import show
from data.skolebidrag import TRINN

SOURCE_SB = ["udir_skolebidrag", "kommune_successors", "kommune_changes_2020"]
SOURCE_EXPERT = ["r2021_tekst"]


def _fylke_column(df: pd.DataFrame) -> pd.Series:
    """The fylke a row is listed under: Skoleporten's listing for embedded rows, else the
    fylke of the kommune's own time (a former kommune) or of 2020."""
    listed = df.listing_fylke.str.replace(r"\s*\(fylke before 2020.*\)$", "", regex=True)
    own = df.fylke_of_its_time.where(df.is_former, df.fylke_name_2020)
    return listed.fillna(own)


@st.cache_data(show_spinner=False, max_entries=16)
def _intro_lines(key: tuple) -> list[str]:
    """What is embedded, and what this session has on top (imports, an upload)."""
    values = sd.with_values(sd.rows(key=key))
    # what is embedded in the database, whether or not an import or upload overrides it here
    embedded = sd.embedded_kommuner()
    lines = [t("skolebidrag.coverage_text", n_kommuner=embedded)]
    for prov in ("import", "upload"):
        part = values[values.provenance == prov]
        if part.empty:
            continue
        lines.append(
            t(
                f"skolebidrag.coverage_{prov}",
                files=", ".join(f"«{f}»" for f in dict.fromkeys(part.source_file)),
                kommuner=part.kommune_code.nunique(),
                trinn=w.join(w.trinn_label(x) for x in TRINN if (part.trinn == x).any()),
                periods=", ".join(w.period_order(part.period)),
            )
        )
    missing = [x for x in TRINN if not (values.trinn == x).any()]
    if missing:
        lines.append(t("skolebidrag.coverage_missing", trinn=w.join(map(w.trinn_label, missing))))
    return lines


def intro() -> None:
    st.subheader(t("skolebidrag.coverage_header"))
    for line in _intro_lines(sd.cache_key()):
        st.markdown(line)


@st.cache_data(show_spinner=False, max_entries=16)
def _coverage_table(key: tuple) -> pd.DataFrame:
    """Per trinn and fylke: how many kommuner, how many former ones, which periods, from where."""
    prov_names = {
        "embedded": t("skolebidrag.source_embedded"),
        "import": t("skolebidrag.source_import_short"),
        "upload": t("skolebidrag.source_upload_short"),
    }
    rows = []
    values = sd.with_values(sd.rows(key=key))
    values = values.assign(_fylke=_fylke_column(values))
    for trinn in TRINN:
        part = values[values.trinn == trinn]
        if part.empty:
            rows.append((w.trinn_label(trinn), "–", 0, 0, "–", "–"))
            continue
        for fylke, g in part.groupby("_fylke", sort=True):
            periods = w.period_order(g.period)
            rows.append(
                (
                    w.trinn_label(trinn),
                    fylke,
                    g.kommune_code.nunique(),
                    g[g.is_former].kommune_code.nunique(),
                    f"{periods[0]} – {periods[-1]}",
                    ", ".join(prov_names[p] for p in dict.fromkeys(g.provenance)),
                )
            )
    return pd.DataFrame(
        rows,
        columns=[
            t(f"skolebidrag.col_{c}")
            for c in ("trinn", "fylke", "kommuner", "former", "periods", "source")
        ],
    )


def coverage() -> None:
    table = _coverage_table(sd.cache_key())
    # a national file lists every fylke for every trinn: scroll inside the table, not the page
    show(table, height=min(36 * (len(table) + 1) + 3, 400))
    data_panel(table, "skolebidrag_dekning", SOURCE_SB, key="sb_coverage")
    how_to_get_more()


def how_to_get_more() -> None:
    with st.expander(t("skolebidrag.get_more_header"), icon=":material/download:"):
        st.markdown(t("skolebidrag.get_more_steps", upload=t("skolebidrag.upload_header")))


def explain(trinn: str) -> None:
    st.markdown(t(f"skolebidrag.explain_{trinn.replace('-', '_')}"))
    st.caption(figure_text("skolebidrag.not_comparable") + " " + source_text(SOURCE_EXPERT))


def no_data(trinn: str) -> None:
    st.info(t("skolebidrag.no_data_trinn", trinn=w.trinn_label(trinn)), icon=":material/info:")
    how_to_get_more()
