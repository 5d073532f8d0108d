"""Shared fixtures: one database built from the real raw files, once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


# The everyday loop (`python -m pytest -m "not slow"`, under a minute) leaves these out; CI and
# the README's test command run everything. Slow: a real browser or server, several database
# builds, subprocesses, or many sessions.
SLOW_FILES = {
    "test_browser.py",
    "test_browser_outputs.py",
    "test_browser_upload.py",
    "test_concurrency.py",
    "test_language.py",
    "test_replicas.py",
    "test_resilience.py",
    "test_skolebidrag_pipeline.py",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        name = Path(str(item.fspath)).name
        builds = "data_copy" in getattr(item, "fixturenames", ())
        if name in SLOW_FILES or builds or "_cli" in item.name or "bad_url" in item.name:
            item.add_marker(pytest.mark.slow)


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
