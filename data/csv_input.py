"""Reading the CSV files users download (Udir, SSB): bytes → a table of text cells, with every
problem a user must fix named by line and column, in Norwegian and English.

Used by data/udir_import.py and data/ssb_import.py. No Streamlit, no database.

Why Arrow: a national Udir download is up to 20 MB and 200 000 rows of eleven columns; as Python
lists of strings that is 15–20× the file in memory. pyarrow's CSV reader keeps the cells in
Arrow buffers (about the file's size) and the parsers work on whole columns, so parsing costs
a few times the file, not twenty. Line numbers are physical lines of the file (a title line
and blank lines count), so a user finds the line in a text editor.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

# Arrow on the system allocator, the one numpy and pandas use: the memory a parsed block frees
# is then reused by the next steps instead of staying with a second allocator (measured: an
# upload's peak 7.5× the file with Arrow's own allocator, see benchmarks/uploads.py).
pa.set_memory_pool(pa.system_memory_pool())

MAX_BYTES = 20_000_000
MAX_PROBLEMS = 50
FIRST_YEAR_MIN, FIRST_YEAR_MAX = 2000, 2035
# «.» is Udir's mark for a missing value, «*» too few pupils, «:» hidden for privacy, «..» SSB's
# «not available»; an empty cell is read the same way.
SUPPRESSION_MARKS = frozenset({"*", ":", "..", ".", ""})
SSB_MISSING = frozenset({"..", ".", ":", "…"})

_MINUS = "\u2212\u2012\u2013\ufe63\uff0d"  # − ‒ – ﹣ － read as a minus sign in numbers
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
# Written with the characters themselves (not \\u escapes): Arrow's RE2 reads this too.
_SPACES = re.compile("[\\s\u00a0\u202f\u2009]+")


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


class Full(Exception):
    """The problem cap was reached; stop reading."""


@dataclass
class Problems:
    cap: int = MAX_PROBLEMS
    items: list[Problem] = field(default_factory=list)
    truncated: bool = False

    def add(self, row: int | None, column: str | None, nb: str, en: str) -> None:
        # Parsers check a whole column at a time, so problems arrive by kind, not by line;
        # keep a margin beyond the cap and report the first `cap` in file order.
        if len(self.items) >= 20 * self.cap:
            self.truncated = True
            raise Full
        self.items.append(Problem(None if row is None else int(row), column, nb, en))

    def raise_if_any(self, file_name: str | None = None) -> None:
        if not self.items:
            return
        # File order: header problems first, then row by row (problems without a row first);
        # within a line, in the order the checks ran.
        items = sorted(self.items, key=lambda p: p.row or 0)[: self.cap]
        if self.truncated or len(self.items) > self.cap:
            items.append(
                Problem(
                    None,
                    None,
                    f"Stoppet etter {self.cap} problemer; rett opp disse og prøv igjen.",
                    f"Stopped after {self.cap} problems; fix these and try again.",
                )
            )
        raise ImportValidationError(items, file_name)


def fail(nb: str, en: str, row: int | None = None, column: str | None = None):
    raise ImportValidationError([Problem(row, column, nb, en)])


# ----------------------------------------------------------------------------- bytes


def _mb(n: int, lang: str) -> str:
    s = f"{n / 1_000_000:.1f}"
    return s.replace(".", ",") if lang == "nb" else s


_SIGNATURES = {
    b"PK\x03\x04": ("en Excel-fil (.xlsx) eller zip-fil", "an Excel (.xlsx) or zip file"),
    b"\xd0\xcf\x11\xe0": ("en gammel Excel-fil (.xls)", "an old Excel (.xls) file"),
    b"%PDF": ("en PDF-fil", "a PDF file"),
}


def _binary():
    fail(
        "Filen ser ikke ut som en tekstfil (CSV): den inneholder binære tegn. "
        "Last opp eksporten som CSV (semikolonseparert).",
        "The file does not look like a text (CSV) file: it contains binary data. "
        "Upload the export as CSV (semicolon-separated).",
    )


def _check_size_and_kind(raw: bytes, max_bytes: int) -> None:
    if len(raw) > max_bytes:
        fail(
            f"Filen er for stor ({_mb(len(raw), 'nb')} MB). Grensen er {_mb(max_bytes, 'nb')} MB; "
            "del opp eksporten (f.eks. per fylke eller periode).",
            f"The file is too large ({_mb(len(raw), 'en')} MB). The limit is "
            f"{_mb(max_bytes, 'en')} MB; split the export (e.g. by fylke or period).",
        )
    if not raw or raw.isspace():  # (strip() would copy the whole file)
        fail("Filen er tom.", "The file is empty.")
    for magic, (nb, en) in _SIGNATURES.items():
        if raw.startswith(magic):
            fail(
                f"Filen ser ut som {nb}, ikke CSV. Eksporter/lagre som CSV (semikolonseparert).",
                f"The file looks like {en}, not CSV. Export/save it as CSV (semicolon-separated).",
            )


def _is_utf8(raw: bytes, chunk: int = 1 << 20) -> bool:
    """Validate UTF-8 chunk by chunk, without holding the whole file as a Python string."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for i in range(0, len(raw), chunk):
            decoder.decode(raw[i : i + chunk], final=i + chunk >= len(raw))
    except UnicodeDecodeError:
        return False
    return True


def _control_share(raw: bytes, chunk: int = 1 << 20) -> float:
    """Share of control bytes (not tab or line ends), counted 1 MB at a time without copying."""
    view = np.frombuffer(raw, dtype=np.uint8)
    n = 0
    for i in range(0, len(view), chunk):
        part = view[i : i + chunk]
        n += int(np.count_nonzero((part < 32) | (part == 127)))
        n -= int(np.count_nonzero((part == 9) | (part == 10) | (part == 13)))
    return n / max(len(raw), 1)


def utf8_bytes(raw: bytes, max_bytes: int = MAX_BYTES) -> bytes:
    """The file as UTF-8 bytes with «\\n» line ends: UTF-8 (with or without BOM) passes through;
    UTF-16 with BOM, Windows-1252 and Latin-1 are converted. Rejects (ImportValidationError)
    files over ``max_bytes``, empty files, spreadsheets/PDFs and binary data (NUL bytes or more
    than 1 % control characters)."""
    raw = bytes(raw)
    _check_size_and_kind(raw, max_bytes)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            _binary()
    if b"\x00" in raw:
        _binary()
    # A UTF-8 byte-order mark stays: it sits in the header line, which is parsed apart from the
    # data (cutting it off would copy the whole file).
    if _control_share(raw) > 0.01:
        _binary()
    if not _is_utf8(raw):
        try:
            raw = raw.decode("cp1252").encode("utf-8")
        except UnicodeDecodeError:
            raw = raw.decode("latin-1").encode("utf-8")
    if b"\r" in raw and b"\n" not in raw:  # old Mac line ends; CRLF is read as it is
        raw = raw.replace(b"\r", b"\n")
    return raw


def read_text(raw: bytes, max_bytes: int = MAX_BYTES) -> str:
    """The file as text (same rules as utf8_bytes) with «\\n» line ends."""
    text = utf8_bytes(raw, max_bytes).decode("utf-8").lstrip("\ufeff")
    return text.replace("\r\n", "\n")


# ----------------------------------------------------------------------------- table


@dataclass
class Table:
    """The file's header and data cells (stripped text, Arrow-backed), one row per data line.

    ``lines[i]`` is the physical line of row i; ``column(i)`` the i-th column's cells.
    """

    header: list[str]
    header_line: int
    delimiter: str
    frame: pd.DataFrame
    lines: np.ndarray
    _stripped: dict = field(default_factory=dict, repr=False)

    def column(self, index: int) -> pd.Series:
        """The cells of column `index`, stripped (done once, and only for columns used)."""
        name = f"c{index}"
        if name not in self._stripped:
            cells = self.frame[name]
            padded = cells.str.match(r"^\s|\s$").fillna(False).to_numpy()
            self._stripped[name] = cells.str.strip() if padded.any() else cells
        return self._stripped[name]

    def __len__(self) -> int:
        return len(self.frame)


def _split_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _find_header(data: bytes, problems: Problems, allow_comma: bool) -> tuple[int, str] | None:
    """(0-based physical line of the header, delimiter), looking at the first non-empty lines."""
    head = [h.rstrip("\r") for h in data[:65536].decode("utf-8", errors="replace").split("\n")]
    candidates = [i for i, line in enumerate(head) if line.strip()][:5]
    if not candidates:
        problems.add(None, None, "Filen er tom.", "The file is empty.")
        return None
    for i in candidates:
        for d in (";", "\t"):
            if len(_split_line(head[i], d)) >= 2:
                return i, d
    comma = next((i for i in candidates if len(_split_line(head[i], ",")) >= 2), None)
    if comma is not None and allow_comma:
        return comma, ","
    if comma is not None:
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
    else:
        problems.add(
            candidates[0] + 1,
            None,
            "Fant ingen overskriftsrad med kolonner skilt med semikolon (;).",
            "Found no header row with columns separated by semicolons (;).",
        )
    return None


def _header_cells(data: bytes, line_index: int, delimiter: str) -> list[str]:
    start = 0
    for _ in range(line_index):
        start = data.index(b"\n", start) + 1
    end = data.find(b"\n", start)
    line = data[start : end if end >= 0 else len(data)].decode("utf-8", errors="replace")
    line = line.rstrip("\r")
    cells = [
        c.replace("\ufeff", "").strip().strip('"').strip() for c in _split_line(line, delimiter)
    ]
    return cells


@dataclass
class Header:
    """The header row: its cells, its physical line, the delimiter."""

    header: list[str]
    header_line: int
    delimiter: str


class ExactLinesNeeded(Exception):
    """A quoted cell holds a line break: rows and lines no longer pair up one to one."""


def read_header(data: bytes, problems: Problems, allow_comma: bool) -> Header | None:
    """Find the header among the first non-empty lines and detect the delimiter."""
    found = _find_header(data, problems, allow_comma)
    if found is None:
        return None
    start, delimiter = found
    header = _header_cells(data, start, delimiter)
    while header and not header[-1]:
        header.pop()  # «a;b;c;» — a trailing delimiter adds an empty column
    for pos, h in enumerate(header, start=1):
        if not h:
            problems.add(
                start + 1,
                None,
                f"Kolonne nr. {pos} i overskriften har ikke navn.",
                f"Column no. {pos} in the header has no name.",
            )
    return Header(header, start + 1, delimiter)


def read_batches(
    data: bytes,
    head: Header,
    problems: Problems,
    select: Callable[[list[str]], Iterable[int]] | None = None,
    block_size: int = 1 << 21,
) -> Iterator[Table]:
    """The data rows as stripped text, a block of the file at a time, each row with its physical
    line: a 20 MB download is never held as one table of cells.

    A row with another number of fields than the header is a problem (rows whose extra fields
    are all empty, e.g. a trailing delimiter, are kept and come last); blank lines are skipped.
    `select` names, from the header, the columns worth reading. Raises ExactLinesNeeded when a
    quoted cell holds a line break (read_table_exact then reads the file the slow, exact way).
    """
    n = len(head.header)
    names = [f"c{i}" for i in range(n)]
    wanted = [names[i] for i in sorted(set(select(head.header)))] if select else None
    odd: list[tuple[int, str]] = []  # (physical line, text) of rows with another field count
    odd_lines: set[int] = set()

    cursor = [0]

    def keep_aside(row) -> str:
        # Found by its text, after the previous one (Arrow's own row numbers do not count blank
        # lines consistently); a row with another field count cannot equal a good row's text.
        at = data.find(b"\n" + row.text.encode("utf-8"), cursor[0])
        line = data.count(b"\n", 0, at + 1) + 1 if at >= 0 else None
        cursor[0] = at + 1 if at >= 0 else cursor[0]
        odd.append((line, row.text))
        odd_lines.add(line)
        return "skip"

    candidates = _data_lines(data, head.header_line)
    pos = 0
    try:
        reader = pacsv.open_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(
                column_names=names,
                skip_rows=head.header_line,
                use_threads=False,
                block_size=block_size,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=head.delimiter, invalid_row_handler=keep_aside
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                include_columns=wanted,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        for batch in reader:
            frame = pa.Table.from_batches([batch]).to_pandas(types_mapper=pd.ArrowDtype)
            lines, pos = _next_lines(candidates, pos, len(frame), odd_lines)
            yield Table(head.header, head.header_line, head.delimiter, frame, lines)
    except pa.ArrowInvalid as exc:
        if "newline" in str(exc).lower() or "quote" in str(exc).lower():
            raise ExactLinesNeeded from exc
        problems.add(
            None,
            None,
            f"Ugyldig CSV (feil i anførselstegn?): {str(exc)[:160]}",
            f"Malformed CSV (unbalanced quotes?): {str(exc)[:160]}",
        )
        return
    if (
        None in odd_lines
        or pos + len(odd) != len(candidates)
        or odd_lines & set(candidates[:pos].tolist())
    ):
        raise ExactLinesNeeded
    recovered, rec_lines = [], []
    for line_no, text in odd:
        cells = [c.strip() for c in _split_line(text, head.delimiter)]
        if len(cells) > n and not any(cells[n:]):
            recovered.append(cells[:n])
            rec_lines.append(line_no)
        else:
            problems.add(
                line_no,
                None,
                f"Raden har {len(cells)} felt, men overskriften har {n}.",
                f"The row has {len(cells)} fields but the header has {n}.",
            )
    if recovered:
        extra = pd.DataFrame(recovered, columns=names)[wanted or names]
        extra = extra.astype("string[pyarrow]")
        lines = np.asarray(rec_lines, dtype=np.int64)
        yield Table(head.header, head.header_line, head.delimiter, extra, lines)


def _next_lines(candidates: np.ndarray, pos: int, n: int, skip: set[int]) -> tuple[np.ndarray, int]:
    """The physical lines of the next `n` rows Arrow kept: the next candidates, passing over
    the lines it set aside (rare, so a short loop)."""
    take = candidates[pos : pos + n]
    if skip:
        while True:
            kept = take[~np.isin(take, np.fromiter(skip, dtype=np.int64))]
            if len(kept) == n or pos + len(take) >= len(candidates):
                take = kept
                break
            take = candidates[pos : pos + len(take) + (n - len(kept))]
        end = int(np.searchsorted(candidates, take[-1], side="right")) if len(take) else pos
        return take, end
    return take, pos + len(take)


def read_table(
    data: bytes,
    problems: Problems,
    allow_comma: bool,
    select: Callable[[list[str]], Iterable[int]] | None = None,
) -> Table | None:
    """Header and every data row in one table (small files: SSB population exports)."""
    head = read_header(data, problems, allow_comma)
    if head is None:
        return None
    try:
        parts = list(read_batches(data, head, problems, select))
    except ExactLinesNeeded:
        return read_table_exact(data, head, problems)
    if not parts:
        empty = pd.DataFrame(
            columns=[f"c{i}" for i in range(len(head.header))], dtype="string[pyarrow]"
        )
        return Table(
            head.header, head.header_line, head.delimiter, empty, np.array([], dtype=np.int64)
        )
    frame = pd.concat([p.frame for p in parts], ignore_index=True)
    lines = np.concatenate([p.lines for p in parts])
    order = np.argsort(lines, kind="stable")
    return Table(
        head.header,
        head.header_line,
        head.delimiter,
        frame.iloc[order].reset_index(drop=True),
        lines[order],
    )


def _data_lines(data: bytes, header_line: int) -> np.ndarray:
    """Physical line numbers of every non-blank line after the header."""
    total = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    # a blank line is a line end followed by nothing but spaces before the next one
    blank = {data.count(b"\n", 0, m.start()) + 2 for m in re.finditer(rb"\n[ \t\r]*(?=\n)", data)}
    every = np.arange(header_line + 1, total + 1, dtype=np.int64)
    if not blank:
        return every
    return every[~np.isin(every, np.fromiter(blank, dtype=np.int64))]


def read_table_exact(data: bytes, head: Header, problems: Problems) -> Table | None:
    """Row by row with the csv module: exact line numbers when quoted cells hold line breaks."""
    start, delimiter, header = head.header_line - 1, head.delimiter, head.header
    text = data.decode("utf-8")
    lines = text.split("\n")
    reader = csv.reader(io.StringIO("\n".join(lines[start + 1 :])), delimiter=delimiter)
    n = len(header)
    records, numbers, prev = [], [], 0
    try:
        for rec in reader:
            line_no = start + 2 + prev
            prev = reader.line_num
            cells = [c.strip() for c in rec]
            if not any(cells):
                continue
            if len(cells) > n and not any(cells[n:]):
                cells = cells[:n]
            if len(cells) != n:
                problems.add(
                    line_no,
                    None,
                    f"Raden har {len(cells)} felt, men overskriften har {n}.",
                    f"The row has {len(cells)} fields but the header has {n}.",
                )
                continue
            records.append(cells)
            numbers.append(line_no)
    except csv.Error as exc:
        problems.add(
            start + 2 + prev,
            None,
            f"Ugyldig CSV (feil i anførselstegn?): {exc}",
            f"Malformed CSV (unbalanced quotes?): {exc}",
        )
        return None
    frame = pd.DataFrame(records, columns=[f"c{i}" for i in range(n)], dtype="string[pyarrow]")
    return Table(header, start + 1, delimiter, frame, np.asarray(numbers, dtype=np.int64))


# ----------------------------------------------------------------------------- columns


def canon(header: str) -> str:
    h = unicodedata.normalize("NFC", header).casefold().strip().strip('"').strip()
    return _SPACES.sub(" ", h.replace("_", " ")).rstrip(".:").strip()


@dataclass
class Columns:
    """Canonical column name → index in the file; ``ignored`` lists unknown columns."""

    index: dict[str, int]
    ignored: list[str]

    def __contains__(self, name: str) -> bool:
        return name in self.index

    def __getitem__(self, name: str) -> int:
        return self.index[name]


def map_columns(
    table: Table,
    problems: Problems,
    required: dict[str, tuple[str, ...]],
    optional: dict[str, tuple[str, ...]],
    tolerated: Iterable[str],
    hint_nb: str,
    hint_en: str,
) -> Columns | None:
    """Match the header against known names and aliases. A missing required column or a column
    that appears twice is a problem; a column we do not know is ignored (and said so)."""
    names = [canon(h) for h in table.header]
    seen: dict[str, int] = {}
    for i, c in enumerate(names):
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
    ignored = [
        table.header[i]
        for i, c in enumerate(names)
        if c and i not in used and c not in tolerated and seen[c] == i
    ]
    return None if missing else Columns(cols, ignored)


# ----------------------------------------------------------------------------- cells


def plain(s: pd.Series) -> pd.Series:
    """Numbers as Python reads them: spaces (also non-breaking) removed, minus signs unified."""
    s = s.str.replace(_SPACES.pattern, "", regex=True)
    return s.str.replace(f"[{_MINUS}]", "-", regex=True)


def is_number(s: pd.Series) -> pd.Series:
    return plain(s).str.fullmatch(_NUMBER.pattern).fillna(False).astype(bool)


def to_number(s: pd.Series) -> pd.Series:
    """Float where the cell is a plain number (decimal comma or point), NaN elsewhere."""
    p = plain(s)
    ok = p.str.fullmatch(_NUMBER.pattern).fillna(False).astype(bool)
    return pd.to_numeric(p.where(ok).str.replace(",", ".", regex=False), errors="coerce").astype(
        "float64"
    )


def formula_like(s: pd.Series) -> pd.Series:
    """Spreadsheet injection: '=HYPERLINK(..)', '+cmd|..', '@SUM(..)'; '+1,5' is a plain number."""
    start = s.str.slice(0, 1).isin(["=", "+", "@"]).fillna(False).astype(bool).to_numpy()
    out = np.zeros(len(s), dtype=bool)
    if start.any():  # rare: test only those cells
        out[start] = ~is_number(s[start]).to_numpy()
    return pd.Series(out, index=s.index)


@lru_cache(maxsize=4096)
def parse_period(cell: str) -> tuple[str | None, tuple[str, str] | None]:
    """'2019-2020', '2019+20', '2019–20', '2019/20' → '2019+20'."""
    s = _SPACES.sub(" ", unicodedata.normalize("NFC", cell)).strip()
    s = re.sub(r"^(skoleåret|skoleår)\s*", "", s, flags=re.IGNORECASE)
    m = re.fullmatch(rf"(\d{{4}})\s*[{DASHES}+/]\s*(\d{{2}}|\d{{4}})", s)
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
def parse_trinn(cell: str) -> tuple[str | None, tuple[str, str] | None]:
    """'1.–4. trinn', '1-4', '5.-7. trinn', 'Trinn 8–10' → '1-4', '5-7', '8-10'."""
    s = unicodedata.normalize("NFC", cell).casefold()
    s = re.sub(r"(års)?trinn", "", s)
    s = re.sub(rf"[{DASHES}]", "-", s)
    s = re.sub(r"[.\s]", "", s)
    if s in _TRINN:
        return _TRINN[s], None
    return None, (
        f"Ukjent trinn «{cell}». Gyldige: 1.–4. trinn, 5.–7. trinn, 8.–10. trinn.",
        f"Unknown trinn «{cell}». Valid: 1.–4. trinn, 5.–7. trinn, 8.–10. trinn.",
    )


def trinn_in_text(text: str) -> str | None:
    """A trinn range named inside a longer text: «Skolebidrag 8.-10. trinn» → '8-10'."""
    m = re.search(rf"\b(1|5|8)\s*\.?\s*[{DASHES}]\s*(4|7|10)\s*\.?\s*(?:års)?trinn", text or "")
    if not m:
        return None
    return parse_trinn(f"{m.group(1)}-{m.group(2)}")[0]


def map_unique(s: pd.Series, fn) -> pd.Series:
    """fn applied once per distinct value (files repeat names, periods and trinn thousands of
    times), spread back over the rows without a Python object per cell."""
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [fn(u) for u in uniques]
    return pd.Series(results[codes], index=s.index, dtype=object)
