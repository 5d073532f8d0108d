"""Two-page wrapper around the reference page, so a page switch can be timed on it.

A plain start page and benchmarks/reference_page.py behind st.navigation in the sidebar, the
way app.py links its pages. benchmarks/latency.py clicks the sidebar link from the start page
to the reference page and times it next to the app's own page switches, in the same run.

Run on its own: streamlit run benchmarks/reference_nav.py
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent


def start() -> None:
    st.title("Start")
    st.write("Referansesiden ligger i menyen til venstre.")


st.set_page_config(page_title="Referanse", layout="wide")
page = st.navigation(
    [
        st.Page(start, title="Start", url_path="start", default=True),
        st.Page(str(HERE / "reference_page.py"), title="Referanse", url_path="referanse"),
    ],
    position="sidebar",
)
page.run()
