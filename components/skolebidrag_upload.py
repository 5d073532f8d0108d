"""Upload of a Udir download: parse, keep in the server's upload store, name it in the URL.

The rows of an upload live in data/upload_store.py (why there: see that module); this session
holds only the upload's id, mirrored into the URL as ?data=<id>, so a reload, a server restart
and a copied link all bring the same figures back. An upload never enters the shared database.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import skolebidrag_data as sd
from components import skolebidrag_words as w
from components import state
from components.i18n import lang, t
from data import upload_store
from data.csv_input import MAX_BYTES

MAX_UPLOAD_MB = MAX_BYTES // 1_000_000
_PROBLEMS = "sb_upload_problems"
_UPLOADER_GEN = "sb_uploader_gen"
_SCHOOL_KOMMUNE = "sb_school_kommune"


def seed_from_url() -> None:
    """On a session's first run: take the upload named in the link, or say why it is gone."""
    state.seed_from_url(
        sd.UPLOAD_KEY,
        upload_store.exists,
        t("skolebidrag.upload_link_label"),
        message=t("skolebidrag.upload_link_gone", days=upload_store.MAX_AGE_DAYS),
    )
    state.register(sd.UPLOAD_KEY, None)


def _uploader_key() -> str:
    return f"sb_file_{st.session_state.get(_UPLOADER_GEN, 0)}"


def _read(school_kommune: str | None = None) -> None:
    """Runs before the rerun, so every section above already sees the new rows."""
    file = st.session_state.get(_uploader_key())
    if file is None:
        return
    upload, problems = sd.handle_upload(file.getvalue(), file.name, school_kommune)
    if problems:
        st.session_state[_PROBLEMS] = {
            "file_name": sd.display_name(file.name),
            "problems": [
                {"row": p.row, "column": p.column, "nb": p.message_nb, "en": p.message_en}
                for p in problems
            ],
        }
        return
    st.session_state.pop(_PROBLEMS, None)
    st.session_state[sd.UPLOAD_KEY] = upload


def _reread() -> None:
    _read(st.session_state.get(_SCHOOL_KOMMUNE))


def _remove() -> None:
    st.session_state[sd.UPLOAD_KEY] = None
    st.session_state.pop(_PROBLEMS, None)
    st.session_state[_UPLOADER_GEN] = st.session_state.get(_UPLOADER_GEN, 0) + 1
    state.notice(t("skolebidrag.upload_removed"))


def upload_section() -> None:
    st.subheader(t("skolebidrag.upload_header"))
    st.markdown(t("skolebidrag.upload_intro"))
    st.file_uploader(
        t("skolebidrag.upload_label", mb=MAX_UPLOAD_MB),
        type=["csv", "txt", "tsv"],
        key=_uploader_key(),
        on_change=_read,
        max_upload_size=MAX_UPLOAD_MB,
    )
    failed = st.session_state.get(_PROBLEMS)
    if failed:
        st.error(t("skolebidrag.upload_failed", file=failed["file_name"]), icon=":material/block:")
        st.dataframe(
            pd.DataFrame(
                {
                    t("skolebidrag.col_row"): [p["row"] for p in failed["problems"]],
                    t("skolebidrag.col_column"): [p["column"] or "" for p in failed["problems"]],
                    t("skolebidrag.col_problem"): [p[lang()] for p in failed["problems"]],
                }
            ),
            hide_index=True,
            width="stretch",
            placeholder="–",
        )
    meta = sd.upload_meta()
    if meta is not None:
        loaded(meta)
    st.caption(t("skolebidrag.upload_privacy", days=upload_store.MAX_AGE_DAYS))


def loaded(meta: dict) -> None:
    """What the loaded upload holds, its notes and warnings, and the way to remove it."""
    st.success(
        t(
            "skolebidrag.upload_ok",
            file=meta["file_name"],
            rows=meta["rows"],
            kommuner=meta["kommuner"],
            schools=meta.get("schools", 0),
            trinn=", ".join(w.trinn_label(x) for x in meta["trinn"]),
            periods=", ".join(meta["periods"]),
            suppressed=meta["suppressed"],
            time=meta["uploaded_at"],
        ),
        icon=":material/check_circle:",
    )
    pick = lang() == "nb"
    for nb, en in meta.get("notes") or []:
        st.caption(nb if pick else en)
    for nb, en in meta.get("warnings") or []:
        st.warning(nb if pick else en, icon=":material/school:")
    if meta.get("warnings") and st.session_state.get(_uploader_key()) is not None:
        units = sd.units().table
        current = units[~units.is_former].sort_values("kommune_name")
        st.selectbox(
            t("skolebidrag.upload_school_kommune"),
            list(current.index),
            index=None,
            format_func=lambda c: current.kommune_name.get(c, c),
            key=_SCHOOL_KOMMUNE,
        )
        st.button(t("skolebidrag.upload_reread"), on_click=_reread, key="sb_reread")
    st.button(
        t("skolebidrag.upload_remove"), on_click=_remove, icon=":material/delete:", key="sb_remove"
    )
