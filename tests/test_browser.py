"""The app in a real browser: a Streamlit server and Debian's Chromium driven by Playwright.

What AppTest cannot show: the pages load in a browser without an error box, the kommune and
filters survive navigation and a copied link, a click on the map selects a kommune, and the CSV
download is a real file Excel can open. Full-page screenshots of every page are written to
tests/screenshots/ (gitignored) for a person to look at.

Without Chromium or Playwright these tests skip with a message; with CI=true they fail.
"""

from __future__ import annotations

import io
import os
import time
import tomllib
from pathlib import Path

import pytest

from tests import browser_support as bs

SHOTS = Path(__file__).resolve().parent / "screenshots"
STRINGS = Path(__file__).resolve().parent.parent / "components" / "strings" / "common.toml"

BODO = ("1804", "Bodø")


def _nav_titles() -> dict[str, str]:
    with open(STRINGS, "rb") as f:
        common = tomllib.load(f)
    return {p: common[f"nav_{p}"]["nb"] for p in bs.PAGES}


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser():
    try:
        bs.require_playwright()
        bs.chromium_path()
    except bs.BrowserUnavailable as err:
        _unavailable(str(err))
    with bs.chromium() as b:
        yield b


@pytest.fixture(scope="session")
def server(built_db, browser, tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with bs.streamlit_server(built_db, log=log) as base:
        yield base
    if os.environ.get("SKOLEMILJO_SHOW_SERVER_LOG"):
        print(log.read_text(errors="replace"))


@pytest.fixture(scope="session")
def warm_server(server, browser):
    """The server after one visit to the entrypoint (see test_deep_link_first_request)."""
    ctx = browser.new_context(viewport=bs.VIEWPORT)
    page = ctx.new_page()
    page.goto(server + "/")
    bs.wait_for_app(page)
    ctx.close()
    return server


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


def problems_on(page) -> list[str]:
    """Exception boxes, error alerts and Streamlit's «Page not found» dialog on the page."""
    out = []
    for sel, what in ((bs.EXCEPTION, "exception"), (bs.ALERT_ERROR, "error")):
        for el in page.locator(sel).all():
            out.append(f"{what}: {el.inner_text()[:300]}")
    for el in page.locator('[role="dialog"]').all():
        text = el.inner_text()
        if "not found" in text.lower() or "finnes ikke" in text.lower():
            out.append(f"dialog: {text[:300]}")
    return out


def page_url(base: str, name: str) -> str:
    """The address the app's own navigation uses: the default page (Oversikt) lives at «/»."""
    return f"{base}/" if name == bs.PAGES[0] else f"{base}/{name}"


def picker_text(page) -> str:
    """The kommune picker's shown value («Bodø (Nordland)»), '' when nothing is chosen."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').first
    return box.input_value() if box.count() else ""


def query(page) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(page.url).query))


def full_page_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside stMain, so grow the viewport to the content before shooting."""
    height = page.evaluate(
        "() => Math.max(document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 0,"
        " document.documentElement.scrollHeight)"
    )
    page.set_viewport_size({"width": bs.VIEWPORT["width"], "height": min(max(height, 900), 12000)})
    page.wait_for_timeout(600)  # charts and maps redraw at the new size
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(bs.VIEWPORT)


# ----------------------------------------------------------------------------- tests


def test_deep_link_first_request(built_db, browser, tmp_path):
    """A copied link may be the first request a freshly started server gets.

    It must still run through app.py (wide layout, picker, navigation with Norwegian titles),
    not straight through the page file: Streamlit runs a pages/ folder the old (v1) way until
    the entrypoint has called st.navigation once in that process.
    """
    with bs.streamlit_server(built_db, log=tmp_path / "log.txt") as base:
        ctx = browser.new_context(viewport=bs.VIEWPORT)
        page = ctx.new_page()
        page.goto(f"{base}/kjennskap?kommune={BODO[0]}")
        bs.wait_for_app(page)
        links = [a.inner_text() for a in page.locator('[data-testid="stSidebarNavLink"]').all()]
        picker = picker_text(page)
        ctx.close()
    titles = _nav_titles()
    assert any(titles["kjennskap"] in text for text in links), (
        f"the first request ran the page without app.py's navigation; nav links: {links}"
    )
    assert BODO[1] in picker


@pytest.mark.parametrize("name", bs.PAGES)
def test_page_loads_without_errors(warm_server, page, name):
    open_page(page, page_url(warm_server, name))
    assert problems_on(page) == []
    active = page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    assert active.count() == 1 and _nav_titles()[name] in active.inner_text()
    heading = page.locator('[data-testid="stMain"] h1').first
    assert heading.count() == 1 and heading.inner_text().strip(), f"{name} has no title"
    SHOTS.mkdir(exist_ok=True)
    full_page_screenshot(page, SHOTS / f"{name}.png")
    print(f"\nscreenshot: {SHOTS / f'{name}.png'}")


def test_no_request_leaves_the_machine(warm_server, page):
    """The app works offline: no map tiles or styles, web fonts, CDNs or trackers are fetched."""
    outside = []
    host = warm_server.split("//", 1)[1]
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(("data:", "blob:")) and host not in r.url.split("/")[2:3]
            else None
        ),
    )
    for name in bs.PAGES:
        open_page(page, page_url(warm_server, name) + f"?kommune={BODO[0]}")
    assert outside == [], f"requests to other hosts: {sorted(set(outside))[:10]}"


def test_kommune_survives_navigation(warm_server, page):
    open_page(page, f"{warm_server}/kjennskap?kommune={BODO[0]}")
    assert BODO[1] in picker_text(page)
    page.locator('[data-testid="stSidebarNavLink"][href$="/bruk"]').click()
    page.wait_for_url("**/bruk*")
    bs.wait_for_app(page)
    assert page.url.split("?")[0].endswith("/bruk")
    assert query(page).get("kommune") == BODO[0], page.url
    assert BODO[1] in picker_text(page)
    assert problems_on(page) == []


def _view_fingerprint(page) -> dict:
    return {
        "path": page.url.split("?")[0].rsplit("/", 1)[-1],
        "query": query(page),
        "headings": page.locator('[data-testid="stMain"] :is(h1, h2, h3)').all_inner_texts(),
        "chosen": [
            b.inner_text()
            for b in page.locator('[data-testid="stButtonGroup"] button[aria-checked="true"]').all()
        ],
        "picker": picker_text(page),
    }


def test_copied_link_reopens_same_view(warm_server, browser, page):
    open_page(page, f"{warm_server}/kjennskap?kommune={BODO[0]}")
    before = page.url
    # Change a filter on the page (the first segmented control with an unchosen option) and
    # the language in the sidebar; both must be in the URL.
    unchosen = page.locator(
        '[data-testid="stMain"] [data-testid="stButtonGroup"] button[aria-checked="false"]'
    )
    if unchosen.count():
        unchosen.first.click()
        bs.wait_for_app(page)
    page.locator('[data-testid="stSidebar"] button', has_text="English").first.click()
    bs.wait_for_app(page)
    copied = page.url
    assert copied != before and query(page).get("lang") == "en", copied
    original = _view_fingerprint(page)

    ctx = browser.new_context(viewport=bs.VIEWPORT)
    fresh = ctx.new_page()
    open_page(fresh, copied)
    reopened = _view_fingerprint(fresh)
    assert problems_on(fresh) == []
    ctx.close()
    assert reopened == original


TOOLTIP_NAME = """() => {
  const t = document.querySelector('#vg-tooltip-element.visible');
  const h = t && t.querySelector('h2');
  return h ? h.innerText.trim() : null;
}"""
# The page's clock each time a script run starts (stApp's data-test-script-state → running).
RUN_LOG = """
window.__runs = [];
new MutationObserver((records) => {
  for (const r of records)
    if (r.target.getAttribute('data-test-script-state') === 'running')
      window.__runs.push(performance.now());
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
"""


def _hovered_kommune(page, x: float, y: float) -> str | None:
    """The heading of the map tooltip at (x, y), i.e. the kommune under the pointer."""
    page.mouse.move(x, y)
    page.wait_for_timeout(150)
    return page.evaluate(TOOLTIP_NAME)


def test_map_click_selects_kommune(warm_server, page):
    """Click a kommune on the kommune map of «Bruk» (Vega-Lite on a canvas); the picker and the
    URL follow after ONE script run (the map's callback sets the picker's key before the run).

    The pointer looks for a kommune other than Bodø by the tooltip's heading, then clicks it.
    """
    page.add_init_script(RUN_LOG)
    open_page(page, f"{warm_server}/bruk?kommune={BODO[0]}")
    chart = page.locator(".st-key-bruk_map").first
    assert chart.count() == 1, "«Bruk» shows no map"
    assert page.locator('[data-testid="stDeckGlJsonChart"]').count() == 0, "no WebGL map"
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = chart.locator("canvas.marks, svg.marks").first.bounding_box()
    assert box, "the map has no canvas or svg"
    target = None
    for fy in (7, 6, 5, 4, 3, 8, 2):
        for fx in (4, 5, 3, 6, 7, 2):
            x, y = box["x"] + box["width"] * fx / 10, box["y"] + box["height"] * fy / 10
            name = _hovered_kommune(page, x, y)
            if name and name != BODO[1]:
                target = (x, y, name)
                break
        if target:
            break
    assert target, "the pointer found no kommune on the map (no tooltip anywhere)"
    x, y, name = target
    t0 = page.evaluate("() => performance.now()")
    page.mouse.click(x, y)
    deadline = time.monotonic() + 15
    while query(page).get("kommune") == BODO[0] and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    bs.wait_for_app(page)
    chosen = query(page).get("kommune")
    assert chosen != BODO[0], f"clicking {name!r} chose no kommune"
    assert picker_text(page).startswith(name), (picker_text(page), name)
    assert problems_on(page) == []
    runs = page.evaluate("(t0) => window.__runs.filter((t) => t >= t0).length", t0)
    assert runs == 1, f"a map click cost {runs} script runs"
    # The chosen kommune's map is a new widget: no selection is left active on it (an active
    # one would swallow the next click on the same kommune, and shows «Clear selection»).
    assert chart.get_by_role("button", name="Clear selection").count() == 0
    full_page_screenshot(page, SHOTS / "bruk_after_map_click.png")
    print(f"\nmap click on {name!r} chose kommune {chosen} in {runs} run")


def test_csv_download_opens_in_excel(warm_server, page):
    """Tabell 2 (2010): «Midt- og Nord-Norge» 88 % know the programme (n=152). The downloads
    sit beside each chart (components/downloads.py), not inside «Vis som tabell»."""
    open_page(page, f"{warm_server}/kjennskap")
    buttons = page.locator('[data-testid="stMain"]').get_by_role(
        "button", name="Last ned tall (CSV for Excel)", exact=True
    )
    found = None
    for i in range(buttons.count()):
        with page.expect_download() as info:
            buttons.nth(i).click()
        raw = Path(info.value.path()).read_bytes()
        if b"Midt- og Nord-Norge" in raw:
            found = (info.value.suggested_filename, raw)
            break
    assert found, "no table download on «Kjennskap» mentions Midt- og Nord-Norge"
    name, raw = found
    assert name.endswith(".csv")
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV for Excel must start with a UTF-8 BOM"
    text = raw.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert ";" in header and "," not in header.replace(", ", "")
    rows = [line.split(";") for line in io.StringIO(text).read().splitlines()]
    # The row label may carry the page's footnote mark for the doubtful print («… *»).
    midt = [r for r in rows if r and r[0].strip('"').startswith("Midt- og Nord-Norge")]
    assert midt and any(any(c.strip('"') in ("88", "88,0") for c in r) for r in midt), (
        f"no 88 in the Midt- og Nord-Norge rows: {midt}"
    )
