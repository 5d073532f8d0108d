"""The app stays calm when things go wrong: a missing or broken database, an interrupted build,
hostile links, formula text in downloads, and attempts to write through the app's connection.

Every app run is an AppTest of app.py (tests/browser_support.app_test), so the database check,
the kommune picker and the error boundary in app.py take part exactly as in the browser.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import queries
from components.downloads import excel_csv
from data.build import build
from tests import browser_support as bs

REPO = Path(__file__).resolve().parent.parent
REBUILD = "python -m data.build"


@pytest.fixture
def db_at(monkeypatch, built_db):
    """Point the app at another database file for one test (built_db keeps geo files honest)."""

    def point(path: Path) -> Path:
        monkeypatch.setenv("SKOLEMILJO_DB", str(path))
        queries.reset()
        return path

    yield point
    queries.reset()


def table_counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' ORDER BY 1, 2"
        ).fetchall()
        return {
            f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0]
            for s, t in tables
        }
    finally:
        con.close()


def render(page: str = "kjennskap", params: dict | None = None):
    at = bs.app_test(page, params)
    bs.run(at)
    return at


def assert_page_renders(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title and at.title[0].value.strip(), "the page drew no title"


# ----------------------------------------------------------------------------- database file


def test_missing_database_is_built_with_a_status_message(db_at, tmp_path):
    path = db_at(tmp_path / "skolemiljo.duckdb")
    at = render()
    assert [s.label for s in at.status] == ["Databasen er bygget."]
    assert queries.check_database(path).ok
    assert_page_renders(at)
    assert list(tmp_path.glob("*.tmp-*")) == []


def _random_bytes() -> bytes:
    return random.Random(7).randbytes(256 * 1024)


def _half_of_a_real_database(built: Path) -> bytes:
    data = built.read_bytes()
    return data[: len(data) // 2]  # a copy cut off half-way (disk full, interrupted sync)


def _database_without_tables(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE notes (text VARCHAR)")
    con.close()


@pytest.mark.parametrize("kind", ["empty", "random bytes", "truncated copy", "no tables"])
def test_unusable_database_gives_one_message_and_is_left_alone(db_at, tmp_path, built_db, kind):
    path = tmp_path / "skolemiljo.duckdb"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "random bytes":
        path.write_bytes(_random_bytes())
    elif kind == "truncated copy":
        path.write_bytes(_half_of_a_real_database(built_db))
    else:
        _database_without_tables(path)
    before = path.read_bytes()
    db_at(path)

    at = render()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1, [e.value for e in at.error]
    shown = at.error[0].value + "\n" + "\n".join(c.value for c in at.code)
    assert REBUILD in shown, f"the message must give the rebuild command: {shown}"
    assert path.read_bytes() == before, "the app must not overwrite a file it did not build"

    # The rebuild command replaces the file atomically; the next run draws the page.
    build(path, quiet=True)
    assert queries.check_database(path).ok
    assert_page_renders(render())


def test_rebuild_while_the_app_has_the_file_open(db_at, tmp_path):
    path = db_at(tmp_path / "skolemiljo.duckdb")
    build(path, quiet=True)
    assert_page_renders(render())
    first = queries.get_db()
    time.sleep(0.01)  # a new mtime for the rebuilt file
    build(path, quiet=True)
    assert_page_renders(render("skolebidrag"))
    assert queries.get_db() is not first, "a rebuilt file must be reopened"


# ----------------------------------------------------------------------------- interrupted build


def _start_build(db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "data.build", "--db", str(db)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_interrupted_build_leaves_the_database_usable(tmp_path):
    db = tmp_path / "skolemiljo.duckdb"
    build(db, quiet=True)
    before = table_counts(db)
    rng = random.Random(20100)
    killed_while_writing = 0
    # Three kills at random early moments, three while the temporary file is being written.
    for n in range(6):
        proc = _start_build(db)
        tmp = db.with_name(f"{db.name}.tmp-{proc.pid}")
        if n < 3:
            time.sleep(rng.uniform(0.05, 0.3))
        else:
            deadline = time.monotonic() + 30
            while not tmp.exists() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.03))
            killed_while_writing += tmp.exists()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert queries.check_database(db).ok, f"kill {n}: {queries.check_database(db)}"
        assert table_counts(db) == before, f"kill {n} changed the database"
    print(f"\n{killed_while_writing} of 3 targeted kills hit the temporary file being written")
    leftovers = set(tmp_path.glob(f"{db.name}.tmp-*"))

    # Left-over temp files (named by the dead process's pid) do not disturb the next build,
    # and the next build removes its own.
    proc = _start_build(db)
    assert proc.wait(timeout=60) == 0
    assert not db.with_name(f"{db.name}.tmp-{proc.pid}").exists()
    assert set(tmp_path.glob(f"{db.name}.tmp-*")) <= leftovers
    assert queries.check_database(db).ok
    assert table_counts(db) == before


# ----------------------------------------------------------------------------- hostile links

HOSTILE = {
    "unknown kommune code": "9999",
    "script tag": "<script>alert(1)</script>",
    "sql": "' OR 1=1 --",
    "10 kB": "<b>" + "x" * 10_240,
    "nul byte": "\x00",
    "percent-encoded nul": "%00",
}


@pytest.fixture(scope="module")
def url_keys(built_db) -> dict[str, list[str]]:
    """Each page's URL keys (kommune, lang and its filters), from a clean run."""
    keys = {}
    for page in bs.PAGES:
        at = render(page)
        keys[page] = sorted(set(at.session_state["_url_keys"]) | {"kommune", "lang"})
    return keys


def _shown_text(at) -> list[str]:
    return bs.rendered_texts(at)


@pytest.mark.parametrize("page", bs.PAGES)
@pytest.mark.parametrize("what", list(HOSTILE))
def test_hostile_link(url_keys, page, what):
    value = HOSTILE[what]
    at = render(page, dict.fromkeys(url_keys[page], value))
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    notices = [n.value for n in at.info] + [n.value for n in at.toast]
    assert notices, f"{page}: a bad link value must give a short notice"
    for text in _shown_text(at):
        assert "<script" not in text.lower(), text[:300]
    for el in bs.rendered_elements(at):
        proto = getattr(el, "proto", None)
        if getattr(proto, "allow_html", False) or type(el).__name__ == "Html":
            assert value not in proto.body, f"hostile text as HTML: {proto.body[:300]}"
    # Nothing unknown is written back into the link.
    assert all(v != value for v in at.query_params.values()), dict(at.query_params)


# ----------------------------------------------------------------------------- downloads


def test_csv_cells_that_look_like_formulas_are_neutralised():
    df = pd.DataFrame(
        {
            "kommune_name": [
                '=HYPERLINK("http://x","klikk")',
                "+47 22",
                "-1+2",
                "@SUM(A1)",
                "Bodø",
            ],
            "label": pd.array(["=1", "a", "b", "c", "\tTAB"], dtype="string"),
            "skolebidrag_points": [-1.5, -0.25, 0.0, 2.0, -3.0],
            "n_respondents": [-3, 10, 152, 0, 7],
            "nullable": pd.array([-2, None, 3, 4, 5], dtype="Int64"),
        }
    )
    text = excel_csv(df, source="=cmd|' /C calc'!A0").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:6]
    # Provenance travels in a last «Kilde» column (not trailing lines that break a table).
    assert header == [*df.columns, "Kilde"]
    assert [r[0] for r in body] == [
        '\'=HYPERLINK("http://x","klikk")',
        "'+47 22",
        "'-1+2",
        "'@SUM(A1)",
        "Bodø",
    ]
    assert [r[1] for r in body] == ["'=1", "a", "b", "c", "'\tTAB"]
    # Negative numbers stay numbers, with a decimal comma for Norwegian Excel, rounded to the
    # published precision of skolebidrag (one decimal; -0.25 is exactly half, so to even).
    assert [r[2] for r in body] == ["-1,5", "-0,2", "0,0", "2,0", "-3,0"]
    assert [r[3] for r in body] == ["-3", "10", "152", "0", "7"]
    assert [r[4] for r in body] == ["-2", "", "3", "4", "5"]
    assert not any(c.startswith(("=", "+", "@")) for r in rows for c in r if c)
    assert len(rows) == 6, "no trailing source lines after the data rows"
    assert {r[5] for r in body} == {"'=cmd|' /C calc'!A0"}, "the source cell is neutralised"


# ----------------------------------------------------------------------------- read-only


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE core.evil AS SELECT 1",
        "DELETE FROM core.kommune",
        "UPDATE core.kommune SET kommune_name = 'x'",
        "DROP TABLE core.kommune",
    ],
)
def test_app_connection_is_read_only(db_at, built_db, statement):
    db_at(built_db)
    cursor = queries.get_db()._con.cursor()
    try:
        with pytest.raises(duckdb.Error, match="read-only"):
            cursor.execute(statement)
    finally:
        cursor.close()
    assert table_counts(built_db)["core.kommune"] == 356


def test_query_names_cannot_leave_the_query_folder():
    for name in ("../data/build", "kommuner; DROP", "/etc/passwd"):
        with pytest.raises(ValueError):
            queries.load_sql(name)


# ----------------------------------------------------------------------------- state


def test_kommune_and_language_survive_the_dialogue_page(built_db):
    """Dialogmøte draws no sidebar; the kommune and the language must still come back."""
    at = render("kjennskap", {"kommune": "1804", "lang": "en"})
    at.switch_page(bs.page_files()["dialogmote"])
    bs.run(at)
    bs.run(at)  # a second run on the page (any click) must not lose them either
    at.switch_page(bs.page_files()["bruk"])
    bs.run(at)
    assert dict(at.query_params).get("kommune") == "1804", dict(at.query_params)
    assert dict(at.query_params).get("lang") == "en", dict(at.query_params)
    assert at.sidebar.selectbox[0].value == "1804"


# ----------------------------------------------------------------------------- scaling


def test_database_location_comes_from_skolemiljo_db(db_at, tmp_path, built_db):
    """SKOLEMILJO_DB points every replica at one shared read-only file (README: Scaling)."""
    shared = tmp_path / "shared volume" / "replica.duckdb"
    shared.parent.mkdir()
    shutil.copy(built_db, shared)
    con = duckdb.connect(str(shared))
    con.execute("UPDATE core.build_info SET built_on = '2099-12-31'")  # a mark only this copy has
    con.close()
    db_at(shared)
    assert queries.db_path() == shared
    at = render("oversikt")
    assert_page_renders(at)
    assert queries.get_db().path == shared
    assert any("2099-12-31" in c.value for c in at.sidebar.caption), "the app read another file"
    assert os.environ["SKOLEMILJO_DB"] == str(shared)
