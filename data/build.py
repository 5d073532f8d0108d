"""Build data/skolemiljo.duckdb from the transcribed CSVs in data/raw and data/sources.toml.

Usage: python -m data.build [--db PATH]

Recipe: load inputs → validate (nothing is written if a rule fails) → write raw tables →
derive core tables (data/models/*.sql, in file-name order) → rename the temporary file over the
old database. A failed build leaves the previous database untouched.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from data import kommuner as units
from data import skolebidrag as sbdata
from data.regions import FYLKE_2020, LANDSDEL_BY_FYLKE_2010
from data.ssb_import import POPULATION_COLUMNS

DATA_DIR = Path(__file__).resolve().parent
RAW_DIR = DATA_DIR / "raw"
GEO_DIR = DATA_DIR / "geo"
MODELS_DIR = DATA_DIR / "models"
IMPORTED_DIR = DATA_DIR / "imported"
SOURCES_TOML = DATA_DIR / "sources.toml"
DEFAULT_DB = DATA_DIR / "skolemiljo.duckdb"

CELL_COLUMNS = ["row_label", "column_label", "value_printed", "read_as", "note"]
SIZE_CLASSES = ("Under 3000", "3000–9999", "10000 og mer")


class BuildError(Exception):
    """Validation failed: every problem names the file, the line and the rule."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Flag:
    source_id: str
    table_no: str
    row_label: str
    column_label: str
    rule: str
    message: str
    message_nb: str


def _nb(x: float, fmt: str = "g") -> str:
    """A number in a Norwegian message: decimal comma."""
    return format(x, fmt).replace(".", ",")


# ----------------------------------------------------------------------------- load inputs


def load_sources(path: Path = SOURCES_TOML) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


_NUMBER = re.compile(r"^-?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_printed(text: str | None) -> tuple[float | None, bool]:
    """Read a printed cell as a number: '(n=329)'→329, ',61'→0.61, '71 %'→71, '–0,30'→-0.3.

    Returns (value, doubtful). Text that is not a number ('0-0.19', 'X', '>0.8') gives None;
    a trailing question mark ('58?') keeps the number but marks it doubtful.
    """
    if text is None:
        return None, False
    s = str(text).strip()
    if not s:
        return None, False
    m = re.fullmatch(r"\(n\s*=\s*(\d+)\)", s)
    if m:
        return float(m.group(1)), False
    doubtful = s.endswith("?")
    s = s.rstrip("?").strip()
    s = re.sub(r"\s*(%|prosent)$", "", s).strip()
    s = s.replace("\u2013", "-").replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")
    if not _NUMBER.match(s):
        return None, doubtful
    return float(s.replace(",", ".")), doubtful


def _read_csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_cells(sources: dict, data_dir: Path = DATA_DIR) -> tuple[pd.DataFrame, list[str]]:
    """Every printed cell of every 'cells' dataset, one row each, with the file line it came from."""
    rows, problems = [], []
    for source_id, ds in sources["datasets"].items():
        if ds["kind"] != "cells":
            continue
        path = data_dir / ds["file"]
        if not path.exists():
            problems.append(f"{ds['file']}: missing file (declared in sources.toml [{source_id}])")
            continue
        report_year = sources["reports"][ds["report"]]["year"]
        for line_no, rec in enumerate(_read_csv_rows(path), start=2):
            missing = [c for c in CELL_COLUMNS if c not in rec]
            if missing:
                problems.append(f"{ds['file']}:{line_no}: columns: missing {missing}")
                break
            if None in rec:  # csv puts fields beyond the header under None: text lost
                problems.append(
                    f"{ds['file']}:{line_no}: columns: more fields than the header "
                    "(quote a text that contains commas)"
                )
                continue
            value, doubtful = parse_printed(rec["value_printed"])
            rows.append(
                {
                    "source_id": source_id,
                    "report_year": report_year,
                    "table_no": rec.get("table_no") or ds["table_no"],
                    "row_label": rec["row_label"],
                    "column_label": rec["column_label"],
                    "value_printed": rec["value_printed"],
                    "value": value,
                    "doubtful": doubtful,
                    "read_as": rec["read_as"] or None,
                    "note": rec["note"] or None,
                    "file": ds["file"],
                    "line_no": line_no,
                }
            )
    cells = pd.DataFrame(rows)
    return cells, problems


NOTE_TRANSLATIONS = "note_translations.csv"


def add_norwegian_notes(
    frame: pd.DataFrame, translations: dict[str, str], where: Callable[[int], str]
) -> list[str]:
    """Give `frame` a note_nb column from raw/note_translations.csv (in place).

    The transcribers' notes are written in English in the raw files; the app is Norwegian
    first, so every note must have its bokmål text, or the build stops and names the line.
    """
    problems = []
    notes = frame["note"].where(frame["note"].astype(str).str.strip().ne(""), None)
    frame["note_nb"] = notes.map(
        lambda n: translations.get(n.strip()) if isinstance(n, str) else None
    )
    for i in frame.index[notes.notna() & frame["note_nb"].isna()]:
        problems.append(
            f"{where(i)}: note_translation: no Norwegian text for this note in "
            f"raw/{NOTE_TRANSLATIONS}: {str(notes[i])[:80]!r}"
        )
    return problems


def load_note_translations(data_dir: Path = DATA_DIR) -> tuple[dict[str, str], list[str]]:
    path = data_dir / "raw" / NOTE_TRANSLATIONS
    if not path.exists():
        return {}, [f"raw/{NOTE_TRANSLATIONS}: missing file"]
    out, problems = {}, []
    for line_no, rec in enumerate(_read_csv_rows(path), start=2):
        note, nb = (rec.get("note") or "").strip(), (rec.get("note_nb") or "").strip()
        if not note or not nb:
            problems.append(
                f"raw/{NOTE_TRANSLATIONS}:{line_no}: note and note_nb must both be given"
            )
            continue
        out[note] = nb
    return out, problems


FIGURE_KEYS = "figure_keys.csv"
FIGURE_KEY_COLUMNS = ["key", "source_id", "table_no", "row_label", "column_label"]
_FIGURE_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def load_figure_keys(data_dir: Path = DATA_DIR) -> tuple[pd.DataFrame, list[str]]:
    """raw/figure_keys.csv: a stable key for every figure a page names (not its printed label).

    Pages ask for «r2010_owners_know_pct_summary», never for the row «Skoleeiere som kjenner til
    satsingen» of «Oppsummering»: a corrected print or transcription is then fixed in data/raw,
    and the code that shows the figure does not change.
    """
    path = data_dir / "raw" / FIGURE_KEYS
    where = f"raw/{FIGURE_KEYS}"
    if not path.exists():
        return pd.DataFrame(columns=[*FIGURE_KEY_COLUMNS, "line_no"]), [f"{where}: missing file"]
    rows = _read_csv_rows(path)
    missing = [c for c in FIGURE_KEY_COLUMNS if rows and c not in rows[0]]
    if missing:
        return pd.DataFrame(), [f"{where}:1: columns: missing {missing}"]
    frame = pd.DataFrame(rows, columns=FIGURE_KEY_COLUMNS)
    frame["line_no"] = range(2, len(frame) + 2)
    return frame, []


def validate_figure_keys(keys: pd.DataFrame, cells: pd.DataFrame) -> list[str]:
    """Every key well-formed and unique, and pointing at exactly one printed cell."""
    where = f"raw/{FIGURE_KEYS}"
    problems = []
    first_line: dict[str, int] = {}
    cell_key = ["source_id", "table_no", "row_label", "column_label"]
    hits = cells.groupby(cell_key).size() if not cells.empty else pd.Series(dtype=int)
    for r in keys.itertuples(index=False):
        line = f"{where}:{r.line_no}"
        report = (r.source_id or "").split("_")[0]
        if not _FIGURE_KEY.match(r.key or "") or not r.key.startswith(report + "_"):
            problems.append(
                f"{line}: figure_key: «{r.key}» is not a key (a-z, 0-9 and _, starting with "
                f"its report: {report}_…)"
            )
        if r.key in first_line:
            problems.append(
                f"{line}: unique_key: «{r.key}» is already the key of line {first_line[r.key]}"
            )
        first_line.setdefault(r.key, r.line_no)
        found = int(hits.get((r.source_id, r.table_no, r.row_label, r.column_label), 0))
        if found != 1:
            problems.append(
                f"{line}: figure_cell: «{r.key}» points at {found} printed cells "
                f"({r.source_id}, {r.table_no}, «{r.row_label}» × «{r.column_label}»); needs one"
            )
    return problems


def load_reference(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    raw = data_dir / "raw"
    read = lambda name: pd.read_csv(raw / name, dtype=str, keep_default_na=False)  # noqa: E731
    ref = {
        "population": read("ssb_kommune_population_2010_2020.csv"),
        "skolebidrag": read("udir_skolebidrag_skoleporten_2014_2019.csv"),
        "successors": read("kommune_successors_2020.csv"),
        "changes": read("kommune_changes_2020.csv"),
        "fylke_split": read("fylke_2010_split_assignment.csv"),
        "name_corrections": read("kommune_name_corrections.csv"),
        "points": pd.read_csv(data_dir / "geo" / "kommune_points.csv", dtype={"kommune_code": str}),
    }
    return ref


def load_quotes(sources: dict, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Quotations printed in the reports (kind = "quotes"): table_no, speaker, quote, source_id."""
    frames = []
    for source_id, ds in sources["datasets"].items():
        if ds["kind"] == "quotes":
            df = pd.read_csv(data_dir / ds["file"], dtype=str, keep_default_na=False)
            frames.append(df[["table_no", "speaker", "quote"]].assign(source_id=source_id))
    return pd.concat(frames, ignore_index=True)


def load_imported_population(imported_dir: Path = IMPORTED_DIR) -> pd.DataFrame:
    """Population rows written by `import_cli ssb-population` (SSB table 07459), newest import
    first per kommune, year and age group."""
    frames = (
        [
            pd.read_csv(p, dtype={"kommune_code": str, "age_group": str, "imported_at": str})
            for p in sorted(imported_dir.glob("population__*.csv"))
        ]
        if imported_dir.exists()
        else []
    )
    if not frames:
        return pd.DataFrame(columns=POPULATION_COLUMNS)
    df = pd.concat(frames, ignore_index=True)
    df["population"] = pd.to_numeric(df["population"], errors="coerce").astype("Int64")
    df = df.sort_values(["imported_at", "source_file"], kind="stable")
    df = df.drop_duplicates(["kommune_code", "year", "age_group"], keep="last")
    return df[POPULATION_COLUMNS].reset_index(drop=True)


# ----------------------------------------------------------------------------- validate


def _cells_where(cells: pd.DataFrame, check: dict) -> pd.DataFrame:
    sel = cells
    rows = check.get("rows")
    if rows and rows != ["*"]:
        sel = sel[sel.row_label.isin(rows)]
    if check.get("except_rows"):
        sel = sel[~sel.row_label.isin(check["except_rows"])]
    if check.get("columns"):
        sel = sel[sel.column_label.isin(check["columns"])]
    return sel


def _where(c: pd.Series) -> str:
    return f"{c.file}:{c.line_no}"


def validate_cells(cells: pd.DataFrame, sources: dict) -> tuple[list[str], list[Flag]]:
    """Rules from sources.toml. Errors stop the build; flags are printed exceptions kept as data."""
    problems: list[str] = []
    flags: list[Flag] = []
    if cells.empty:
        return ["no cells loaded"], flags

    dup = cells[
        cells.duplicated(["source_id", "table_no", "row_label", "column_label"], keep=False)
    ]
    for _, c in dup.iterrows():
        problems.append(
            f"{_where(c)}: unique_key: «{c.row_label}» × «{c.column_label}» appears more than once"
        )

    for source_id, ds in sources["datasets"].items():
        if ds["kind"] != "cells":
            continue
        t = cells[cells.source_id == source_id]
        labels = set(t.column_label)
        for _, c in t[t.read_as.notna()].iterrows():
            if c.read_as not in labels:
                problems.append(
                    f"{_where(c)}: read_as: «{c.read_as}» is not a column of {ds['table_no']}"
                )
        for check in ds.get("checks", []):
            rule = check["rule"]
            if rule == "share_range":
                for _, c in _cells_where(t, check).iterrows():
                    if c.value is None or pd.isna(c.value):
                        problems.append(
                            f"{_where(c)}: share_range: «{c.value_printed}» is not a number"
                        )
                    elif not 0 <= c.value <= 100:
                        problems.append(f"{_where(c)}: share_range: {c.value} is outside 0–100")
            elif rule == "n_positive":
                for _, c in _cells_where(t, check).iterrows():
                    if c.value is None or pd.isna(c.value) or c.value <= 0:
                        problems.append(
                            f"{_where(c)}: n_positive: «{c.value_printed}» is not n > 0"
                        )
            elif rule == "rating_range":
                for _, c in t[t.column_label.str.contains("Snitt")].iterrows():
                    if c.value is None or pd.isna(c.value):
                        problems.append(
                            f"{_where(c)}: rating_range: «{c.value_printed}» is not a number"
                        )
                    elif not check["min"] <= c.value <= check["max"]:
                        problems.append(
                            f"{_where(c)}: rating_range: mean {c.value} outside "
                            f"{check['min']}–{check['max']}"
                        )
                for _, c in t[t.column_label.str.contains("SA")].iterrows():
                    if c.value is None or pd.isna(c.value) or c.value < 0:
                        problems.append(
                            f"{_where(c)}: rating_range: SD «{c.value_printed}» invalid"
                        )
            elif rule == "sum_to_total":
                p, f = _check_sum_to_total(t, ds, check)
                problems += p
                flags += f
            elif rule == "base_consistency":
                flags += _check_base_consistency(t, ds, check)
            elif rule == "parts_to_whole_n":
                row = t[t.row_label == check["row"]].set_index("column_label")
                parts = sum(row.loc[p, "value"] for p in check["parts"])
                whole = row.loc[check["whole"], "value"]
                if parts != whole:
                    c = row.loc[check["whole"]]
                    problems.append(
                        f"{c.file}:{c.line_no}: parts_to_whole_n: parts sum to {parts:g}, "
                        f"whole printed {whole:g}"
                    )
            else:
                problems.append(f"sources.toml [{source_id}]: unknown rule «{rule}»")
    return problems, flags


def _check_sum_to_total(t: pd.DataFrame, ds: dict, check: dict) -> tuple[list[str], list[Flag]]:
    """Parts printed in whole percent may miss the printed total by at most 0.5 per part.

    Within that bound a mismatch is a printed exception: kept and flagged, never fixed. Beyond it
    the transcription is wrong and the build stops.
    """
    problems, flags = [], []
    for col, g in t.groupby("column_label"):
        by_row = g.set_index("row_label")
        parts = by_row.loc[check["parts"], "value"].sum()
        total_cell = by_row.loc[check["total"]]
        diff = parts - total_cell.value
        if diff == 0:
            continue
        bound = 0.5 * len(check["parts"])
        label = " + ".join(check["parts"])
        if abs(diff) <= bound:
            flags.append(
                Flag(
                    total_cell.source_id,
                    ds["table_no"],
                    check["total"],
                    col,
                    "sum_to_total",
                    f"{label} = {parts:g}, printed {check['total']} = {total_cell.value:g} "
                    f"(within rounding of {len(check['parts'])} whole-percent parts; kept as printed)",
                    f"{label} = {_nb(parts)}, trykt {check['total']} = {_nb(total_cell.value)} "
                    f"(innenfor avrundingen av {len(check['parts'])} hele prosenttall; "
                    "beholdt som trykt)",
                )
            )
        else:
            problems.append(
                f"{_where(total_cell)}: sum_to_total: {label} = {parts:g} in «{col}», "
                f"printed total {total_cell.value:g}; more than rounding allows (±{bound:g})"
            )
    return problems, flags


def _check_base_consistency(t: pd.DataFrame, ds: dict, check: dict) -> list[Flag]:
    """Tabell 5/7 print a share of users and a share of all: both must describe the same count."""
    flags = []
    share = t[t.row_label == check["share_row"]].set_index("column_label")
    n = t[t.row_label == check["n_row"]].set_index("column_label")
    groups = sorted({c.split(" | ")[0] for c in share.index})
    for grp in groups:
        cols = [c for c in share.index if c.startswith(grp + " | ")]
        if len(cols) != 2:
            continue
        (c_users, c_all) = sorted(cols, key=lambda c: n.loc[c, "value"])
        count = share.loc[c_users, "value"] / 100 * n.loc[c_users, "value"]
        implied = 100 * count / n.loc[c_all, "value"]
        printed = share.loc[c_all, "value"]
        if abs(implied - printed) > check["tolerance_pct"]:
            flags.append(
                Flag(
                    share.loc[c_all, "source_id"],
                    ds["table_no"],
                    check["share_row"],
                    c_all,
                    "base_consistency",
                    f"{share.loc[c_users, 'value']:g} % of {n.loc[c_users, 'value']:g} ≈ "
                    f"{count:.0f}, which is {implied:.1f} % of {n.loc[c_all, 'value']:g}; "
                    f"printed {printed:g} %. Kept as printed.",
                    f"{_nb(share.loc[c_users, 'value'])} % av {_nb(n.loc[c_users, 'value'])} ≈ "
                    f"{count:.0f}, som er {_nb(implied, '.1f')} % av {_nb(n.loc[c_all, 'value'])}; "
                    f"trykt {_nb(printed)} %. Beholdt som trykt.",
                )
            )
    return flags


ROLES = ("figures", "context", "named", "reference")
# Texts a reader sees, each in bokmål and English (sources.toml says why).
REPORT_TEXTS = ("data_from", "contributes", "licence", "citation")
DATASET_TEXTS = ("place", "transformations", "known_issues")


def texts(entry: dict, field: str) -> tuple:
    """(bokmål, English) of a field: its _nb/_en pair, or one text cited in the source's own
    language (a printed caption, a report's own table label) for both."""
    if f"{field}_nb" in entry or f"{field}_en" in entry:
        return entry.get(f"{field}_nb"), entry.get(f"{field}_en")
    value = entry.get(field, "")
    return value, value


def _missing_texts(entry: dict, fields, where: str, cited=()) -> list[str]:
    problems = []
    for field in fields:
        nb, en = entry.get(f"{field}_nb"), entry.get(f"{field}_en")
        if field in cited and field in entry and nb is None:
            continue  # cited in the source's own language
        if nb is None or en is None:
            problems.append(f"sources.toml {where}: «{field}» needs {field}_nb and {field}_en")
        elif isinstance(nb, list) and len(nb) != len(en):
            problems.append(f"sources.toml {where}: {field}_nb and {field}_en differ in length")
    return problems


def validate_sources(sources: dict, data_dir: Path = DATA_DIR) -> list[str]:
    problems = []
    for rid, rep in sources["reports"].items():
        where = f"[reports.{rid}]"
        for key in ("publisher", "year", "role", "pages"):
            if key not in rep and (key != "publisher" or "publisher_nb" not in rep):
                problems.append(f"sources.toml {where}: missing «{key}»")
        if rep.get("role") not in ROLES:
            problems.append(f"sources.toml {where}: role must be one of {', '.join(ROLES)}")
        problems += _missing_texts(rep, ("title", *REPORT_TEXTS), where, cited=("title",))
    for sid, ds in sources["datasets"].items():
        where = f"[datasets.{sid}]"
        for key in ("report", "kind", "file"):
            if key not in ds:
                problems.append(f"sources.toml {where}: missing «{key}»")
        problems += _missing_texts(
            ds, ("table_no", "title", *DATASET_TEXTS), where, cited=("table_no", "title")
        )
        if ds.get("report") not in sources["reports"]:
            problems.append(f"sources.toml {where}: unknown report «{ds.get('report')}»")
        if ds.get("file") and not (data_dir / ds["file"]).exists():
            problems.append(f"sources.toml {where}: file {ds['file']} does not exist")
    return problems


# ----------------------------------------------------------------------------- derive (python)


def size_class(population: float | None) -> str | None:
    """Tabell 6's classes are inhabitants of the kommune."""
    if population is None or pd.isna(population):
        return None
    if population < 3000:
        return SIZE_CLASSES[0]
    if population < 10000:
        return SIZE_CLASSES[1]
    return SIZE_CLASSES[2]


def build_kommune(ref: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, list[str]]:
    pop = ref["population"].copy()
    problems = []
    # A damaged name in the reference file is corrected openly: the correction is a file of its
    # own (raw/kommune_name_corrections.csv), checked against the printed name, shown in the app.
    for r in ref["name_corrections"].itertuples(index=False):
        hit = pop.kommune_code_2020 == r.kommune_code_2020
        if not (pop.loc[hit, "kommune_name_2020"] == r.name_in_source).all() or not hit.any():
            problems.append(
                f"raw/kommune_name_corrections.csv: kommune {r.kommune_code_2020}: name_in_source "
                f"«{r.name_in_source}» does not match the reference file"
            )
        pop.loc[hit, "kommune_name_2020"] = r.name_used
    split = ref["fylke_split"].set_index("kommune_code_2020")["fylke_2010_assigned"]
    pop["fylke_2010_listed"] = pop["fylker_2010"]
    pop["fylke_2010"] = [
        split.get(code, f) if ";" in f else f
        for code, f in zip(pop.kommune_code_2020, pop.fylker_2010, strict=True)
    ]
    for code, f in zip(pop.kommune_code_2020, pop.fylke_2010, strict=True):
        if ";" in f:
            problems.append(
                f"raw/ssb_kommune_population_2010_2020.csv: kommune {code}: fylke_2010: "
                f"«{f}» spans two fylker and has no row in raw/fylke_2010_split_assignment.csv"
            )
        elif f not in LANDSDEL_BY_FYLKE_2010:
            problems.append(f"kommune {code}: fylke_2010: unknown fylke «{f}»")
    to_num = lambda s: pd.to_numeric(s.replace("", None), errors="coerce")  # noqa: E731
    out = pd.DataFrame(
        {
            "kommune_code": pop.kommune_code_2020,
            "kommune_name": pop.kommune_name_2020,
            "fylke_code_2020": pop.kommune_code_2020.str[:2],
            "fylke_name_2020": pop.kommune_code_2020.str[:2].map(FYLKE_2020),
            "fylke_2010": pop.fylke_2010,
            "fylke_2010_listed": pop.fylke_2010_listed,
            "fylke_2010_assigned": pop.fylke_2010_listed.str.contains(";"),
            "landsdel": pop.fylke_2010.map(LANDSDEL_BY_FYLKE_2010),
            "population_2010": to_num(pop.population_2010_in_2020_borders).astype("Int64"),
            "population_2010_status": pop.population_2010_status,
            "population_2020": to_num(pop.population_2020).astype("Int64"),
            "population_2020_age_6_15": to_num(pop.population_2020_age_6_15).astype("Int64"),
            "kommune_codes_2010": pop.kommune_codes_2010,
        }
    )
    out["size_class_2010"] = out.population_2010.map(size_class)
    out["size_class_2020"] = out.population_2020.map(size_class)
    if out.fylke_name_2020.isna().any():
        bad = out[out.fylke_name_2020.isna()].kommune_code.tolist()
        problems.append(f"raw/ssb_kommune_population_2010_2020.csv: unknown fylke prefix for {bad}")
    points = ref["points"].set_index("kommune_code")
    out["lon"] = out.kommune_code.map(points["lon"])
    out["lat"] = out.kommune_code.map(points["lat"])
    if out.lon.isna().any():
        problems.append(
            f"geo/kommune_points.csv: no point for {out[out.lon.isna()].kommune_code.tolist()}"
        )
    if out.kommune_code.duplicated().any() or len(out) != 356:
        problems.append(
            f"raw/ssb_kommune_population_2010_2020.csv: expected 356 unique codes, got {out.kommune_code.nunique()}"
        )
    out["source_id"] = "ssb_kommune_population"
    return out, problems


EMBEDDED_SKOLEBIDRAG = "raw/udir_skolebidrag_skoleporten_2014_2019.csv"
# The raw file's indicator names → the keys every layer uses (data/udir_import.py).
INDICATOR_KEYS = {
    "skolebidrag": "skolebidrag",
    "faktiske_karakterpoeng": "faktisk",
    "forventet_karakterpoeng": "forventet",
}


def match_skolebidrag(
    ref: dict[str, pd.DataFrame], reference: pd.DataFrame
) -> tuple[pd.DataFrame, list[str]]:
    """Give every Skoleporten row its unit code, with the importers' name matcher.

    A page lists the kommuner of one fylke, so the listing's fylke tells apart names that repeat
    across fylker (Herøy, Bø, Nes); «(utgått)» marks a former kommune, which keeps its code from
    before 2020 (the bridge in core.kommune_bridge leads to its 2020 kommune).
    """
    sb = ref["skolebidrag"]
    index = units.KommuneIndex(reference)
    problems, codes = [], []
    for line_no, r in enumerate(sb.itertuples(index=False), start=2):
        code, found = index.match(
            r.kommune_name_as_published, r.kommune_code_if_stated or None, r.listing_fylke
        )
        for _, _, en in found:
            problems.append(f"{EMBEDDED_SKOLEBIDRAG}:{line_no}: kommune_known: {en}")
        if code is not None and (r.kommune_utgatt == "True") != index.by_code[code].former:
            problems.append(
                f"{EMBEDDED_SKOLEBIDRAG}:{line_no}: kommune_known: «{r.kommune_name_as_published}»"
                f" kommune_utgatt={r.kommune_utgatt} but {code} is "
                f"{'a former' if index.by_code[code].former else 'a 2020'} kommune"
            )
        codes.append(code)
    unknown = sorted(set(sb.indicator) - set(INDICATOR_KEYS))
    if unknown:
        problems.append(f"{EMBEDDED_SKOLEBIDRAG}: indicator: unknown {unknown}")
    out = pd.DataFrame(
        {
            "kommune_code": codes,
            "unit_level": "kommune",
            "school_name": None,
            "name_as_published": sb.kommune_name_as_published,
            "trinn": sb.trinn,
            "period": sb.period,
            "indicator": sb.indicator.map(INDICATOR_KEYS),
            "value": pd.to_numeric(sb.value),
            "value_as_published": sb.value_as_published,
            "suppressed": False,
            # «Alle grunnskoler med adresse i … (offentlige og private)» on every page
            "eierform": "Alle eierformer",
            "n_pupils": pd.array([pd.NA] * len(sb), dtype="Int64"),
            "listing_fylke": sb.listing_fylke,
            "source_id": "udir_skolebidrag",
            "source_file": EMBEDDED_SKOLEBIDRAG,
            "source_url": sb.source_url,
            "imported_at": None,
        }
    )[sbdata.COLUMNS]
    key = out[sbdata.KEY].fillna({"school_name": ""})
    dup = out[key.duplicated(keep=False).to_numpy()]
    if not dup.empty:
        problems.append(
            f"{EMBEDDED_SKOLEBIDRAG}: unique_key: duplicates {dup.head(4).to_dict('records')}"
        )
    return out, problems


def _report_columns(rep: dict) -> dict:
    """A report's texts in both languages. A publication's own title (`title`) is cited as
    printed in both; its English rendering (`title_en`) goes beside it on English pages."""
    own = rep.get("title")
    publisher = texts(rep, "publisher")
    if "publisher_nb" not in rep:
        publisher = (rep["publisher"], rep.get("publisher_en", rep["publisher"]))
    out = {
        "publisher_nb": publisher[0],
        "publisher_en": publisher[1],
        "title_nb": own or rep["title_nb"],
        "title_en": own or rep["title_en"],
        "title_quoted": own is not None,
        "title_gloss_en": rep.get("title_en", "") if own else "",
        "document": rep.get("document", ""),
        "url": rep.get("url", ""),
    }
    for field in REPORT_TEXTS:
        out[f"{field}_nb"], out[f"{field}_en"] = texts(rep, field)
    return out


def reports_frame(sources: dict) -> pd.DataFrame:
    """One row per report, with or without transcribed datasets (core.reports)."""
    return pd.DataFrame(
        [
            {
                "report_id": rid,
                "year": rep["year"],
                "role": rep["role"],
                "pages": json.dumps(rep["pages"]),
                **_report_columns(rep),
            }
            for rid, rep in sources["reports"].items()
        ]
    )


def sources_frame(sources: dict) -> pd.DataFrame:
    """One row per dataset with its report's texts, both languages (core.sources)."""
    rows = []
    for sid, ds in sources["datasets"].items():
        rep = _report_columns(sources["reports"][ds["report"]])
        row = {
            "source_id": sid,
            "report_id": ds["report"],
            "kind": ds["kind"],
            "year": sources["reports"][ds["report"]]["year"],
            "file": ds["file"],
            "dataset_title_quoted": "title" in ds,
        }
        row |= {f"report_{k}" if k.startswith("title") else k: v for k, v in rep.items()}
        for field in ("table_no", "title"):
            row[f"{field}_nb"], row[f"{field}_en"] = texts(ds, field)
        for field in DATASET_TEXTS[:2]:
            row[f"{field}_nb"], row[f"{field}_en"] = texts(ds, field)
        nb, en = texts(ds, "known_issues")
        row["known_issues_nb"] = json.dumps(nb or [], ensure_ascii=False)
        row["known_issues_en"] = json.dumps(en or [], ensure_ascii=False)
        rows.append(row)
    # Rows loaded with data/import_cli.py carry source_id "import" plus their own file name and
    # import date (core.skolebidrag.imported_from / imported_at).
    udir = _report_columns(sources["reports"]["udir"])
    rows.append(
        {
            "source_id": "import",
            "report_id": "udir",
            "kind": "import",
            "year": sources["reports"]["udir"]["year"],
            "file": "data/imported/",
            "dataset_title_quoted": False,
            **{f"report_{k}" if k.startswith("title") else k: v for k, v in udir.items()},
            "report_title_nb": "Importert eksport fra Udirs statistikkbank / Skoleporten",
            "report_title_en": "Imported export from Udir's statistics bank / Skoleporten",
            "report_title_quoted": False,
            "report_title_gloss_en": "",
            "document": "data/imported/",
            "citation_nb": "Kilde: Utdanningsdirektoratet, importert fil (se filnavn og dato)",
            "citation_en": "Source: Norwegian Directorate for Education and Training, imported file (see file name and date)",
            "table_no_nb": "-",
            "table_no_en": "-",
            "title_nb": "Skolebidrag importert med python -m data.import_cli",
            "title_en": "School contribution imported with python -m data.import_cli",
            "place_nb": "data/imported/",
            "place_en": "data/imported/",
            "transformations_nb": "Kontrollert av data/udir_import.py; for hver kommune, hvert trinn, hver periode og hver indikator erstatter den nyeste importen eldre importer og den innebygde verdien (data/skolebidrag.py).",
            "transformations_en": "Validated by data/udir_import.py; for each kommune, trinn, period and indicator the newest import replaces older imports and the embedded value (data/skolebidrag.py).",
            "known_issues_nb": "[]",
            "known_issues_en": "[]",
        }
    )
    return pd.DataFrame(rows)


def load_geo(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    files = {
        "kommuner": "kommuner_2020.geojson",
        "fylker": "fylker_2020.geojson",
        "landsdeler": "landsdeler_2010.geojson",
    }
    return pd.DataFrame(
        [
            {
                "layer": layer,
                "geojson": (data_dir / "geo" / name).read_text(encoding="utf-8"),
                "source_id": "kartverket_boundaries",
            }
            for layer, name in files.items()
        ]
    )


# ----------------------------------------------------------------------------- write


def write_database(
    path: Path,
    frames: dict[str, pd.DataFrame],
    models_dir: Path = MODELS_DIR,
) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE SCHEMA raw; CREATE SCHEMA core;")
        for name, df in frames.items():
            con.register("_frame", df)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM _frame")
            con.unregister("_frame")
        for sql_file in sorted(models_dir.glob("*.sql")):
            con.execute(sql_file.read_text(encoding="utf-8"))
        con.execute(
            "CREATE TABLE core.build_info AS SELECT ?::VARCHAR AS built_on, ?::DOUBLE AS built_at_unix",
            [date.today().isoformat(), time.time()],
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()


STALE_AFTER_S = 3600
_TEMPORARY = re.compile(r"\.tmp-(\d+)(\.wal)?$")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_stale_temporaries(db_path: Path, now: float | None = None) -> list[Path]:
    """Delete `<db>.tmp-PID` files (and their `.wal`) that killed builds left behind.

    A file goes when the build that wrote it is gone (no process PID) or it is older than an
    hour (a PID can be reused by an unrelated process); a build still running keeps its file.
    """
    now = time.time() if now is None else now
    removed = []
    for path in Path(db_path).parent.glob(f"{Path(db_path).name}.tmp-*"):
        m = _TEMPORARY.search(path.name)
        if not m or path.name != f"{Path(db_path).name}{m.group(0)}":
            continue
        pid = int(m.group(1))
        try:
            old = now - path.stat().st_mtime > STALE_AFTER_S
        except FileNotFoundError:
            continue
        if pid == os.getpid() or (_pid_alive(pid) and not old):
            continue
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    return sorted(removed)


def build(db_path: Path = DEFAULT_DB, data_dir: Path = DATA_DIR, quiet: bool = False) -> dict:
    """Validate everything, then build to a temporary file and rename it over db_path."""
    t0 = time.perf_counter()
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr))

    sources = load_sources(data_dir / "sources.toml")
    problems = validate_sources(sources, data_dir)
    cells, p = load_cells(sources, data_dir)
    problems += p
    if not cells.empty:
        p, flags = validate_cells(cells, sources)
        problems += p
    else:
        flags = []
    ref = load_reference(data_dir)
    translations, p = load_note_translations(data_dir)
    problems += p
    if not cells.empty:
        problems += add_norwegian_notes(
            cells, translations, lambda i: f"{cells.at[i, 'file']}:{cells.at[i, 'line_no']}"
        )
    problems += add_norwegian_notes(
        ref["successors"], translations, lambda i: f"raw/kommune_successors_2020.csv:{i + 2}"
    )
    figure_keys, p = load_figure_keys(data_dir)
    problems += p + validate_figure_keys(figure_keys, cells)
    kommune, p = build_kommune(ref)
    problems += p
    reference = units.reference(data_dir / "raw")
    skolebidrag, p = match_skolebidrag(ref, reference)
    problems += p
    if problems:
        raise BuildError(problems)
    # One rule for every layer: the newest origin wins per unit, trinn, period and indicator.
    skolebidrag = sbdata.merge_layers([skolebidrag, *sbdata.load_imports(data_dir / "imported")])

    frames = {
        "raw.source_cells": cells,
        "raw.quotes": load_quotes(sources, data_dir),
        "raw.figure_keys": figure_keys,
        "raw.kommune_successors": ref["successors"].assign(source_id="kommune_successors"),
        "raw.kommune_changes": ref["changes"].assign(source_id="kommune_changes_2020"),
        "raw.udir_skolebidrag": ref["skolebidrag"].assign(
            line_no=range(2, len(ref["skolebidrag"]) + 2), source_id="udir_skolebidrag"
        ),
        "raw.ssb_population": ref["population"].assign(source_id="ssb_kommune_population"),
        "core.sources": sources_frame(sources),
        "core.reports": reports_frame(sources),
        "core.validation_flags": pd.DataFrame(
            [f.__dict__ for f in flags],
            columns=[
                "source_id",
                "table_no",
                "row_label",
                "column_label",
                "rule",
                "message",
                "message_nb",
            ],
        ),
        "core.kommune": kommune,
        "core.kommune_units": reference,
        "core.kommune_bridge": units.bridge(reference),
        "core.skolebidrag": skolebidrag,
        "core.population_imported": load_imported_population(data_dir / "imported"),
        "core.geo": load_geo(data_dir),
    }
    db_path = Path(db_path)
    for stale in remove_stale_temporaries(db_path):
        say(f"Removed {stale.name}, left by a build that did not finish.")
    tmp = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        write_database(tmp, frames, data_dir / "models")
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
    seconds = time.perf_counter() - t0
    say(
        f"Built {db_path} in {seconds:.2f} s: {len(cells)} printed cells, {len(flags)} flagged prints, "
        f"{len(kommune)} kommuner, {len(skolebidrag)} skolebidrag rows."
    )
    return {"seconds": seconds, "cells": len(cells), "flags": len(flags), "path": str(db_path)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("SKOLEMILJO_DB", str(DEFAULT_DB)))
    parser.add_argument("--data-dir", default=str(DATA_DIR), help="folder with raw/, geo/, models/")
    args = parser.parse_args(argv)
    try:
        build(Path(args.db), data_dir=Path(args.data_dir))
    except BuildError as err:
        print("Build stopped; the previous database is unchanged. Problems:", file=sys.stderr)
        for problem in err.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
