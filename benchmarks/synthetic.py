"""A SYNTHETIC national skolebidrag dataset at school level, for timing queries at scale only.

Nothing here is real: school ids, values and the kommune each school is placed in are drawn
from hashes of the row numbers. The table is called `synthetic_school_skolebidrag`, every
school is named «Syntetisk skole N», and it is written only to a DuckDB file in a temporary
folder (never to data/). The shape follows Udir's school-level export: one value per school,
trinn and two-year period (`2014+15` …), some values missing (suppressed for small groups).

Generated inside DuckDB with range() and hash(): 8.4 million rows take seconds, not minutes,
and the same scale factor always gives the same rows.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SCHOOLS = 2_800  # about the number of Norwegian primary and lower-secondary schools
TRINN = ("1-4", "5-7", "8-10")
PERIODS = tuple(f"{2014 + i}+{(15 + i) % 100:02d}" for i in range(10))  # 2014+15 … 2023+24
MISSING_PER_MILLE = 30  # share of suppressed values, like small schools in the real export
TABLE = "synthetic_school_skolebidrag"
TREND_SQL = f"""
-- One kommune's schools over the periods: mean skolebidrag per trinn and period, with n.
SELECT trinn, period, count(value) AS n_schools, round(avg(value), 2) AS mean_points,
       round(min(value), 1) AS min_points, round(max(value), 1) AS max_points
FROM {TABLE}
WHERE kommune_code = $kommune
GROUP BY trinn, period
ORDER BY trinn, period
"""
# The expert group's profiles per school and trinn over all periods: always above 0, always
# below 0, strictly increasing from each period to the next (a missing period: no profile).
# One pass of plain aggregates: the ten periods are a fixed list, so each becomes a filtered
# max() and «strictly increasing» is v0 < v1 < … < v9 — no sort, unlike a window function.
_V = [f"v{i}" for i in range(len(PERIODS))]
_PIVOT = ",\n           ".join(
    f"max(value) FILTER (WHERE period = '{p}') AS {v}" for v, p in zip(_V, PERIODS, strict=True)
)
_INCREASING = " AND ".join(f"{b} > {a}" for a, b in zip(_V, _V[1:], strict=False))
PROFILE_SQL = f"""
WITH per_school AS (
    SELECT school_id, trinn, count(value) = {len(PERIODS)} AS complete,
           min(value) AS lowest, max(value) AS highest,
           {_PIVOT}
    FROM {TABLE}
    GROUP BY school_id, trinn
)
SELECT trinn,
       count(*) AS n_units,
       count(*) FILTER (WHERE NOT complete) AS incomplete,
       count(*) FILTER (WHERE complete AND lowest > 0) AS stable_high,
       count(*) FILTER (WHERE complete AND highest < 0) AS stable_low,
       count(*) FILTER (WHERE complete AND {_INCREASING}) AS steady_progress
FROM per_school
GROUP BY trinn
ORDER BY trinn
"""
# The same profiles with a window function (lag over the periods): the textbook way, kept to
# show what the single pass above saves.
PROFILE_WINDOW_SQL = f"""
WITH steps AS (
    SELECT school_id, trinn, value,
           value > lag(value) OVER (PARTITION BY school_id, trinn ORDER BY period) AS step_up
    FROM {TABLE}
), per_school AS (
    SELECT school_id, trinn,
           count(value) = {len(PERIODS)} AS complete,
           bool_and(value > 0) AS stable_high,
           bool_and(value < 0) AS stable_low,
           bool_and(coalesce(step_up, TRUE)) AS steady_progress
    FROM steps
    GROUP BY school_id, trinn
)
SELECT trinn,
       count(*) AS n_units,
       count(*) FILTER (WHERE NOT complete) AS incomplete,
       count(*) FILTER (WHERE complete AND stable_high) AS stable_high,
       count(*) FILTER (WHERE complete AND stable_low) AS stable_low,
       count(*) FILTER (WHERE complete AND steady_progress) AS steady_progress
FROM per_school
GROUP BY trinn
ORDER BY trinn
"""


def kommune_codes() -> list[str]:
    """The 356 kommune codes of 2020, read from the raw SSB file (not from any database)."""
    lines = (DATA_DIR / "raw" / "ssb_kommune_population_2010_2020.csv").read_text(encoding="utf-8")
    return sorted({line.split(",")[0] for line in lines.splitlines()[1:] if line})


def generate(path: Path, scale: int = 1) -> dict:
    """Write SCHOOLS × scale schools × 3 trinn × 10 periods rows to `path`; return facts."""
    path = Path(path)
    if DATA_DIR in path.resolve().parents:
        raise ValueError("synthetic data must never be written to data/")
    path.unlink(missing_ok=True)
    t0 = time.perf_counter()
    con = duckdb.connect(str(path))
    try:
        # Small fixed vocabularies as ENUMs: grouping and filtering compare integers, not text.
        enum = lambda values: ", ".join(f"'{v}'" for v in values)  # noqa: E731
        con.execute(f"CREATE TYPE trinn_t AS ENUM ({enum(TRINN)})")
        con.execute(f"CREATE TYPE period_t AS ENUM ({enum(PERIODS)})")
        con.execute("CREATE TABLE kommune_codes (i INTEGER, kommune_code VARCHAR)")
        con.executemany("INSERT INTO kommune_codes VALUES (?, ?)", list(enumerate(kommune_codes())))
        n_kommuner = con.execute("SELECT count(*) FROM kommune_codes").fetchone()[0]
        schools = SCHOOLS * scale
        con.execute(
            f"""
            CREATE TABLE {TABLE} AS
            WITH school AS (
                SELECT s::INTEGER AS school_id,
                       'Syntetisk skole ' || s AS school_name,
                       -- kommuner of very different size: squaring skews schools to a few
                       (((hash(s, 'k') % 10000) / 10000.0) ^ 2 * {n_kommuner})::INTEGER
                           % {n_kommuner} AS k,
                       ((hash(s, 'level') % 2001)::DOUBLE - 1000) / 250 AS level,
                       ((hash(s, 'slope') % 2001)::DOUBLE - 1000) / 1000 AS slope
                FROM range({schools}) t(s)
            ), trinn AS (
                SELECT * FROM (VALUES {", ".join(f"({i}, '{t}')" for i, t in enumerate(TRINN))})
                    v(ti, trinn)
            ), period AS (
                SELECT * FROM (VALUES {", ".join(f"({i}, '{p}')" for i, p in enumerate(PERIODS))})
                    v(pi, period)
            )
            SELECT sc.school_id, sc.school_name, kc.kommune_code,
                   tr.trinn::trinn_t AS trinn, pe.period::period_t AS period,
                   CASE WHEN hash(sc.school_id, tr.ti, pe.pi, 'm') % 1000 < {MISSING_PER_MILLE}
                        THEN NULL
                        ELSE (sc.level + sc.slope * pe.pi
                              + ((hash(sc.school_id, tr.ti, pe.pi) % 2001)::DOUBLE - 1000)
                                / 2500)::DECIMAL(4, 1)
                   END AS value,
                   TRUE AS synthetic
            FROM school sc
            JOIN kommune_codes kc ON kc.i = sc.k
            CROSS JOIN trinn tr
            CROSS JOIN period pe
            -- stored by kommune so a one-kommune query skips most row groups (zone maps)
            ORDER BY kc.kommune_code, sc.school_id, tr.trinn, pe.period
            """
        )
        con.execute(
            f"COMMENT ON TABLE {TABLE} IS 'SYNTHETIC benchmark data (benchmarks/synthetic.py); "
            "not real schools or values'"
        )
        con.execute("DROP TABLE kommune_codes")
        con.execute("CHECKPOINT")
        rows = con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
        busiest = con.execute(
            f"SELECT kommune_code FROM {TABLE} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    finally:
        con.close()
    return {
        "scale": scale,
        "schools": schools,
        "rows": rows,
        "generate_s": time.perf_counter() - t0,
        "file_mb": path.stat().st_size / 1e6,
        "busiest_kommune": busiest,
    }


def time_queries(path: Path, kommune: str, repeats: int = 5) -> dict:
    """Median wall time of the trend and the profile query, read-only, after one warm-up."""
    import statistics

    con = duckdb.connect(str(path), read_only=True)
    out = {}
    try:
        for name, sql, params in (
            ("trend", TREND_SQL, {"kommune": kommune}),
            ("profile", PROFILE_SQL, {}),
            ("profile_window", PROFILE_WINDOW_SQL, {}),
        ):
            con.execute(sql, params or None).df()  # warm-up: file pages into memory
            times = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                df = con.execute(sql, params or None).df()
                times.append(time.perf_counter() - t0)
            out[name] = {
                "median_ms": statistics.median(times) * 1000,
                "min_ms": min(times) * 1000,
                "result_rows": len(df),
            }
            if name.startswith("profile"):
                out[name]["units"] = int(df["n_units"].sum())
                out[name]["stable_high"] = int(df["stable_high"].sum())
                out[name]["steady_progress"] = int(df["steady_progress"].sum())
    finally:
        con.close()
    return out
