"""Figures by key (components/figures.py over queries/figures.sql): values typed from the
reports, shown with the decimals they were printed with, and a missing key named."""

from __future__ import annotations

import pytest

from components.figures import figure_text, figures, values
from components.i18n import use_language

NB = "\u00a0"


def test_values_by_key(built_db):
    # 2010, footnote 1: 107 of 150 kommuner (71,3 %); the summary: 90 % of owners knew it.
    got = values(
        "r2010_kommuner_answered", "r2010_kommuner_sampled", "r2010_owners_know_pct_summary"
    )
    assert list(got) == [
        "r2010_kommuner_answered",
        "r2010_kommuner_sampled",
        "r2010_owners_know_pct_summary",
    ]
    assert list(got.values()) == [107, 150, 90]


def test_a_key_carries_its_print_and_doubt(built_db):
    row = figures("r2010_owners_know_pct_after_tabell_2").iloc[0]
    assert row["value_printed"] == "92 %"
    assert row["table_no"] == "Tekst etter Tabell 2"  # where it is printed, for the reader


def test_unknown_key_is_named(built_db):
    with pytest.raises(KeyError, match="r2010_no_such_figure"):
        figures("r2010_schools_answered", "r2010_no_such_figure")


@pytest.mark.parametrize(
    "key, lang, shown",
    [
        ("kjennskap.owners_caption", "nb", f"107 av 150 kommuner (71,3{NB}%)"),  # one decimal
        ("kjennskap.owners_caption", "en", f"107 of 150 kommuner (71.3{NB}%)"),
        ("kjennskap.about_text", "nb", f"599 av 989 skoler svarte (svarprosent 60,6{NB}%)"),
        ("aktorer.thresholds_text", "nb", "moderat effekt «0.5-.0.79»"),  # text kept as printed
        ("oversikt.q4_text", "nb", f"blant 1{NB}430 skoler på 5.–7. trinn 18 med"),
    ],
)
def test_templates_name_their_figures(built_db, key, lang, shown):
    more = {"assumption": "", "n14": 0, "n810": 0, "former": 0}
    with use_language(lang):
        assert shown in figure_text(key, **more)
