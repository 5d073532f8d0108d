"""Dialogmøte and print in a real browser (Streamlit server + Debian's Chromium via Playwright).

What AppTest cannot show: notes kept in the browser's storage survive a reload and a server
restart and are not visible to another browser profile; PageDown works with the focus in the
notes box and opens the next step scrolled to its top; the way out is on screen on every step;
«Slett møtet» forgets the notes; Min kommune and the meeting summary print to an A4 PDF with
their figures and source lines and body text of at least 10 pt.

Expected figures are read from the database with plain SQL (core.*), never from the page code.
Screenshots (1920×1080, a projector) and the PDFs go to tests/screenshots/ for a person to look
at. Without Chromium or Playwright these tests skip; with CI=true they fail.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from tests import browser_support as bs

pytestmark = pytest.mark.slow

SHOTS = Path(__file__).resolve().parent / "screenshots"
PROJECTOR = {"width": 1920, "height": 1080}
SMALL = {"width": 1280, "height": 720}  # a laptop: the theme steps are taller than the screen
STORAGE_KEY = "skolemiljo.dialogmote.v1"  # the storage contract (components/dialog_browser.py)
NOTE = ".st-key-dlg_note_{} textarea"  # 0-based step (?steg=3 → dlg_note_2)
EXIT_LABEL = "Avslutt møtemodus"
PT = 96 / 72  # CSS px per point


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="module")
def browser():
    try:
        bs.require_playwright()
        bs.chromium_path()
    except bs.BrowserUnavailable as err:
        _unavailable(str(err))
    with bs.chromium() as b:
        yield b


@pytest.fixture(scope="module")
def server(built_db, browser):
    with bs.streamlit_server(built_db) as base:
        yield base


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=PROJECTOR, locale="nb-NO")
    yield ctx
    ctx.close()


def visit(page, url: str) -> None:
    page.goto(url)
    bs.wait_for_app(page)


def indicator(page) -> str:
    return page.locator('[data-testid="stProgress"]').first.inner_text()


def wait_for_step(page, number: int) -> None:
    page.wait_for_function(
        """n => { const p = document.querySelector('[data-testid="stProgress"]');
                  return p && p.innerText.includes('Steg ' + n + ' av'); }""",
        arg=number,
        timeout=30_000,
    )
    bs.wait_for_app(page)


def stored_notes(page) -> dict:
    return page.evaluate(
        "k => { const v = localStorage.getItem(k); return v ? (JSON.parse(v).notes || {}) : {}; }",
        STORAGE_KEY,
    )


def wait_for_note(page, step0: int, text: str, timeout: int = 15_000) -> None:
    """The notes box of `step0` holds `text` (restored from the browser's storage)."""
    page.wait_for_function(
        """([sel, text]) => { const t = document.querySelector(sel);
                              return t && t.value === text; }""",
        arg=[NOTE.format(step0), text],
        timeout=timeout,
    )


def type_note(page, step0: int, text: str) -> None:
    box = page.locator(NOTE.format(step0))
    box.click()
    box.press_sequentially(text, delay=5)
    page.wait_for_function(  # saved as typed (debounced), before Streamlit sees the text
        "([k, s, t]) => { const v = localStorage.getItem(k);"
        " return !!v && (JSON.parse(v).notes || {})[s] === t; }",
        arg=[STORAGE_KEY, str(step0), text],
        timeout=10_000,
    )


def main_scroll_top(page) -> float:
    """How far the main area is scrolled (Streamlit scrolls inside stMain, not the window)."""
    return page.evaluate(
        """() => Math.max(window.scrollY,
              ...['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]']
                 .map(s => document.querySelector(s)).filter(Boolean).map(e => e.scrollTop))"""
    )


# ----------------------------------------------------------------------------- notes


def test_notes_survive_a_reload_and_stay_in_this_browser(server, browser, context):
    page = context.new_page()
    visit(page, f"{server}/dialogmote?kommune=1804&steg=3")
    text = "Vi kjenner igjen: læring er systemisk. Ta opp med rektorene i mai."
    type_note(page, 2, text)
    page.reload()  # F5 with nothing committed to Streamlit: the browser's copy brings it back
    bs.wait_for_app(page)
    wait_for_note(page, 2, text)
    assert stored_notes(page) == {"2": text}
    # the summary (step 8) lists it after the reload too
    visit(page, f"{server}/dialogmote?kommune=1804&steg=8")
    page.wait_for_function(
        "t => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(t)",
        arg=text,
        timeout=15_000,
    )
    # another browser profile (another user of the app) sees none of it
    other = browser.new_context(viewport=PROJECTOR, locale="nb-NO")
    try:
        stranger = other.new_page()
        visit(stranger, f"{server}/dialogmote?kommune=1804&steg=3")
        stranger.wait_for_timeout(1000)
        assert stranger.locator(NOTE.format(2)).input_value() == ""
        assert stored_notes(stranger) == {}
        assert text not in stranger.locator('[data-testid="stMain"]').inner_text()
    finally:
        other.close()


def test_notes_survive_a_server_restart(built_db, browser):
    port = bs.free_port()
    ctx = browser.new_context(viewport=PROJECTOR, locale="nb-NO")
    try:
        page = ctx.new_page()
        text = "Notat før omstart"
        with bs.streamlit_server(built_db, port=port) as base:
            visit(page, f"{base}/dialogmote?steg=2")
            type_note(page, 1, text)
        with bs.streamlit_server(built_db, port=port) as base:  # same address, new process
            visit(page, f"{base}/dialogmote?steg=2")
            wait_for_note(page, 1, text)
    finally:
        ctx.close()


def test_delete_meeting_clears_the_notes(server, context):
    page = context.new_page()
    visit(page, f"{server}/dialogmote?kommune=1804&steg=2")
    text = "Dette skal slettes"
    type_note(page, 1, text)
    visit(page, f"{server}/dialogmote?kommune=1804&steg=8")
    main = page.locator('[data-testid="stMain"]')
    page.wait_for_function(
        "t => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(t)",
        arg=text,
        timeout=15_000,
    )
    delete = page.locator(".st-key-dlg_delete button").first
    assert delete.is_visible() and "Slett møtet" in delete.inner_text()
    delete.click()
    confirm = page.locator(".st-key-dlg_delete_confirm button")
    confirm.wait_for(state="visible", timeout=10_000)
    assert stored_notes(page) == {"1": text}, "nothing is deleted before the confirmation"
    confirm.click()
    page.wait_for_function("k => localStorage.getItem(k) === null", arg=STORAGE_KEY, timeout=15_000)
    bs.wait_for_app(page)
    assert text not in main.inner_text()
    assert "Ingen notater er skrevet ennå" in main.inner_text()
    page.reload()
    bs.wait_for_app(page)
    page.wait_for_timeout(1000)
    assert text not in main.inner_text()
    visit(page, f"{server}/dialogmote?kommune=1804&steg=2")
    page.wait_for_timeout(1000)
    assert page.locator(NOTE.format(1)).input_value() == ""


# ----------------------------------------------------------------------------- keyboard


def test_page_down_in_the_notes_box_opens_the_next_step_at_its_top(server, browser):
    ctx = browser.new_context(viewport=SMALL, locale="nb-NO")
    try:
        page = ctx.new_page()
        visit(page, f"{server}/dialogmote?kommune=1804&steg=3")
        text = "Skrevet rett før PageDown"
        type_note(page, 2, text)
        assert main_scroll_top(page) > 0, "the notes box should sit below the fold at 1280×720"
        page.keyboard.press("PageDown")  # the focus is still in the notes box
        wait_for_step(page, 4)
        page.wait_for_function(
            """() => Math.max(window.scrollY,
                  ...['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]']
                     .map(s => document.querySelector(s)).filter(Boolean)
                     .map(e => e.scrollTop)) === 0""",
            timeout=10_000,
        )
        # the controls are on screen at the top of the new step
        nxt = page.locator(".st-key-dlg_next button").bounding_box()
        assert nxt and 0 <= nxt["y"] < SMALL["height"] / 3
        # PageUp from the page (no field focused) goes back; the note is still there
        page.locator('[data-testid="stMain"] h2').first.click()
        page.keyboard.press("PageUp")
        wait_for_step(page, 3)
        wait_for_note(page, 2, text)
        assert main_scroll_top(page) == 0
    finally:
        ctx.close()


def test_exit_on_screen_on_every_step_and_projector_screenshots(server, context):
    """Walk all eight steps with the clicker's keys (ArrowRight, then PageDown) on a
    1920×1080 projector: the exit is in the first screenful of every step."""
    page = context.new_page()
    visit(page, f"{server}/dialogmote?kommune=1804")
    SHOTS.mkdir(exist_ok=True)
    for number in range(1, 9):
        wait_for_step(page, number)
        assert indicator(page).startswith(f"Steg {number} av 8")
        link = page.locator('[data-testid="stPageLink"]', has_text=EXIT_LABEL)
        assert link.count() == 1 and link.is_visible(), f"no exit on step {number}"
        box = link.bounding_box()
        assert box and box["y"] + box["height"] <= PROJECTOR["height"], f"exit off screen: {number}"
        if number in (2, 3):
            page.screenshot(path=str(SHOTS / f"dialogmote_projector_steg{number}.png"))
        if number < 8:
            page.locator('[data-testid="stMain"] [data-testid="stProgress"]').click()
            page.keyboard.press("ArrowRight" if number % 2 else "PageDown")
    assert page.locator(".st-key-dlg_next button").is_disabled()


# ----------------------------------------------------------------------------- print


def db_figures(db_path: Path, code: str) -> dict:
    """Min kommune's headline figures for `code`, straight from the database."""
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        landsdel, size_class, pop = con.execute(
            "SELECT landsdel, size_class_2010, population_2020 FROM core.kommune "
            "WHERE kommune_code = ?",
            [code],
        ).fetchone()
        fam = dict(
            (label, (share, n))
            for label, share, n in con.execute(
                "SELECT group_label, share_pct, n_respondents FROM core.familiarity "
                "WHERE dimension = 'landsdel'"
            ).fetchall()
        )
        own = dict(
            (label, (share, n))
            for label, share, n in con.execute(
                "SELECT group_label, share_pct, n_respondents FROM core.owner_use_by_size"
            ).fetchall()
        )
        period, value = con.execute(
            "SELECT period, value_as_published FROM core.skolebidrag "
            "WHERE kommune_code = ? AND trinn = '8-10' ORDER BY period DESC LIMIT 1",
            [code],
        ).fetchone()
        publishers = [
            row[0]
            for row in con.execute(
                "SELECT citation_nb FROM core.sources WHERE source_id IN "
                "('r2010_tabell_2', 'r2010_tabell_6', 'udir_skolebidrag')"
            ).fetchall()
        ]
    finally:
        con.close()
    return {
        "landsdel": fam[landsdel],
        "all_schools": fam["Alle"],
        "size": own[size_class],
        "all_owners": own["Alle"],
        "sb_period": period,
        "sb_value": value,
        "population": pop,
        "citations": publishers,
    }


def pdf_text(pdf: bytes) -> tuple[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    # one space for any run of spaces (no-break spaces between figure and unit included)
    return re.sub(r"[ \u00a0\u202f\t]+", " ", text), len(reader.pages)


def print_font_sizes(page) -> dict:
    """Under print media: the smallest shown body text, caption and metric label, in pt."""
    return page.evaluate(
        """() => {
            const shown = e => { const s = getComputedStyle(e);
                return s.display !== 'none' && s.visibility !== 'hidden' && e.offsetParent !== null
                       && e.innerText.trim().length > 0; };
            const min = sel => Math.min(...[...document.querySelectorAll(sel)].filter(shown)
                .map(e => parseFloat(getComputedStyle(e).fontSize)));
            const main = '[data-testid="stMain"] ';
            return {
              body: min(main + '[data-testid="stMarkdownContainer"] p, ' + main + '[data-testid="stMarkdownContainer"] li'),
              caption: min(main + '[data-testid="stCaptionContainer"] p'),
              metric_label: min(main + '[data-testid="stMetricLabel"] p'),
            };
        }"""
    )


def test_min_kommune_prints_its_figures_and_sources(server, built_db, browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, locale="nb-NO")
    try:
        page = ctx.new_page()
        visit(page, f"{server}/min_kommune?kommune=1804")
        bs.wait_for_charts(page)
        page.emulate_media(media="print")
        sizes = print_font_sizes(page)
        assert sizes["body"] >= 10 * PT - 0.01, sizes
        assert sizes["caption"] >= 10 * PT - 0.01, sizes
        assert sizes["metric_label"] >= 10 * PT - 0.01, sizes
        shown_metrics = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
                     .filter(e => e.offsetParent !== null).length"""
        )
        assert shown_metrics >= 7, "every metric card prints (landsdel 2, size 2, skolebidrag 3)"
        pdf = page.pdf(format="A4", print_background=True)
        SHOTS.mkdir(exist_ok=True)
        (SHOTS / "min_kommune_1804.pdf").write_bytes(pdf)
        # the charts fit the A4 text width (210 mm − 2 × 12 mm margins ≈ 703 px)
        page.set_viewport_size({"width": 703, "height": 1000})
        page.wait_for_timeout(500)
        overflow = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                     .filter(c => c.offsetParent !== null)
                     .map(c => Math.max(...[...c.querySelectorAll('canvas, svg')]
                          .map(e => e.getBoundingClientRect().right), 0))
                     .filter(r => r > window.innerWidth + 1)"""
        )
        assert overflow == [], f"charts wider than the printed page: {overflow}"
    finally:
        ctx.close()
    text, pages = pdf_text(pdf)
    f = db_figures(built_db, "1804")
    assert "Bodø" in text
    for share, n in (f["landsdel"], f["all_schools"], f["size"], f["all_owners"]):
        assert f"{share:.0f} %" in text, (share, text[:2000])
        assert f"n={n}" in text, n
    assert f["sb_value"] in text and f["sb_period"] in text
    assert f"{f['population']:,}".replace(",", " ") in text
    # the sentences that carry the figures and their source lines
    assert "I 2010 kjente" in text
    assert text.count("Kilde:") >= 3
    for citation in f["citations"]:
        assert citation.removeprefix("Kilde: ")[:30] in text, citation
    # no app chrome or buttons in the printout
    assert "Last ned" not in text and "Kopier lenke" not in text
    assert pages <= 6, pages


def test_meeting_summary_prints_figures_sources_and_notes(server, built_db, context):
    page = context.new_page()
    visit(page, f"{server}/dialogmote?kommune=1804&steg=2")
    note = "Utskrift: vi følger opp i juni"
    type_note(page, 1, note)
    visit(page, f"{server}/dialogmote?kommune=1804&steg=8")
    page.wait_for_function(
        "t => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(t)",
        arg=note,
        timeout=15_000,
    )
    page.emulate_media(media="print")
    sizes = print_font_sizes(page)
    assert sizes["body"] >= 10 * PT - 0.01, sizes
    pdf = page.pdf(format="A4", print_background=True)
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / "dialogmote_summary_1804.pdf").write_bytes(pdf)
    text, _ = pdf_text(pdf)
    f = db_figures(built_db, "1804")
    share, n = f["landsdel"]
    assert f"{share:.0f} %" in text and f"n={n}" in text
    assert "Kilde:" in text and note in text
    assert "Neste" not in text and "Slett møtet" not in text and "Last ned" not in text
