"""The one module that opens the database.

It opens the DuckDB file read-only once per process, hands out a cursor per query (a DuckDB
connection must not be shared across threads) and runs named queries from queries/<name>.sql
with named parameters ($kommune, $trinn): no SQL is ever assembled from user values.
Results are cached per (query, parameters, database file version) and returned as copies.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent
REPO_DIR = QUERY_DIR.parent
DEFAULT_DB = REPO_DIR / "data" / "skolemiljo.duckdb"
REQUIRED_TABLES = {
    "source_cells",
    "sources",
    "kommune",
    "familiarity",
    "owner_use_by_size",
    "rating_items",
    "skolebidrag",
    "geo",
}
REBUILD_COMMAND = "python -m data.build"
# Query results kept per process. Bounded: a query can take free text (the cell browser on
# «Kilder og metode» searches with what a user types), so an unbounded cache would grow with
# every distinct search; the least recently used results go first.
CACHE_ENTRIES = 256


def db_path() -> Path:
    """SKOLEMILJO_DB points a deployment at a shared read-only file (see README, Scaling)."""
    return Path(os.environ.get("SKOLEMILJO_DB", str(DEFAULT_DB)))


@dataclass(frozen=True)
class DbStatus:
    ok: bool
    state: str  # ok | missing | empty | corrupt | incomplete
    detail: str = ""


_status_cache: dict[tuple, DbStatus] = {}


def check_database(path: Path | None = None) -> DbStatus:
    """Say whether the file can be used, without raising: the app turns this into one message.

    Reads every table once (the file is a few MB), because a truncated copy opens and lists its
    tables but fails on the first block past its end. Cached per file version, so the app's
    check on every run costs a stat() call.
    """
    path = Path(path or db_path())
    if str(path).startswith("md:"):
        # A MotherDuck database is not a local file: no size or mtime, never built here.
        return _scan_database(path)
    if not path.exists():
        return DbStatus(False, "missing", str(path))
    stat = path.stat()
    if stat.st_size == 0:
        return DbStatus(False, "empty", str(path))
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    status = _status_cache.get(key)
    if status is None:
        # Local first: sessions starting together may scan at once, and one's clear() must not
        # remove the entry another is about to return.
        status = _scan_database(path)
        _status_cache.clear()
        _status_cache[key] = status
    return status


def _scan_database(path: Path) -> DbStatus:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except Exception as err:  # noqa: BLE001 - any failure to open means the file is unusable
        return DbStatus(False, "corrupt", f"{type(err).__name__}: {str(err)[:200]}")
    try:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_type = 'BASE TABLE'"
        ).fetchall()
        names = {name for _, name in tables}
        for schema, name in tables:  # names come from the catalogue, not from a user
            con.execute(f'SELECT * FROM "{schema}"."{name}"').fetchall()
    except Exception as err:  # noqa: BLE001
        return DbStatus(False, "corrupt", f"{type(err).__name__}: {str(err)[:200]}")
    finally:
        con.close()
    missing = REQUIRED_TABLES - names
    if missing:
        return DbStatus(False, "incomplete", ", ".join(sorted(missing)))
    return DbStatus(True, "ok")


class Database:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._con = duckdb.connect(str(self.path), read_only=True)
        self._version = self.path.stat().st_mtime_ns if self.path.exists() else 0
        self._cache: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()

    def run(self, name: str, **params) -> pd.DataFrame:
        key = (name, tuple(sorted(params.items())))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
        if hit is not None:
            return hit.copy()
        sql = load_sql(name)
        with self._lock:  # the shared connection hands out one cursor at a time
            cur = self._con.cursor()
        try:
            df = cur.execute(sql, params or None).df()
        finally:
            cur.close()
        with self._lock:
            self._cache[key] = df
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return df.copy()

    def close(self) -> None:
        self._con.close()


_db: Database | None = None
_db_lock = threading.Lock()


def load_sql(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"invalid query name {name!r}")
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


def get_db() -> Database:
    """The process-wide read-only connection; reopened if the file was rebuilt."""
    global _db
    path = db_path()
    with _db_lock:
        stale = (
            _db is None
            or _db.path != path
            or (path.exists() and path.stat().st_mtime_ns != _db._version)
        )
        if stale:
            if _db is not None:
                _db.close()
            _db = Database(path)
        return _db


def version() -> int:
    """Changes whenever the database file is rebuilt: a key for caches built on its content."""
    return get_db()._version


def reset() -> None:
    global _db
    with _db_lock:
        if _db is not None:
            _db.close()
        _db = None


# Who asks in which language. The transcribers' notes are stored in English (`note`) and
# bokmål (`note_nb`); the app sets this to its page language (components/i18n.py), and every
# result then carries one `note` column in that language. Unset (tests, scripts): both columns.
note_language: Callable[[], str] | None = None


def run(name: str, **params) -> pd.DataFrame:
    df = get_db().run(name, **params)
    if note_language is not None and "note_nb" in df.columns:
        if note_language() == "nb":
            df["note"] = df["note_nb"].where(df["note_nb"].notna(), df["note"])
        df = df.drop(columns="note_nb")
    return df
