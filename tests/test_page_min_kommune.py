"""«Min kommune»: the chosen kommune's figures, summary, print CSS and download.

Expected numbers are typed from the printed reports (2010 Tabell 2 and 6) and the Skoleporten
page for Nordland, never read back from the CSVs under test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import browser_support as bs

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(kommune: str | None = None, **params) -> AppTest:
    """A visit to …/min_kommune?kommune=…, run through app.py (tests/browser_support.py)."""
    if kommune is not None:
        params["kommune"] = kommune
    return bs.run(bs.app_test("min_kommune", params))


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [f"{m.label} {m.value}" for m in at.metric] + [i.value for i in at.info]
    return "\n".join(parts)


def test_no_kommune_prompts_with_examples(built_db):
    at = open_page()
    assert not at.exception and not at.error
    assert "Velg kommune" in texts(at)
    labels = [b.label for b in at.button]
    assert "Bodø" in labels and "Oslo" in labels


def test_example_button_selects_kommune(built_db):
    at = open_page()
    next(b for b in at.button if b.label == "Bodø").click()
    bs.run(at)
    assert not at.exception
    assert at.session_state["kommune"] == "1804"
    assert "Bodø: alt appen vet" in at.title[0].value
    assert dict(at.query_params).get("kommune") == "1804"


def test_bodo_has_all_sections(built_db):
    at = open_page("1804")
    assert not at.exception and not at.error
    text = texts(at)
    # Tabell 2: Midt- og Nord-Norge 88 % (n=152); all schools 84 % (n=656).
    assert "88\u00a0%" in text and "n=152" in text and "n=656" in text
    # Tabell 6: kommuner with 10 000 or more inhabitants 64 % (n=28); all owners 49 % (n=110).
    assert "64\u00a0%" in text and "n=28" in text and "n=110" in text
    assert "Cochran–Armitage" in text
    # Skoleporten, Nordland, 8.–10. trinn: Bodø 0,6 in 2018+19.
    assert "Bodø, 2018+19 0,6" in text
    assert "uvektet gjennomsnitt" in text
    assert "z = " in text
    assert "Landsdelene er en antakelse" in text or "Antakelse" in text
    # the printable layout and the one-file download
    assert any("@media print" in h.proto.body for h in at.get("html"))
    assert all("88" not in h.proto.body for h in at.get("html")), "no data values inside st.html"
    assert len(at.get("download_button")) >= 1


def test_bodo_summary_sentences_are_traceable(built_db):
    at = open_page("1804")
    summary = [m.value for m in at.markdown if m.value.startswith("- ")]
    joined = "\n".join(summary)
    assert "I 2010 kjente 88\u00a0% av skolene i Midt- og Nord-Norge" in joined
    assert "8.–10. trinn var 0,6 i 2018+19" in joined


def test_oslo_says_what_exists_and_why_skolebidrag_is_missing(built_db):
    at = open_page("0301")
    assert not at.exception and not at.error
    text = texts(at)
    # one line: what the app has for Oslo, what is missing and why (issue 12, item 6)
    assert "For Oslo har appen: kjennskap i landsdelen Oslo og Akershus (2010)" in text
    assert "Skolebidrag mangler – 1.–4. trinn, 5.–7. trinn og 8.–10. trinn: ikke lastet" in text
    # where to get the figures, in words, never a developer command
    assert not any("python -m" in c.value for c in at.code) and "python -m" not in text
    assert "last det opp på siden Skolebidrag" in text
    # Tabell 2: Oslo og Akershus 85 % (n=96).
    assert "85\u00a0%" in text and "n=96" in text


def test_merged_kommune_names_its_former_kommuner(built_db):
    at = open_page("4649")  # Stad = Eid + Selje (2020)
    assert not at.exception
    text = texts(at)
    assert "Eid" in text and "Selje" in text


@pytest.mark.parametrize("code", ["<script>", "9999", "18O4"])
def test_bad_kommune_in_url_gives_notice(built_db, code):
    at = open_page(code)
    assert not at.exception and not at.error
    assert any("finnes ikke" in i.value for i in at.info)
    assert "Velg kommune" in texts(at)


def test_figures_table_columns_and_sources(built_db):
    from components import kommune_summary as ks

    facts = ks.compute("1804")
    table = ks.figures_table(facts)
    assert list(table.columns) == ["tema", "mål", "verdi", "n", "ki_lav", "ki_høy", "kilde"]
    assert table["kilde"].str.len().gt(0).all(), "every figure has a source"
    row = table[table["mål"].str.startswith("Skoler i Midt- og Nord-Norge")].iloc[0]
    assert row.verdi == 88 and row.n == 152
    # Wilson 95 % interval for 88 % of 152, to one decimal: 81.9–92.3
    assert (row.ki_lav, row.ki_høy) == (81.9, 92.3)
    # no spreadsheet noise: every value has at most 4 decimals, intervals 1
    assert (table["verdi"].dropna().map(lambda v: round(v, 4) == v)).all()
    assert (table[["ki_lav", "ki_høy"]].stack().dropna().map(lambda v: round(v, 1) == v)).all()


@pytest.mark.parametrize("code", ["1804", "0301", "4649", "5006"])
def test_english_page_runs(built_db, code):
    at = open_page(code, lang="en")
    assert not at.exception and not at.error
    assert "everything the app knows" in at.title[0].value


def test_a_session_upload_reaches_min_kommune(built_db):
    """A file uploaded on «Skolebidrag» changes what «Min kommune» shows in the same session.

    The fixture (tests/data/import/udir_skolebidrag_valid_utf8.csv) gives Bærum 1.–4. trinn
    −0,7 for 2014+15 (Skoleporten: 1,6) and a new period 2019+20 = 1,4.
    """
    from tests.test_page_skolebidrag import _uploaded_session

    plain = open_page("3024")
    at = bs.app_test("min_kommune", {"kommune": "3024"})
    for key, value in _uploaded_session().items():
        at.session_state[key] = value
    bs.run(at)
    assert not at.exception and not at.error
    before, after = texts(plain), texts(at)
    assert "2019+20" not in before and "Med tall fra filen du lastet opp" not in before
    assert "Med tall fra filen du lastet opp på siden Skolebidrag" in after
    assert "«udir_skolebidrag_valid_utf8.csv»" in after and "for 2014+15, 2019+20" in after
    # the 1.–4. trinn section's first metric: the kommune's latest value
    assert any(m.label == "Bærum, 2019+20" and m.value == "1,4" for m in at.metric)
    assert not any(m.label.startswith("Bærum, 2019+20") for m in plain.metric)
