"""What a user carries away, checked in a real browser (Streamlit server + Chromium):

- a chart's PNG carries its title, drawn on the image and kept as text in the file (iTXt
  «Title», read here with Pillow, not with the app's code), the source line and the view's link;
  the SVG of the same chart draws the title as text;
- the English CSV parses with the csv module as `,`-separated with `.` decimals and holds the
  report's figure: Tabell 2 (2010), Midt- og Nord-Norge, 88 % of n=152 schools know the
  initiative;
- the .xlsx opens with openpyxl and has numeric cells for those figures, and a source sheet;
- on a phone (390 × 844, touch) «Kopier lenke» copies the view's link by a tap, and Min kommune
  has its own kommune picker in the page.

Figures are typed from the report, never read back from the app's data.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from tests import browser_support as bs

# Tabell 2 (2010): schools that know «Bedre læringsmiljø», Midt- og Nord-Norge.
MIDT_NORD = {"nb": "Midt- og Nord-Norge", "en": "Central and Northern Norway"}
MIDT_NORD_YES, MIDT_NORD_N = 88, 152
HEADING = {
    "nb": "Skoler som kjenner satsingen, etter landsdel",
    "en": "Schools that know the initiative, by region",
}
CSV_LABEL = {"nb": "Last ned tall (CSV for Excel)", "en": "Download figures (CSV for Excel)"}
XLSX_LABEL = {"nb": "Tall som Excel (.xlsx)", "en": "Figures as Excel (.xlsx)"}
PHONE = {"width": 390, "height": 844}


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
def server(built_db, browser, tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with bs.streamlit_server(built_db, log=log) as base:
        ctx = browser.new_context(viewport=bs.VIEWPORT)
        first = ctx.new_page()
        first.goto(base + "/")  # the first request after a start goes to the entrypoint
        bs.wait_for_app(first)
        ctx.close()
        yield base


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport=bs.VIEWPORT, accept_downloads=True, locale="nb-NO")
    p = ctx.new_page()
    yield p
    ctx.close()


def open_page(page, url: str) -> None:
    page.goto(url)
    bs.wait_for_app(page)
    bs.wait_for_charts(page)


def download(page, button) -> tuple[str, bytes]:
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def buttons(page, label: str):
    """The download buttons with this label in the page (not the sidebar), in page order."""
    return page.locator('[data-testid="stMain"]').get_by_role("button", name=label, exact=True)


def first_download_with(page, label: str, needle: bytes) -> tuple[str, bytes]:
    """Click each download named `label` until one holds `needle` (the table beside a chart)."""
    found = buttons(page, label)
    for i in range(found.count()):
        name, raw = download(page, found.nth(i))
        if needle in raw:
            return name, raw
    raise AssertionError(f"no «{label}» download holds {needle!r}")


# ----------------------------------------------------------------------------- chart images


def test_png_export_carries_its_title_source_and_link(server, page):
    from PIL import Image

    open_page(page, f"{server}/kjennskap?kommune=1804")
    png_button = buttons(page, "Figur som PNG").first
    name, raw = download(page, png_button)
    assert name.endswith(".png") and raw.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(raw))
    image.load()
    assert image.width >= 1000, image.size  # drawn at twice the export width, not 300 px
    assert image.info.get("Title") == HEADING["nb"], image.info
    about = image.info.get("Description", "")
    assert "Kilde: Uni Rokkansenteret (2010)" in about and "Tabell 2" in about, about
    assert "/kjennskap?" in about and "kommune=1804" in about, about
    # the same chart as SVG: the title is drawn, as text
    svg_name, svg = download(page, buttons(page, "Figur som SVG").first)
    assert svg_name.endswith(".svg")
    assert HEADING["nb"] in svg.decode("utf-8")


# ----------------------------------------------------------------------------- tables
# (the Norwegian CSV: tests/test_browser.py::test_csv_download_opens_in_excel)


def test_english_csv_parses_with_comma_and_point(server, page):
    open_page(page, f"{server}/kjennskap?lang=en")
    name, raw = first_download_with(page, CSV_LABEL["en"], MIDT_NORD["en"].encode())
    text = raw.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0])
    assert dialect.delimiter == ","
    table = list(csv.DictReader(io.StringIO(text)))
    header = list(table[0])
    assert "Kilde" not in header and any(h == "Source" for h in header), header
    midt = [r for r in table if r[header[0]].startswith(MIDT_NORD["en"])]
    assert len(midt) == 1, table
    row = midt[0]
    numbers = {}
    for key, value in row.items():
        try:
            numbers[key] = float(value)  # a decimal comma would not parse
        except ValueError:
            continue
    assert MIDT_NORD_YES in numbers.values() and MIDT_NORD_N in numbers.values(), row
    fractional = [v for v in numbers.values() if v != int(v)]
    assert fractional, f"the interval bounds have decimals with a point: {row}"
    assert all(0 < v < 100 for v in fractional), row


def test_xlsx_opens_with_numeric_cells(server, page):
    import openpyxl

    open_page(page, f"{server}/kjennskap")
    found = buttons(page, XLSX_LABEL["nb"])
    book = None
    for i in range(found.count()):
        name, raw = download(page, found.nth(i))
        candidate = openpyxl.load_workbook(io.BytesIO(raw))
        cells = [c.value for row in candidate.worksheets[0].iter_rows() for c in row]
        if any(isinstance(v, str) and v.startswith(MIDT_NORD["nb"]) for v in cells):
            book = candidate
            break
    assert book is not None and name.endswith(".xlsx")
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    midt = [r for r in rows if isinstance(r[0], str) and r[0].startswith(MIDT_NORD["nb"])]
    assert len(midt) == 1
    values = midt[0]
    assert MIDT_NORD_YES in values and MIDT_NORD_N in values, values
    typed = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    assert len(typed) >= 3, f"numbers are numeric cells, not text: {values}"
    assert not any(isinstance(v, str) and v.strip() in ("88", "152") for v in values)
    assert len(book.worksheets) >= 2, "a second sheet carries the source"
    source = " ".join(str(c) for row in book.worksheets[1].iter_rows(values_only=True) for c in row)
    assert "Uni Rokkansenteret (2010)" in source


# ----------------------------------------------------------------------------- phone


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="nb-NO"
    )
    ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    p = ctx.new_page()
    yield p
    ctx.close()


def test_copy_link_works_by_tap_on_a_phone(server, phone):
    open_page(phone, f"{server}/kjennskap?kommune=1804&visning=trinn")
    # on a phone the sidebar is a drawer: open it the way a user does
    phone.locator(
        '[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button'
    ).first.tap()
    button = phone.locator("button.sk-copy-link")
    button.wait_for(state="visible")
    button.tap()
    # the button lives in its component's shadow root: Playwright's locators reach it
    for _ in range(50):
        if button.get_attribute("data-state"):
            break
        phone.wait_for_timeout(100)
    assert button.get_attribute("data-state") == "done", button.inner_text()
    assert "Lenke kopiert" in button.inner_text()
    copied = phone.evaluate("() => navigator.clipboard.readText()")
    assert copied == phone.url, (copied, phone.url)
    assert "kommune=1804" in copied and "/kjennskap" in copied


def test_min_kommune_has_its_own_picker_on_a_phone(server, phone):
    open_page(phone, f"{server}/min_kommune?kommune=1804")
    main = phone.locator('[data-testid="stMain"]')
    picker = main.locator('[data-testid="stSelectbox"]').first
    assert picker.is_visible()
    assert "Bodø (Nordland)" in picker.inner_text() or picker.locator("input").input_value()
    text = main.inner_text()
    assert "til venstre" not in text
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"
    # without a kommune the page points to its own field, not to a menu «to the left»
    open_page(phone, f"{server}/min_kommune")
    text = phone.locator('[data-testid="stMain"]').inner_text()
    assert "feltet under" in text and "til venstre" not in text
