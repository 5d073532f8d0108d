"""Every named query runs on the built database; every query is used somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

import queries

REPO = Path(__file__).resolve().parent.parent

# Sample parameters per query: the values a page would pass.
PARAMS = {
    "familiarity": {"dimension": "landsdel"},
    "use_chain": {"respondent": "skoler"},
    "figures": {"keys": ("r2010_schools_answered", "r2021_profile_1_5_7")},
    "source_cells": {"report_year": 0, "search": ""},
    "geo_layer": {"layer": "landsdeler"},
    "rating_items": {"table_no": "Tabell 4.1"},
    "quotes": {"table_no": "Tabell 4.1"},
    "skolebidrag": {"trinn": "1-4"},
    "kommune_detail": {"kommune": "1804"},
    "quotes_by_source": {"source_id": "r2021_dialog"},
    "sources": {"lang": "nb"},
    "reports": {"lang": "en"},
}


def _params_for(name: str) -> dict:
    sql = queries.load_sql(name)
    wanted = set(re.findall(r"\$([a-z_]+)", sql))
    params = PARAMS.get(name, {})
    missing = wanted - set(params)
    if missing:
        pytest.skip(f"no sample parameters for {name}: {sorted(missing)} (add them to PARAMS)")
    return {k: v for k, v in params.items() if k in wanted}


@pytest.mark.parametrize("name", queries.query_names())
def test_query_runs(built_db, name):
    df = queries.run(name, **_params_for(name))
    assert df is not None


@pytest.mark.parametrize("name", queries.query_names())
def test_query_file_has_header_comment(name):
    head = queries.load_sql(name).splitlines()[:3]
    assert head and head[0].startswith("--"), (
        f"{name}.sql must start with a comment saying what it returns"
    )
    assert any("Used by" in line for line in head), f"{name}.sql header must say which pages use it"


@pytest.mark.parametrize("name", queries.query_names())
def test_every_query_is_used(name):
    users = (
        list((REPO / "views").glob("*.py"))
        + list((REPO / "components").glob("*.py"))
        + [REPO / "app.py"]
    )
    # a call that runs it by name, not any string that happens to equal the name
    pattern = re.compile(rf"""\brun\(\s*["']{name}["']""")
    assert any(pattern.search(p.read_text(encoding="utf-8")) for p in users), (
        f"queries/{name}.sql is not used by any page or component"
    )


def test_user_text_cannot_inject_sql(built_db):
    hostile = "x' ; DROP TABLE core.kommune; --"
    assert queries.run("source_cells", report_year=0, search=hostile).empty
    assert len(queries.run("kommuner")) == 356


def test_connection_is_read_only(built_db):
    db = queries.get_db()
    with pytest.raises(duckdb.Error):
        db._con.cursor().execute("CREATE TABLE core.x AS SELECT 1")


def test_query_name_is_validated():
    with pytest.raises(ValueError):
        queries.load_sql("../data/build")


def test_check_database_states(tmp_path, built_db):
    assert queries.check_database(built_db).ok
    assert queries.check_database(tmp_path / "nope.duckdb").state == "missing"
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    assert queries.check_database(empty).state == "empty"
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(bytes(range(256)) * 64)
    assert queries.check_database(junk).state == "corrupt"
