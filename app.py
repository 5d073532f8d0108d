"""Entrypoint: language, database check, kommune picker bound to the URL, navigation."""

from __future__ import annotations

import sys
import traceback
from urllib.parse import urlencode

import streamlit as st

st.set_page_config(
    page_title="Læringsmiljø og skolebidrag",
    page_icon="🏫",  # an emoji is inline; a material icon fetches a web font
    layout="wide",
    initial_sidebar_state="auto",
)

import queries  # noqa: E402
from components import skolebidrag_upload, state  # noqa: E402
from components.boot import ensure_database  # noqa: E402
from components.copy_link import copy_link_button  # noqa: E402
from components.i18n import fmt_num, t  # noqa: E402
from components.survey_labels import printed_name, size_name  # noqa: E402

# The page files live in views/, not pages/: with a folder named pages/ beside the entrypoint,
# Streamlit runs the first request after a server start in its old multipage mode, without
# this file (no database check, picker or navigation), which broke shared deep links.
PAGES = [
    # (file, url_path, title key, icon, section)
    ("views/oversikt.py", "oversikt", "common.nav_oversikt", ":material/dashboard:", "topics"),
    ("views/kjennskap.py", "kjennskap", "common.nav_kjennskap", ":material/map:", "topics"),
    ("views/bruk.py", "bruk", "common.nav_bruk", ":material/menu_book:", "topics"),
    ("views/aktorer.py", "aktorer", "common.nav_aktorer", ":material/groups:", "topics"),
    (
        "views/skolebidrag.py",
        "skolebidrag",
        "common.nav_skolebidrag",
        ":material/trending_up:",
        "topics",
    ),
    (
        "views/min_kommune.py",
        "min_kommune",
        "common.nav_min_kommune",
        ":material/location_city:",
        "tools",
    ),
    (
        "views/dialogmote.py",
        "dialogmote",
        "common.nav_dialogmote",
        ":material/co_present:",
        "tools",
    ),
    ("views/kilder.py", "kilder", "common.nav_kilder", ":material/library_books:", "tools"),
]


def kommune_label_factory():
    kommuner = queries.run("kommuner").set_index("kommune_code")
    # A dict, not a row lookup per call: the picker formats all 356 options on every run.
    names = kommuner["kommune_name"] + " (" + kommuner["fylke_name_2020"] + ")"
    labels = dict(zip(kommuner.index, names, strict=True))

    def label(code: str) -> str:
        return labels.get(code, code)

    return kommuner, label


def sidebar() -> None:
    with st.sidebar:
        state.url_choice(
            "lang",
            ["nb", "en"],
            t("common.language"),
            default="nb",
            format_func=lambda v: {"nb": "Norsk", "en": "English"}[v],
        )
        kommuner, label = kommune_label_factory()
        code = state.kommune_picker(list(kommuner.index), label)
        if code:
            row = kommuner.loc[code]
            size = size_name(row.size_class_2010)
            st.caption(
                t(
                    "common.kommune_facts",
                    fylke=row.fylke_name_2020,
                    landsdel=printed_name(row.landsdel),
                    size=size,
                )
                + " · "
                + t("common.inhabitants_2020", n=fmt_num(row.population_2020))
            )


# A metric's label wraps instead of ending in «…»: on a phone a label such as «Skoleeiere i
# kommuner med 10 000 eller flere innbyggere» would otherwise lose what the figure is about.
WRAP_CSS = """<style>
[data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] .stMarkdownEllipsis {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
</style>"""


def main() -> None:
    state.begin_run()
    st.html(WRAP_CSS)
    # Language first: every text of this run, including the language switch's own label,
    # must already be in the language the link asks for.
    state.seed_from_url("lang", lambda v: v in ("nb", "en"), "Språk / language")
    if not ensure_database():
        return
    skolebidrag_upload.seed_from_url()  # ?data=<id>: a user's upload, on every page
    nav = {t("common.section_topics"): [], t("common.section_tools"): []}
    for file, url_path, title, icon, section in PAGES:
        page = st.Page(
            file, title=t(title), icon=icon, url_path=url_path, default=url_path == "oversikt"
        )
        nav[t(f"common.section_{section}")].append(page)
    page = st.navigation(nav, position="sidebar")
    dialogue = page.url_path == "dialogmote"
    if not dialogue:
        sidebar()
        st.sidebar.divider()
        link_slot = st.sidebar.empty()
    else:
        link_slot = None
    notice_slot = st.container()  # filled after the page ran, so its filters' notices show too
    try:
        page.run()
    except Exception:  # noqa: BLE001 - a user never sees a traceback
        traceback.print_exc(file=sys.stderr)
        st.error(t("common.page_error"), icon=":material/error:")
    with notice_slot:
        state.show_notices()
    state.write_url()
    if link_slot is not None:
        base = (st.context.url or "").split("?")[0]
        params = state.url_params()
        link = base + ("?" + urlencode(params) if params else "")
        with link_slot.container():
            copy_link_button()  # a button: a tap copies too (the code box's icon needs hover)
            st.caption(t("common.copy_link_help"))
            st.code(link, language=None, wrap_lines=True)
            built = queries.run("build_info")
            if not built.empty:
                st.caption(t("common.built_on", date=built["built_on"].iloc[0]))


main()
