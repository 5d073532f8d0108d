"""One app state, kept in st.session_state and mirrored into the URL.

Why not `bind="query-params"`: a bound selectbox puts its *display label* in the URL and drops
unknown values silently. Here the URL holds stable codes (?kommune=0301&trinn=8-10), every
unknown value gets a short notice, and the entrypoint rewrites the URL after each run, so a
copied link reopens the same page, kommune, language and filters.

Pages call `url_choice(...)` for every filter. A map click or an example button chooses a
kommune through `choose_kommune(code)` as its callback: callbacks run before the script, so the
kommune picker is drawn with the new value in the same run (Streamlit forbids changing a
widget's value after it is drawn).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import streamlit as st

from components.i18n import t

MAX_PARAM_LEN = 64  # longer URL values are ignored without being parsed
_REGISTRY = "_url_keys"
_NOTICES = "_url_notices"
_SEEDED = "_url_seeded"


def _url_value(key: str) -> str | None:
    try:
        value = st.query_params.get(key)
    except Exception:  # noqa: BLE001 - a malformed query string must never break a page
        return None
    if value is None:
        return None
    value = str(value)
    return value if len(value) <= MAX_PARAM_LEN else "\u0000invalid"


def notice(text: str) -> None:
    """Queue a short notice for this run (shown once by show_notices)."""
    notices = st.session_state.setdefault(_NOTICES, [])
    if text not in notices:
        notices.append(text)


def show_notices() -> None:
    for text in st.session_state.pop(_NOTICES, []):
        st.toast(text, icon=":material/info:")
        st.info(text, icon=":material/link_off:")


def begin_run() -> None:
    st.session_state[_REGISTRY] = {}


def seed_from_url(
    key: str, valid: Callable[[str], bool], label: str, message: str | None = None
) -> None:
    """On the first run that meets `key`, take its value from the URL if it is valid; else a
    notice (`message`, or «unknown value for <label>»)."""
    seeded = st.session_state.setdefault(_SEEDED, set())
    if key in seeded:
        return
    seeded.add(key)
    raw = _url_value(key)
    if raw is None:
        return
    if valid(raw):
        st.session_state[key] = raw
    else:
        notice(message or t("common.notice_invalid_param", name=html.escape(label)))


def register(key: str, default: str | None) -> None:
    st.session_state.setdefault(_REGISTRY, {})[key] = default


def url_choice(
    key: str,
    options: Sequence[str],
    label: str,
    *,
    default: str | None = None,
    format_func: Callable[[str], str] = str,
    widget: str = "segmented",
    container=None,
    **kwargs,
) -> str | None:
    """A single-choice filter whose value lives in the URL under `key` (codes, not labels)."""
    options = list(options)
    seed_from_url(key, lambda v: v in options, label)
    if st.session_state.get(key) not in options:
        st.session_state[key] = default if default in options else (options[0] if options else None)
    register(key, default)
    where = container or st
    if widget == "segmented":
        value = where.segmented_control(
            label, options, key=key, format_func=format_func, selection_mode="single", **kwargs
        )
        if value is None:  # a segmented control can be clicked off; keep a valid choice
            value = default if default in options else options[0]
    elif widget == "radio":
        value = where.radio(label, options, key=key, format_func=format_func, **kwargs)
    else:
        value = where.selectbox(label, options, key=key, format_func=format_func, **kwargs)
    return value


def url_multi(
    key: str,
    options: Sequence[str],
    label: str,
    *,
    default: Sequence[str] = (),
    format_func: Callable[[str], str] = str,
    max_selections: int | None = None,
    container=None,
) -> list[str]:
    """A multiselect stored in the URL as comma-separated codes."""
    options = list(options)

    def valid(raw: str) -> bool:
        return all(v in options for v in raw.split(",") if v)

    seeded = st.session_state.setdefault(_SEEDED, set())
    if key not in seeded:
        seeded.add(key)
        raw = _url_value(key)
        if raw is not None:
            if valid(raw):
                st.session_state[key] = [v for v in raw.split(",") if v][: max_selections or None]
            else:
                notice(t("common.notice_invalid_param", name=html.escape(label)))
    current = [v for v in st.session_state.get(key, list(default)) if v in options]
    st.session_state[key] = current
    register(key, ",".join(default))
    where = container or st
    return where.multiselect(
        label, options, key=key, format_func=format_func, max_selections=max_selections
    )


# ----------------------------------------------------------------------------- kommune


def choose_kommune(code: str | None) -> None:
    """Make `code` the chosen kommune. A callback (on_click, a map's on_select): it runs
    before the script, so the picker shows the new kommune in the same run."""
    st.session_state["kommune"] = code or None


def current_kommune() -> str | None:
    return st.session_state.get("kommune") or None


def kommune_picker(
    codes: Sequence[str], label_of: Callable[[str], str], container=None
) -> str | None:
    codes = list(codes)
    known = set(codes)
    seeded = st.session_state.setdefault(_SEEDED, set())
    if "kommune" not in seeded:
        seeded.add("kommune")
        raw = _url_value("kommune")
        if raw is not None:
            if raw in known:
                st.session_state["kommune"] = raw
            else:
                notice(t("common.notice_unknown_kommune"))
    if st.session_state.get("kommune") not in known:
        st.session_state["kommune"] = None
    register("kommune", None)
    where = container or st
    return where.selectbox(
        t("common.kommune_picker"),
        codes,
        key="kommune",
        index=None,
        format_func=label_of,
        placeholder=t("common.kommune_placeholder"),
    )


# ----------------------------------------------------------------------------- URL


def url_params() -> dict[str, str]:
    """The parameters that describe the current view (non-default values only)."""
    out = {}
    for key, default in st.session_state.get(_REGISTRY, {}).items():
        value = st.session_state.get(key)
        if isinstance(value, list):
            value = ",".join(value)
        if value not in (None, "", default):
            out[key] = str(value)
    return out


def write_url() -> None:
    params = url_params()
    try:
        current = {k: st.query_params.get(k) for k in st.query_params.keys()}
    except Exception:  # noqa: BLE001
        current = {}
    if current != params:
        st.query_params.from_dict(params)
