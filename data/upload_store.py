"""Where a user's uploaded skolebidrag file lives: a small content-addressed store on the server.

Why here and not in the browser: the parsed rows of a national file (10 000–100 000 rows) are
too large for the browser's localStorage (5 MB), and a copied link must reproduce the view for
a colleague — the link carries the upload's id (``?data=…``), the server keeps the rows.

Why this is safe to share: the figures are Udir's published statistics, not personal data, and
an upload never enters the shared database. Nobody sees an upload without its link: the id is
an HMAC of the file under a secret kept in the store (a 128-bit value nobody can guess or derive
from a file they have), and nothing lists the store. Limits: 20 MB per file (the upload limit),
``MAX_TOTAL_BYTES`` for the store, and uploads unused for ``MAX_AGE_DAYS`` are deleted; the
oldest go first when the store is full. ``SKOLEMILJO_UPLOADS`` points replicas at one shared
folder (README, «Running several replicas»).
"""

from __future__ import annotations

import ctypes
import hashlib
import hmac
import json
import os
import re
import secrets
import time
from pathlib import Path

import pandas as pd

DEFAULT_DIR = Path(__file__).resolve().parent / "uploads"
MAX_AGE_DAYS = 30
MAX_TOTAL_BYTES = 500_000_000
_ID = re.compile(r"^[0-9a-f]{32}$")


def store_dir() -> Path:
    return Path(os.environ.get("SKOLEMILJO_UPLOADS", str(DEFAULT_DIR)))


def _secret(folder: Path) -> bytes:
    path = folder / ".secret"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_bytes(32))
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    return path.read_bytes()


def upload_id(raw: bytes, variant: str = "", folder: Path | None = None) -> str:
    """The id of a file (and how it was read, e.g. the kommune chosen for its schools)."""
    folder = folder or store_dir()
    mac = hmac.new(_secret(folder), raw, hashlib.sha256)  # (raw + … would copy the file)
    mac.update(b"\x00" + variant.encode())
    return mac.hexdigest()[:32]


def valid_id(text: str | None) -> bool:
    return bool(text) and bool(_ID.match(text))


def give_back_memory() -> None:
    """Return the heap a parse freed to the system (glibc only; elsewhere nothing happens), so
    the server does not keep the peak of its largest upload for good."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def save(upload: str, rows: pd.DataFrame, meta: dict, folder: Path | None = None) -> None:
    """Keep the parsed rows (Parquet) and their metadata (JSON), written atomically."""
    folder = folder or store_dir()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{upload}.{os.getpid()}.tmp"
    rows.to_parquet(tmp, index=False)
    os.replace(tmp, folder / f"{upload}.parquet")
    tmp_meta = folder / f".{upload}.{os.getpid()}.json.tmp"
    tmp_meta.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp_meta, folder / f"{upload}.json")
    purge(folder)


def load(upload: str, folder: Path | None = None) -> tuple[pd.DataFrame, dict] | None:
    """The rows and metadata of an upload, or None if the id is unknown or expired."""
    if not valid_id(upload):
        return None
    folder = folder or store_dir()
    data, meta = folder / f"{upload}.parquet", folder / f"{upload}.json"
    try:
        rows = pd.read_parquet(data)
        info = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    now = time.time()
    os.utime(data, (now, now))  # in use: keeps it from expiring
    return rows, info


def meta(upload: str, folder: Path | None = None) -> dict | None:
    """Only the metadata (file name, counts, notes): what a page shows about an upload."""
    if not valid_id(upload):
        return None
    try:
        return json.loads(((folder or store_dir()) / f"{upload}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def exists(upload: str, folder: Path | None = None) -> bool:
    folder = folder or store_dir()
    return valid_id(upload) and (folder / f"{upload}.parquet").exists()


def purge(
    folder: Path | None = None,
    max_age_days: float = MAX_AGE_DAYS,
    max_total_bytes: int = MAX_TOTAL_BYTES,
    now: float | None = None,
) -> list[str]:
    """Delete uploads unused for `max_age_days`, then the least recently used ones until the
    store fits `max_total_bytes`. Returns the ids deleted."""
    folder = folder or store_dir()
    if not folder.exists():
        return []
    now = now or time.time()
    files = sorted(folder.glob("*.parquet"), key=lambda p: p.stat().st_mtime)
    deleted = []
    total = sum(p.stat().st_size for p in files)
    for path in files:
        old = now - path.stat().st_mtime > max_age_days * 86400
        if not old and total <= max_total_bytes:
            continue
        total -= path.stat().st_size
        path.unlink(missing_ok=True)
        path.with_suffix(".json").unlink(missing_ok=True)
        deleted.append(path.stem)
    return deleted
