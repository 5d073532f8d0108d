"""Validate a downloaded Udir or SSB export and store its rows for the next database build.

Usage:
    python -m data.import_cli skolebidrag FILE [--imported-dir data/imported]
    python -m data.import_cli ssb-population FILE [--imported-dir data/imported]

On success the normalised rows (with source_file and imported_at) are written atomically to
``<imported-dir>/skolebidrag__<stem>.csv`` or ``population__<stem>.csv`` (UTF-8, comma-separated)
and the database must be rebuilt with ``python -m data.build``. Where two imports give a value
for the same kommune (or school), trinn, period and indicator, the newer import wins (by import
time, then file name); each row keeps its file and time (data/skolebidrag.py). On failure every problem is
printed in Norwegian and English, nothing is written, and the exit code is 2.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import pandas as pd

from data.csv_input import MAX_BYTES, ImportValidationError
from data.kommuner import reference
from data.ssb_import import parse_ssb_population_export
from data.udir_import import parse_skolebidrag_export

DATA_DIR = Path(__file__).resolve().parent
DEFAULT_IMPORTED_DIR = DATA_DIR / "imported"
DEFAULT_RAW_DIR = DATA_DIR / "raw"

KINDS = {
    "skolebidrag": ("skolebidrag", parse_skolebidrag_export),
    "ssb-population": ("population", parse_ssb_population_export),
}
EXIT_INVALID = 2
EXIT_INTERNAL = 3


def safe_stem(path: Path) -> str:
    """File stem usable in a file name: letters (æøå too), digits, '-', '_', '.'."""
    stem = re.sub(r"[^\w.-]+", "_", path.stem).strip("._")
    return stem[:80] or "import"


def write_atomic(df: pd.DataFrame, target: Path) -> None:
    """Write to a temp file in the same folder, then rename over the target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            df.to_csv(f, index=False, lineterminator="\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_file(path: Path) -> bytes:
    """Read at most MAX_BYTES + 1 bytes: enough for the size check without loading a huge file."""
    with path.open("rb") as f:
        return f.read(MAX_BYTES + 1)


def _fail(lines: list[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return EXIT_INVALID


def _summary(kind: str, df: pd.DataFrame) -> list[str]:
    n_kommuner = df["kommune_code"].nunique()
    if kind == "skolebidrag":
        periods = ", ".join(sorted(df["period"].unique()))
        trinn = ", ".join(sorted(df["trinn"].unique(), key=lambda t: int(t.split("-")[0])))
        n_sup = int(df["suppressed"].sum())
        return [
            f"OK: {len(df)} rader, {n_kommuner} kommuner, trinn {trinn}, perioder {periods} "
            f"({n_sup} prikket/skjult).",
            f"OK: {len(df)} rows, {n_kommuner} kommuner, trinn {trinn}, periods {periods} "
            f"({n_sup} suppressed).",
        ]
    years = ", ".join(str(y) for y in sorted(df["year"].unique()))
    ages = ", ".join(sorted(df["age_group"].unique()))
    n_missing = int(df["population"].isna().sum())
    return [
        f"OK: {len(df)} rader, {n_kommuner} kommuner, år {years}, aldersgrupper {ages} "
        f"({n_missing} mangler).",
        f"OK: {len(df)} rows, {n_kommuner} kommuner, years {years}, age groups {ages} "
        f"({n_missing} missing).",
    ]


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    prefix, parse = KINDS[args.kind]
    if not path.is_file():
        return _fail(
            [f"Fant ikke filen «{path}».", f"File not found or not a regular file: «{path}»."]
        )
    try:
        raw = _read_file(path)
    except OSError as exc:
        return _fail(
            [f"Kunne ikke lese «{path}»: {exc.strerror}.", f"Could not read «{path}»: {exc}."]
        )
    kommuner = reference(Path(args.raw_dir))
    options = {"school_kommune": args.skole_kommune} if args.kind == "skolebidrag" else {}
    try:
        df = parse(raw, kommuner, path.name, imported_at=args.imported_at, **options)
    except ImportValidationError as err:
        lines = [
            f"Filen «{path.name}» ble avvist: {len(err.problems)} problem(er). Ingenting ble "
            "importert.",
            f"The file «{path.name}» was rejected: {len(err.problems)} problem(s). Nothing was "
            "imported.",
        ]
        for p in err.problems:
            lines += [f"- {p.text('nb')}", f"  {p.text('en')}"]
        return _fail(lines)
    target = Path(args.imported_dir) / f"{prefix}__{safe_stem(path)}.csv"
    existed = target.exists()
    write_atomic(df, target)
    out = _summary(args.kind, df)
    for nb, en in df.attrs.get("notes", []):
        out += [f"Merk: {nb}", f"Note: {en}"]
    for nb, en in df.attrs.get("warnings", []):
        out += [f"Advarsel: {nb}", f"Warning: {en}"]
    verb_nb, verb_en = ("Erstattet", "Replaced") if existed else ("Skrev", "Wrote")
    out += [
        f"{verb_nb} {target}",
        f"{verb_en} {target}",
        "Bygg databasen på nytt: python -m data.build",
        "Rebuild the database: python -m data.build",
    ]
    print("\n".join(out))
    return 0


def _iso_date(text: str) -> str:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO date (YYYY-MM-DD[THH:MM]): {text!r}"
        ) from None
    return text


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m data.import_cli",
        description="Validate a downloaded Udir skolebidrag or SSB population export and store "
        "its rows in data/imported/ for the next `python -m data.build`.",
    )
    sub = ap.add_subparsers(dest="kind", required=True)
    for kind, help_text in (
        ("skolebidrag", "Udir statistikkbanken/Skoleporten export (semicolon CSV)"),
        ("ssb-population", "SSB statbank export of table 07459 (population)"),
    ):
        p = sub.add_parser(kind, help=help_text)
        p.add_argument("file", help="the downloaded CSV file")
        p.add_argument("--imported-dir", default=str(DEFAULT_IMPORTED_DIR))
        p.add_argument(
            "--raw-dir", default=str(DEFAULT_RAW_DIR), help="kommune reference files (data/raw)"
        )
        p.add_argument(
            "--imported-at", type=_iso_date, default=None, help="ISO date or date-time (now)"
        )
        if kind == "skolebidrag":
            p.add_argument(
                "--skole-kommune",
                default=None,
                metavar="KOMMUNENUMMER",
                help="the kommune of the file's schools, when the file does not say",
            )
        p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except Exception as exc:  # a bug or an unreadable reference file, not bad input
        if args.debug:
            raise
        print(
            f"Intern feil / internal error: {type(exc).__name__}: {exc} "
            "(kjør med --debug for detaljer / run with --debug for details)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
