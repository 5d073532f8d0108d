"""The meeting's controls: step buttons, the way out, the notes boxes, «Slett møtet», and the
page's own kommune and language fields (the sidebar is hidden in meeting mode).

Notes live in two places: the session dict `dialog_browser.NOTES` (what the summary reads) and
the browser's localStorage (what survives a reload; components/dialog_browser.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitAPIException

from components import dialog, state
from components.dialog_browser import NEXT_KEY, NOTE_KEY, NOTES, PREV_KEY, delete_meeting
from components.i18n import lang, t


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
    key = f"{NOTE_KEY}{step}"
    if key in st.session_state:
        st.session_state.setdefault(NOTES, {})[step] = st.session_state[key]


def go(delta: int) -> None:
    current = int(st.session_state.get("steg", "1"))
    save_note(current - 1)  # a note typed just before the click is not lost
    st.session_state["steg"] = str(min(max(current + delta, 1), dialog.N_STEPS))


def notes_field(step: int) -> None:
    """A notes box per step, refilled from the session dict when the step is shown again."""
    notes = st.session_state.setdefault(NOTES, {})
    key = f"{NOTE_KEY}{step}"
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


def exit_link(container, code: str) -> None:
    """The way out, back to the app with the same kommune and language (the meeting's notes
    stay in the browser until «Slett møtet»)."""
    params = {**({"kommune": code} if code else {}), **({"lang": "en"} if lang() == "en" else {})}
    try:
        container.page_link(
            "views/oversikt.py",
            label=t("dialogmote.leave"),
            help=t("dialogmote.leave_help"),
            icon=":material/logout:",
            query_params=params,
        )
    except StreamlitAPIException:  # the page ran without app.py's navigation: a plain link
        container.markdown(f"[{t('dialogmote.leave')}](./?{urlencode(params)})")


def nav_bar(step: int, code: str) -> None:
    """Previous · where we are · next · leave: one row at the top of every step."""
    left, middle, right, out = st.columns([1.3, 4, 1.3, 1.7], vertical_alignment="center")
    left.button(
        t("dialogmote.prev"),
        key=PREV_KEY,
        on_click=go,
        args=(-1,),
        disabled=step == 0,
        icon=":material/arrow_back:",
        width="stretch",
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
        key=NEXT_KEY,
        on_click=go,
        args=(1,),
        disabled=step == dialog.N_STEPS - 1,
        icon=":material/arrow_forward:",
        icon_position="right",
        type="primary",
        width="stretch",
    )
    exit_link(out, code)


def delete_meeting_button() -> None:
    """«Slett møtet»: a popover that asks once more, then forgets the notes everywhere."""
    with st.popover(
        t("dialogmote.delete"), icon=":material/delete:", width="stretch", key="dlg_delete"
    ):
        st.markdown(t("dialogmote.delete_confirm_text"))
        st.button(
            t("dialogmote.delete_yes"),
            key="dlg_delete_confirm",
            on_click=delete_meeting,
            type="primary",
            icon=":material/delete_forever:",
        )
