"""«Skolebidrag»: coverage, trends, profiles, funnel, map, URL robustness and session uploads.

Expected numbers are typed from the Skoleporten pages (Udir; skolebidrag computed by SSB) and
the expert group's report (2021, 5.1.1), never read back from the CSVs under test:
- 1.–4. trinn, Viken: Aremark 2014+15 −2,9 · 2015+16 −3,8 · 2016+17 −2,8 · 2017+18 −4,4 ·
  2018+19 −2,1; Bærum 1,6 · 1,3 · 1,0 · 1,0 · 1,3.
- 8.–10. trinn, Nordland: Bodø 0,2 · −0,3 · −0,1 · 0,4 · 0,6.
- 8.–10. trinn, Sogn og Fjordane: Eid (utgått) faktiske karakterpoeng 2014+15 34,4, forventet 32,7.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
FIXTURES = REPO / "tests" / "data" / "import"
MINUS = "\u2212"


def open_page(params: dict[str, str] | None = None, session: dict | None = None) -> AppTest:
    """Run app.py once (navigation, sidebar, language), then open the page with `params`.

    The first run lands on «Oversikt», which rewrites the URL to the keys it knows, so the
    page's own keys are set again before switching (each key is read from the URL the first
    time a run meets it)."""
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.switch_page("views/skolebidrag.py")
    at.run()
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [s.value for s in at.success]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def trend_table(at: AppTest) -> pd.DataFrame:
    """The «Vis som tabell» frame under the trend chart (Kommune, Periode, Skolebidrag, …)."""
    for df in frames(at):
        if {"Kommune", "Periode", "Skolebidrag", "Hvor verdien kommer fra"} <= set(df.columns):
            return df
    raise AssertionError("no trend table on the page")


def profile_table(at: AppTest) -> pd.DataFrame:
    return next(df for df in frames(at) if {"Profil", "Antall perioder"} <= set(df.columns))


def value_of(df: pd.DataFrame, kommune: str, period: str) -> float:
    row = df[(df["Kommune"] == kommune) & (df["Periode"] == period)]
    assert len(row) == 1, (kommune, period, df)
    return float(row["Skolebidrag"].iloc[0])


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# ----------------------------------------------------------------------------- per trinn


def test_default_is_8_10_with_bodo_example_and_coverage(built_db):
    at = open_page()
    assert_clean(at)
    text = texts(at)
    assert "**105 kommuner**" in text
    coverage = next(df for df in frames(at) if "Herav utgått (slått sammen 2020)" in df.columns)
    counts = {
        (r["Trinn"], r["Fylke (slik Skoleporten lister)"]): r["Kommuner"]
        for _, r in coverage.iterrows()
    }
    # README of the reference data: 37 in Viken and 23 in Troms og Finnmark on 1.–4.,
    # 35 in Nordland and 10 former Sogn og Fjordane kommuner on 8.–10.; none on 5.–7.
    assert counts[("1.–4. trinn", "Viken")] == 37
    assert counts[("1.–4. trinn", "Troms og Finnmark")] == 23
    assert counts[("8.–10. trinn", "Nordland")] == 35
    assert counts[("8.–10. trinn", "Sogn og Fjordane")] == 10
    assert counts[("5.–7. trinn", "–")] == 0
    # No developer commands in front of a kommunalsjef: the page says what to download from
    # Udir and where to upload it.
    assert "python -m" not in "\n".join(c.value for c in at.code) + text
    assert "Skolebidragsindikatorer" in text and "nedlasting.csv" in text
    assert "For 5.–7. trinn finnes ingen tall i dataene som er lastet" in text
    assert at.session_state["trinn"] == "8-10"
    assert at.session_state["k"] == ["1804"]


def test_8_10_bodo_trend_spread_and_funnel(built_db):
    at = open_page({"trinn": "8-10", "k": "1804"})
    assert_clean(at)
    table = trend_table(at)
    assert value_of(table, "Bodø (Nordland)", "2014+15") == pytest.approx(0.2)
    assert value_of(table, "Bodø (Nordland)", "2015+16") == pytest.approx(-0.3)
    assert value_of(table, "Bodø (Nordland)", "2018+19") == pytest.approx(0.6)
    text = texts(at)
    assert f"Bodø (Nordland): 5 perioder, fra {MINUS}0,3 til 0,6" in text
    assert "karakterpoeng" in text
    # funnel: size is SSB population aged 6–15 and the caption says the limits are approximate
    assert "Grensene er omtrentlige" in text
    assert "15 utgåtte kommuner er ikke med" in text
    funnel = next(df for df in frames(at) if "Avstand fra 0 i standardfeil (z)" in df.columns)
    bodo = funnel[funnel["Kommune"] == "Bodø (Nordland)"].iloc[0]
    assert bodo["Skolebidrag"] == pytest.approx(0.6)
    assert bodo["Størrelse"] == 6223  # SSB 07459: Bodø, 6–15 år, 1.1.2020
    assert bodo["Laveste periode"] == pytest.approx(-0.3)
    assert "Tabellen er sortert etter navn, ikke rangert" in text


def test_1_4_with_sidebar_kommune_baerum(built_db):
    at = open_page({"trinn": "1-4", "kommune": "3024"})
    assert_clean(at)
    assert at.session_state["k"] == ["3024"]
    table = trend_table(at)
    assert value_of(table, "Bærum (Viken)", "2014+15") == pytest.approx(1.6)
    assert value_of(table, "Bærum (Viken)", "2018+19") == pytest.approx(1.3)
    text = texts(at)
    assert "skalapoeng" in text
    # Bærum is above 0 in all five periods → stable high
    profiles = profile_table(at)
    baerum = profiles[profiles["Kommune"] == "Bærum (Viken)"].iloc[0]
    assert baerum["Profil"] == "Stabilt høyt skolebidrag"


def test_1_4_aremark_values_from_skoleporten(built_db):
    at = open_page({"trinn": "1-4", "k": "3012"})
    assert_clean(at)
    table = trend_table(at)
    assert value_of(table, "Aremark (Viken)", "2014+15") == pytest.approx(-2.9)
    assert value_of(table, "Aremark (Viken)", "2017+18") == pytest.approx(-4.4)
    assert f"Aremark (Viken): 5 perioder, fra {MINUS}4,4 til {MINUS}2,1" in texts(at)
    profiles = profile_table(at)
    assert profiles[profiles["Kommune"] == "Aremark (Viken)"].iloc[0]["Profil"] == (
        "Stabilt lavt skolebidrag"
    )


def test_5_7_says_no_data_and_shows_import_path(built_db):
    at = open_page({"trinn": "5-7"})
    assert_clean(at)
    assert any("For 5.–7. trinn er ingen skolebidrag lastet" in i.value for i in at.info)
    assert not at.get("vega_lite_chart"), "no empty chart for 5.–7."
    assert not at.get("deck_gl_json_chart")
    assert "Last ned" in texts(at) and "python -m" not in texts(at)


def test_former_sogn_og_fjordane_kommune_shows_merger_and_grade_points(built_db):
    at = open_page({"trinn": "8-10", "k": "1443"})
    assert_clean(at)
    text = texts(at)
    assert "Eid ble slått sammen med andre kommuner i 2020 og er nå en del av Stad" in text
    assert "Selje" in text
    grade = next(df for df in frames(at) if "Faktiske karakterpoeng" in df.columns)
    first = grade[grade["Periode"] == "2014+15"].iloc[0]
    assert first["Faktiske karakterpoeng"] == pytest.approx(34.4)
    assert first["Forventede karakterpoeng"] == pytest.approx(32.7)


def test_expert_group_counts_are_context(built_db):
    at = open_page({"trinn": "8-10"})
    text = texts(at)
    # Expert group 2021, 5.1.1: 1430 schools on 5.–7. (18 / 8 / 15), 779 on 8.–10. (18 / 6 / 17)
    assert (
        "**1\u00a0430 skoler**" in text
        and "18 med stabilt høyt, 8 med jevn progresjon og 15" in text
    )
    assert "**779 skoler** på 8.–10. trinn 18, 6 og 17" in text
    assert "vår lesning" in text
    assert "**kommuner**, ikke skoler" in text


def test_english_switch(built_db):
    at = open_page({"trinn": "8-10", "k": "1804", "lang": "en"})
    assert_clean(at)
    text = texts(at)
    assert "grade points" in text
    assert "Bodø (Nordland): 5 periods, from -0.3 to 0.6" in text


# ----------------------------------------------------------------------------- bad URLs


@pytest.mark.parametrize(
    "params",
    [
        {"trinn": "99"},
        {"k": "abc,<script>"},
        {"trinn": "x" * 10_000},
        {"k": "1804," + "9" * 10_000},
        {"periode": "2099+00"},
        {"farge": "<b>rød</b>"},
    ],
)
def test_bad_url_values_give_a_notice(built_db, params):
    at = open_page(params)
    assert_clean(at)
    assert any("ble ignorert" in i.value for i in at.info), [i.value for i in at.info]
    assert at.session_state["trinn"] in ("1-4", "5-7", "8-10")


# ----------------------------------------------------------------------------- upload


def _upload(name: str, file_name: str | None = None):
    from components import skolebidrag_data as sd

    return sd.handle_upload((FIXTURES / name).read_bytes(), file_name or name)


def test_handle_upload_valid_fixture(built_db):
    from data import upload_store

    upload, problems = _upload("udir_skolebidrag_valid_utf8.csv")
    assert problems == [] and upload_store.valid_id(upload)
    rows, meta = upload_store.load(upload)
    baerum = rows[(rows.kommune_code == "3024") & (rows.period == "2014+15")].iloc[0]
    assert baerum.value == pytest.approx(-0.7) and baerum.trinn == "1-4"
    assert meta["suppressed"] == 2  # Asker «*» and Herøy (Nordland) «..»
    assert "2019+20" in meta["periods"]
    # the same file gives the same id (content-addressed), another file another
    assert _upload("udir_skolebidrag_valid_utf8.csv")[0] == upload
    assert _upload("udir_skolebidrag_valid_latin1.csv")[0] != upload


def test_handle_upload_latin1_fixture(built_db):
    from data import upload_store

    upload, problems = _upload("udir_skolebidrag_valid_latin1.csv", "latin1.csv")
    assert problems == []
    rows, _ = upload_store.load(upload)
    assert "1432" in set(rows.kommune_code)  # Førde kommune (utgått), matched as a former kommune


@pytest.mark.parametrize(
    "name",
    [
        "broken_unknown_kommune.csv",
        "broken_formula_cell.csv",
        "broken_delimiter_comma.csv",
        "broken_missing_column.csv",
        "broken_nonnumeric_value.csv",
        "broken_impossible_period.csv",
        "broken_duplicate_rows.csv",
        "broken_ambiguous_name.csv",
        "broken_binary.bin",
    ],
)
def test_handle_upload_rejects_broken_fixtures(built_db, name):
    upload, problems = _upload(name)
    assert upload is None
    assert problems and all(p.message_nb and p.message_en for p in problems)


def test_handle_upload_never_raises_on_garbage(built_db):
    from components import skolebidrag_data as sd

    for raw in (b"", b"\x00\x01\x02" * 100, b"Enhetsnavn;Periode\n", b"PK\x03\x04zip"):
        upload, problems = sd.handle_upload(raw, "x.csv")
        assert upload is None and problems


def _uploaded_session() -> dict:
    upload, problems = _upload("udir_skolebidrag_valid_utf8.csv")
    assert not problems
    return {"data": upload}


def test_uploaded_rows_replace_embedded_and_are_marked(built_db):
    at = open_page({"trinn": "1-4", "k": "3024"}, session=_uploaded_session())
    assert_clean(at)
    text = texts(at)
    assert "«udir_skolebidrag_valid_utf8.csv» er lest inn: 8 rader med skolebidrag" in text
    assert "2 skjermede celler" in text
    table = trend_table(at)
    # the upload's −0,7 replaces Skoleporten's 1,6 for Bærum 2014+15; 2019+20 is added
    assert value_of(table, "Bærum (Viken)", "2014+15") == pytest.approx(-0.7)
    assert value_of(table, "Bærum (Viken)", "2019+20") == pytest.approx(1.4)
    assert value_of(table, "Bærum (Viken)", "2015+16") == pytest.approx(1.3)
    prov = table.set_index("Periode")["Hvor verdien kommer fra"]
    assert prov["2014+15"].startswith("Opplastet fil: udir_skolebidrag_valid_utf8.csv")
    assert prov["2015+16"] == "Skoleporten (innebygd)"
    # with −0,7 in 2014+15 Bærum is no longer «stable high» in this session
    profiles = profile_table(at)
    assert profiles[profiles["Kommune"] == "Bærum (Viken)"].iloc[0]["Profil"] != (
        "Stabilt høyt skolebidrag"
    )
    assert any(b.label == "Fjern opplastet fil" for b in at.button)


def test_upload_makes_5_7_available_and_remove_clears_it(built_db):
    at = open_page({"trinn": "5-7"}, session=_uploaded_session())
    assert_clean(at)
    # Herøy (Nordland) 5.–7. 2014+15 = 2,1 comes only from the upload
    table = trend_table(at)
    assert value_of(table, "Herøy (Nordland)", "2014+15") == pytest.approx(2.1)
    next(b for b in at.button if b.label == "Fjern opplastet fil").click().run()
    assert_clean(at)
    assert any("For 5.–7. trinn er ingen skolebidrag lastet" in i.value for i in at.info)


def test_upload_problems_are_listed_without_traceback(built_db):
    problems = {
        "file_name": "feil.csv",
        "problems": [
            {"row": 3, "column": "Enhetsnavn", "nb": "Ukjent kommune «Atlantis».", "en": "Unknown."}
        ],
    }
    at = open_page({"trinn": "8-10"}, session={"sb_upload_problems": problems})
    assert not at.exception
    assert any("«feil.csv» ble ikke lest inn" in e.value for e in at.error)
    listed = next(df for df in frames(at) if "Problem" in df.columns)
    assert listed.iloc[0]["Problem"] == "Ukjent kommune «Atlantis»."


# ----------------------------------------------------------------------------- selection


def test_sidebar_kommune_without_data_falls_back_to_example(built_db):
    at = open_page({"kommune": "0301"})
    assert_clean(at)
    assert at.session_state["k"] == ["1804"]
    assert "Din valgte kommune, Oslo, har ingen skolebidrag for 8.–10. trinn" in texts(at)


def test_sidebar_kommune_formed_2020_selects_its_former_kommuner(built_db):
    at = open_page({"kommune": "4602"})  # Kinn = Flora + Vågsøy (2020)
    assert_clean(at)
    assert sorted(at.session_state["k"]) == ["1401", "1439"]
    assert "Kinn ble dannet i 2020; tallene gjelder kommunene før sammenslåingen" in texts(at)
    table = trend_table(at)
    # Skoleporten, Sogn og Fjordane 8.–10.: Flora (utgått) 2014+15 −1,7
    assert value_of(table, "Flora (utgått) → Kinn", "2014+15") == pytest.approx(-1.7)


def test_switching_trinn_replaces_an_untouched_selection(built_db):
    at = open_page({"trinn": "8-10"})
    assert at.session_state["k"] == ["1804"]
    at.segmented_control(key="trinn").set_value("1-4").run()
    assert_clean(at)
    assert at.session_state["k"] == ["3024"]
    assert value_of(trend_table(at), "Bærum (Viken)", "2016+17") == pytest.approx(1.0)


def test_map_click_adds_kommune_and_makes_it_mine_in_one_run(built_db):
    """A click on the map runs components.skolebidrag_trends.pick_kommune before the script:
    it queues the kommune for the chart and sets the sidebar picker's key. The run that
    follows draws both (a widget's value cannot change after it is drawn, so the chart's
    multiselect takes the queued kommune before it is drawn)."""
    at = open_page({"trinn": "8-10"})
    at.session_state["k"] = ["1804", "1837"]  # the user's own choice: Bodø and Meløy
    at.session_state["_sb_pending_k"] = ["1833"]  # Rana, as pick_kommune("1833") leaves it
    at.session_state["kommune"] = "1833"
    at.run()
    assert_clean(at)
    assert at.session_state["k"] == ["1804", "1837", "1833"]
    assert "Rana (Nordland)" in set(trend_table(at)["Kommune"])
    assert dict(at.query_params).get("kommune") == "1833"


def test_uploaded_file_name_cannot_inject_markdown(built_db):
    hostile = "[klikk her](javascript:alert(1))<img src=x>.csv"
    upload, _ = _upload("udir_skolebidrag_valid_utf8.csv", hostile)
    at = open_page({"trinn": "1-4", "k": "3024"}, session={"data": upload})
    assert_clean(at)
    shown = "\n".join(s.value for s in at.success)
    assert "](" not in shown and "<img" not in shown
    prov = trend_table(at)["Hvor verdien kommer fra"]
    assert not prov.str.contains("<img|\\]\\(", regex=True).any()
