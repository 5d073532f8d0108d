"""The skolebidrag rows this session sees — one function for every page.

Layers (data/skolebidrag.py merges them with its one rule, the newest origin wins): the
database's rows (embedded Skoleporten values and CLI imports) and, if this session has loaded
one, an uploaded file (data/upload_store.py). Each row then gets what every page needs: its
unit's name and whether it is a former kommune, its 2020 kommune(s) through the bridge
(core.kommune_bridge), its fylke, its size for the funnel and where its value came from.

The merged frame is cached per database version and upload, shared by every session that has
the same upload: a national upload costs one merge, not one per rerun. Treat it as read-only
(`rows()` hands out a shallow copy, so adding columns is safe, changing values is not).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import streamlit as st

import queries
from components.i18n import lang, text
from data import skolebidrag as sbdata
from data import upload_store
from data.csv_input import ImportValidationError, Problem
from data.udir_import import parse_skolebidrag_export

TRINN = ("1-4", "5-7", "8-10")
PROVENANCE = {"udir_skolebidrag": "embedded", "import": "import", "upload": "upload"}
UPLOAD_KEY = "data"  # session key and URL parameter (?data=<id>) of the loaded upload


# ----------------------------------------------------------------------------- units


@dataclass(frozen=True)
class Units:
    """Every unit (2020 kommune or former kommune) and the bridge to the 2020 kommuner."""

    table: pd.DataFrame  # one row per unit: name, is_former, successors (tuple), fylke_2020, …
    predecessors: dict[str, tuple[str, ...]]  # 2020 code → former codes that became (part of) it

    def successors(self, code: str) -> tuple[str, ...]:
        return self.table.successors.get(code, (code,))

    def name(self, code: str) -> str:
        return self.table.kommune_name.get(code, code)


@st.cache_resource(show_spinner=False, max_entries=4)
def _units(version: int) -> Units:
    raw = queries.run("kommune_units")
    grouped = raw.groupby("kommune_code", sort=False)
    table = pd.DataFrame(
        {
            "kommune_name": grouped.kommune_name.first(),
            "is_former": grouped.is_former.first().astype(bool),
            "fylke_of_its_time": grouped.fylke_of_its_time.first(),
            "valid_until": grouped.valid_until.first(),
            "successors": grouped.successor_code.agg(tuple),
            "successor_names": grouped.successor_name.agg("; ".join),
            "fylke_name_2020": grouped.fylke_name_2020.first(),
            "population_2020_6_15": grouped.successor_population_6_15.first(),
        }
    )
    table.loc[table.is_former, "population_2020_6_15"] = math.nan  # the 2020 size of its successor
    pred: dict[str, list[str]] = {}
    for code, succ in table[table.is_former].successors.items():
        for s in succ:
            pred.setdefault(s, []).append(code)
    return Units(table, {k: tuple(v) for k, v in pred.items()})


def units() -> Units:
    return _units(queries.version())


def reference() -> pd.DataFrame:
    """The frame the importer matches names against (data.kommuner.REFERENCE_COLUMNS)."""
    t = units().table
    return pd.DataFrame(
        {
            "kommune_code": t.index,
            "kommune_name": t.kommune_name,
            "fylke_name": t.fylke_of_its_time,
            "is_former": t.is_former,
            "successor_codes": t.successors.map(";".join),
            "valid_until": t.valid_until,
        }
    ).reset_index(drop=True)


# ----------------------------------------------------------------------------- rows


def _population(rows: pd.DataFrame, u: Units, imported: pd.DataFrame) -> pd.Series:
    """Size for the funnel: SSB's population aged 6–15 on 1 January of the period's second
    year where an SSB file was imported, else the 2020 figure; none for a former kommune."""
    base = rows.kommune_code.map(u.table.population_2020_6_15).astype(float)
    if imported.empty:
        return base
    year = rows.period.str[:4].astype(int) + 1
    by_year = imported.set_index(["kommune_code", "year"]).population
    exact = pd.Series(list(zip(rows.kommune_code, year, strict=True)), index=rows.index).map(
        by_year
    )
    return exact.astype(float).where(exact.notna(), base)


@st.cache_resource(show_spinner=False, max_entries=16)
def _rows(version: int, upload: str | None, language: str) -> pd.DataFrame:
    layers = [queries.run("skolebidrag_rows")]
    if upload:
        loaded = upload_store.load(upload)
        if loaded is not None:
            layers.append(loaded[0])
    merged = sbdata.merge_layers(layers)
    u = _units(version)
    t = u.table
    code = merged.kommune_code
    out = merged.assign(
        kommune_name=code.map(t.kommune_name),
        is_former=code.map(t.is_former).fillna(False).astype(bool),
        successors=code.map(t.successors),
        successor_2020_name=code.map(t.successor_names),
        fylke_name_2020=code.map(t.fylke_name_2020),
        fylke_of_its_time=code.map(t.fylke_of_its_time),
        provenance=merged.source_id.map(PROVENANCE),
        value=pd.to_numeric(merged.value, errors="coerce"),
        n_pupils=pd.to_numeric(merged.n_pupils, errors="coerce"),
    )
    out["population_6_15"] = _population(out, u, queries.run("population_6_15"))
    former = text("skolebidrag.former_mark", language)
    labels = {c: _label(c, t, former) for c in code.unique()}
    out["label"] = code.map(labels)
    return out


def _label(code: str, t: pd.DataFrame, former: str) -> str:
    """'Bodø (Nordland)'; a former kommune: 'Eid (utgått) → Stad',
    'Divtasvuodna - Tysfjord (utgått) → Narvik/Hamarøy'."""
    row = t.loc[code]
    if row.is_former:
        return f"{row.kommune_name} ({former}) → {row.successor_names.replace('; ', '/')}"
    if row.kommune_name.endswith(")") or row.kommune_name == row.fylke_name_2020:
        return row.kommune_name  # «Herøy (Nordland)» is told apart already; Oslo is a fylke
    return f"{row.kommune_name} ({row.fylke_name_2020})"


def cache_key() -> tuple[int, str | None, str]:
    """What every derived skolebidrag figure of this session depends on: the database version,
    the loaded upload and the page language. Sections cache their work on it, so a rerun with
    a national upload costs what a rerun with the embedded rows costs."""
    return (queries.version(), current_upload(), lang())


def rows(
    indicator: str | None = "skolebidrag", level: str | None = "kommune", key: tuple | None = None
) -> pd.DataFrame:
    """The rows this session sees (database + its upload), one per unit, trinn, period and
    indicator. Default: the skolebidrag values of kommuner (former ones included)."""
    df = _rows(*(key or cache_key()))
    if indicator is not None:
        df = df[df.indicator == indicator]
    if level is not None:
        df = df[df.unit_level == level]
    return df.copy(deep=False)


def embedded_kommuner() -> int:
    """How many units the embedded Skoleporten values cover (before any import or upload)."""
    db = queries.run("skolebidrag_rows")
    return int(db[(db.source_id == "udir_skolebidrag") & db.value.notna()].kommune_code.nunique())


def with_values(df: pd.DataFrame) -> pd.DataFrame:
    return df[df.value.notna()]


# ----------------------------------------------------------------------------- upload


def current_upload() -> str | None:
    """The upload this session has loaded (from its URL on a reload or a shared link)."""
    value = st.session_state.get(UPLOAD_KEY)
    return value if value and upload_store.exists(value) else None


def upload_meta() -> dict | None:
    upload = current_upload()
    return upload_store.meta(upload) if upload else None


def handle_upload(
    raw: bytes, file_name: str, school_kommune: str | None = None
) -> tuple[str | None, list[Problem]]:
    """Parse, store and return the upload's id, or (None, problems). Never raises for a bad file."""
    try:
        parsed = parse_skolebidrag_export(
            raw, reference(), display_name(file_name), school_kommune=school_kommune
        )
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
    upload_store.give_back_memory()  # what the parse freed, before the rows are written
    upload = upload_store.upload_id(raw, school_kommune or "")
    frame = sbdata.from_import(parsed, source_id="upload")
    meta = {
        "file_name": display_name(file_name),
        "uploaded_at": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "notes": [list(n) for n in parsed.attrs.get("notes", [])],
        "warnings": [list(n) for n in parsed.attrs.get("warnings", [])],
        **_counts(parsed),
    }
    del parsed  # the stored shape (frame) is all that is needed from here
    upload_store.save(upload, frame, meta)
    return upload, []


def _counts(parsed: pd.DataFrame) -> dict:
    """What an upload holds, counted on its skolebidrag rows (masks, not copies: a school-level
    file is large)."""
    values = (parsed.indicator == "skolebidrag").to_numpy()
    kommune = values & (parsed.unit_level == "kommune").to_numpy()
    school = values & (parsed.unit_level == "skole").to_numpy()
    trinn = set(parsed.trinn[values])
    return {
        "rows": int(values.sum()),
        "kommuner": int(parsed.kommune_code[kommune].nunique()),
        "schools": int(parsed.school_name[school].nunique()),
        "trinn": [x for x in TRINN if x in trinn],
        "periods": sorted(set(parsed.period[values])),
        "suppressed": int(parsed.suppressed[values].sum()),
    }


def display_name(file_name: str) -> str:
    """The uploaded file's name made safe to show in Markdown: base name, letters, digits and
    . - _ ( ) + space only, at most 80 characters (a name is user input, e.g. «[x](http://…)»)."""
    import re
    from pathlib import Path

    base = Path(str(file_name).replace("\\", "/")).name
    safe = re.sub(r"[^\w .()+-]", "_", base).strip() or "fil.csv"
    return safe if len(safe) <= 80 else safe[:77] + "…"
