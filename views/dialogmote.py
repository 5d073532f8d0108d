"""Dialogmøte: a full-screen sequence of steps for a dialogue meeting, projected on a wall.

Steps: 0 title → 1 the kommune's figures → 2–5 the expert group's four themes (report 004,
chapter 7, verbatim conclusions) → 6 characteristics of owners and leaders who succeed (2.7) →
7 summary with notes and downloads. The step lives in the URL (?steg=3) so a reload or a shared
link reopens it; notes are kept per step in the session and go into the summary.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitAPIException

import queries
from components import dialog, state
from components import kommune_summary as ks
from components.downloads import excel_csv, safe_name
from components.i18n import lang, t
from components.provenance import source_text

# Projection: no sidebar or header, large type. Style only, no data.
WALL_CSS = """<style>
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
</style>"""


def mirrored_choice(
    url_key: str,
    widget_key: str,
    options: list[str],
    label: str,
    *,
    default: str,
    format_func,
    container,
    selectbox: bool = False,
) -> str:
    """A choice drawn on this page with its own widget key, mirrored into the session key and
    URL key `url_key` that app.py's sidebar reads (kommune, lang).

    The sidebar's picker and language switch are other widgets. A widget never inherits the
    value of another widget with the same key, so sharing the key would lose the kommune and
    the language when the user goes back to a page with a sidebar. A plain session value is
    handed to whichever widget is drawn next.
    """
    state.seed_from_url(url_key, lambda v: v in options, label)
    if st.session_state.get(widget_key) not in options:
        current = st.session_state.get(url_key) or ""
        st.session_state[widget_key] = current if current in options else default
    if selectbox:
        value = container.selectbox(label, options, key=widget_key, format_func=format_func)
    else:
        value = container.segmented_control(
            label, options, key=widget_key, format_func=format_func, selection_mode="single"
        )
    value = value if value in options else default
    st.session_state[url_key] = value or None
    state.register(url_key, default or None)
    return value


def save_note(step: int) -> None:
    """Keep a step's note in a plain session dict: a widget's own state is dropped as soon as
    its step is no longer shown."""
    key = f"dlg_note_{step}"
    if key in st.session_state:
        st.session_state.setdefault("_dlg_notes", {})[step] = st.session_state[key]


def go(delta: int) -> None:
    current = int(st.session_state.get("steg", "1"))
    save_note(current - 1)  # a note typed just before the click is not lost
    st.session_state["steg"] = str(min(max(current + delta, 1), dialog.N_STEPS))


def notes_field(step: int) -> None:
    """A notes box per step, refilled from the session dict when the step is shown again."""
    notes = st.session_state.setdefault("_dlg_notes", {})
    key = f"dlg_note_{step}"
    if key not in st.session_state:
        st.session_state[key] = notes.get(step, "")
    notes[step] = st.text_area(
        t("dialogmote.notes_label"),
        key=key,
        placeholder=t("dialogmote.notes_placeholder"),
        height=110,
        on_change=save_note,
        args=(step,),
    )


def quote_block(rows) -> None:
    for r in rows.itertuples():
        st.markdown(f"> «{r.quote}»")


def step_title(facts: ks.Facts | None, head) -> None:
    """`head` is a slot above the kommune field, so the title comes first on the page."""
    head.title(t("dialogmote.title"))
    head.markdown(f"### {t('dialogmote.subtitle')}")
    if facts is None:
        st.info(t("dialogmote.no_kommune"), icon=":material/location_city:")
    else:
        st.markdown(
            t(
                "dialogmote.kommune_line",
                kommune=facts.info.kommune_name,
                fylke=facts.info.fylke_name_2020,
            )
        )
    st.markdown(t("dialogmote.date_line", date=dt.date.today().isoformat()))
    st.markdown(f"**{t('dialogmote.agenda_header')}**")
    # numbered as the step indicator counts (this page is step 1)
    st.markdown(
        "\n".join(f"{i + 1}. {t(f'dialogmote.step_{i}')}" for i in range(1, dialog.N_STEPS))
    )


def step_figures(facts: ks.Facts | None) -> None:
    st.header(t("dialogmote.step_1"))
    if facts is None:
        st.info(t("dialogmote.no_kommune"), icon=":material/location_city:")
        return
    ks.render_compact(facts)
    st.caption(source_text(ks.SRC_LANDSDEL + ks.SRC_SIZE + ks.SRC_SB))
    st.markdown(f"**{t('dialogmote.question_figures')}**")


def step_theme(step: int, quotes) -> None:
    st.header(t(f"dialogmote.heading_{step}"))
    st.markdown(t("dialogmote.theme_intro"))
    quote_block(quotes[quotes.step == step])
    st.caption(
        t("dialogmote.quote_source", place=t(f"dialogmote.place_{step}"))
        + (" " + t("dialogmote.quotes_nb_only") if lang() != "nb" else "")
    )
    st.markdown(f"**{t('dialogmote.question')}**")


def step_characteristics(quotes) -> None:
    step = dialog.CHARACTERISTICS_STEP
    st.header(t(f"dialogmote.heading_{step}"))
    st.markdown(t("dialogmote.characteristics_intro"))
    rows = quotes[quotes.step == step]
    owners, leaders = dialog.STEP_PLACES[step]
    c1, c2 = st.columns(2, gap="large")
    for col, place, header in (
        (c1, owners, "owners_header"),
        (c2, leaders, "leaders_header"),
    ):
        with col:
            st.subheader(t(f"dialogmote.{header}"))
            st.markdown("\n".join(f"- «{q}»" for q in rows[rows.table_no == place].quote))
    st.caption(
        t("dialogmote.quote_source", place=t(f"dialogmote.place_{step}"))
        + (" " + t("dialogmote.quotes_nb_only") if lang() != "nb" else "")
    )


def step_summary(summary: dialog.MeetingSummary) -> None:
    st.header(t("dialogmote.step_7"))
    st.markdown(t("dialogmote.summary_intro"))
    if summary.figures:
        st.markdown("\n".join(f"- {f}" for f in summary.figures))
    st.markdown(f"**{t('dialogmote.summary_notes_header')}**")
    written = {k: v for k, v in sorted(summary.notes.items()) if v and v.strip()}
    if not written:
        st.caption(t("dialogmote.summary_no_notes"))
    for step, note in written.items():
        st.markdown(f"*{dialog.step_name(step, lang())}*")
        st.text(note)  # typed by the user: shown as plain text, never as Markdown or HTML
    name = safe_name(f"dialogmote_{summary.kommune or 'uten_kommune'}_{summary.date}")
    c1, c2 = st.columns(2)
    c1.download_button(
        t("dialogmote.download_md"),
        data=dialog.summary_markdown(summary).encode("utf-8"),
        file_name=f"{name}.md",
        mime="text/markdown",
        key="dlg_download_md",
        on_click="ignore",
        icon=":material/description:",
        width="stretch",
    )
    c2.download_button(
        t("dialogmote.download_csv"),
        data=excel_csv(dialog.summary_table(summary)),
        file_name=f"{name}.csv",
        mime="text/csv",
        key="dlg_download_csv",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )


# ----------------------------------------------------------------------------- page

# The language chosen on this page applies from the first line of the run.
if st.session_state.get("dlg_lang") in ("nb", "en"):
    st.session_state["lang"] = st.session_state["dlg_lang"]
st.html(WALL_CSS)
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
    left, middle, right = st.columns([1.4, 4, 1.4], vertical_alignment="center")
    left.button(
        t("dialogmote.prev"),
        key="dlg_prev",
        on_click=go,
        args=(-1,),
        disabled=step == 0,
        icon=":material/arrow_back:",
        width="stretch",
        shortcut="PageUp",
    )
    middle.progress(
        (step + 1) / dialog.N_STEPS,
        text=t(
            "dialogmote.step_indicator",
            i=step + 1,
            n=dialog.N_STEPS,
            name=t(f"dialogmote.step_{step}"),
        ),
    )
    right.button(
        t("dialogmote.next"),
        key="dlg_next",
        on_click=go,
        args=(1,),
        disabled=step == dialog.N_STEPS - 1,
        icon=":material/arrow_forward:",
        icon_position="right",
        type="primary",
        width="stretch",
        shortcut="PageDown",
    )

with body:
    if step == 0:
        step_title(facts, head)
    elif step == 1:
        step_figures(facts)
    elif step in dialog.THEME_STEPS:
        step_theme(step, quotes)
    elif step == dialog.CHARACTERISTICS_STEP:
        step_characteristics(quotes)
    else:
        summary = dialog.MeetingSummary(
            kommune=facts.info.kommune_name if facts else None,
            date=dt.date.today().isoformat(),
            lang=lang(),
            figures=ks.sentences(facts) if facts else [],
            figures_source=source_text(ks.SRC_LANDSDEL + ks.SRC_SIZE + ks.SRC_SB) if facts else "",
            quotes=quotes,
            notes=dict(st.session_state.get("_dlg_notes", {})),
        )
        step_summary(summary)
    if step < dialog.N_STEPS - 1:
        notes_field(step)
    st.caption(t("dialogmote.keys_hint"))

# The way out: this page hides the sidebar, so it links back to the app itself (same kommune
# and language; the meeting's notes stay in the session if the group comes back).
out_params = {**({"kommune": code} if code else {}), **({"lang": "en"} if lang() == "en" else {})}
with settings:
    try:
        st.page_link(
            "views/oversikt.py",
            label=t("dialogmote.leave"),
            icon=":material/logout:",
            query_params=out_params,
        )
    except StreamlitAPIException:  # the page ran without app.py's navigation: a plain link
        st.markdown(f"[{t('dialogmote.leave')}](./?{urlencode(out_params)})")

# Keep ?steg=… in the address bar even when Streamlit runs this page without app.py.
state.write_url()
