"""AppTest runs of «Bruk»: facts typed from the 2010 report (Uni Rokkansenteret).

Tabell 6 (school owners that used the web guidance): Under 3000 32 % (n=38), 3000–9999 53 % (n=30),
10000 og mer 64 % (n=28), Fylke 57 % (n=14), Alle 49 % (n=110). Tabell 4: 36 % of 532 schools
that knew the initiative; 62 % of 200. Tabell 5: 78 % of 224, printed 24 % of 656 (inconsistent).
Tabell 7: N printed «58?».
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests import page_run

PAGE = "views/bruk.py"


def run_page(built_db, **params) -> AppTest:
    return page_run.run_page(PAGE, **params)


def texts(at: AppTest) -> str:
    kinds = ("title", "subheader", "markdown", "caption", "warning")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind)).replace(
        "\u00a0", " "
    )


def test_default_view(built_db):
    at = run_page(built_db)
    body = texts(at)
    assert "Bruk av veiledningen «Bedre læringsmiljø»" in body
    assert "n=110" in body  # all school owners, the reference line
    # the trend across the three kommune size classes supports «statistisk signifikant»
    assert "Ja, de trykte tallene støtter" in body
    assert "z = 2,68" in body and "0,0074" in body
    assert "n=38, n=30, n=28" in body  # small n stated as a caveat
    # «dobbelt så mange»: 64 % versus 32 %
    assert "64 % mot 32 %" in body and "2,0 ganger" in body and "Cohens h = 0,65" in body
    # the county is set apart, and the n of Tabell 6/7/footnote disagree
    assert "Fylkeskommunene (n=14)" in body and "122" in body
    # the map legend and the three kommuner without a 2010 population
    assert "Sandefjord, Inderøy, Harstad" in body
    # the chain for schools: its own base at each step; Tabell 5's inconsistency is shown
    assert "Andelene kan derfor **ikke** ganges sammen" in body
    assert "78 % av 224" in body and "24 %" in body and "26,6 %" in body
    assert "19 %" in body  # the report's own share of all schools (text before Tabell 4)


def test_owner_chain_shows_doubtful_58(built_db):
    at = run_page(built_db, hvem="skoleeiere")
    body = texts(at)
    assert "«58?»" in body
    assert "92 %" in body and "90 %" in body  # owners' familiarity, both printed figures
    assert "40 %" in body and "60 %" in body and "26 %" in body  # text after Tabell 7


def test_kommune_from_url_highlights_its_class(built_db):
    at = run_page(built_db, kommune="0301")
    body = texts(at)
    assert "Din kommune Oslo" in body and "«10 000 og mer»" in body


def test_kommune_without_2010_population(built_db):
    at = run_page(built_db, kommune="3804")  # Sandefjord: no 2010 figure in the SSB extract
    assert "Din kommune Sandefjord har ikke noe folketall for 2010" in texts(at)


def test_population_2020(built_db):
    at = run_page(built_db, aar="2020")
    body = texts(at)
    assert "1. januar 2020" in body
    assert "Mangler folketall" not in body  # every kommune has a 2020 population


def test_bad_url_values_give_a_notice_not_an_error(built_db):
    at = run_page(built_db, dim="99", landsdel="<script>", aar="1899", hvem="x")
    notices = " ".join(i.value for i in at.info)
    assert "Folketall fra" in notices and "Hvem svarte" in notices
    assert "1. januar 2010" in texts(at)  # fell back to the survey year


def test_english(built_db):
    at = run_page(built_db, lang="en")
    body = texts(at)
    assert "Use of the «Bedre læringsmiljø» guidance" in body
    assert "Yes, the printed figures support" in body
    assert "0.0074" in body
