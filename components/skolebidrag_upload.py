"""Skolebidrag rows uploaded in the browser: parse, keep in the session only, merge with the
embedded Skoleporten values.

An upload is never written to the database or to disk: the parsed rows live in
st.session_state[SESSION_KEY] for this browser session and disappear with «Fjern opplastet fil»
or when the session ends. Parsing and validation belong to data/importers.py; this module only
builds the kommune reference the parser matches against and merges its result.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import streamlit as st

import queries
from data.importers import (
    FYLKE_BEFORE_2020,
    MAX_BYTES,
    ImportValidationError,
    Problem,
    parse_skolebidrag_export,
)

SESSION_KEY = "sb_upload"
TRINN = ("1-4", "5-7", "8-10")
MAX_UPLOAD_MB = MAX_BYTES // 1_000_000
# Columns every page frame carries after merging (query columns + provenance of each value).
COLUMNS = [
    "kommune_code",
    "kommune_name",
    "is_former",
    "successor_2020_code",
    "successor_2020_name",
    "fylke_name_2020",
    "listing_fylke",
    "trinn",
    "period",
    "skolebidrag_points",
    "suppressed",
    "n_pupils",
    "population_2020_age_6_15",
    "provenance",
    "source_file",
    "imported_at",
]


def embedded_all() -> pd.DataFrame:
    """Skolebidrag rows from the database for every trinn (embedded values and CLI imports)."""
    frames = [queries.run("skolebidrag", trinn=t) for t in TRINN]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else queries.run("skolebidrag", trinn="")


def kommune_reference(kommuner: pd.DataFrame, embedded: pd.DataFrame) -> pd.DataFrame:
    """The `kommuner` frame the importer expects: 356 kommuner of 2020 + former kommuner.

    Former kommuner come from the skolebidrag rows marked is_former; their fylke is the one
    before 2020 (from the first two digits of the old code), as the export names it.
    """
    current = pd.DataFrame(
        {
            "kommune_code": kommuner.kommune_code,
            "kommune_name": kommuner.kommune_name,
            "fylke_name": kommuner.fylke_name_2020,
            "is_former": False,
        }
    )
    old = embedded[embedded.is_former.astype(bool)].drop_duplicates("kommune_code")
    former = pd.DataFrame(
        {
            "kommune_code": old.kommune_code,
            "kommune_name": old.kommune_name.str.replace(r"\s*\(utgått\)$", "", regex=True),
            "fylke_name": old.kommune_code.str[:2].map(FYLKE_BEFORE_2020).fillna(old.listing_fylke),
            "is_former": True,
        }
    )
    former = former[~former.kommune_code.isin(set(current.kommune_code))]
    return pd.concat([current, former], ignore_index=True)


def handle_upload(
    raw: bytes, name: str, reference: pd.DataFrame | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse an uploaded export: (rows, []) on success, (None, problems) when it is rejected.

    Never raises for a bad file: every failure becomes a Problem the page lists.
    """
    if reference is None:
        reference = kommune_reference(queries.run("kommuner"), embedded_all())
    try:
        rows = parse_skolebidrag_export(raw, reference, name)
    except ImportValidationError as err:
        return None, err.problems or [
            Problem(None, None, "Filen kunne ikke leses.", "The file could not be read.")
        ]
    except Exception:  # noqa: BLE001 - an unexpected parser failure must not show a traceback
        return None, [
            Problem(
                None,
                None,
                "Filen kunne ikke leses (uventet format).",
                "The file could not be read (unexpected format).",
            )
        ]
    return rows, []


# ----------------------------------------------------------------------------- session


def display_name(file_name: str) -> str:
    """The uploaded file's name made safe to show in Markdown: base name, letters, digits and
    . - _ ( ) + space only, at most 80 characters (a name is user input, e.g. «[x](http://…)»)."""
    base = Path(str(file_name).replace("\\", "/")).name
    safe = re.sub(r"[^\w .()+-]", "_", base).strip() or "fil.csv"
    return safe if len(safe) <= 80 else safe[:77] + "…"


def session_value(rows: pd.DataFrame, file_name: str) -> dict:
    """What st.session_state[SESSION_KEY] holds: plain records plus the file's provenance."""
    rows = rows.assign(source_file=display_name(file_name))
    return {
        "file_name": display_name(file_name),
        "uploaded_at": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "notes": [list(n) for n in rows.attrs.get("notes", [])],
        "rows": rows.astype(object).where(rows.notna(), None).to_dict("records"),
    }


def store(rows: pd.DataFrame, file_name: str) -> None:
    """Keep the parsed rows for this session only (never in the database or on disk)."""
    st.session_state[SESSION_KEY] = session_value(rows, file_name)


def stored() -> dict | None:
    """The upload kept in this session: {'file_name', 'uploaded_at', 'notes', 'rows'} or None."""
    value = st.session_state.get(SESSION_KEY)
    if not isinstance(value, dict) or not value.get("rows"):
        return None
    return value


def stored_rows() -> pd.DataFrame:
    up = stored()
    if up is None:
        return pd.DataFrame(columns=["kommune_code", "trinn", "period", "value"])
    df = pd.DataFrame(up["rows"])
    df["kommune_code"] = df["kommune_code"].astype(str).str.zfill(4)
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    df["suppressed"] = df.get("suppressed", False)
    df["suppressed"] = df["suppressed"].fillna(False).astype(bool)
    df["n_pupils"] = pd.to_numeric(df.get("n_pupils"), errors="coerce")
    df["source_file"] = df.get("source_file", up["file_name"])
    df["imported_at"] = up["uploaded_at"]
    return df


def clear() -> None:
    st.session_state.pop(SESSION_KEY, None)


def summary(rows: pd.DataFrame) -> dict:
    return {
        "rows": len(rows),
        "kommuner": rows.kommune_code.nunique(),
        "periods": sorted(rows.period.unique()),
        "trinn": sorted(rows.trinn.unique()),
        "suppressed": int(rows.suppressed.sum()),
    }


# ----------------------------------------------------------------------------- merge


def _embedded_frame(embedded: pd.DataFrame) -> pd.DataFrame:
    df = embedded.copy()
    cli = df.source_id.eq("import")
    df["suppressed"] = cli & df.skolebidrag_points.isna()
    df["n_pupils"] = float("nan")
    df["provenance"] = cli.map({True: "import", False: "embedded"})
    df["source_file"] = df.imported_from
    df["imported_at"] = None
    return df


def merge_uploaded(
    embedded: pd.DataFrame,
    uploaded: pd.DataFrame,
    kommuner: pd.DataFrame,
) -> pd.DataFrame:
    """Embedded rows plus uploaded ones; an uploaded value replaces the embedded value for the
    same kommune, trinn and period. Each row says where its value came from (`provenance`)."""
    base = _embedded_frame(embedded)
    if uploaded.empty:
        return base[COLUMNS].reset_index(drop=True)
    k = kommuner.set_index("kommune_code")
    old = embedded[embedded.is_former.astype(bool)].drop_duplicates("kommune_code")
    old = old.set_index("kommune_code")
    rows = []
    for r in uploaded.itertuples(index=False):
        code = r.kommune_code
        if code in k.index:
            info = k.loc[code]
            extra = {
                "kommune_name": info.kommune_name,
                "is_former": False,
                "successor_2020_code": code,
                "successor_2020_name": info.kommune_name,
                "fylke_name_2020": info.fylke_name_2020,
                "listing_fylke": info.fylke_name_2020,
                "population_2020_age_6_15": info.population_2020_age_6_15,
            }
        elif code in old.index:
            info = old.loc[code]
            extra = {
                "kommune_name": info.kommune_name,
                "is_former": True,
                "successor_2020_code": info.successor_2020_code,
                "successor_2020_name": info.successor_2020_name,
                "fylke_name_2020": info.fylke_name_2020,
                "listing_fylke": info.listing_fylke,
                "population_2020_age_6_15": info.population_2020_age_6_15,
            }
        else:  # the parser matched it against the same reference; skip rather than guess
            continue
        rows.append(
            {
                "kommune_code": code,
                **extra,
                "trinn": r.trinn,
                "period": r.period,
                "skolebidrag_points": r.value,
                "suppressed": bool(r.suppressed),
                "n_pupils": r.n_pupils,
                "provenance": "upload",
                "source_file": r.source_file,
                "imported_at": r.imported_at,
            }
        )
    up = pd.DataFrame(rows, columns=COLUMNS)
    if up.empty:
        return base[COLUMNS].reset_index(drop=True)
    key = ["kommune_code", "trinn", "period"]
    replaced = base.set_index(key).index.isin(up.set_index(key).index)
    out = pd.concat([base.loc[~replaced, COLUMNS], up], ignore_index=True)
    return out.sort_values(["kommune_name", "period"], kind="stable").reset_index(drop=True)


def rows_for_session(trinn: str) -> pd.DataFrame:
    """The database's skolebidrag for one trinn with this session's upload merged in.

    Same columns as the `skolebidrag` query, so every page that shows a kommune's skolebidrag
    (Min kommune, Dialogmøte) shows what the Skolebidrag page shows in this session; uploaded
    values carry source_id «upload» and their file name in `imported_from`.
    """
    db = queries.run("skolebidrag", trinn=trinn)
    up = stored_rows()
    up = up[up["trinn"] == trinn] if not up.empty else up
    if up.empty:
        return db
    merged = merge_uploaded(db, up, queries.run("kommuner"))
    key = ["kommune_code", "trinn", "period"]
    origin = db.drop_duplicates(key).set_index(key)[["source_id", "imported_from"]]
    merged = merged.join(origin, on=key)
    uploaded = merged["provenance"].eq("upload")
    merged.loc[uploaded, "source_id"] = "upload"
    merged.loc[uploaded, "imported_from"] = merged.loc[uploaded, "source_file"]
    return merged[db.columns].reset_index(drop=True)
