"""SSB statbank downloads of table 07459 (population by kommune, age and year) → tidy rows.

Long (``region;[alder;][statistikkvariabel;][kjønn;]år;<value>``) or wide (one value column per
year, e.g. «Personer 2020»), semicolon or comma, any of the encodings data/csv_input.py reads.
SSB's symbols: «..», «.», «:» → missing; «-» (SSB's «nil») → 0. National and fylke rows are
skipped and counted; kommune codes must be known (data/kommuner.py). The build uses imported
rows for the population aged 6–15 of a period's year (the funnel's size measure).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from data.csv_input import (
    DASHES,
    SSB_MISSING,
    SUPPRESSION_MARKS,
    Full,
    ImportValidationError,
    Problems,
    Table,
    canon,
    formula_like,
    read_table,
    to_number,
    utf8_bytes,
)
from data.kommuner import KommuneIndex, nfc
from data.udir_import import stamp

POPULATION_COLUMNS = [
    "kommune_code",
    "year",
    "age_group",
    "population",
    "source_file",
    "imported_at",
]

# ----------------------------------------------------------------------------- SSB population

SSB_DIMENSIONS = {
    "region": ("region", "kommune", "region (kommune)"),
    "year": ("år", "year", "tid", "time"),
    "age": ("alder", "age", "alderstrinn"),
    "variable": ("statistikkvariabel", "contents", "statistic", "statistikkvariabler"),
    "sex": ("kjønn", "sex"),
}
_SEX_TOTAL = {"begge kjønn", "i alt", "alle", "both sexes", "total", "0"}
_SEX_SPLIT = {"menn", "kvinner", "males", "females", "mann", "kvinne", "1", "2"}
_POPULATION_WORDS = ("personer", "befolkning", "folkemengde", "persons", "population")


def _age_group(cell: str | None) -> str:
    """'6 år' → '6'; '6-15 år' → '6-15'; '105 år eller eldre' → '105+'; 'Alle aldre' → 'alle'."""
    if cell is None:
        return "alle"
    s = nfc(cell).casefold()
    # Labels may carry SSB's code first: «006 6 år», «999D Alle aldre», «F006-015 6-15 år».
    s = re.sub(r"^[a-z]?\d{3}(?:-\d{3})?[a-z]?\s+(?=\d|alle)", "", s)
    if s in {"alle aldre", "i alt", "alle", "total", "all ages", ""}:
        return "alle"
    m = re.fullmatch(rf"(\d{{1,3}})\s*[{DASHES}]\s*(\d{{1,3}})\s*(år)?", s)
    if m:
        return f"{int(m.group(1))}-{int(m.group(2))}"
    m = re.fullmatch(r"(\d{1,3})\s*år\s*(eller eldre|og over|\+)", s) or re.fullmatch(
        r"(\d{1,3})\s*\+", s
    )
    if m:
        return f"{int(m.group(1))}+"
    m = re.fullmatch(r"(\d{1,3})\s*(år)?", s)
    if m:
        return str(int(m.group(1)))
    return nfc(cell)


def _region(cell: str) -> tuple[str | None, bool]:
    """→ (4-digit code or None, is_aggregate). '0301 Oslo', 'K-0301 Oslo', '0301'."""
    s = nfc(cell)
    m = re.match(r"(?:K-)?(\d{4})(?:\s|$)", s, flags=re.IGNORECASE)
    if m:
        return m.group(1), False
    if re.match(r"(?:F-)?\d{1,2}(?:\s|$)|EAK\b|hele landet|landet\b", s, flags=re.IGNORECASE):
        return None, True
    return None, False


def parse_ssb_population_export(
    raw: bytes,
    kommuner: pd.DataFrame,
    file_name: str,
    imported_at: str | None = None,
) -> pd.DataFrame:
    """Validate an SSB statbank export of population (table 07459), long or wide.

    Long: ``region;[alder;][statistikkvariabel;][kjønn;]år;<value column>``. Wide: one value
    column per year, its header holding the year (``"Personer 2020"``). Returns kommune_code,
    year (int), age_group, population (Int64, NA for '..', '.', ':'), source_file, imported_at.
    National and fylke rows are skipped (noted in ``df.attrs["notes"]``); kommune codes must be
    in ``kommuner``. Raises ImportValidationError.
    """
    source_file = Path(str(file_name)).name
    when = stamp(imported_at)
    index = KommuneIndex(kommuner)
    try:
        data = utf8_bytes(raw)
    except ImportValidationError as err:
        raise ImportValidationError(err.problems, source_file) from None
    problems = Problems()
    out: list[dict] = []
    skipped = {"level": 0, "sex": 0}
    try:
        table = read_table(data, problems, allow_comma=True)
        if table is not None:
            out = _ssb_rows(table, index, problems, skipped)
            if not out and not problems.items:
                problems.add(
                    None,
                    None,
                    "Filen har ingen rader for kommuner.",
                    "The file has no kommune rows.",
                )
    except Full:
        pass
    problems.raise_if_any(source_file)
    df = pd.DataFrame(out, columns=["kommune_code", "year", "age_group", "population"])
    df = df.sort_values(["kommune_code", "year", "age_group"], kind="stable")
    df = df.assign(source_file=source_file, imported_at=when).reset_index(drop=True)
    df["year"] = df["year"].astype("int64")
    df["population"] = df["population"].astype("Int64")
    df.attrs["notes"] = []
    if skipped["level"]:
        df.attrs["notes"].append(
            (
                f"{skipped['level']} rader for hele landet eller fylker ble hoppet over.",
                f"{skipped['level']} rows for the whole country or fylker were skipped.",
            )
        )
    if skipped["sex"]:
        df.attrs["notes"].append(
            (
                f"{skipped['sex']} rader for menn/kvinner ble hoppet over (totalen brukes).",
                f"{skipped['sex']} rows for men/women were skipped (the total is used).",
            )
        )
    return df[POPULATION_COLUMNS]


def _ssb_rows(
    table: Table, index: KommuneIndex, problems: Problems, skipped: dict[str, int]
) -> list[dict]:
    header = table.header
    names = [canon(h) for h in header]
    dims: dict[str, int] = {}
    for dim, aliases in SSB_DIMENSIONS.items():
        for i, c in enumerate(names):
            if c in aliases and i not in dims.values():
                dims[dim] = i
                break
    hint_nb = "Velg region (kommuner, 2020-inndeling), år og eventuelt alder i SSB-tabellen."
    hint_en = "Select region (kommuner, 2020 structure), year and optionally age in the SSB table."
    if "region" not in dims:
        problems.add(
            table.header_line,
            "region",
            f"Påkrevd kolonne «region» mangler. Filen har: {', '.join(header)}. {hint_nb}",
            f"Required column «region» is missing. The file has: {', '.join(header)}. {hint_en}",
        )
        return []
    rest = [i for i in range(len(header)) if i not in dims.values()]
    # Long format: exactly one value column. Wide: every remaining column names its year.
    if "year" in dims:
        if len(rest) != 1:
            names = ", ".join(header[i] for i in rest) or "ingen"
            problems.add(
                table.header_line,
                names,
                f"Forventet nøyaktig én verdikolonne etter «år», fant: {names}. {hint_nb}",
                f"Expected exactly one value column besides «år», found: {names}. {hint_en}",
            )
            return []
        value_cols = [(rest[0], None)]
    else:
        value_cols, unknown = [], []
        for i in rest:
            years = re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", header[i])
            if len(years) == 1:
                value_cols.append((i, int(years[0])))
            else:
                unknown.append(header[i])
        if unknown or not value_cols:
            names = ", ".join(unknown) or "ingen"
            problems.add(
                table.header_line,
                names,
                f"Fant ikke kolonnen «år», og disse kolonnene har ikke ett årstall i navnet: "
                f"{names}. {hint_nb}",
                f"No «år» column, and these columns do not have one year in their name: "
                f"{names}. {hint_en}",
            )
            return []
    out: list[dict] = []
    first_line: dict[tuple[str, int, str], int] = {}
    formulas = {i: formula_like(table.column(i)).to_numpy() for i in range(len(header))}
    for row, cells in enumerate(table.frame.itertuples(index=False, name=None)):
        line_no = int(table.lines[row])
        bad = [i for i in formulas if formulas[i][row]]
        for i in bad:
            problems.add(
                line_no,
                header[i],
                f"Formel-lignende verdi avvist: «{cells[i][:40]}». Celler kan ikke starte med = + @.",
                f"Formula-like value rejected: «{cells[i][:40]}». Cells may not start with = + @.",
            )
        if bad:
            continue
        if "sex" in dims:
            sex = nfc(cells[dims["sex"]]).casefold()
            if sex in _SEX_SPLIT:
                skipped["sex"] += 1
                continue
            if sex not in _SEX_TOTAL:
                problems.add(
                    line_no,
                    header[dims["sex"]],
                    f"Ukjent kjønn «{cells[dims['sex']]}». Velg «Begge kjønn» i SSB-tabellen.",
                    f"Unknown sex «{cells[dims['sex']]}». Choose «Begge kjønn» (both sexes).",
                )
                continue
        if "variable" in dims:
            var = nfc(cells[dims["variable"]]).casefold()
            if not any(w in var for w in _POPULATION_WORDS):
                problems.add(
                    line_no,
                    header[dims["variable"]],
                    f"«{cells[dims['variable']]}» er ikke folkemengde (forventet «Personer»).",
                    f"«{cells[dims['variable']]}» is not population (expected «Personer»).",
                )
                continue
        code, aggregate = _region(cells[dims["region"]])
        if aggregate:
            skipped["level"] += 1
            continue
        row_ok = True
        if code is None:
            row_ok = False
            problems.add(
                line_no,
                header[dims["region"]],
                f"Regionen «{cells[dims['region']]}» starter ikke med et kommunenummer "
                "(f.eks. «0301 Oslo»).",
                f"The region «{cells[dims['region']]}» does not start with a kommune number "
                "(e.g. «0301 Oslo»).",
            )
        elif code not in index.by_code:
            row_ok = False
            problems.add(
                line_no,
                header[dims["region"]],
                f"Ukjent kommunenummer {code} («{cells[dims['region']]}»): ikke i "
                "2020-inndelingen eller blant kjente tidligere kommuner.",
                f"Unknown kommune number {code} («{cells[dims['region']]}»): not in the 2020 "
                "structure nor among known former kommuner.",
            )
        age = _age_group(cells[dims["age"]] if "age" in dims else None)
        row_year = None
        if "year" in dims:
            y = cells[dims["year"]].strip()
            if re.fullmatch(r"\d{4}", y):
                row_year = int(y)
            else:
                row_ok = False
                problems.add(
                    line_no,
                    header[dims["year"]],
                    f"Ugyldig år «{y}» (forventet fire sifre).",
                    f"Invalid year «{y}» (expected four digits).",
                )
        for col, col_year in value_cols:
            year = col_year if col_year is not None else row_year
            cell = cells[col].strip()
            if cell == "-":
                population, prob = 0, None  # SSB's symbol for «nil»
            elif cell == "":
                population, prob = (
                    None,
                    (
                        "Tom celle: bruk «..» for manglende tall.",
                        "Empty cell: use «..» for a missing figure.",
                    ),
                )
            else:
                population, prob = _count(cell)
            if prob:
                problems.add(line_no, header[col], *prob)
                continue
            if not row_ok or year is None:
                continue
            key = (code, year, age)
            if key in first_line:
                problems.add(
                    line_no,
                    None,
                    f"Dobbel rad: linje {line_no} gjentar linje {first_line[key]} "
                    f"({code}, {year}, alder {age}).",
                    f"Duplicate row: line {line_no} repeats line {first_line[key]} "
                    f"({code}, {year}, age {age}).",
                )
                continue
            first_line[key] = line_no
            out.append(
                {"kommune_code": code, "year": year, "age_group": age, "population": population}
            )
    return out


def _count(cell: str) -> tuple[int | None, tuple[str, str] | None]:
    """Non-negative integer ('1 234' ok); SSB's missing marks → None."""
    s = cell.strip()
    if s in SUPPRESSION_MARKS or s in SSB_MISSING:
        return None, None
    v = to_number(pd.Series([s], dtype=object)).iat[0]
    if v != v or v != int(v) or v < 0:
        return None, (f"«{cell}» er ikke et heltall ≥ 0.", f"«{cell}» is not a whole number ≥ 0.")
    return int(v), None
