"""«Kilder og metode»: sources, assumptions, methods, doubtful prints and the cell browser.

Facts are typed from the reports (e.g. Tabell 7 prints an N as «58?»; Tabell 2 prints
Midt- og Nord-Norge Ja 88 + Nei 13 with Sum 100).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import browser_support as bs

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(**params) -> AppTest:
    """A visit to …/kilder?…, run through app.py (tests/browser_support.py)."""
    return bs.run(bs.app_test("kilder", params))


def search(at: AppTest, text: str) -> AppTest:
    at.text_input(key="sok").input(text)
    return bs.run(at)


def browser_table(at: AppTest):
    return at.dataframe[-1].value


def count_caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Celler som vises"))


def test_default_page_has_every_section(built_db):
    at = open_page()
    assert not at.exception and not at.error
    headers = [h.value for h in at.header]
    assert headers == [
        "1 Kilder",
        "2 Antakelser",
        "3 Statistiske metoder",
        "4 Usikre trykk og hvordan de vises",
        "5 Alle trykte tall",
    ]
    labels = [e.label for e in at.expander]
    assert any(label.startswith("Uni Rokkansenteret (2010)") for label in labels)
    assert any(label.startswith("NTNU Samfunnsforskning (2016)") for label in labels)
    assert any(label.startswith("Ekspertgruppen for skolebidrag (2021)") for label in labels)
    text = "\n".join(m.value for m in at.markdown)
    for method in ("Wilson", "Cochran–Armitage", "Newcombe", "Welch", "Cohens d", "Traktdiagram"):
        assert method in text
    # the landsdel grouping, one bullet per landsdel, from sources.toml
    assert (
        "Midt\\- og Nord\\-Norge: Sør\\-Trøndelag" in text
        or "Midt- og Nord-Norge: Sør-Trøndelag" in text
    )


def test_assumption_tables(built_db):
    at = open_page()
    frames = [d.value for d in at.dataframe]
    split = next(f for f in frames if "Plassert i" in f.columns)
    assert len(split) == 7 and "Volda" in set(split["Kommune (2020)"])
    successors = next(f for f in frames if "Etterfølger 2020" in f.columns)
    assert {"Stad", "Kinn", "Sunnfjord", "Narvik"} <= set(successors["Etterfølger 2020"])


def test_doubtful_prints_are_listed(built_db):
    at = open_page()
    frames = [d.value for d in at.dataframe]
    flags = next(f for f in frames if "Regel" in f.columns)
    assert {"sum_to_total", "base_consistency"} <= set(flags["Regel"])
    marked = next(f for f in frames if "Usikker" in f.columns)
    assert "58?" in set(marked["Trykt verdi"]), "Tabell 7 prints an N as «58?»"


def test_year_filter_from_url(built_db):
    at = open_page(aar="2016")
    assert not at.exception and not at.error
    table = browser_table(at)
    assert set(table["År"]) == {2016}
    assert at.segmented_control(key="aar").value == "2016"


def test_search_is_a_parameter_not_sql(built_db):
    at = open_page(aar="2010")
    search(at, "58?")
    table = browser_table(at)
    assert list(table["Trykt verdi"]) == ["58?"]
    assert list(table["Tabell/sted"]) == ["Tabell 7"]
    search(at, "x' OR 1=1; DROP TABLE core.kommune; --")
    assert not at.exception
    assert any("Ingen celler passer" in i.value for i in at.info)
    search(at, "")
    assert {"Tabell 1", "Tabell 7", "Fotnote 1"} <= set(browser_table(at)["Tabell/sted"])


@pytest.mark.parametrize(
    "params, notice",
    [({"aar": "1899"}, "Rapportår"), ({"aar": "<script>"}, "Rapportår"), ({"aar": "9" * 80}, None)],
)
def test_bad_url_values(built_db, params, notice):
    at = open_page(**params)
    assert not at.exception and not at.error
    if notice:
        assert any(f"Ukjent verdi i lenken for «{notice}»" in i.value for i in at.info)
    assert count_caption(at).startswith("Celler som vises")


def test_english(built_db):
    at = open_page(lang="en")
    assert not at.exception
    assert at.title[0].value == "Sources and method"
