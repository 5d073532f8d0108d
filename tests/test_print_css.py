"""The print style (components/print_css.py) as the pages draw it: A4, type of at least 10 pt,
no shrinking zoom, the app's chrome and buttons hidden, figures, text, source lines and charts
kept. The printed PDF itself is checked in tests/test_browser_dialog.py (slow)."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests import browser_support as bs

# Streamlit 1.67's own test hooks for what a printout must keep and what it must drop.
KEEP = [
    "stMetric",
    "stMetricValue",
    "stMetricLabel",
    "stMarkdownContainer",
    "stCaptionContainer",
    "stVegaLiteChart",
    "stText",
]
DROP = ["stSidebar", "stHeader", "stToolbar", "stButton", "stDownloadButton", "stExpander"]


def drawn_css() -> str:
    """The style exactly as a page draws it."""

    def script():
        from components import print_css

        print_css.inject()

    at = AppTest.from_function(script, default_timeout=30)
    at.run()
    assert not at.exception
    bodies = [h.proto.body for h in at.get("html")]
    assert len(bodies) == 1
    return bodies[0]


def print_block(css: str) -> str:
    start = css.index("@media print")
    return css[start:]


def rules(css: str) -> list[tuple[str, str]]:
    """(selectors, declarations) of every rule inside @media print."""
    block = print_block(css)
    block = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
    inner = block[block.index("{") + 1 :]
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", inner)]


def test_print_style_is_a4_and_never_below_10_pt():
    css = drawn_css()
    assert "@media print" in css
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    sizes = re.findall(r"font-size:\s*([\d.]+)(\w+)", print_block(css))
    assert sizes, "the print style sets its type sizes"
    for value, unit in sizes:
        assert unit == "pt", f"print type in {unit}, not points"
        assert float(value) >= 10, f"{value} pt is below 10 pt"
    for value in re.findall(r"zoom:\s*([\d.]+)", print_block(css)):
        assert float(value) >= 1, "no shrinking zoom (the old printout was ~7 pt)"


def test_print_hides_the_chrome_and_keeps_the_content():
    hidden = " ".join(sel for sel, body in rules(drawn_css()) if "display: none" in body)
    for testid in DROP:
        assert f'[data-testid="{testid}"]' in hidden, f"{testid} would print"
    for testid in KEEP:
        assert f'[data-testid="{testid}"]' not in hidden, f"{testid} would not print"
    assert "mk_detail" not in hidden, "the metric cards and detail paragraphs print"


def test_charts_fit_the_page_and_are_not_split():
    found = rules(drawn_css())
    chart_rules = [body for sel, body in found if "stVegaLiteChart" in sel]
    assert any("break-inside: avoid" in body for body in chart_rules)
    assert any("max-width: 100%" in body for body in chart_rules)


def test_min_kommune_and_the_meeting_summary_draw_it(built_db):
    css = drawn_css()
    for page, params in (
        ("min_kommune", {"kommune": "1804"}),
        ("dialogmote", {"kommune": "1804", "steg": "8"}),
    ):
        at = bs.run(bs.app_test(page, params))
        assert not at.exception
        assert css in [h.proto.body for h in at.get("html")], page
