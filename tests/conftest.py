"""Shared fixtures: one database built from the real raw files, once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


@pytest.fixture(scope="session", autouse=True)
def upload_store_dir(tmp_path_factory) -> Path:
    """Uploads made by tests go to a temporary store, never to data/uploads/."""
    path = tmp_path_factory.mktemp("uploads")
    os.environ["SKOLEMILJO_UPLOADS"] = str(path)
    return path


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """The real database, built into a temp folder so tests never touch data/skolemiljo.duckdb."""
    from data.build import build

    path = tmp_path_factory.mktemp("db") / "skolemiljo.duckdb"
    build(path, quiet=True)
    os.environ["SKOLEMILJO_DB"] = str(path)
    import queries

    queries.reset()
    return path


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ (raw files, models, geo, sources.toml) for tests that break it."""
    target = tmp_path / "data"
    target.mkdir()
    for name in ("raw", "models", "geo"):
        shutil.copytree(DATA / name, target / name)
    shutil.copy(DATA / "sources.toml", target / "sources.toml")
    return target
