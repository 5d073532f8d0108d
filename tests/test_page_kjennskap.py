"""AppTest runs of «Kjennskap»: facts typed from the 2010 report (Uni Rokkansenteret, Tabell 1–3).

Tabell 2: Oslo og Akershus 85 % (n=96), Østlandet 82 % (n=175), Sør- og Vestlandet 82 % (n=233),
Midt- og Nord-Norge 88 % (n=152, printed «Nei 13»), Alle 84 % (n=656).
Tabell 1: Barnetrinn 83 % (n=329), Barne- og ungdomstrinn 83 % (n=145), Ungdomstrinn 85 % (n=94),
Videregående 84 % (n=88). Tabell 3: base n=562. School owners: 92 % and 90 %.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests import page_run

PAGE = "views/kjennskap.py"


def run_page(built_db, **params) -> AppTest:
    return page_run.run_page(PAGE, **params)


def texts(at: AppTest) -> str:
    parts = [
        e.value for kind in ("title", "subheader", "markdown", "caption") for e in getattr(at, kind)
    ]
    parts += [m.value for m in at.metric]
    return "\n".join(str(p) for p in parts)


def test_default_view_shows_regions_test_and_doubtful_print(built_db):
    at = run_page(built_db)
    body = texts(at)
    assert "Kjennskap til «Bedre læringsmiljø»" in body
    assert "n=656" in body  # the national reference
    # chi-square from the printed shares: 82–88 % is within chance (p ≈ 0.36)
    assert "82 %" in body.replace("\u00a0", " ") and "88 %" in body.replace("\u00a0", " ")
    assert "Nei." in body
    assert "0,36" in body
    assert "står seg" in body  # rounding does not change the conclusion
    # the doubtful «Nei 13» of Midt- og Nord-Norge is visible
    assert "«Nei 13»" in body and "101" in body
    assert "133 av 152" in body
    # the landsdel grouping is an assumption
    assert "antakelse" in body
    # school owners: both printed figures, and why no interval
    metrics = [m.value.replace("\u00a0", " ") for m in at.metric]
    assert "92 %" in metrics and "90 %" in metrics
    assert "107 av 150" in body and "17 av 19" in body
    assert "599 av 989" in body  # «Om tallene»
    assert "n=562" in body  # Tabell 3 base
    assert at.selectbox(key="landsdel").value == "alle"


def test_landsdel_from_url_is_highlighted(built_db):
    at = run_page(built_db, landsdel="midt-nord")
    body = texts(at)
    assert "Valgt landsdel: Midt- og Nord-Norge" in body
    assert "n=152" in body
    assert "88" in body
    assert at.selectbox(key="landsdel").value == "midt-nord"


def test_kommune_from_url_marks_its_landsdel(built_db):
    at = run_page(built_db, kommune="0301")
    body = texts(at)
    assert "Din kommune Oslo ligger i Oslo og Akershus" in body


def test_trinn_view(built_db):
    at = run_page(built_db, dim="trinn")
    body = texts(at)
    assert "etter skoletrinn" in body
    assert "Nei." in body  # 83–85 % by stage: not larger than chance
    assert "0,96" in body
    assert "antakelse" not in body.split("Hvor skolene hørte")[0]  # no landsdel caveat here
    assert at.selectbox(key="landsdel").disabled


def test_bad_url_values_give_a_notice_not_an_error(built_db):
    at = run_page(built_db, dim="99", landsdel="<script>", aar="1899")
    notices = " ".join(i.value for i in at.info)
    assert "Vis skolene etter" in notices and "Landsdel" in notices
    assert "<script>" not in notices
    assert "Skoler som kjenner satsingen, etter landsdel" in texts(at)


def test_english(built_db):
    at = run_page(built_db, lang="en")
    body = texts(at)
    assert "Familiarity with «Bedre læringsmiljø»" in body
    assert "Central and Northern Norway" in body
    assert "0.36" in body


@pytest.mark.parametrize(
    ("lang", "col", "words"),
    [
        ("nb", "Merknad", "Begge er beholdt"),
        ("en", "Note", "Both kept, with their places"),
    ],
)
def test_transcriber_notes_in_the_page_language(built_db, lang, col, words):
    """The owners' 92 % / 90 % rows carry a note on the other figure, in the page's language."""
    at = run_page(built_db, **({"lang": lang} if lang == "en" else {}))
    tables = [d.value for d in at.dataframe]
    owners = next(df for df in tables if any("92" in str(v) for v in df.iloc[:, 2]))
    notes = " ".join(owners[col].astype(str))
    assert words in notes, notes
    assert not any("note_nb" in df.columns for df in tables)
