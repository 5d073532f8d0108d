"""Skolebidrag rows from every origin in one shape, and the one rule that merges them.

Origins, oldest first: the embedded Skoleporten values (raw/udir_skolebidrag_*.csv), files
imported with `python -m data.import_cli` (data/imported/), and a file a user uploads in the
app (kept for that user only; never in the database). The rule, used by the build and by the
app alike: **for each unit, trinn, period and indicator the newest origin wins** — an import
replaces the embedded value, a later import an earlier one (by import time, then file name),
an upload everything. Every row keeps where it came from (`source_id`, `source_file`,
`imported_at`), so a page can say which value came from which file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data.udir_import import SKOLEBIDRAG_COLUMNS

TRINN = ("1-4", "5-7", "8-10")
KEY = ["kommune_code", "unit_level", "school_name", "trinn", "period", "indicator"]
# The shape of core.skolebidrag and of a session's merged rows.
COLUMNS = [
    "kommune_code",
    "unit_level",
    "school_name",
    "name_as_published",
    "trinn",
    "period",
    "indicator",
    "value",
    "value_as_published",
    "suppressed",
    "eierform",
    "n_pupils",
    "listing_fylke",
    "source_id",  # udir_skolebidrag | import | upload
    "source_file",
    "source_url",
    "imported_at",
]
IMPORT_PREFIX = "skolebidrag__"


def from_import(rows: pd.DataFrame, source_id: str = "import") -> pd.DataFrame:
    """Rows parsed by data.udir_import (or written by the CLI) in the common shape.

    Files written by earlier versions lack unit_level, school_name, indicator and eierform:
    they held kommune-level skolebidrag only.
    """
    df = rows.copy()
    defaults = {"unit_level": "kommune", "school_name": None, "indicator": "skolebidrag"}
    for col, value in defaults.items():
        if col not in df.columns:
            df[col] = value
    for col in SKOLEBIDRAG_COLUMNS:
        if col not in df.columns:
            df[col] = None
    df["kommune_code"] = df["kommune_code"].astype(str).str.zfill(4)
    df["school_name"] = df["school_name"].where(df["school_name"].notna(), None)
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    df["suppressed"] = df["suppressed"].fillna(False).astype(bool)
    out = pd.DataFrame(
        {
            "kommune_code": df.kommune_code,
            "unit_level": df.unit_level.fillna("kommune"),
            "school_name": df.school_name,
            "name_as_published": df.name_as_published,
            "trinn": df.trinn,
            "period": df.period,
            "indicator": df.indicator.fillna("skolebidrag"),
            "value": df.value,
            "value_as_published": df.suppression_mark.where(df.suppressed, None),
            "suppressed": df.suppressed,
            "eierform": df.eierform,
            "n_pupils": pd.to_numeric(df.n_pupils, errors="coerce").astype("Int64"),
            "listing_fylke": None,
            "source_id": source_id,
            "source_file": df.source_file,
            "source_url": None,
            "imported_at": df.imported_at.astype(str),
        }
    )
    return out[COLUMNS]


def load_imports(imported_dir: Path) -> list[pd.DataFrame]:
    """Every file the CLI wrote, oldest import first (by import time, then file name)."""
    if not imported_dir.exists():
        return []
    frames = []
    for path in sorted(imported_dir.glob(f"{IMPORT_PREFIX}*.csv")):
        df = pd.read_csv(
            path,
            dtype={"kommune_code": str, "school_name": str, "imported_at": str, "period": str},
            keep_default_na=False,
            na_values={"value": [""], "n_pupils": [""]},
        )
        df = df.replace({"school_name": {"": None}, "eierform": {"": None}})
        frames.append(from_import(df))
    return sorted(
        frames,
        key=lambda f: (
            f.imported_at.max() if len(f) else "",
            f.source_file.max() if len(f) else "",
        ),
    )


def merge_layers(layers: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack the layers (oldest first); for each KEY the row of the newest layer wins."""
    layers = [layer for layer in layers if len(layer)]
    if not layers:
        return pd.DataFrame(columns=COLUMNS)
    stacked = pd.concat(
        [layer[COLUMNS].assign(_layer=i) for i, layer in enumerate(layers)], ignore_index=True
    )
    key = stacked[KEY].fillna({"school_name": ""})
    newest = ~key.duplicated(keep="last")
    out = stacked[newest.to_numpy()].drop(columns="_layer")
    return out.sort_values(KEY[:5], kind="stable", na_position="first").reset_index(drop=True)
