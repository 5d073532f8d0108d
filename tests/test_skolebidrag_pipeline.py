"""One skolebidrag pipeline: what a session sees with an upload, on every page, after a reload
and through a link; one funnel; one rule for fylke means; the upload store's limits.

Uploaded values here are SYNTHETIC or invented (benchmarks/udir_files.py, tests/data/import);
the embedded values asserted are typed from Skoleporten (see tests/test_page_skolebidrag.py).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis import skolebidrag as sb
from tests import browser_support as bs

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "data" / "import"


@pytest.fixture(scope="module")
def national_upload(built_db) -> str:
    """A national download in Udir's layout (356 kommuner × 3 trinn × 10 periods, SYNTHETIC
    values, real names), uploaded once for the module."""
    from benchmarks.udir_files import national_download
    from components import skolebidrag_data as sd
    from data.kommuner import reference

    upload, problems = sd.handle_upload(national_download(reference()), "nedlasting.csv")
    assert not problems, problems[:3]
    return upload


def run_page(page: str, params: dict) -> object:
    at = bs.app_test(page, params)
    bs.run(at)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def texts(at) -> str:
    return "\n".join(bs.rendered_texts(at))


def test_a_national_upload_reaches_every_page_for_every_kommune(national_upload):
    at = run_page("skolebidrag", {"data": national_upload, "trinn": "5-7"})
    coverage = next(d.value for d in at.dataframe if "Herav utgått (slått sammen 2020)" in d.value)
    five_seven = coverage[coverage["Trinn"] == "5.–7. trinn"]
    current = five_seven["Kommuner"].sum() - five_seven["Herav utgått (slått sammen 2020)"].sum()
    assert current == 356  # every 2020 kommune, by the fylke it is listed under
    text = texts(at)
    assert "nedlasting.csv" in text and "356" in text.replace("\u00a0", "")
    assert "For 5.–7. trinn finnes ingen tall" not in text  # the intro follows the data
    # Oslo had no skolebidrag before the upload; now Min kommune shows all three trinn
    mk = run_page("min_kommune", {"data": national_upload, "kommune": "0301"})
    labels = [m.label for m in mk.metric]
    assert sum(label.startswith("Oslo, ") for label in labels) == 3, labels
    dialog = run_page("dialogmote", {"data": national_upload, "kommune": "0301", "steg": "2"})
    assert any("Skolebidrag" in m.label and m.value != "–" for m in dialog.metric)


def test_a_reload_or_a_copied_link_keeps_the_upload(built_db):
    """A reload (a new session with the same URL) and a link opened by a colleague both carry
    ?data=<id>: the server's upload store gives the rows back."""
    from components import skolebidrag_data as sd

    raw = (FIXTURES / "udir_skolebidrag_valid_utf8.csv").read_bytes()
    upload, problems = sd.handle_upload(raw, "udir_skolebidrag_valid_utf8.csv")
    assert not problems
    fresh = run_page("skolebidrag", {"trinn": "1-4", "k": "3024", "data": upload})
    assert any("er lest inn" in s.value for s in fresh.success)
    assert fresh.query_params["data"] in (upload, [upload])  # the link the sidebar offers keeps it
    table = next(d.value for d in fresh.dataframe if "Hvor verdien kommer fra" in d.value)
    row = table[(table["Kommune"] == "Bærum (Viken)") & (table["Periode"] == "2014+15")]
    assert row["Skolebidrag"].iloc[0] == pytest.approx(-0.7)  # the upload, not Skoleporten's 1,6


def test_a_link_to_an_upload_that_is_gone_says_what_to_load(built_db):
    at = run_page("skolebidrag", {"data": "0" * 32})
    assert any("finnes på serveren lenger" in i.value for i in at.info)
    assert "data" not in at.query_params


def test_the_same_kommune_has_the_same_funnel_position_on_every_page(built_db):
    """Bodø, 8.–10. trinn, 2018+19: Skolebidrag's funnel table and Min kommune's sentence."""
    from components import kommune_summary as ks

    at = run_page("skolebidrag", {"trinn": "8-10", "periode": "2018+19", "k": "1804"})
    funnel = next(d.value for d in at.dataframe if "Avstand fra 0 i standardfeil (z)" in d.value)
    z_page = funnel[funnel["Kommune"] == "Bodø (Nordland)"]["Avstand fra 0 i standardfeil (z)"]
    mk = run_page("min_kommune", {"kommune": "1804"})
    facts = ks.compute("1804")  # what Min kommune and Dialogmøte draw from
    f = next(s for s in facts.skolebidrag if s["trinn"] == "8-10")["funnel"]
    assert f["period"] == "2018+19" and f["ok"]
    assert round(f["z"], 2) == pytest.approx(float(z_page.iloc[0]))
    assert f"z = {ks.fmt_num(f['z'], 1)}" in texts(mk)


def test_a_fylke_mean_needs_enough_kommuner(built_db):
    """An upload gives Bærum a 2019+20 value that no other Viken kommune has: Min kommune must
    not compare Bærum with a «Viken mean» of one kommune."""
    from components import skolebidrag_data as sd

    raw = (FIXTURES / "udir_skolebidrag_valid_utf8.csv").read_bytes()
    upload, _ = sd.handle_upload(raw, "udir_skolebidrag_valid_utf8.csv")
    at = run_page("min_kommune", {"kommune": "3024", "data": upload})
    assert any(m.label == "Snitt Viken: vises ikke" and m.value == "–" for m in at.metric)
    assert "bare 1 av 51 kommuner har tall" in texts(at)
    # without the upload, 2018+19 has 37 of Viken's 51 kommuner: the mean is shown, with n
    plain = run_page("min_kommune", {"kommune": "3024"})
    assert any(m.label == "Snitt Viken (37 kommuner)" for m in plain.metric)


def test_group_mean_rule():
    assert sb.group_mean([0.5, -0.2, 1.0, 0.1, 0.3], 8) == {
        "mean": pytest.approx(0.34),
        "n": 5,
        "n_members": 8,
        "shown": True,
    }
    assert not sb.group_mean([0.5, 1.0], 51)["shown"]  # two of 51
    assert not sb.group_mean([0.5, -0.2, 1.0, 0.1, 0.3], 11)["shown"]  # five of eleven
    assert not sb.group_mean([0.5, None, 1.0, 0.1], 4)["shown"]  # three values: too few


def test_funnel_prefers_pupils_and_needs_enough_units():
    units = pd.DataFrame(
        {
            "kommune_code": [f"{i:04d}" for i in range(12)],
            "value": [0.1, -0.4, 0.6, -1.2, 0.3, 2.5, -0.2, 0.0, 0.9, -0.7, 0.4, -0.1],
            "n_pupils": [40, 90, 300, 25, 120, 15, 600, 80, 45, 200, 60, 1000],
            "population_6_15": [400.0] * 12,
        }
    )
    f = sb.funnel(units)
    assert f.enough and f.size_measure == "n_pupils" and f.n_units == 12
    row = f.position("0005")
    # z = (value − 0)·√size / sigma, with sigma from the median of value²·size / χ²₁ median
    sigma = (
        pd.Series([v * v * s for v, s in zip(units.value, units.n_pupils, strict=True)]).median()
        / 0.45493642
    ) ** 0.5
    assert f.sigma == pytest.approx(sigma)
    assert row.z_score == pytest.approx(2.5 * 15**0.5 / sigma)
    # one unit without pupils: the population becomes the size for all
    assert sb.funnel(units.assign(n_pupils=[None] + list(units.n_pupils[1:]))).size_measure == (
        "population_6_15"
    )
    few = sb.funnel(units.head(9))
    assert not few.enough and few.position("0001") is None


def test_upload_store_limits(tmp_path):
    from data import upload_store

    a = upload_store.upload_id(b"file a", folder=tmp_path)
    assert upload_store.valid_id(a) and a == upload_store.upload_id(b"file a", folder=tmp_path)
    # the id depends on a secret of this store: another store gives another id for the file
    assert a != upload_store.upload_id(b"file a", folder=tmp_path / "other")
    assert oct((tmp_path / ".secret").stat().st_mode & 0o777) == "0o600"
    rows = pd.DataFrame({"kommune_code": ["0301"], "value": [0.5]})
    upload_store.save(a, rows, {"file_name": "a.csv"}, folder=tmp_path)
    loaded, meta = upload_store.load(a, folder=tmp_path)
    assert loaded.equals(rows) and meta == {"file_name": "a.csv"}
    assert upload_store.load("../../etc/passwd", folder=tmp_path) is None
    assert upload_store.load("f" * 32, folder=tmp_path) is None
    # unused for longer than the age limit: deleted; the newest survives a size limit
    b = upload_store.upload_id(b"file b", folder=tmp_path)
    upload_store.save(b, rows, {}, folder=tmp_path)
    old = time.time() - 40 * 86400
    os.utime(tmp_path / f"{a}.parquet", (old, old))
    assert upload_store.purge(tmp_path) == [a]
    assert upload_store.load(a, folder=tmp_path) is None and upload_store.exists(b, tmp_path)
    c = upload_store.upload_id(b"file c", folder=tmp_path)
    upload_store.save(c, rows, {}, folder=tmp_path)
    os.utime(tmp_path / f"{b}.parquet", (time.time() - 60, time.time() - 60))
    size = (tmp_path / f"{c}.parquet").stat().st_size
    assert upload_store.purge(tmp_path, max_total_bytes=size) == [b]


def test_an_imported_ssb_population_is_the_funnel_size_for_its_year(data_copy, tmp_path):
    """SSB 07459 imported with the CLI: the build keeps it, and a period's funnel size is the
    6–15 population of 1 January of the period's second year (2018+19 → 2019)."""
    import duckdb

    from data.build import build

    imported = data_copy / "imported"
    imported.mkdir()
    (imported / "population__ssb.csv").write_text(
        "kommune_code,year,age_group,population,source_file,imported_at\n"
        "1804,2019,6-15,6100,ssb.csv,2026-12-01\n"
        + "".join(f"1833,2019,{age},{100 + age},ssb.csv,2026-12-01\n" for age in range(6, 16)),
        encoding="utf-8",
    )
    target = tmp_path / "pop.duckdb"
    build(target, data_dir=data_copy, quiet=True)
    con = duckdb.connect(str(target), read_only=True)
    sql = (REPO / "queries" / "population_6_15.sql").read_text(encoding="utf-8")
    got = con.execute(sql).fetchall()
    con.close()
    # Bodø as exported; Rana (1833) as the sum of the single years 6 … 15 (= 1000 + 105)
    assert got == [("1804", 2019, 6100), ("1833", 2019, 1105)]
