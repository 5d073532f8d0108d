"""«Dialogmøte»: the step sequence, ?steg in the URL, notes per step, the meeting summary.

Quotations are checked against the report's own text (shared/seeds, when present): each must
occur verbatim once line-break hyphenation is joined. Facts are typed from the reports.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components import dialog
from tests import browser_support as bs

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
SEED = REPO.parent / "shared" / "seeds" / "004_b54a59acc762f11e.txt"


def open_page(**params) -> AppTest:
    """A visit to …/dialogmote?…, run through app.py (tests/browser_support.py)."""
    at = bs.app_test("dialogmote", params)
    return bs.run(at)


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return bs.run(at)


def indicator(at: AppTest) -> str:
    return at.get("progress")[0].proto.text


def test_default_opens_step_1_with_title(built_db):
    at = open_page()
    assert not at.exception and not at.error
    assert indicator(at).startswith("Steg 1 av 8")
    assert at.title[0].value == "Dialogmøte om kvalitetsutvikling"
    bodies = [h.proto.body for h in at.get("html")]
    # the projector style hides the sidebar on screen; the printout has its own style
    assert any("@media screen" in b and "stSidebar" in b for b in bodies)
    assert any("@media print" in b for b in bodies)


def test_next_walks_through_all_steps_and_keeps_notes(built_db):
    at = open_page(kommune="1804")
    seen = []
    for i in range(1, 9):
        seen.append(indicator(at))
        assert not at.exception and not at.error, seen[-1]
        if i < 8:
            at.text_area(key=f"dlg_note_{i - 1}").input(f"notat {i}")
            click(at, "dlg_next")
    assert [s.split(":")[0] for s in seen] == [f"Steg {i} av 8" for i in range(1, 9)]
    assert at.button(key="dlg_next").disabled
    assert at.query_params.get("steg") == "8"
    # the summary lists the notes typed on the earlier steps
    assert "notat 3" in [x.value for x in at.get("text")]
    # notes persist when going back to a step
    for _ in range(5):
        click(at, "dlg_prev")
    assert indicator(at).startswith("Steg 3 av 8")
    assert at.text_area(key="dlg_note_2").value == "notat 3"


def test_step_in_url_reopens_that_step(built_db):
    at = open_page(steg="3")
    assert not at.exception
    assert indicator(at).startswith("Steg 3 av 8: Tema 1")
    # the printed heading of 7.1 and a verbatim line from its conclusion (7.1.3)
    assert at.header[0].value.startswith("Tema 1. Hva kjennetegner skoler og kommuner")
    quotes = [m.value for m in at.markdown if m.value.startswith("> «")]
    assert 2 <= len(quotes) <= 4
    assert any("Læring er systemisk" in q for q in quotes)
    assert any("7.1.3" in c.value for c in at.caption)


def test_kommune_figures_step(built_db):
    at = open_page(kommune="1804", steg="2")
    assert not at.exception and not at.error
    text = "\n".join(m.value for m in at.markdown)
    # Tabell 2: Midt- og Nord-Norge 88 % of n=152; Tabell 6: 64 % of n=28.
    assert "88\u00a0%" in text and "n=152" in text and "n=28" in text


def test_characteristics_step_has_both_lists(built_db):
    at = open_page(steg="7")
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    assert "Kjennetegn ved skoleeiere som lykkes" in subheaders
    assert "Kjennetegn ved skoleledere som lykkes" in subheaders
    text = "\n".join(m.value for m in at.markdown)
    assert "«Skoleeiere i mindre kommuner deltar i interkommunalt samarbeid.»" in text


def test_summary_step_offers_both_downloads(built_db):
    at = open_page(kommune="1804", steg="8")
    assert not at.exception
    labels = [d.proto.label for d in at.get("download_button")]
    assert any("Markdown" in label for label in labels)
    assert any("CSV" in label for label in labels)


@pytest.mark.parametrize("steg", ["99", "0", "3x", "<script>"])
def test_bad_step_in_url_gives_notice(built_db, steg):
    at = open_page(steg=steg)
    assert not at.exception and not at.error
    assert indicator(at).startswith("Steg 1 av 8")
    assert any("Ukjent verdi i lenken for «Gå til steg»" in i.value for i in at.info)


def test_direct_link_with_bad_kommune(built_db):
    """A visit straight to …/dialogmote?kommune=<script>&steg=2 (Streamlit may run the page
    file without the entrypoint): a notice, the step kept, no kommune."""
    at = AppTest.from_file(str(REPO / bs.page_files()["dialogmote"]), default_timeout=60)
    at.query_params["kommune"] = "<script>"
    at.query_params["steg"] = "2"
    at.run()
    assert not at.exception and not at.error
    assert indicator(at).startswith("Steg 2 av 8")
    infos = [i.value for i in at.info]
    assert any("Ukjent verdi i lenken for «Kommune»" in i for i in infos)
    assert any("Ingen kommune er valgt" in i for i in infos)


def test_kommune_chosen_here_reaches_the_other_pages(built_db):
    at = open_page()
    at.selectbox(key="dlg_kommune").select("1804")
    bs.run(at)
    assert "Kommune: **Bodø** (Nordland)" in [m.value for m in at.markdown]
    at.switch_page(bs.page_files()["min_kommune"])
    bs.run(at)
    assert at.title[0].value.startswith("Bodø")
    assert dict(at.query_params).get("kommune") == "1804"


def test_english(built_db):
    at = open_page(lang="en", steg="4")
    assert not at.exception
    assert indicator(at).startswith("Step 4 of 8")
    assert any("original Norwegian" in c.value for c in at.caption)


# ----------------------------------------------------------------------------- summary builders


def summary() -> dialog.MeetingSummary:
    quotes = pd.DataFrame(
        {
            "table_no": ["Avsnitt 7.1.3", "Avsnitt 2.7 – Kjennetegn ved skoleeiere som lykkes"],
            "speaker": ["Ekspertgruppen"] * 2,
            "quote": ["Læring er systemisk.", "Skoleeier er ambisiøs."],
            "source_id": ["r2021_dialog"] * 2,
        }
    )
    return dialog.MeetingSummary(
        kommune="Bodø",
        date="2026-03-01",
        figures=["I 2010 kjente 88 % av skolene i Midt- og Nord-Norge satsingen (n=152)."],
        figures_source="Kilde: Uni Rokkansenteret (2010): Tabell 2.",
        quotes=dialog.quotes_for_steps(quotes),
        notes={2: "Vi vil lære mer av skolene.", 4: "  ", 6: "=HYPERLINK(x)"},
    )


def test_summary_markdown_has_everything():
    md = dialog.summary_markdown(summary(), "nb")
    assert md.startswith("# Dialogmøte – oppsummering")
    assert "**Kommune:** Bodø" in md and "**Dato:** 2026-03-01" in md
    assert "n=152" in md and "Tabell 2" in md
    assert "> «Læring er systemisk.» (Avsnitt 7.1.3)" in md
    assert "> «Skoleeier er ambisiøs.» (Avsnitt 2.7)" in md
    assert "### Tema 1: skoler og kommuner som lykkes\n\nVi vil lære mer av skolene." in md
    assert "Tema 3" not in md.split("## Notater")[1], "blank notes are left out"


def test_summary_table_rows_and_formula_safety():
    from components.downloads import excel_csv

    table = dialog.summary_table(summary(), "nb")
    assert list(table.columns) == ["steg", "type", "tekst", "kilde"]
    assert set(table["type"]) == {"møte", "tall", "sitat", "notat"}
    assert (table["type"] == "notat").sum() == 2
    csv_text = excel_csv(table).decode("utf-8-sig")
    assert "'=HYPERLINK(x)" in csv_text


def test_summary_without_kommune():
    s = summary()
    s.kommune, s.figures, s.notes = None, [], {}
    md = dialog.summary_markdown(s, "en")
    assert "**Kommune:** (none)" in md and "## Notes\n\n(none)" in md


# ----------------------------------------------------------------------------- transcription


def _joined_seed() -> str:
    """The seed text with line-break hyphenation joined: a line that ends without a space
    continues the word on the next line (the hyphen was dropped by the text extraction)."""
    out = ""
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            out += "\n"
        elif out and not out.endswith((" ", "\n")):
            out += line.lstrip()
        else:
            out += line
    return re.sub(r"[ \t]+", " ", out)


@pytest.mark.skipif(not SEED.exists(), reason="report 004 text not available")
def test_every_quote_is_verbatim_in_the_report():
    text = _joined_seed()
    with open(REPO / "data" / "raw" / "r2021_dialog.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 20
    for r in rows:
        assert r["speaker"] == "Ekspertgruppen"
        assert r["quote"] in text, f"not verbatim in report 004: {r['quote'][:60]}"


def test_each_theme_step_has_two_to_four_quotes(built_db):
    import queries

    quotes = dialog.quotes_for_steps(queries.run("quotes_by_source", source_id=dialog.SOURCE_ID))
    for step in dialog.THEME_STEPS:
        n = (quotes.step == step).sum()
        # Tema 3 prints its conclusions as a list under one lead-in line, kept as its own row.
        assert 2 <= n <= 4 + (step == 4), (step, n)
    assert (quotes.step == dialog.CHARACTERISTICS_STEP).sum() == 14


def test_meeting_mode_links_back_to_the_app_with_kommune_and_language(built_db):
    """The sidebar is hidden here, so the page itself offers the way out."""
    at = open_page(kommune="1804", lang="en")
    assert not at.exception and not at.error
    (link,) = at.get("page_link")
    assert link.proto.label == "Leave meeting mode"
    assert link.proto.page_script_hash and link.proto.page == ""  # Oversikt lives at the root URL
    assert "kommune=1804" in link.proto.query_string and "lang=en" in link.proto.query_string


def test_exit_is_in_the_top_row_of_every_step(built_db):
    """The way out is drawn with the step buttons on every step, not in a collapsed expander."""
    for steg in dialog.STEPS:
        at = open_page(kommune="1804", steg=steg)
        assert not at.exception and not at.error, steg
        links = [p for p in at.get("page_link") if p.proto.label == "Avslutt møtemodus"]
        assert len(links) == 1, steg
        assert not any(
            "Avslutt møtemodus" in p.proto.label for e in at.expander for p in e.get("page_link")
        ), steg


def test_delete_meeting_clears_the_notes(built_db):
    at = open_page(kommune="1804", steg="7")
    at.text_area(key="dlg_note_6").input("Kari i 9B trenger oppfølging")
    click(at, "dlg_next")
    assert indicator(at).startswith("Steg 8 av 8")
    assert "Kari i 9B trenger oppfølging" in [x.value for x in at.get("text")]
    assert [p.proto.popover.label for p in at.get("popover")] == ["Slett møtet"]
    click(at, "dlg_delete_confirm")
    assert not at.exception and not at.error
    assert "Kari i 9B trenger oppfølging" not in [x.value for x in at.get("text")]
    assert "Ingen notater er skrevet ennå." in [c.value for c in at.caption]
    assert any("Møtet er slettet" in s.value for s in at.success)
    # the browser's copy is cleared by the token the bridge receives on this run
    assert at.session_state["_dlg_clear"]
    click(at, "dlg_prev")
    assert at.text_area(key="dlg_note_6").value == ""
