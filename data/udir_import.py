"""Udir skolebidrag downloads → tidy rows, validated; a file is never half-imported.

Two layouts are accepted (tests/test_import.py has a test for each rule below):

- The download from Udir's statistikkbank and Skoleporten, ``nedlasting.csv``:
  ``Enhetsnavn;Skoletype;Vurderingsområde;Statistikk;Indikator/delskår;Periode;Eierform;Trinn;
  Kjønn;Verdi;Måleenhet`` — semicolons, decimal comma, «.» for a missing value (also «*», «:»,
  «..»), UTF-8 with BOM or Windows-1252, CRLF. One file can hold several indicators, rows per
  Kjønn and per Eierform, and units at every level (Nasjonalt, fylke, kommune, school).
- The simple layout of earlier versions: ``Enhetsnavn;Periode;Trinn;Verdi`` with optional
  Kommunenummer, Fylke, Indikator, Enhetstype, Antall elever.

Rules:

- Indicator (Indikator/delskår, else Statistikk): «Skolebidrag» rows are the indicator; «Faktiske
  …» and «Forventede …» (actual and expected results) are kept beside it; other indicators are
  skipped and counted in ``df.attrs["notes"]``.
- Kjønn: «Begge kjønn» is used; rows for girls and boys are skipped and counted.
- Eierform: where a unit has rows for several owner forms, «Alle eierformer» is used, else
  «Offentlig», else «Privat» (Skoleporten's kommune figures cover all schools, public and private).
- Level: national and fylke rows are skipped and counted (0 is the national average by
  definition). Kommune rows («… kommune», «… kommune (utgått)») are matched by the one name
  matcher (data/kommuner.py). School rows (any other name in the download layout, or Enhetstype
  «Skole») are kept per school with their kommune: from a Kommune/Kommunenummer column, else from
  ``school_kommune`` (chosen by the user), else from the file's only kommune. When the file does
  not say which kommune its schools belong to, they are not imported and a note says so and how
  to fix it.
- A skolebidrag further than ``SKOLEBIDRAG_MAX_ABS`` from 0 is rejected as implausible: it is a
  difference from the expected result (published values lie within about ±10), so 38,2 means
  the export holds actual grade points, not skolebidrag.
- Columns we do not know are ignored and listed in a note, never fatal.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from data.csv_input import (
    MAX_BYTES,
    SSB_MISSING,
    SUPPRESSION_MARKS,
    ExactLinesNeeded,
    Full,
    Header,
    ImportValidationError,
    Problems,
    Table,
    canon,
    formula_like,
    map_columns,
    map_unique,
    parse_period,
    parse_trinn,
    read_batches,
    read_header,
    read_table_exact,
    to_number,
    trinn_in_text,
    utf8_bytes,
)
from data.kommuner import KommuneIndex, nfc, parse_code

SKOLEBIDRAG_MAX_ABS = 25.0
INDICATORS = ("skolebidrag", "faktisk", "forventet")
SKOLEBIDRAG_COLUMNS = [
    "unit_level",  # kommune | skole
    "kommune_code",
    "kommune_name",
    "school_name",
    "name_as_published",  # the file's Enhetsnavn
    "trinn",
    "period",
    "indicator",  # skolebidrag | faktisk | forventet
    "value",
    "suppressed",
    "suppression_mark",
    "n_pupils",
    "eierform",
    "measure_unit",
    "source_file",
    "imported_at",
]

REQUIRED = {
    "Enhetsnavn": ("enhetsnavn", "enhet", "navn", "kommunenavn", "kommune"),
    "Periode": ("periode", "skoleår", "skolear", "år"),
    "Trinn": ("trinn", "årstrinn", "klassetrinn", "trinnivå"),
    "Verdi": ("verdi", "value", "skolebidrag"),
}
OPTIONAL = {
    "Kommunenummer": ("kommunenummer", "kommunenr", "kommunekode", "knr"),
    "Kommune": ("kommune", "kommunenavn"),
    "Fylke": ("fylke", "fylkesnavn", "fylkenavn"),
    "Indikator": ("indikator/delskår", "indikator/delskar", "indikator", "indikatornavn"),
    "Statistikk": ("statistikk",),
    "Enhetstype": ("enhetstype", "enhetsnivå", "nivå"),
    "Antall elever": ("antall elever", "antall"),
    "Kjønn": ("kjønn", "kjonn"),
    "Eierform": ("eierform",),
    "Måleenhet": ("måleenhet", "maleenhet", "benevning", "enhet for verdi"),
    "Skoletype": ("skoletype",),
}
# Known Udir columns that carry nothing the import needs: read past them without a note.
TOLERATED = {
    "organisasjonsnummer",
    "organisasjonsnr",
    "orgnr",
    "enhetsnummer",
    "fylkesnummer",
    "fylkenummer",
    "fylkesnr",
    "vurderingsområde",
    "vurderingsomrade",
}
# Columns only the statistikkbank/Skoleporten download has: their presence means a name that is
# not a kommune, fylke or the nation is a school.
DOWNLOAD_ONLY = ("Statistikk", "Kjønn", "Eierform", "Skoletype")
EXPECTED_NB = (
    "Forventet: Udirs nedlasting (Enhetsnavn; …; Periode; Eierform; Trinn; Kjønn; Verdi; "
    "Måleenhet) eller Enhetsnavn; Periode; Trinn; Verdi."
)
EXPECTED_EN = (
    "Expected: Udir's download (Enhetsnavn; …; Periode; Eierform; Trinn; Kjønn; Verdi; "
    "Måleenhet) or Enhetsnavn; Periode; Trinn; Verdi."
)

_NATIONAL = {"nasjonalt", "norge", "hele landet", "landet", "alle", "i alt"}
_LEVELS = {
    **dict.fromkeys(["nasjonalt", "land", "norge"], "nasjon"),
    **dict.fromkeys(["fylke", "fylkeskommune"], "fylke"),
    "kommune": "kommune",
    **dict.fromkeys(["skole", "grunnskole", "skoler"], "skole"),
}
_SEX_TOTAL = {"begge kjønn", "begge", "alle", "i alt", "totalt"}
_SEX_SPLIT = {"jenter", "gutter", "jente", "gutt"}
_EIERFORM_RANK = {"alle eierformer": 0, "alle": 0, "offentlig og privat": 0, "offentlig": 1}
_FYLKE_NAME = re.compile(r"\s(fylke|fylkeskommune)(\s*\(\s*utg[åa]tt\s*\))?$")
_KOMMUNE_NAME = re.compile(r"\bkommune\b", re.IGNORECASE)


def indicator_of(text: str) -> str | None:
    """'Skolebidrag' → skolebidrag; 'Faktiske karakterpoeng' → faktisk; 'Forventede …' →
    forventet; anything else (e.g. 'Grunnskolepoeng') → None."""
    s = nfc(text).casefold()
    if "faktisk" in s:
        return "faktisk"
    if "forvent" in s:
        return "forventet"
    return "skolebidrag" if "skolebidrag" in s else None


def stamp(imported_at: str | None) -> str:
    """When the rows were imported: the given ISO date or date-time, else now (to the second),
    so that of two imports the newer one is known."""
    if imported_at is None:
        return datetime.now().isoformat(timespec="seconds")
    text = str(imported_at)
    datetime.fromisoformat(text)  # ValueError for anything that is not ISO
    return text


def parse_skolebidrag_export(
    raw: bytes,
    kommuner: pd.DataFrame,
    file_name: str,
    imported_at: str | None = None,
    school_kommune: str | None = None,
) -> pd.DataFrame:
    """Validate a Udir skolebidrag file; one row per unit, trinn, period and indicator.

    Columns SKOLEBIDRAG_COLUMNS; ``df.attrs["notes"]`` lists (nb, en) notes about rows
    deliberately left out, ``df.attrs["warnings"]`` the ones a user must act on (schools
    without a kommune). Raises ImportValidationError listing every problem found (the first 50,
    in file order).
    """
    source_file = Path(str(file_name)).name
    when = stamp(imported_at)
    index = KommuneIndex(kommuner)
    try:
        data = utf8_bytes(raw, MAX_BYTES)
    except ImportValidationError as err:
        raise ImportValidationError(err.problems, source_file) from None
    problems = Problems()
    out = pd.DataFrame(columns=SKOLEBIDRAG_COLUMNS)
    notes: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    try:
        head = read_header(data, problems, allow_comma=False)
        cols = None
        if head is not None:
            cols = map_columns(
                head, problems, REQUIRED, OPTIONAL, TOLERATED, EXPECTED_NB, EXPECTED_EN
            )
        if head is not None and cols is not None:
            if cols.ignored:
                notes.append(_ignored_note(cols.ignored))
            try:
                rows = _Rows(head, cols, index, problems, school_kommune)
                for table in read_batches(data, head, problems, select=_known_columns):
                    rows.add(table)
            except ExactLinesNeeded:  # a line break inside a quoted cell: read it exactly
                problems.items.clear()
                rows = _Rows(head, cols, index, problems, school_kommune)
                table = read_table_exact(data, head, problems)
                if table is not None:
                    rows.add(table)
            out = rows.finish(notes, warnings)
    except Full:
        pass
    problems.raise_if_any(source_file)
    out = out.assign(source_file=source_file, imported_at=when)[SKOLEBIDRAG_COLUMNS]
    out.attrs["notes"] = notes
    out.attrs["warnings"] = warnings
    return out


def _known_columns(header: list[str]) -> list[int]:
    """The columns worth reading: those the import knows (a file's other columns are listed as
    ignored, never held in memory)."""
    known = {a for aliases in (*REQUIRED.values(), *OPTIONAL.values()) for a in aliases}
    return [i for i, h in enumerate(header) if canon(h) in known]


def _ignored_note(names: list[str]) -> tuple[str, str]:
    listed = ", ".join(f"«{n}»" for n in names)
    return (
        f"Kolonner appen ikke bruker ble ignorert: {listed}.",
        f"Columns the app does not use were ignored: {listed}.",
    )


class _Rows:
    """The row checks of one file, column by column, one block of the file at a time."""

    def __init__(self, head: Header, cols, index: KommuneIndex, problems: Problems, school_kommune):
        self.head, self.cols, self.index, self.problems = head, cols, index, problems
        self.school_kommune = school_kommune
        self.skipped = {"sex": 0, "indicator": 0, "level": 0, "eierform": 0}
        self.n_rows = 0
        self.indicator_rows = 0
        self.frames: list[pd.DataFrame] = []

    # -- helpers ------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        return name in self.cols

    def get(self, name: str) -> pd.Series:
        return self.table.column(self.cols[name])

    def header(self, name: str) -> str:
        return self.head.header[self.cols[name]]

    def clean(self, name: str) -> np.ndarray:
        """Rows whose cell in `name` exists and is not a rejected formula."""
        if not self.has(name):
            return np.zeros(len(self.table), dtype=bool)
        return ~self.bad_cells.get(name, np.zeros(len(self.table), dtype=bool))

    def report(self, mask: np.ndarray, column: str | None, message) -> None:
        """One problem per failing row (the first few hundred: only 50 are shown)."""
        for i in np.flatnonzero(mask)[: 2 * self.problems.cap]:
            nb, en = message(i)
            self.problems.add(self.lines[i], column, nb, en)
        self.ok &= ~mask

    # -- the checks of one block, in the order a line's problems are listed ----------------

    def add(self, table: Table) -> None:
        """Check one block of rows and keep the rows that pass (copied out of the block)."""
        self.table, self.lines = table, table.lines
        self.ok = np.ones(len(table), dtype=bool)  # rows still in the running
        self.bad_cells: dict[str, np.ndarray] = {}
        self.n_rows += len(table)
        self.formulas()
        keep = self.ok.copy()
        sex_ok = self.sex(self.skipped)
        indicator = self.indicators(self.skipped)
        self.indicator_rows += int((indicator.notna().to_numpy() & keep).sum())
        level = self.levels()
        active = keep & sex_ok & indicator.notna().to_numpy()
        national_or_fylke = level.isin(["nasjon", "fylke"]).to_numpy()
        self.skipped["level"] += int((active & national_or_fylke).sum())
        active &= ~national_or_fylke
        kommune_rows = active & (level == "kommune").to_numpy()
        school_rows = active & (level == "skole").to_numpy()
        codes = self.kommune_codes(kommune_rows)
        codes = codes.where(~pd.Series(school_rows), self.school_codes(school_rows))
        period = self.periods(active)
        trinn = self.trinns(active)
        value, suppressed, mark = self.values(active, indicator)
        n_pupils = self.counts(active)
        active &= self.ok
        frame = pd.DataFrame(
            {
                "line": self.lines,
                "unit_level": np.where(school_rows, "skole", "kommune"),
                "kommune_code": codes,
                "school_name": self.get("Enhetsnavn").where(school_rows, None),
                "name_as_published": self.get("Enhetsnavn"),
                "trinn": trinn,
                "period": period,
                "indicator": indicator,
                "value": value,
                "suppressed": suppressed,
                "suppression_mark": mark,
                "n_pupils": n_pupils,
                "eierform": self.get("Eierform") if self.has("Eierform") else None,
                "measure_unit": self.get("Måleenhet") if self.has("Måleenhet") else None,
            }
        )[active]
        self.frames.append(frame)
        self.table = None  # the block's cells go; only the rows kept stay

    def finish(self, notes: list, warnings: list) -> pd.DataFrame:
        """Checks across the whole file: schools' kommune, duplicates, owner forms."""
        if self.n_rows == 0:
            if not self.problems.items:  # rows set aside for their field count are listed
                self.problems.add(
                    None, None, "Filen har ingen datarader.", "The file has no data rows."
                )
            return pd.DataFrame(columns=SKOLEBIDRAG_COLUMNS)
        frame = pd.concat(self.frames, ignore_index=True) if self.frames else pd.DataFrame()
        self.frames = []
        if not frame.empty:  # rows set aside for a trailing delimiter come last: file order
            frame = frame.sort_values("line", kind="stable").reset_index(drop=True)
        frame = self.place_schools(frame, warnings)
        if frame.empty and not self.problems.items:
            nb, en = (
                ("Filen har ingen skolebidrag-rader.", "The file has no skolebidrag rows.")
                if self.skipped["indicator"] or self.indicator_rows == 0
                else (
                    "Filen har ingen rader for kommuner eller skoler.",
                    "The file has no kommune or school rows.",
                )
            )
            self.problems.add(None, None, nb, en)
        if frame.empty:
            return pd.DataFrame(columns=SKOLEBIDRAG_COLUMNS)
        frame = self.one_per_unit(frame, self.skipped)
        if (frame.indicator == "skolebidrag").sum() == 0 and not self.problems.items:
            self.problems.add(
                None,
                None,
                "Filen har ingen skolebidrag-rader.",
                "The file has no skolebidrag rows.",
            )
        notes += _skip_notes(self.skipped) + ([self.school_note] if self.school_note else [])
        frame["kommune_name"] = frame.kommune_code.map(lambda c: self.index.by_code[c].name)
        frame["school_name"] = map_unique(
            frame.school_name, lambda s: nfc(s) if isinstance(s, str) else None
        )
        frame = frame.sort_values(
            ["kommune_code", "unit_level", "school_name", "trinn", "period", "indicator"],
            kind="stable",
            na_position="first",
        ).drop(columns="line")
        frame["value"] = frame["value"].astype("float64")
        frame["suppressed"] = frame["suppressed"].astype(bool)
        frame["n_pupils"] = frame["n_pupils"].astype("Int64")
        return frame.reset_index(drop=True)

    def place_schools(self, frame: pd.DataFrame, warnings: list) -> pd.DataFrame:
        """Schools whose row did not name their kommune: the file's only kommune, else none
        (not imported, and said so)."""
        self.school_note = None
        pending = (frame.unit_level == "skole") & frame.kommune_code.isna()
        if frame.empty or not pending.any():
            return frame
        only = frame[frame.unit_level == "kommune"].kommune_code.dropna().unique()
        if len(only) == 1:
            name = self.index.by_code[only[0]].name
            self.school_note = (
                f"Skolene i filen er knyttet til {name}, den eneste kommunen i filen.",
                f"The file's schools are taken to belong to {name}, the only kommune in it.",
            )
            return frame.assign(kommune_code=frame.kommune_code.where(~pending, only[0]))
        warnings.append(
            _unassigned_warning(int(pending.sum()), frame.loc[pending, "name_as_published"])
        )
        return frame[~pending]

    def formulas(self) -> None:
        for name in self.cols.index:
            bad = formula_like(self.table.column(self.cols[name])).to_numpy()
            if not bad.any():
                continue
            cells = self.get(name)
            self.bad_cells[name] = bad
            self.report(
                bad,
                self.header(name),
                lambda i, cells=cells: (
                    f"Formel-lignende verdi avvist: «{cells.iat[i][:40]}». Celler kan ikke starte "
                    "med = + @.",
                    f"Formula-like value rejected: «{cells.iat[i][:40]}». Cells may not start "
                    "with = + @.",
                ),
            )

    def sex(self, skipped: dict) -> np.ndarray:
        if not self.has("Kjønn"):
            return np.ones(len(self.table), dtype=bool)
        cells = self.get("Kjønn")
        key = map_unique(cells, lambda s: nfc(s).casefold())
        total, split = key.isin(_SEX_TOTAL).to_numpy(), key.isin(_SEX_SPLIT).to_numpy()
        skipped["sex"] = int((split & self.ok).sum())
        self.report(
            self.clean("Kjønn") & ~total & ~split,
            self.header("Kjønn"),
            lambda i: (
                f"Ukjent kjønn «{cells.iat[i]}». Velg «Begge kjønn» i nedlastingen.",
                f"Unknown sex «{cells.iat[i]}». Choose «Begge kjønn» (both sexes) in the download.",
            ),
        )
        return total

    def indicators(self, skipped: dict) -> pd.Series:
        """Indicator per row (None: another indicator, skipped)."""
        source = (
            "Indikator"
            if self.has("Indikator")
            else "Statistikk"
            if self.has("Statistikk")
            else None
        )
        if source is None:
            return pd.Series("skolebidrag", index=self.table.frame.index, dtype=object)
        cells = self.get(source)
        found = map_unique(cells, lambda s: indicator_of(s) if s else "skolebidrag")
        if source == "Indikator" and self.has("Statistikk"):
            # «Indikator/delskår» may name only the part (e.g. «Skolebidrag» under Statistikk
            # «Skolebidragsindikator 8.-10. trinn»); an empty part falls back on Statistikk.
            empty = cells.eq("")
            found = found.where(~empty, map_unique(self.get("Statistikk"), indicator_of))
        found = found.where(self.clean(source), None)
        skipped["indicator"] = int((found.isna().to_numpy() & self.ok).sum())
        return found

    def levels(self) -> pd.Series:
        names = self.get("Enhetsnavn")
        download = any(self.has(c) for c in DOWNLOAD_ONLY)

        def by_name(name: str) -> str:
            s = nfc(name).casefold()
            if s in _NATIONAL:
                return "nasjon"
            if _FYLKE_NAME.search(s):
                return "fylke"
            if download and not _KOMMUNE_NAME.search(s):
                return "skole"
            return "kommune"

        level = map_unique(names, by_name)
        if self.has("Enhetstype"):
            types = self.get("Enhetstype")
            typed = map_unique(types, lambda s: _LEVELS.get(nfc(s).casefold(), "?" if s else ""))
            unknown = (typed == "?").to_numpy() & self.clean("Enhetstype")
            self.report(
                unknown,
                self.header("Enhetstype"),
                lambda i: (
                    f"Ukjent enhetstype «{types.iat[i]}» (kjente: Nasjonalt, Fylke, Kommune, Skole).",
                    f"Unknown unit type «{types.iat[i]}» (known: Nasjonalt, Fylke, Kommune, Skole).",
                ),
            )
            level = typed.where(typed.isin(["nasjon", "fylke", "kommune", "skole"]), level)
        return level

    def kommune_codes(self, rows: np.ndarray) -> pd.Series:
        names = self.get("Enhetsnavn")
        code_cells = self.get("Kommunenummer") if self.has("Kommunenummer") else None
        fylke_cells = self.get("Fylke") if self.has("Fylke") else None
        col_names = {
            "name": self.header("Enhetsnavn"),
            "code": self.header("Kommunenummer") if self.has("Kommunenummer") else None,
            "fylke": self.header("Fylke") if self.has("Fylke") else None,
        }
        usable = rows & self.clean("Enhetsnavn")
        if code_cells is not None:
            usable &= self.clean("Kommunenummer") | code_cells.eq("").to_numpy()
        fylke = fylke_cells.where(self.clean("Fylke"), "") if fylke_cells is not None else ""
        keys = pd.DataFrame(
            {"name": names, "code": code_cells if code_cells is not None else "", "fylke": fylke}
        )
        return self._match_keys(keys, usable, col_names, rows)

    def _match_keys(
        self, keys: pd.DataFrame, usable: np.ndarray, col_names: dict, rows: np.ndarray
    ) -> pd.Series:
        """Match each distinct (name, code, fylke) once; a problem is listed on every row."""
        found = {
            key: self.index.match(key[0], key[1] or None, key[2] or None, col_names)
            for key in keys[usable].drop_duplicates().itertuples(index=False, name=None)
        }
        result = pd.Series([None] * len(keys), dtype=object)
        if usable.any():
            codes_idx, uniques = pd.MultiIndex.from_frame(keys[usable]).factorize()
            table = np.empty(len(uniques), dtype=object)
            table[:] = [found.get(u) for u in uniques]
            result[usable] = table[codes_idx]
        codes = result.map(lambda r: r[0] if isinstance(r, tuple) else None)
        failed = usable & result.map(lambda r: isinstance(r, tuple) and bool(r[1])).to_numpy()
        for i in np.flatnonzero(failed)[: 2 * self.problems.cap]:
            for column, nb, en in result.iat[i][1]:
                self.problems.add(self.lines[i], column, nb, en)
        self.ok &= ~(rows & codes.isna().to_numpy())
        return codes

    def school_codes(self, rows: np.ndarray) -> pd.Series:
        """The kommune of each school row: from a Kommune/Kommunenummer column, else the one
        the user chose; None when the row does not say (place_schools decides at the end)."""
        codes = pd.Series([None] * len(rows), dtype=object)
        if not rows.any():
            return codes
        if self.has("Kommune") or self.has("Kommunenummer"):
            names = self.get("Kommune") if self.has("Kommune") else None
            nums = self.get("Kommunenummer") if self.has("Kommunenummer") else ""
            if names is None:  # a number alone: matched as the name of the unit it names
                names = nums.map(
                    lambda c: getattr(self.index.by_code.get(parse_code(c) or ""), "name", c)
                )
            given = (
                names.ne("") | (nums.ne("") if not isinstance(nums, str) else False)
            ).to_numpy()
            by = {
                "name": self.header("Kommune")
                if self.has("Kommune")
                else self.header("Kommunenummer"),
                "code": self.header("Kommunenummer") if self.has("Kommunenummer") else None,
            }
            keys = pd.DataFrame({"name": names, "code": nums, "fylke": ""})
            return self._match_keys(keys, rows & given, by, rows & given)
        if self.school_kommune:
            codes[rows] = self.school_kommune
        return codes

    def periods(self, rows: np.ndarray) -> pd.Series:
        cells = self.get("Periode")
        parsed = map_unique(cells, parse_period)
        bad = rows & self.clean("Periode") & parsed.map(lambda r: r[1] is not None).to_numpy()
        self.report(bad, self.header("Periode"), lambda i: parsed.iat[i][1])
        return parsed.map(lambda r: r[0])

    def trinns(self, rows: np.ndarray) -> pd.Series:
        cells = self.get("Trinn")
        parsed = map_unique(cells, parse_trinn)
        trinn = parsed.map(lambda r: r[0])
        for other in ("Statistikk", "Indikator"):
            if self.has(other) and trinn.isna().any():
                trinn = trinn.fillna(map_unique(self.get(other), trinn_in_text))
        bad = rows & self.clean("Trinn") & trinn.isna().to_numpy()
        self.report(bad, self.header("Trinn"), lambda i: parsed.iat[i][1])
        return trinn

    def values(self, rows: np.ndarray, indicator: pd.Series):
        cells = self.get("Verdi")
        suppressed = cells.isin(SUPPRESSION_MARKS).to_numpy()
        number = to_number(self.table.column(self.cols["Verdi"])).to_numpy()
        checkable = rows & self.clean("Verdi")
        self.report(
            checkable & ~suppressed & np.isnan(number),
            self.header("Verdi"),
            lambda i: (
                f"Verdien «{cells.iat[i]}» er ikke et tall (bruk desimalkomma eller -punktum; "
                "prikket/skjult: . * : ..).",
                f"The value «{cells.iat[i]}» is not a number (use a decimal comma or point; "
                "suppressed: . * : ..).",
            ),
        )
        with np.errstate(invalid="ignore"):
            implausible = (indicator == "skolebidrag").to_numpy() & (
                np.abs(number) > SKOLEBIDRAG_MAX_ABS
            )
        self.report(
            checkable & implausible,
            self.header("Verdi"),
            lambda i: (
                f"Usannsynlig skolebidrag {cells.iat[i]} (over ±{SKOLEBIDRAG_MAX_ABS:g}): er "
                "dette faktiske karakterpoeng eller antall i stedet for skolebidrag?",
                f"Implausible skolebidrag {cells.iat[i]} (beyond ±{SKOLEBIDRAG_MAX_ABS:g}): is "
                "this actual grade points or a count rather than skolebidrag?",
            ),
        )
        mark = cells.where(suppressed, None)
        return number, suppressed, mark

    def counts(self, rows: np.ndarray) -> pd.Series:
        if not self.has("Antall elever"):
            return pd.Series(pd.NA, index=self.table.frame.index, dtype="Int64")
        cells = self.get("Antall elever")
        missing = cells.isin(SUPPRESSION_MARKS | SSB_MISSING).to_numpy()
        number = to_number(self.table.column(self.cols["Antall elever"])).to_numpy()
        with np.errstate(invalid="ignore"):
            bad = ~missing & (np.isnan(number) | (number < 0) | (number != np.round(number)))
        self.report(
            rows & self.clean("Antall elever") & bad,
            self.header("Antall elever"),
            lambda i: (
                f"«{cells.iat[i]}» er ikke et heltall ≥ 0.",
                f"«{cells.iat[i]}» is not a whole number ≥ 0.",
            ),
        )
        return pd.array(np.where(missing | bad, np.nan, number), dtype="Float64").astype("Int64")

    def one_per_unit(self, frame: pd.DataFrame, skipped: dict) -> pd.DataFrame:
        """Duplicates are problems; where a unit has rows for several owner forms, one is kept."""
        key = ["unit_level", "kommune_code", "_school", "trinn", "period", "indicator"]
        frame = frame.assign(_school=frame.school_name.fillna(""))
        exact = key + (["eierform"] if self.has("Eierform") else [])
        dup = frame.duplicated(exact, keep="first").to_numpy()
        if dup.any():
            firsts = frame[~dup & frame.duplicated(exact, keep=False).to_numpy()]
            first_line = {
                tuple(k): line for *k, line in firsts[[*exact, "line"]].itertuples(index=False)
            }
            for i in np.flatnonzero(dup)[: 2 * self.problems.cap]:
                r = frame.iloc[i]
                first = first_line[tuple(r[exact])]
                unit = self.index.by_code[r.kommune_code].label() + (
                    f", {r.school_name}" if r._school else ""
                )
                self.problems.add(
                    r.line,
                    None,
                    f"Dobbel rad: linje {r.line} gjentar linje {first} ({unit}, trinn "
                    f"{r.trinn}, {r.period}). Sjekk filtrene i eksporten (f.eks. eierform eller "
                    "kjønn).",
                    f"Duplicate row: line {r.line} repeats line {first} ({unit}, trinn "
                    f"{r.trinn}, {r.period}). Check the export's filters (e.g. eierform or kjønn).",
                )
            frame = frame[~dup]
        if self.has("Eierform"):
            rank = map_unique(frame.eierform, lambda s: _EIERFORM_RANK.get(nfc(s).casefold(), 2))
            best = frame.assign(_rank=rank.to_numpy()).sort_values("_rank", kind="stable")
            keep = ~best.duplicated(key, keep="first")
            skipped["eierform"] = int((~keep).sum())
            frame = best[keep.to_numpy()].drop(columns="_rank").sort_values("line")
        return frame.drop(columns="_school")


def _unassigned_warning(n: int, names: pd.Series) -> tuple[str, str]:
    schools = names.map(nfc).nunique()
    return (
        f"{n} rader for {schools} skoler ble ikke importert: filen sier ikke hvilken kommune "
        "skolene hører til. Last ned én kommune om gangen (kommunen og dens skoler), velg "
        "kommunen for skolene under opplastingen, eller ta med kolonnen Kommune.",
        f"{n} rows for {schools} schools were not imported: the file does not say which "
        "kommune the schools belong to. Download one kommune at a time (the kommune and its "
        "schools), choose the schools' kommune when uploading, or include a Kommune column.",
    )


# What a note says about rows left out on purpose, per reason (n: how many rows).
_SKIP_NOTES = {
    "indicator": (
        "{n} rader med andre indikatorer enn skolebidrag (og faktiske/forventede resultater) "
        "ble hoppet over.",
        "{n} rows with indicators other than skolebidrag (and actual/expected results) were "
        "skipped.",
    ),
    "level": (
        "{n} rader for hele landet eller fylker ble hoppet over (landssnittet er 0 per "
        "definisjon).",
        "{n} rows for the whole country or fylker were skipped (the national average is 0 by "
        "definition).",
    ),
    "sex": (
        "{n} rader for jenter eller gutter ble hoppet over (begge kjønn brukes).",
        "{n} rows for girls or boys were skipped (both sexes are used).",
    ),
    "eierform": (
        "{n} rader for en annen eierform ble hoppet over: der filen har flere, brukes «Alle "
        "eierformer», ellers «Offentlig».",
        "{n} rows for another owner form were skipped: where the file has several, «Alle "
        "eierformer» (all owners) is used, else «Offentlig» (public).",
    ),
}


def _skip_notes(skipped: dict[str, int]) -> list[tuple[str, str]]:
    return [
        (nb.format(n=skipped[key]), en.format(n=skipped[key]))
        for key, (nb, en) in _SKIP_NOTES.items()
        if skipped.get(key)
    ]
