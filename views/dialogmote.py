"""Dialogmøte: a full-screen sequence of steps for a dialogue meeting, projected on a wall.

Steps: 0 title → 1 the kommune's figures → 2–5 the expert group's four themes (report 004,
chapter 7, verbatim conclusions) → 6 characteristics of owners and leaders who succeed (2.7) →
7 summary with notes, downloads and «Slett møtet». The step lives in the URL (?steg=3) so a
reload or a shared link reopens it. Notes are kept per step in the session and in the browser's
localStorage (never on the server: they can name pupils and staff), so a reload, a closed tab
or a server restart does not lose them (components/dialog_browser.py, which also gives the
keyboard: PageDown/PageUp from anywhere).
"""

from __future__ import annotations

import streamlit as st

import queries
from components import dialog, dialog_browser, print_css, state
from components import dialog_steps as steps
from components import kommune_summary as ks
from components.dialog_controls import mirrored_choice, nav_bar, notes_field
from components.i18n import t

# Projection: no sidebar or header, large type (screen only; print_css sets the printout).
WALL_CSS = """<style>
@media screen {
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 1500px; padding-top: 1.5rem; }
[data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMainBlockContainer"] [data-testid="stMarkdownContainer"] li { font-size: 1.65rem; line-height: 1.45; }
[data-testid="stMainBlockContainer"] h1 { font-size: 3.2rem; }
[data-testid="stMainBlockContainer"] h2 { font-size: 2.3rem; }
[data-testid="stMainBlockContainer"] blockquote { color: #1f1f1f !important; opacity: 1 !important; }
[data-testid="stMainBlockContainer"] blockquote p { font-size: 1.9rem; color: #1f1f1f !important; }
[data-testid="stMainBlockContainer"] [data-baseweb="select"] div { font-size: 1.3rem; }
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"] p { font-size: 1.2rem; }
[data-testid="stMetricValue"] p { font-size: 3.4rem !important; line-height: 1.15; }
[data-testid="stMetricLabel"] p { font-size: 1.25rem !important; white-space: normal; }
[data-testid="stMetricLabel"] .stMarkdownEllipsis { white-space: normal; overflow: visible; }
[data-testid="stMainBlockContainer"] button p { font-size: 1.4rem; }
[data-testid="stMainBlockContainer"] textarea { font-size: 1.3rem; }
[data-testid="stMainBlockContainer"] [data-testid="stText"] { font-size: 1.4rem; white-space: pre-wrap; }
}
</style>"""

# The language chosen on this page applies from the first line of the run.
if st.session_state.get("dlg_lang") in ("nb", "en"):
    st.session_state["lang"] = st.session_state["dlg_lang"]
st.html(WALL_CSS)
print_css.inject()
top, body = st.container(), st.container()
head = body.container()
settings = st.expander(t("dialogmote.settings"), icon=":material/settings:")
with settings:
    c_kommune, c_lang, c_step = st.columns([3, 2, 2])

# Filters. The sidebar is hidden here, so step, language and kommune are chosen on the page
# (the kommune on the title step, otherwise under «Møteinnstillinger»).
step = (
    int(
        state.url_choice(
            "steg",
            dialog.STEPS,
            t("dialogmote.step_label"),
            default="1",
            format_func=lambda s: f"{s}. {t(f'dialogmote.step_{int(s) - 1}')}",
            widget="selectbox",
            container=c_step,
        )
    )
    - 1
)  # 0-based index; the URL and the indicator count from 1
mirrored_choice(
    "lang",
    "dlg_lang",
    ["nb", "en"],
    t("dialogmote.language_label"),
    default="nb",
    format_func=lambda v: {"nb": "Norsk", "en": "English"}[v],
    container=c_lang,
)
kommuner = queries.run("kommuner").set_index("kommune_code")
names = dict(
    zip(kommuner.index, kommuner.kommune_name + " (" + kommuner.fylke_name_2020 + ")", strict=True)
)
code = mirrored_choice(
    "kommune",
    "dlg_kommune",
    ["", *kommuner.index],
    t("dialogmote.kommune_label"),
    default="",
    format_func=lambda c: names.get(c, c) if c else t("dialogmote.kommune_none"),
    container=body if step == 0 else c_kommune,
    selectbox=True,
)
state.show_notices()

# Data: the kommune's figures and the expert group's quotations.
facts = ks.compute(code) if code else None
quotes = dialog.quotes_for_steps(queries.run("quotes_by_source", source_id=dialog.SOURCE_ID))

with top:
    dialog_browser.mount(step)  # notes kept in the browser, keys, scroll to the top
    nav_bar(step, code)

with body:
    if step == 0:
        steps.step_title(facts, head)
    elif step == 1:
        steps.step_figures(facts)
    elif step in dialog.THEME_STEPS:
        steps.step_theme(step, quotes)
    elif step == dialog.CHARACTERISTICS_STEP:
        steps.step_characteristics(quotes)
    else:
        notes = st.session_state.get(dialog_browser.NOTES, {})
        steps.step_summary(steps.meeting_summary(facts, quotes, notes))
    if step < dialog.N_STEPS - 1:
        notes_field(step)
    st.caption(t("dialogmote.keys_hint"))

# Keep ?steg=… in the address bar even when Streamlit runs this page without app.py.
state.write_url()
