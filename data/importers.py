"""Validated importers for the complete exports users download from Udir and SSB.

Pure parsing and validation: no Streamlit, no database. Each parser reads the whole file,
collects every problem it finds (up to ``MAX_PROBLEMS``) and then either returns a tidy
DataFrame or raises :class:`ImportValidationError` — a file is never half-imported.

- :func:`parse_skolebidrag_export`: Udir statistikkbanken / Skoleporten export of the
  skolebidrag indicator (semicolon-separated, decimal comma, Norwegian headers).
- :func:`parse_ssb_population_export`: SSB statbank export of table 07459 (population).
- :func:`load_kommune_reference_from_csv`: the ``kommuner`` frame both parsers match against.

Decisions (each has a test in tests/test_import.py):

- Delimiter. A Udir file must be semicolon- or tab-separated. A comma-separated Udir file is
  rejected with «wrong delimiter»: with decimal commas a comma file cannot be split reliably.
  An SSB file may also be comma-separated (population counts are integers, so nothing is
  ambiguous); every row must then have exactly the header's number of fields.
- Lines before the header that hold a single field (a title such as
  «07459: Befolkning, etter region, alder og år») are ignored. Row numbers are physical line
  numbers in the file, the header's line included (header = line 1 when there is no title).
- Indikator column (optional): rows whose indicator is not skolebidrag (e.g. «Faktiske
  karakterpoeng») are skipped and counted in ``df.attrs["notes"]``; a file with no skolebidrag
  row at all is a problem. National and fylke rows (Enhetstype «Nasjonalt»/«Fylke», or names
  such as «Nasjonalt», «Viken fylke») are skipped the same way; school-level rows are a problem.
- A skolebidrag value further than ``SKOLEBIDRAG_MAX_ABS`` from 0 is rejected as implausible:
  skolebidrag is a difference from the expected result (published values lie within about ±10),
  so a value like 38,2 means the export holds actual grade points, not skolebidrag.
- SSB symbols: «..», «.», «:» → missing; «-» (SSB's «nil») → 0.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from os import PathLike
from pathlib import Path

import pandas as pd

from data.regions import FYLKE_2020

MAX_BYTES = 20_000_000
MAX_PROBLEMS = 50
# Published skolebidrag lies within about ±5 points (1.–4. trinn, scale points) and ±5 grade
# points (8.–10. trinn); 25 leaves room for small kommuner and still catches grade-point
# averages (30–45) exported by mistake.
SKOLEBIDRAG_MAX_ABS = 25.0
FIRST_YEAR_MIN, FIRST_YEAR_MAX = 2000, 2035

SKOLEBIDRAG_COLUMNS = [
    "kommune_code",
    "kommune_name",
    "trinn",
    "period",
    "value",
    "suppressed",
    "suppression_mark",
    "n_pupils",
    "source_file",
    "imported_at",
]
POPULATION_COLUMNS = [
    "kommune_code",
    "year",
    "age_group",
    "population",
    "source_file",
    "imported_at",
]
KOMMUNER_COLUMNS = ["kommune_code", "kommune_name", "fylke_name", "is_former"]

# The fylker before 2020, by the first two digits of a pre-2020 kommune code (50 = Trøndelag
# 2018–2019).
FYLKE_BEFORE_2020 = {
    "01": "Østfold",
    "02": "Akershus",
    "03": "Oslo",
    "04": "Hedmark",
    "05": "Oppland",
    "06": "Buskerud",
    "07": "Vestfold",
    "08": "Telemark",
    "09": "Aust-Agder",
    "10": "Vest-Agder",
    "11": "Rogaland",
    "12": "Hordaland",
    "14": "Sogn og Fjordane",
    "15": "Møre og Romsdal",
    "16": "Sør-Trøndelag",
    "17": "Nord-Trøndelag",
    "18": "Nordland",
    "19": "Troms",
    "20": "Finnmark",
    "50": "Trøndelag",
}
# Any fylke name (before or from 2020, some Sami forms) → the 2020 fylke, case-folded.
_FYLKE_TO_2020 = {
    **{v.casefold(): v.casefold() for v in FYLKE_2020.values()},
    **dict.fromkeys(["østfold", "akershus", "buskerud"], "viken"),
    **dict.fromkeys(["hedmark", "oppland"], "innlandet"),
    **dict.fromkeys(["vestfold", "telemark"], "vestfold og telemark"),
    **dict.fromkeys(["aust-agder", "vest-agder"], "agder"),
    **dict.fromkeys(["hordaland", "sogn og fjordane"], "vestland"),
    **dict.fromkeys(["sør-trøndelag", "nord-trøndelag", "trööndelage"], "trøndelag"),
    **dict.fromkeys(
        ["troms", "finnmark", "romsa ja finnmárku", "tromssa ja finmarkku", "romsa", "finnmárku"],
        "troms og finnmark",
    ),
    "nordlánnda": "nordland",
}

SUPPRESSION_MARKS = {"*", ":", "..", ""}
SSB_MISSING = {"..", ".", ":", "…"}
_MINUS = "\u2212\u2012\u2013\ufe63\uff0d"  # − ‒ – ﹣ － read as a minus sign in numbers
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# ----------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file. ``row`` is the 1-based line in the file."""

    row: int | None
    column: str | None
    message_nb: str
    message_en: str

    def location(self, lang: str = "nb") -> str:
        parts = []
        if self.row is not None:
            parts.append(f"{'linje' if lang == 'nb' else 'line'} {self.row}")
        if self.column:
            parts.append(f"{'kolonne' if lang == 'nb' else 'column'} «{self.column}»")
        return ", ".join(parts) or ("filen" if lang == "nb" else "file")

    def text(self, lang: str = "nb") -> str:
        return f"{self.location(lang)}: {self.message_nb if lang == 'nb' else self.message_en}"

    def __str__(self) -> str:
        return f"{self.text('nb')} | {self.text('en')}"


class ImportValidationError(Exception):
    """The file was rejected; ``problems`` lists everything found (nothing was imported)."""

    def __init__(self, problems: list[Problem], file_name: str | None = None):
        self.problems = list(problems)
        self.file_name = file_name
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{len(self.problems)} problem(s)" + (
            f" in {self.file_name}" if self.file_name else ""
        )
        return "\n".join([head + ":", *(f"- {p}" for p in self.problems)])


class _Full(Exception):
    """Internal: the problem cap was reached; stop reading."""


@dataclass
class _Problems:
    cap: int = MAX_PROBLEMS
    items: list[Problem] = field(default_factory=list)
    truncated: bool = False

    def add(self, row: int | None, column: str | None, nb: str, en: str) -> None:
        if len(self.items) >= self.cap:
            self.truncated = True
            raise _Full
        self.items.append(Problem(row, column, nb, en))

    def raise_if_any(self, file_name: str | None = None) -> None:
        if not self.items:
            return
        # File order: header problems first, then row by row (problems without a row first).
        items = sorted(self.items, key=lambda p: p.row or 0)
        if self.truncated:
            items.append(
                Problem(
                    None,
                    None,
                    f"Stoppet etter {self.cap} problemer; rett opp disse og prøv igjen.",
                    f"Stopped after {self.cap} problems; fix these and try again.",
                )
            )
        raise ImportValidationError(items, file_name)


def _fail(nb: str, en: str, row: int | None = None, column: str | None = None):
    raise ImportValidationError([Problem(row, column, nb, en)])


# ----------------------------------------------------------------------------- text


def _mb(n: int, lang: str) -> str:
    s = f"{n / 1_000_000:.1f}"
    return s.replace(".", ",") if lang == "nb" else s


_SIGNATURES = {
    b"PK\x03\x04": ("en Excel-fil (.xlsx) eller zip-fil", "an Excel (.xlsx) or zip file"),
    b"\xd0\xcf\x11\xe0": ("en gammel Excel-fil (.xls)", "an old Excel (.xls) file"),
    b"%PDF": ("en PDF-fil", "a PDF file"),
}


def read_text(raw: bytes, max_bytes: int = MAX_BYTES) -> str:
    """Decode an uploaded file: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252/Latin-1.

    Rejects (ImportValidationError) files over ``max_bytes``, empty files, spreadsheets/PDFs and
    binary data (NUL bytes or more than 1 % control characters). Line endings become ``\\n``.
    """
    raw = bytes(raw)
    if len(raw) > max_bytes:
        _fail(
            f"Filen er for stor ({_mb(len(raw), 'nb')} MB). Grensen er {_mb(max_bytes, 'nb')} MB; "
            "del opp eksporten (f.eks. per fylke eller periode).",
            f"The file is too large ({_mb(len(raw), 'en')} MB). The limit is "
            f"{_mb(max_bytes, 'en')} MB; split the export (e.g. by fylke or period).",
        )
    if not raw.strip():
        _fail("Filen er tom.", "The file is empty.")
    for magic, (nb, en) in _SIGNATURES.items():
        if raw.startswith(magic):
            _fail(
                f"Filen ser ut som {nb}, ikke CSV. Eksporter/lagre som CSV (semikolonseparert).",
                f"The file looks like {en}, not CSV. Export/save it as CSV (semicolon-separated).",
            )
    text: str | None = None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    if text is None:
        if b"\x00" in raw:
            _binary()
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
    text = text.lstrip("\ufeff")
    control = len(_CONTROL.findall(text))
    if "\x00" in text or control > 0.01 * max(len(text), 1):
        _binary()
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _binary():
    _fail(
        "Filen ser ikke ut som en tekstfil (CSV): den inneholder binære tegn. "
        "Last opp eksporten som CSV (semikolonseparert).",
        "The file does not look like a text (CSV) file: it contains binary data. "
        "Upload the export as CSV (semicolon-separated).",
    )


# ----------------------------------------------------------------------------- table


@dataclass
class _Table:
    header: list[str]
    header_line: int
    delimiter: str
    rows: list[tuple[int, list[str]]]


def _split_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _read_table(text: str, problems: _Problems, allow_comma: bool) -> _Table | None:
    """Find the header, detect the delimiter, split the rows (cells stripped)."""
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if line.strip()][:5]
    if not candidates:
        problems.add(None, None, "Filen er tom.", "The file is empty.")
        return None
    found: tuple[int, str] | None = None
    for i in candidates:
        for d in (";", "\t"):
            if len(_split_line(lines[i], d)) >= 2:
                found = (i, d)
                break
        if found:
            break
    if found is None:
        comma = next((i for i in candidates if len(_split_line(lines[i], ",")) >= 2), None)
        if comma is not None and allow_comma:
            found = (comma, ",")
        elif comma is not None:
            problems.add(
                comma + 1,
                None,
                "Feil skilletegn (wrong delimiter): filen er kommaseparert. Eksporter med "
                "semikolon (;) som skilletegn — med desimalkomma kan en kommadelt fil ikke "
                "leses sikkert.",
                "Wrong delimiter: the file is comma-separated. Export it with semicolon (;) as "
                "the separator — with decimal commas a comma-separated file cannot be read "
                "reliably.",
            )
            return None
        else:
            problems.add(
                candidates[0] + 1,
                None,
                "Fant ingen overskriftsrad med kolonner skilt med semikolon (;).",
                "Found no header row with columns separated by semicolons (;).",
            )
            return None
    start, delimiter = found
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    prev = 0
    try:
        for rec in reader:
            line_no = start + prev + 1
            prev = reader.line_num
            if rec and any(c.strip() for c in rec):
                records.append((line_no, [c.strip() for c in rec]))
    except csv.Error as exc:
        problems.add(
            start + prev + 1,
            None,
            f"Ugyldig CSV (feil i anførselstegn?): {exc}",
            f"Malformed CSV (unbalanced quotes?): {exc}",
        )
        return None
    if not records:
        problems.add(None, None, "Filen er tom.", "The file is empty.")
        return None
    header_line, header = records[0]
    header = [h.replace("\ufeff", "").strip().strip('"').strip() for h in header]
    while header and not header[-1]:
        header.pop()  # «a;b;c;» — a trailing delimiter adds an empty column
    for pos, h in enumerate(header, start=1):
        if not h:
            problems.add(
                header_line,
                None,
                f"Kolonne nr. {pos} i overskriften har ikke navn.",
                f"Column no. {pos} in the header has no name.",
            )
    rows: list[tuple[int, list[str]]] = []
    for line_no, cells in records[1:]:
        if len(cells) > len(header) and not any(cells[len(header) :]):
            cells = cells[: len(header)]
        if len(cells) != len(header):
            problems.add(
                line_no,
                None,
                f"Raden har {len(cells)} felt, men overskriften har {len(header)}.",
                f"The row has {len(cells)} fields but the header has {len(header)}.",
            )
            continue
        rows.append((line_no, cells))
    return _Table(header, header_line, delimiter, rows)


def _canon(header: str) -> str:
    h = unicodedata.normalize("NFC", header).casefold().strip().strip('"').strip()
    return _SPACES.sub(" ", h.replace("_", " ")).rstrip(".:").strip()


def _map_columns(
    table: _Table,
    problems: _Problems,
    required: dict[str, tuple[str, ...]],
    optional: dict[str, tuple[str, ...]],
    tolerated: Iterable[str],
    hint_nb: str,
    hint_en: str,
) -> dict[str, int] | None:
    """Canonical column → index. Reports missing required, duplicate and unknown columns."""
    canon = [_canon(h) for h in table.header]
    seen: dict[str, int] = {}
    for i, c in enumerate(canon):
        if c and c in seen:
            problems.add(
                table.header_line,
                table.header[i],
                f"Kolonnen «{table.header[i]}» finnes to ganger.",
                f"The column «{table.header[i]}» appears twice.",
            )
        seen.setdefault(c, i)
    cols: dict[str, int] = {}
    used: set[int] = set()
    for name, aliases in {**required, **optional}.items():
        for alias in aliases:
            if alias in seen and seen[alias] not in used:
                cols[name] = seen[alias]
                used.add(seen[alias])
                break
    missing = [n for n in required if n not in cols]
    for name in missing:
        problems.add(
            table.header_line,
            name,
            f"Påkrevd kolonne «{name}» mangler. Filen har: {', '.join(table.header)}. {hint_nb}",
            f"Required column «{name}» is missing. The file has: {', '.join(table.header)}. "
            f"{hint_en}",
        )
    tolerated = set(tolerated)
    unknown = [
        table.header[i]
        for i, c in enumerate(canon)
        if c and i not in used and c not in tolerated and seen[c] == i  # duplicates: above
    ]
    if unknown:
        problems.add(
            table.header_line,
            ", ".join(unknown),
            f"Ukjente kolonner: {', '.join(unknown)}. Ta dem ut av eksporten. {hint_nb}",
            f"Unknown columns: {', '.join(unknown)}. Leave them out of the export. {hint_en}",
        )
    return None if missing else cols


def _formula_like(cell: str) -> bool:
    # Spreadsheet injection: '=HYPERLINK(..)', '+cmd|..', '@SUM(..)'; '+1,5' is a plain number.
    return cell[:1] in ("=", "+", "@") and not _NUMBER.fullmatch(_plain(cell))


def _plain(cell: str) -> str:
    s = _SPACES.sub("", cell)
    for m in _MINUS:
        s = s.replace(m, "-")
    return s


def _check_formulas(line_no: int, cells: list[str], header: list[str], problems: _Problems):
    bad = set()
    for i, cell in enumerate(cells):
        if _formula_like(cell):
            bad.add(i)
            problems.add(
                line_no,
                header[i],
                f"Formel-lignende verdi avvist: «{cell[:40]}». Celler kan ikke starte med = + @.",
                f"Formula-like value rejected: «{cell[:40]}». Cells may not start with = + @.",
            )
    return bad


# ----------------------------------------------------------------------------- kommuner


def _nfc(s: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(s))).strip()


_UTGATT = re.compile(r"\(\s*utg[åa]tt\s*\)", re.IGNORECASE)
_PAREN = re.compile(r"\(([^)]*)\)")
_SPACED_DASH = re.compile(r"\s+[-–—]\s+")


@dataclass(frozen=True)
class _Name:
    key: str  # «hamarøy - hábmer»
    parts: tuple[str, ...]  # («hamarøy», «hábmer»)
    utgatt: bool
    hints: tuple[str, ...]  # parenthesised words other than «utgått», e.g. «Nordland»


def _parse_name(name: str) -> _Name:
    s = _nfc(name)
    utgatt = bool(_UTGATT.search(s))
    s = _UTGATT.sub(" ", s)
    hints = tuple(h.strip() for h in _PAREN.findall(s) if h.strip())
    s = _nfc(_PAREN.sub(" ", s))
    s = re.sub(r"\s+kommune$", "", s, flags=re.IGNORECASE).strip()
    key = s.casefold()
    parts = tuple(p for p in _SPACED_DASH.split(key) if p)
    return _Name(key, parts if len(parts) > 1 else (), utgatt, hints)


def _fylke_keys(name: str) -> set[str]:
    s = _nfc(_PAREN.sub(" ", str(name))).casefold()
    s = re.sub(r"\s+(fylke|fylkeskommune)$", "", s).strip()
    parts = {s, *_SPACED_DASH.split(s)} - {""}
    return parts | {_FYLKE_TO_2020[p] for p in parts if p in _FYLKE_TO_2020}


def _is_fylke(name: str) -> bool:
    return any(k in _FYLKE_TO_2020 for k in _fylke_keys(name))


def _code(cell: str) -> str | None:
    """'0301', '301', 'K-0301', '301.0' → '0301'; anything else None."""
    m = re.fullmatch(r"(?:K-)?(\d{1,4})(?:\.0+)?", cell.strip(), flags=re.IGNORECASE)
    return m.group(1).zfill(4) if m else None


@dataclass(frozen=True)
class _Kommune:
    code: str
    name: str
    fylke: str
    former: bool

    def label(self) -> str:
        return f"{self.code} {self.name}"


class _KommuneIndex:
    """Name and code lookup over the ``kommuner`` frame (2020 kommuner and former ones)."""

    def __init__(self, kommuner: pd.DataFrame):
        missing = [c for c in KOMMUNER_COLUMNS[:3] if c not in kommuner.columns]
        if missing:
            raise ValueError(f"kommuner frame lacks columns {missing}")
        former = (
            kommuner["is_former"].fillna(False).astype(bool)
            if "is_former" in kommuner.columns
            else pd.Series(False, index=kommuner.index)
        )
        self.by_code: dict[str, _Kommune] = {}
        self.primary: dict[str, set[str]] = {}
        self.secondary: dict[str, set[str]] = {}
        self._cache: dict[tuple, tuple[str | None, list[tuple[str | None, str, str]]]] = {}
        for code, name, fylke, is_former in zip(
            kommuner["kommune_code"],
            kommuner["kommune_name"],
            kommuner["fylke_name"],
            former,
            strict=True,
        ):
            code = str(code).strip().zfill(4)
            if code in self.by_code:
                continue
            self.by_code[code] = _Kommune(code, _nfc(name), _nfc(fylke), bool(is_former))
            parsed = _parse_name(name)
            for key in (parsed.key, *parsed.parts):
                self.primary.setdefault(key, set()).add(code)
            # «Unjárga-Nesseby» should also match «Nesseby»; only used when nothing else does.
            for key in re.split(r"[-–]", parsed.key):
                if key.strip() and key.strip() != parsed.key:
                    self.secondary.setdefault(key.strip(), set()).add(code)

    def candidates(self, name: _Name) -> set[str]:
        found = set(self.primary.get(name.key, set()))
        if not found:
            for p in name.parts:
                found |= self.primary.get(p, set())
        if not found:
            for k in (name.key, *name.parts):
                found |= self.secondary.get(k, set())
        return found

    def labels(self, codes: Iterable[str]) -> str:
        return ", ".join(self.by_code[c].label() for c in sorted(codes))

    def match(
        self,
        raw_name: str,
        code_cell: str | None,
        fylke_cell: str | None,
        cols: dict[str, str | None],
    ) -> tuple[str | None, list[tuple[str | None, str, str]]]:
        """Return (kommune code, problems as (column, nb, en)); cached, files repeat names."""
        key = (raw_name, code_cell, fylke_cell, tuple(sorted(cols.items())))
        if key not in self._cache:
            self._cache[key] = self._match(raw_name, code_cell, fylke_cell, cols)
        return self._cache[key]

    def _match(
        self,
        raw_name: str,
        code_cell: str | None,
        fylke_cell: str | None,
        cols: dict[str, str | None],
    ) -> tuple[str | None, list[tuple[str | None, str, str]]]:
        name = _parse_name(raw_name)
        shown = raw_name.strip()
        name_col, code_col, fylke_col = cols["name"], cols.get("code"), cols.get("fylke")
        if not name.key:
            return None, [(name_col, "Enhetsnavn mangler.", "Enhetsnavn (unit name) is empty.")]
        cand = self.candidates(name)
        fylke_hints = [h for h in name.hints if _is_fylke(h)]
        if fylke_cell:
            fylke_hints.append(fylke_cell)
        if code_cell:
            code = _code(code_cell)
            if code is None:
                return None, [
                    (
                        code_col,
                        f"Ugyldig kommunenummer «{code_cell}» (forventet fire sifre, f.eks. 0301).",
                        f"Invalid kommune number «{code_cell}» (expected four digits, e.g. 0301).",
                    )
                ]
            if code not in self.by_code:
                return None, [
                    (
                        code_col,
                        f"Ukjent kommunenummer {code}: finnes ikke i 2020-inndelingen eller blant "
                        "kjente tidligere kommuner.",
                        f"Unknown kommune number {code}: not in the 2020 structure nor among "
                        "known former kommuner.",
                    )
                ]
            k = self.by_code[code]
            if not cand:
                return None, [
                    (
                        name_col,
                        f"Ukjent kommune «{shown}» (kommunenummer {code} er {k.name}).",
                        f"Unknown kommune «{shown}» (kommune number {code} is {k.name}).",
                    )
                ]
            if code not in cand:
                return None, [
                    (
                        code_col,
                        f"Kommunenummer {code} ({k.name}) stemmer ikke med enhetsnavnet «{shown}» "
                        f"(som passer med {self.labels(cand)}).",
                        f"Kommune number {code} ({k.name}) does not agree with the unit name "
                        f"«{shown}» (which matches {self.labels(cand)}).",
                    )
                ]
            out: list[tuple[str | None, str, str]] = []
            if name.utgatt and not k.former:
                out.append(
                    (
                        name_col,
                        f"«{shown}» er merket (utgått), men {code} er en kommune i 2020-inndelingen.",
                        f"«{shown}» is marked (utgått) but {code} is a kommune in the 2020 structure.",
                    )
                )
            for hint in fylke_hints:
                if not (_fylke_keys(hint) & _fylke_keys(k.fylke)):
                    out.append(
                        (
                            fylke_col if hint == fylke_cell else name_col,
                            f"Fylket «{hint}» stemmer ikke med kommunenummer {code} ({k.fylke}).",
                            f"The fylke «{hint}» does not agree with kommune number {code} "
                            f"({k.fylke}).",
                        )
                    )
            return (None if out else code), out
        if not cand:
            return None, [
                (
                    name_col,
                    f"Ukjent kommune «{shown}»: ingen kommune med dette navnet.",
                    f"Unknown kommune «{shown}»: no kommune has this name.",
                )
            ]
        for hint in fylke_hints:
            within = {c for c in cand if _fylke_keys(hint) & _fylke_keys(self.by_code[c].fylke)}
            if not within:
                return None, [
                    (
                        fylke_col if hint == fylke_cell else name_col,
                        f"Ingen kommune «{shown}» i fylket «{hint}» (kjente: {self.labels(cand)}).",
                        f"No kommune «{shown}» in the fylke «{hint}» (known: {self.labels(cand)}).",
                    )
                ]
            cand = within
        if name.utgatt:
            cand = {c for c in cand if self.by_code[c].former}
            if not cand:
                return None, [
                    (
                        name_col,
                        f"«{shown}» er merket (utgått), men ingen tidligere kommune med dette "
                        "navnet er kjent. Oppgi kommunenummeret fra før 2020.",
                        f"«{shown}» is marked (utgått) but no former kommune of that name is "
                        "known. Give the kommune number from before 2020.",
                    )
                ]
        elif any(not self.by_code[c].former for c in cand):
            cand = {c for c in cand if not self.by_code[c].former}
        if len(cand) > 1:
            return None, [
                (
                    name_col,
                    f"Tvetydig navn «{shown}» (ambiguous name): passer med {self.labels(cand)}. "
                    "Legg til kolonnen Kommunenummer eller Fylke.",
                    f"Ambiguous name «{shown}»: matches {self.labels(cand)}. "
                    "Add a Kommunenummer or Fylke column.",
                )
            ]
        return next(iter(cand)), []


# ----------------------------------------------------------------------------- cell rules


@lru_cache(maxsize=4096)
def _period(cell: str) -> tuple[str | None, tuple[str, str] | None]:
    """'2019-2020', '2019+20', '2019–20', '2019/20' → '2019+20'."""
    s = _nfc(cell)
    s = re.sub(r"^(skoleåret|skoleår)\s*", "", s, flags=re.IGNORECASE)
    m = re.fullmatch(rf"(\d{{4}})\s*[{_DASHES}+/]\s*(\d{{2}}|\d{{4}})", s)
    if not m:
        return None, (
            f"Ugyldig periode «{cell}». Forventet to skoleår, f.eks. 2019-2020 eller 2019+20.",
            f"Invalid period «{cell}». Expected two school years, e.g. 2019-2020 or 2019+20.",
        )
    first, second = int(m.group(1)), m.group(2)
    ok_second = int(second) == first + 1 if len(second) == 4 else int(second) == (first + 1) % 100
    if not ok_second:
        return None, (
            f"Umulig periode «{cell}»: andre år må være året etter det første.",
            f"Impossible period «{cell}»: the second year must follow the first.",
        )
    if not FIRST_YEAR_MIN <= first <= FIRST_YEAR_MAX:
        return None, (
            f"Umulig periode «{cell}»: første år må ligge mellom {FIRST_YEAR_MIN} og "
            f"{FIRST_YEAR_MAX}.",
            f"Impossible period «{cell}»: the first year must lie between {FIRST_YEAR_MIN} "
            f"and {FIRST_YEAR_MAX}.",
        )
    return f"{first}+{(first + 1) % 100:02d}", None


_TRINN = {"1-4": "1-4", "5-7": "5-7", "8-10": "8-10"}


@lru_cache(maxsize=4096)
def _trinn(cell: str) -> tuple[str | None, tuple[str, str] | None]:
    """'1.–4. trinn', '1-4', '5.-7. trinn', 'Trinn 8–10' → '1-4', '5-7', '8-10'."""
    s = _nfc(cell).casefold()
    s = re.sub(r"(års)?trinn", "", s)
    s = re.sub(rf"[{_DASHES}]", "-", s)
    s = re.sub(r"[.\s]", "", s)
    if s in _TRINN:
        return _TRINN[s], None
    return None, (
        f"Ukjent trinn «{cell}». Gyldige: 1.–4. trinn, 5.–7. trinn, 8.–10. trinn.",
        f"Unknown trinn «{cell}». Valid: 1.–4. trinn, 5.–7. trinn, 8.–10. trinn.",
    )


def _decimal(cell: str) -> float | None:
    s = _plain(cell)
    if not _NUMBER.fullmatch(s):
        return None
    return float(s.replace(",", "."))


def _value(cell: str) -> tuple[float, bool, str | None, tuple[str, str] | None]:
    """→ (value, suppressed, suppression_mark, problem)."""
    s = cell.strip()
    if s in SUPPRESSION_MARKS:
        return float("nan"), True, s, None
    v = _decimal(s)
    if v is None:
        return (
            float("nan"),
            False,
            None,
            (
                f"Verdien «{cell}» er ikke et tall (bruk desimalkomma eller -punktum; "
                "prikket/skjult: * : ..).",
                f"The value «{cell}» is not a number (use a decimal comma or point; "
                "suppressed: * : ..).",
            ),
        )
    if abs(v) > SKOLEBIDRAG_MAX_ABS:
        return (
            v,
            False,
            None,
            (
                f"Usannsynlig skolebidrag {cell} (over ±{SKOLEBIDRAG_MAX_ABS:g}): er dette "
                "faktiske karakterpoeng eller antall i stedet for skolebidrag?",
                f"Implausible skolebidrag {cell} (beyond ±{SKOLEBIDRAG_MAX_ABS:g}): is this "
                "actual grade points or a count rather than skolebidrag?",
            ),
        )
    return v, False, None, None


def _count(cell: str) -> tuple[int | None, tuple[str, str] | None]:
    """Non-negative integer ('1 234' ok); suppression marks → None."""
    s = cell.strip()
    if s in SUPPRESSION_MARKS or s in SSB_MISSING:
        return None, None
    v = _decimal(s)
    if v is None or v != int(v) or v < 0:
        return None, (
            f"«{cell}» er ikke et heltall ≥ 0.",
            f"«{cell}» is not a whole number ≥ 0.",
        )
    return int(v), None


def _today(imported_at: str | None) -> str:
    if imported_at is None:
        return date.today().isoformat()
    return date.fromisoformat(str(imported_at)[:10]).isoformat()


# ----------------------------------------------------------------------------- skolebidrag

SKOLEBIDRAG_REQUIRED = {
    "Enhetsnavn": ("enhetsnavn", "enhet", "navn", "kommunenavn", "kommune"),
    "Periode": ("periode", "skoleår", "skolear", "år"),
    "Trinn": ("trinn", "årstrinn", "klassetrinn", "trinnivå"),
    "Verdi": ("verdi", "value", "skolebidrag"),
}
SKOLEBIDRAG_OPTIONAL = {
    "Kommunenummer": ("kommunenummer", "kommunenr", "kommunekode", "knr"),
    "Fylke": ("fylke", "fylkesnavn", "fylkenavn"),
    "Indikator": ("indikator", "indikatornavn"),
    "Enhetstype": ("enhetstype", "enhetsnivå", "nivå"),
    "Antall elever": ("antall elever", "antall"),
}
# Known Udir columns that carry nothing the import needs: read past them.
SKOLEBIDRAG_TOLERATED = {
    "organisasjonsnummer",
    "organisasjonsnr",
    "orgnr",
    "enhetsnummer",
    "fylkesnavn",
    "fylkesnummer",
    "fylkenummer",
    "fylkesnr",
    "kommunenavn",
    "eierform",
    "benevning",
    "måleenhet",
    "enhet for verdi",
}
_NATIONAL = {"nasjonalt", "norge", "hele landet", "landet", "alle", "i alt"}
_SKIP_LEVELS = {"nasjonalt", "land", "norge", "fylke", "fylkeskommune"}


def _is_skolebidrag(indicator: str) -> bool:
    s = _nfc(indicator).casefold()
    return "skolebidrag" in s and not any(w in s for w in ("faktisk", "forvent"))


def parse_skolebidrag_export(
    raw: bytes,
    kommuner: pd.DataFrame,
    file_name: str,
    imported_at: str | None = None,
) -> pd.DataFrame:
    """Validate a Udir/Skoleporten skolebidrag export and return one row per kommune, trinn, period.

    Columns: kommune_code, kommune_name (as in ``kommuner``), trinn ('1-4'|'5-7'|'8-10'),
    period ('YYYY+YY'), value (float, NaN when suppressed), suppressed, suppression_mark,
    n_pupils (Int64), source_file (base name), imported_at (ISO date). ``df.attrs["notes"]``
    lists (nb, en) notes about rows deliberately skipped. Raises ImportValidationError.
    """
    source_file = Path(str(file_name)).name
    stamp = _today(imported_at)
    index = _KommuneIndex(kommuner)
    text = _read_or_raise(raw, source_file)
    problems = _Problems()
    out: list[dict] = []
    skipped = {"indicator": 0, "level": 0}
    try:
        table = _read_table(text, problems, allow_comma=False)
        cols = (
            _map_columns(
                table,
                problems,
                SKOLEBIDRAG_REQUIRED,
                SKOLEBIDRAG_OPTIONAL,
                SKOLEBIDRAG_TOLERATED,
                "Forventet: Enhetsnavn; Periode; Trinn; Verdi (valgfritt Kommunenummer, Fylke, "
                "Indikator, Antall elever).",
                "Expected: Enhetsnavn; Periode; Trinn; Verdi (optional Kommunenummer, Fylke, "
                "Indikator, Antall elever).",
            )
            if table
            else None
        )
        if table is not None and cols is not None:
            out = _skolebidrag_rows(table, cols, index, problems, skipped)
            if not out and not problems.items:
                nb, en = (
                    ("Filen har ingen skolebidrag-rader.", "The file has no skolebidrag rows.")
                    if skipped["indicator"]
                    else ("Filen har ingen datarader.", "The file has no data rows.")
                )
                problems.add(None, None, nb, en)
    except _Full:
        pass
    problems.raise_if_any(source_file)
    df = pd.DataFrame(out, columns=["line", *SKOLEBIDRAG_COLUMNS[:8]])
    df = df.sort_values(["kommune_code", "trinn", "period"], kind="stable").drop(columns="line")
    df = df.assign(source_file=source_file, imported_at=stamp).reset_index(drop=True)
    df["value"] = df["value"].astype("float64")
    df["suppressed"] = df["suppressed"].astype(bool)
    df["n_pupils"] = df["n_pupils"].astype("Int64")
    df = df[SKOLEBIDRAG_COLUMNS]
    df.attrs["notes"] = _skip_notes(skipped)
    return df


def _skip_notes(skipped: dict[str, int]) -> list[tuple[str, str]]:
    notes = []
    if skipped.get("indicator"):
        n = skipped["indicator"]
        notes.append(
            (
                f"{n} rader med andre indikatorer enn skolebidrag ble hoppet over.",
                f"{n} rows with indicators other than skolebidrag were skipped.",
            )
        )
    if skipped.get("level"):
        n = skipped["level"]
        notes.append(
            (
                f"{n} rader for hele landet eller fylker ble hoppet over.",
                f"{n} rows for the whole country or fylker were skipped.",
            )
        )
    return notes


def _read_or_raise(raw: bytes, source_file: str) -> str:
    try:
        return read_text(raw)
    except ImportValidationError as err:
        raise ImportValidationError(err.problems, source_file) from None


def _skolebidrag_rows(
    table: _Table,
    cols: dict[str, int],
    index: _KommuneIndex,
    problems: _Problems,
    skipped: dict[str, int],
) -> list[dict]:
    header = table.header
    col_names = {
        "name": header[cols["Enhetsnavn"]],
        "code": header[cols["Kommunenummer"]] if "Kommunenummer" in cols else None,
        "fylke": header[cols["Fylke"]] if "Fylke" in cols else None,
    }
    out: list[dict] = []
    first_line: dict[tuple[str, str, str], int] = {}
    for line_no, cells in table.rows:

        def get(name: str, _cells: list[str] = cells) -> str | None:
            return _cells[cols[name]] if name in cols else None

        bad = _check_formulas(line_no, cells, header, problems)

        def clean(name: str, _bad: set[int] = bad) -> bool:
            return name in cols and cols[name] not in _bad

        if clean("Indikator") and get("Indikator") and not _is_skolebidrag(get("Indikator")):
            skipped["indicator"] += 1
            continue
        level = (get("Enhetstype") or "").casefold()
        name_cell = get("Enhetsnavn") or ""
        if level in _SKIP_LEVELS or (
            not level
            and (
                _nfc(name_cell).casefold() in _NATIONAL
                or re.search(r"\s(fylke|fylkeskommune)$", _nfc(name_cell).casefold())
            )
        ):
            skipped["level"] += 1
            continue
        row_ok = not bad
        if level and level != "kommune":
            problems.add(
                line_no,
                header[cols["Enhetstype"]],
                f"Bare rader for kommuner kan importeres (Enhetstype «{get('Enhetstype')}»). "
                "Eksporter på kommunenivå.",
                f"Only kommune rows can be imported (Enhetstype «{get('Enhetstype')}»). "
                "Export at kommune level.",
            )
            continue
        code = None
        if clean("Enhetsnavn") and (not get("Kommunenummer") or clean("Kommunenummer")):
            fylke_cell = get("Fylke") if clean("Fylke") else None
            code, found = index.match(name_cell, get("Kommunenummer"), fylke_cell, col_names)
            for column, nb, en in found:
                problems.add(line_no, column, nb, en)
        row_ok = row_ok and code is not None
        period = trinn = None
        if clean("Periode"):
            period, prob = _period(get("Periode"))
            if prob:
                problems.add(line_no, header[cols["Periode"]], *prob)
        if clean("Trinn"):
            trinn, prob = _trinn(get("Trinn"))
            if prob:
                problems.add(line_no, header[cols["Trinn"]], *prob)
        value, suppressed, mark = float("nan"), False, None
        if clean("Verdi"):
            value, suppressed, mark, prob = _value(get("Verdi"))
            if prob:
                row_ok = False
                problems.add(line_no, header[cols["Verdi"]], *prob)
        n_pupils = None
        if clean("Antall elever"):
            n_pupils, prob = _count(get("Antall elever"))
            if prob:
                row_ok = False
                problems.add(line_no, header[cols["Antall elever"]], *prob)
        if not (row_ok and period and trinn):
            continue
        key = (code, trinn, period)
        if key in first_line:
            k = index.by_code[code]
            problems.add(
                line_no,
                None,
                f"Dobbel rad: linje {line_no} gjentar linje {first_line[key]} "
                f"({k.label()}, trinn {trinn}, {period}). Sjekk filtrene i eksporten "
                "(f.eks. eierform eller kjønn).",
                f"Duplicate row: line {line_no} repeats line {first_line[key]} "
                f"({k.label()}, trinn {trinn}, {period}). Check the export's filters "
                "(e.g. eierform or kjønn).",
            )
            continue
        first_line[key] = line_no
        out.append(
            {
                "line": line_no,
                "kommune_code": code,
                "kommune_name": index.by_code[code].name,
                "trinn": trinn,
                "period": period,
                "value": value,
                "suppressed": suppressed,
                "suppression_mark": mark,
                "n_pupils": n_pupils,
            }
        )
    return out


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
    s = _nfc(cell).casefold()
    # Labels may carry SSB's code first: «006 6 år», «999D Alle aldre», «F006-015 6-15 år».
    s = re.sub(r"^[a-z]?\d{3}(?:-\d{3})?[a-z]?\s+(?=\d|alle)", "", s)
    if s in {"alle aldre", "i alt", "alle", "total", "all ages", ""}:
        return "alle"
    m = re.fullmatch(rf"(\d{{1,3}})\s*[{_DASHES}]\s*(\d{{1,3}})\s*(år)?", s)
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
    return _nfc(cell)


def _region(cell: str) -> tuple[str | None, bool]:
    """→ (4-digit code or None, is_aggregate). '0301 Oslo', 'K-0301 Oslo', '0301'."""
    s = _nfc(cell)
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
    stamp = _today(imported_at)
    index = _KommuneIndex(kommuner)
    text = _read_or_raise(raw, source_file)
    problems = _Problems()
    out: list[dict] = []
    skipped = {"level": 0, "sex": 0}
    try:
        table = _read_table(text, problems, allow_comma=True)
        if table is not None:
            out = _ssb_rows(table, index, problems, skipped)
            if not out and not problems.items:
                problems.add(
                    None,
                    None,
                    "Filen har ingen rader for kommuner.",
                    "The file has no kommune rows.",
                )
    except _Full:
        pass
    problems.raise_if_any(source_file)
    df = pd.DataFrame(out, columns=["kommune_code", "year", "age_group", "population"])
    df = df.sort_values(["kommune_code", "year", "age_group"], kind="stable")
    df = df.assign(source_file=source_file, imported_at=stamp).reset_index(drop=True)
    df["year"] = df["year"].astype("int64")
    df["population"] = df["population"].astype("Int64")
    df.attrs["notes"] = _skip_notes(skipped)
    if skipped["sex"]:
        df.attrs["notes"].append(
            (
                f"{skipped['sex']} rader for menn/kvinner ble hoppet over (totalen brukes).",
                f"{skipped['sex']} rows for men/women were skipped (the total is used).",
            )
        )
    return df[POPULATION_COLUMNS]


def _ssb_rows(
    table: _Table, index: _KommuneIndex, problems: _Problems, skipped: dict[str, int]
) -> list[dict]:
    header = table.header
    canon = [_canon(h) for h in header]
    dims: dict[str, int] = {}
    for dim, aliases in SSB_DIMENSIONS.items():
        for i, c in enumerate(canon):
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
    for line_no, cells in table.rows:
        bad = _check_formulas(line_no, cells, header, problems)
        if bad:
            continue
        if "sex" in dims:
            sex = _nfc(cells[dims["sex"]]).casefold()
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
            var = _nfc(cells[dims["variable"]]).casefold()
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


# ----------------------------------------------------------------------------- reference


def load_kommune_reference_from_csv(
    population_csv: str | PathLike, successors_csv: str | PathLike
) -> pd.DataFrame:
    """The ``kommuner`` frame from the reference CSVs: 356 kommuner (2020) plus former ones.

    Columns kommune_code (4 digits), kommune_name, fylke_name (the 2020 fylke for 2020 codes; the
    fylke before 2020 for former kommuner, from the old code's first two digits), is_former.
    """
    read = lambda p: pd.read_csv(p, dtype=str, keep_default_na=False)  # noqa: E731
    pop = read(population_csv)
    succ = read(successors_csv)
    codes = pop["kommune_code_2020"].str.strip().str.zfill(4)
    current = pd.DataFrame(
        {
            "kommune_code": codes,
            "kommune_name": pop["kommune_name_2020"].map(_nfc),
            "fylke_name": codes.str[:2].map(FYLKE_2020),
            "is_former": False,
        }
    )
    if current["fylke_name"].isna().any():
        bad = current.loc[current["fylke_name"].isna(), "kommune_code"].tolist()
        raise ValueError(f"{population_csv}: unknown 2020 fylke prefix for {bad}")
    old_codes = succ["kommune_code_before_2020"].str.strip().str.zfill(4)
    former = pd.DataFrame(
        {
            "kommune_code": old_codes,
            "kommune_name": [
                re.sub(r"\s+kommune$", "", _nfc(_UTGATT.sub(" ", n)), flags=re.IGNORECASE)
                for n in succ["kommune_name_as_published"]
            ],
            "fylke_name": old_codes.str[:2].map(FYLKE_BEFORE_2020),
            "is_former": True,
        }
    )
    if former["fylke_name"].isna().any():
        bad = former.loc[former["fylke_name"].isna(), "kommune_code"].tolist()
        raise ValueError(f"{successors_csv}: unknown pre-2020 fylke prefix for {bad}")
    former = former[~former["kommune_code"].isin(set(current["kommune_code"]))]
    out = pd.concat([current, former], ignore_index=True)
    out = out.drop_duplicates("kommune_code").reset_index(drop=True)
    out["is_former"] = out["is_former"].astype(bool)
    return out[KOMMUNER_COLUMNS]
