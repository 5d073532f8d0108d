"""Queries on a fixture database built from rows typed here (not from data/raw), so each
expected value is worked out by hand from the rows below.

Bodø (1804), Narvik (1806) and Hamarøy (1875) are 2020 kommuner; Tysfjord (1850) was split
between Narvik and Hamarøy in 2020 and Hamarøy - Hábmer (1849) merged into Hamarøy. The
skolebidrag and population values are invented.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

import queries

REPO = Path(__file__).resolve().parent.parent

KOMMUNE = pd.DataFrame(
    {
        "kommune_code": ["1804", "1806", "1875"],
        "kommune_name": ["Bodø", "Narvik", "Hamarøy"],
        "fylke_name_2020": ["Nordland"] * 3,
        "population_2020_age_6_15": [6223, 2290, 330],
    }
)
UNITS = pd.DataFrame(
    {
        "kommune_code": ["1804", "1806", "1875", "1849", "1850"],
        "kommune_name": [
            "Bodø",
            "Narvik",
            "Hamarøy",
            "Hamarøy - Hábmer",
            "Divtasvuodna - Tysfjord",
        ],
        "fylke_name": ["Nordland"] * 5,
        "is_former": [False, False, False, True, True],
        "successor_codes": ["1804", "1806", "1875", "1875", "1806;1875"],
        "valid_until": ["", "", "", "2019-12-31", "2019-12-31"],
    }
)
BRIDGE = pd.DataFrame(
    {
        "kommune_code": ["1804", "1806", "1875", "1849", "1850", "1850"],
        "successor_code": ["1804", "1806", "1875", "1875", "1806", "1875"],
        "is_former": [False, False, False, True, True, True],
        "n_successors": [1, 1, 1, 1, 2, 2],
    }
)
SKOLEBIDRAG = pd.DataFrame(
    {
        "kommune_code": ["1804", "1850", "1850", "1804"],
        "unit_level": ["kommune", "kommune", "kommune", "skole"],
        "school_name": [None, None, None, "Alstad ungdomsskole"],
        "name_as_published": [
            "Bodø kommune",
            "Tysfjord kommune (utgått)",
            "Tysfjord kommune (utgått)",
            "Alstad ungdomsskole",
        ],
        "trinn": ["8-10", "8-10", "8-10", "8-10"],
        "period": ["2018+19", "2017+18", "2017+18", "2018+19"],
        "indicator": ["skolebidrag", "skolebidrag", "faktisk", "skolebidrag"],
        "value": [0.6, -3.0, 33.1, 1.6],
        "value_as_published": ["0,6", "-3,0", "33,1", None],
        "suppressed": [False, False, False, False],
        "eierform": ["Alle eierformer"] * 3 + ["Offentlig"],
        "n_pupils": pd.array([pd.NA] * 4, dtype="Int64"),
        "listing_fylke": ["Nordland", "Nordland", "Nordland", None],
        "source_id": ["udir_skolebidrag"] * 3 + ["import"],
        "source_file": ["raw/x.csv"] * 3 + ["skoler.csv"],
        "source_url": [None] * 4,
        "imported_at": [None] * 3 + ["2026-12-01T10:00:00"],
    }
)
POPULATION = pd.DataFrame(
    {
        "kommune_code": ["1804"] + ["1806"] * 10 + ["1875"] * 9,
        "year": [2019] * 20,
        "age_group": ["6-15"] + [str(a) for a in range(6, 16)] + [str(a) for a in range(6, 15)],
        "population": [6100] + [200 + a for a in range(6, 16)] + [30] * 9,
        "source_file": ["ssb.csv"] * 20,
        "imported_at": ["2026-12-01"] * 20,
    }
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> queries.Database:
    path = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA raw; CREATE SCHEMA core;")
    for name, frame in {
        "core.kommune": KOMMUNE,
        "core.kommune_units": UNITS,
        "core.kommune_bridge": BRIDGE,
        "core.skolebidrag": SKOLEBIDRAG,
        "core.population_imported": POPULATION,
    }.items():
        con.register("_f", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _f")
        con.unregister("_f")
    con.execute((REPO / "data" / "models" / "50_skolebidrag.sql").read_text(encoding="utf-8"))
    con.close()
    db = queries.Database(path)
    yield db
    db.close()


def test_kommune_units_one_row_per_successor(tiny):
    df = tiny.run("kommune_units")
    tysfjord = df[df.kommune_code == "1850"]
    assert list(tysfjord.successor_name) == ["Narvik", "Hamarøy"]  # ordered by code 1806, 1875
    assert set(tysfjord.n_successors) == {2}
    assert df[df.kommune_code == "1849"].successor_code.tolist() == ["1875"]
    assert len(df) == 6


def test_skolebidrag_view_names_a_split_kommune_by_the_bridge(tiny):
    df = tiny.run("skolebidrag", trinn="8-10")
    # kommune rows and the skolebidrag indicator only: Bodø's school and Tysfjord's «faktisk»
    # are not in it
    assert list(zip(df.kommune_code, df.skolebidrag_points, strict=True)) == [
        ("1804", 0.6),
        ("1850", -3.0),
    ]
    tysfjord = df[df.kommune_code == "1850"].iloc[0]
    assert tysfjord.kommune_name == "Divtasvuodna - Tysfjord (utgått)"
    assert tysfjord.successor_2020_code == "1806; 1875"
    assert tysfjord.successor_2020_name == "Narvik; Hamarøy"
    assert tysfjord.population_2020_age_6_15 == 2290  # its first successor's, Narvik


def test_skolebidrag_rows_keep_levels_indicators_and_origin(tiny):
    df = tiny.run("skolebidrag_rows")
    assert len(df) == 4
    school = df[df.unit_level == "skole"].iloc[0]
    assert (school.school_name, school.source_id, school.imported_at) == (
        "Alstad ungdomsskole",
        "import",
        "2026-12-01T10:00:00",
    )


def test_population_6_15_exported_or_summed_from_single_years(tiny):
    df = tiny.run("population_6_15")
    # Bodø as exported (6100); Narvik the sum of 206 … 215 = 2105; Hamarøy has 9 of the 10
    # single years, so no figure is made up for it
    assert list(df.itertuples(index=False, name=None)) == [
        ("1804", 2019, 6100),
        ("1806", 2019, 2105),
    ]
