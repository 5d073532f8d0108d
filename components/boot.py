"""Make sure a usable database exists before any page runs.

Missing file: build it now, with a visible progress message (first start on a fresh machine).
Empty, corrupt or incomplete file: one clear message with the rebuild command; the app does not
overwrite a file it did not build itself, so nothing a user has is lost.
"""

from __future__ import annotations

import sys
import threading

import streamlit as st

import queries
from components.i18n import t

_build_lock = threading.Lock()


def ensure_database() -> bool:
    status = queries.check_database()
    if status.ok:
        return True
    if status.state == "missing":
        with _build_lock:
            if queries.check_database().ok:  # another session built it meanwhile
                return True
            from data.build import BuildError, build

            with st.status(t("common.db_building"), expanded=True) as box:
                try:
                    build(queries.db_path())
                except BuildError as err:
                    box.update(state="error")
                    st.error(t("common.db_build_failed"))
                    st.code("\n".join(err.problems[:30]), language=None)
                    return False
                except Exception as err:  # noqa: BLE001 - never show a traceback to a user
                    print(f"database build failed: {err!r}", file=sys.stderr)
                    box.update(state="error")
                    st.error(t("common.db_build_failed"))
                    return False
                box.update(label=t("common.db_built"), state="complete", expanded=False)
        queries.reset()
        return True
    st.error(t("common.db_broken", state=status.state), icon=":material/database:")
    st.code(f"{queries.REBUILD_COMMAND}\n# {status.detail}"[:400], language="bash")
    return False
