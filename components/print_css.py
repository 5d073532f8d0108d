"""Print as a first-class output: the browser's printout (Ctrl/Cmd + P, or Chromium's PDF) of a
page carries every figure, the sentences that carry them and their sources, in readable type
on A4.

Streamlit draws the page inside a fixed-height box that scrolls by itself (stMain), so a plain
printout stops at the first screen. For print the boxes around the page flow as ordinary
blocks; the app's chrome (sidebar, header, toolbar), buttons, fields, expanders («Vis som
tabell») and the meeting's notes boxes are left out; metric cards, text, captions (the source
lines) and charts stay. Type is set in points: body 11 pt, captions 10 pt, never smaller.
Charts shrink to the page width and are not split across pages. Style only, no data.
"""

from __future__ import annotations

import streamlit as st

CSS = """<style>
@media print {
  @page { size: A4; margin: 12mm 12mm 14mm 12mm; }
  html, body { font-size: 11pt !important; background: #fff !important; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header,
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [data-testid="stToast"], [data-testid="stButton"],
  [data-testid="stDownloadButton"], [data-testid="stPopover"], [data-testid="stPageLink"],
  [data-testid="stExpander"], [data-testid="stTextArea"], [data-testid="stSelectbox"],
  [data-testid="stButtonGroup"], [data-testid="stBottom"], [data-testid="stElementToolbar"],
  [class*="st-key-noprint"], [class*="st-key-mk_noprint"], .stCode { display: none !important; }
  /* let the page flow: no inner scroll box, no fixed heights, full width */
  [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  section.main, [data-testid="stMainBlockContainer"] {
    position: static !important; overflow: visible !important; height: auto !important;
    min-height: 0 !important; max-height: none !important; display: block !important;
  }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"] {
    padding: 0 !important; margin: 0 !important; max-width: 100% !important; width: 100% !important;
    zoom: 1 !important;
  }
  /* type in points: body ≥ 10 pt */
  [data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
  [data-testid="stText"], blockquote p { font-size: 11pt !important; line-height: 1.35 !important; }
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 10pt !important; color: #333 !important; }
  h1 { font-size: 20pt !important; } h2 { font-size: 16pt !important; }
  h3 { font-size: 14pt !important; } h4 { font-size: 12pt !important; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] p { font-size: 18pt !important; line-height: 1.2 !important; }
  [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] p { font-size: 10pt !important; white-space: normal !important; }
  [data-testid="stMetricLabel"] .stMarkdownEllipsis { white-space: normal !important; overflow: visible !important; }
  [data-testid="stProgress"] p { font-size: 11pt !important; }
  [data-testid="stAlertContainer"] p { font-size: 10pt !important; }
  /* charts fit the page and stay whole */
  [data-testid="stVegaLiteChart"], [data-testid="stMetric"], [data-testid="stVerticalBlockBorderWrapper"],
  [data-testid="stHorizontalBlock"], blockquote { break-inside: avoid; page-break-inside: avoid; }
  [data-testid="stVegaLiteChart"], [data-testid="stVegaLiteChart"] > div { max-width: 100% !important; }
  [data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg {
    max-width: 100% !important; height: auto !important;
  }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
</style>"""


def inject() -> None:
    """Add the print style to the page (draws nothing on screen)."""
    st.html(CSS)
