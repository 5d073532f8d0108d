"""The database holds what the reports print.

Expected values are typed from the printed reports (seed files in shared/seeds), never read
back from the CSV files under test.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from data.build import BuildError, build, parse_printed


@pytest.fixture(scope="module")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


def cell(con, source_id, row, col, table_no=None):
    sql = "SELECT value_printed, value, doubtful, note FROM source_cells WHERE source_id=? AND row_label=? AND column_label=?"
    params = [source_id, row, col]
    if table_no:
        sql += " AND table_no=?"
        params.append(table_no)
    rows = con.execute(sql, params).fetchall()
    assert len(rows) == 1, (source_id, row, col, rows)
    return rows[0]


# --------------------------------------------------------------- parse_printed


@pytest.mark.parametrize(
    "printed, value, doubtful",
    [
        ("(n=329)", 329, False),
        (",61", 0.61, False),
        ("4,66", 4.66, False),
        ("71 %", 71, False),
        ("71,3 %", 71.3, False),
        ("79 prosent", 79, False),
        ("–0,30", -0.30, False),
        ("58?", 58, True),
        ("0-0.19", None, False),
        (">0.8", None, False),
        ("X", None, False),
        ("", None, False),
    ],
)
def test_parse_printed(printed, value, doubtful):
    got, got_doubtful = parse_printed(printed)
    assert got_doubtful == doubtful
    if value is None:
        assert got is None
    else:
        assert got == pytest.approx(value)


# --------------------------------------------------------------- report 000 (2010)


def test_tabell_1_by_trinn(con):
    assert cell(con, "r2010_tabell_1", "Ja", "Barnetrinn")[:2] == ("83", 83)
    assert cell(con, "r2010_tabell_1", "Antall", "Barnetrinn")[:2] == ("(n=329)", 329)
    assert cell(con, "r2010_tabell_1", "Ja", "Videregående")[1] == 84
    assert cell(con, "r2010_tabell_1", "Antall", "Alle")[1] == 656


def test_tabell_2_by_landsdel_and_the_doubtful_nei(con):
    # «Tabell 2 says 88 % in Midt- og Nord-Norge (n=152)»
    rows = con.execute(
        "SELECT group_label, share_pct, n_respondents FROM core.familiarity WHERE dimension='landsdel' ORDER BY group_order"
    ).fetchall()
    assert rows == [
        ("Oslo og Akershus", 85, 96),
        ("Østlandet", 82, 175),
        ("Sør- og Vestlandet", 82, 233),
        ("Midt- og Nord-Norge", 88, 152),
        ("Alle", 84, 656),
    ]
    printed, value, _, note = cell(con, "r2010_tabell_2", "Nei", "Midt- og Nord-Norge")
    assert printed == "13" and value == 13 and "101" in note
    flags = con.execute(
        "SELECT message, message_nb FROM core.validation_flags"
        " WHERE table_no='Tabell 2' AND column_label='Midt- og Nord-Norge'"
    ).fetchall()
    assert len(flags) == 1 and "101" in flags[0][0]
    assert flags[0][1] == (
        "Ja + Nei = 101, trykt Sum = 100 "
        "(innenfor avrundingen av 2 hele prosenttall; beholdt som trykt)"
    )


def test_base_consistency_flag_in_norwegian_has_decimal_commas(con):
    (message_nb,) = con.execute(
        "SELECT message_nb FROM core.validation_flags WHERE table_no='Tabell 5'"
    ).fetchone()
    assert message_nb == "78 % av 224 ≈ 175, som er 26,6 % av 656; trykt 24 %. Beholdt som trykt."


def test_tabell_3_information_sources(con):
    assert cell(con, "r2010_tabell_3", "Via e-post fra Utdanningsdirektoratet", "Videregående")[
        :2
    ] == ("53 %", 53)
    assert cell(con, "r2010_tabell_3", "På nettstedet www.udir.no", "Alle")[1] == 76
    assert cell(con, "r2010_tabell_3", "Antall", "Alle")[1] == 562
    n = con.execute("SELECT count(DISTINCT info_source) FROM core.info_sources").fetchone()[0]
    assert n == 10  # nine sources plus «Ubesvart»


def test_tabell_4_and_5_keep_their_bases(con):
    chain = dict(
        ((r[0], r[1]), (r[2], r[3]))
        for r in con.execute(
            "SELECT step_key, base_key, share_pct, n_base FROM core.use_chain WHERE respondent='skoler'"
        ).fetchall()
    )
    assert chain[("nettveiledning", "kjenner")] == (36, 532)
    assert chain[("helhetlig", "nettveiledning")] == (62, 200)
    assert chain[("mobbing", "brukere")] == (78, 224)
    assert chain[("mobbing", "alle")] == (24, 656)
    assert chain[("annet", "brukere")] == (87, 223)
    flagged = con.execute(
        "SELECT count(*) FROM core.validation_flags WHERE table_no='Tabell 5' AND rule='base_consistency'"
    ).fetchone()[0]
    assert flagged == 1  # 78 % of 224 is not 24 % of 656


def test_tabell_6_owner_use_by_size(con):
    rows = con.execute(
        "SELECT group_label, share_pct, n_respondents FROM core.owner_use_by_size ORDER BY group_order"
    ).fetchall()
    assert rows == [
        ("Under 3000", 32, 38),
        ("3000–9999", 53, 30),
        ("10000 og mer", 64, 28),
        ("Fylke", 57, 14),
        ("Alle", 49, 110),
    ]


def test_tabell_7_keeps_the_question_mark(con):
    col = "Bruk av oppgitt materiell for annet arbeid for bedre læringsmiljø | Prosent som har brukt materiell"
    printed, value, doubtful, note = cell(con, "r2010_tabell_7", "N (100 %)", col)
    assert printed == "58?" and value == 58 and doubtful is True and note


def test_footnote_1_and_owner_familiarity_in_two_places(con):
    assert cell(con, "r2010_tekst", "Skoler", "Svarte")[1] == 599
    assert cell(con, "r2010_tekst", "Skoler", "Utvalg")[1] == 989
    assert cell(con, "r2010_tekst", "Skoler", "Svarprosent")[1] == pytest.approx(60.6)
    assert cell(con, "r2010_tekst", "Kommuner", "Svarprosent")[0] == "71,3 %"
    owners = "Skoleeiere som kjenner til satsingen"
    assert cell(con, "r2010_tekst", owners, "Prosent", "Tekst etter Tabell 2")[1] == 92
    assert cell(con, "r2010_tekst", owners, "Prosent", "Oppsummering")[1] == 90


# --------------------------------------------------------------- report 001 (2016)


def item(con, table_no, name):
    return con.execute(
        "SELECT mean_leader, sd_leader, n_leader, mean_owner, sd_owner, n_owner, d_printed, owner_read_as, leader_read_as"
        " FROM core.rating_items WHERE table_no=? AND item=?",
        [table_no, name],
    ).fetchone()


def test_tabell_4_1_actor_effort(con):
    assert item(con, "Tabell 4.1", "Veilederteamet")[:7] == (4.66, 0.54, 36, 4.56, 0.73, 10, 0.16)
    assert item(con, "Tabell 4.1", "Skoleeier")[:7] == (3.88, 0.77, 36, 4.40, 0.70, 10, 0.70)
    assert item(con, "Tabell 4.1", "Fylkesmannen")[0] == 3.39
    n_items = con.execute(
        "SELECT count(*) FROM core.rating_items WHERE table_no='Tabell 4.1'"
    ).fetchone()[0]
    assert n_items == 8


def test_single_mean_rows_are_kept_and_marked(con):
    m_l, _, n_l, m_o, sd_o, n_o, d, owner_read_as, _ = item(con, "Tabell 4.1", "Skoleleder")
    assert m_l is None and n_l is None and (m_o, sd_o, n_o) == (4.40, 0.70, 10) and d is None
    assert owner_read_as is True
    printed = con.execute(
        "SELECT column_label, value_printed FROM source_cells WHERE table_no='Tabell 4.1' AND row_label='Skoleleder' ORDER BY line_no"
    ).fetchall()
    assert printed == [
        ("Snitt (gruppe ikke oppgitt)", "4,40"),
        ("SA (gruppe ikke oppgitt)", "0,70"),
    ]
    school = item(con, "Tabell 6.2", "... å endre hvordan skolen arbeider med læringsmiljø")
    assert school[0] == 4.00 and school[3] is None and school[8] is True


def test_sd_printed_without_leading_zero(con):
    assert cell(con, "r2016_tabell_2_1", "... å forebygge og stoppe mobbing", "Skoleleder SA")[
        :2
    ] == (",61", 0.61)
    assert cell(con, "r2016_tabell_4_2", "PPT", "Skoleeier SA")[:2] == ("1,033", 1.033)
    assert item(con, "Tabell 4.2", "Skoleeier")[6] == 1.05


def test_tabell_6_1_is_leaders_only(con):
    rows = con.execute(
        "SELECT count(*), count(mean_owner), min(n_leader) FROM core.rating_items WHERE table_no='Tabell 6.1'"
    ).fetchone()
    assert rows == (5, 0, 36)
    assert (
        cell(
            con,
            "r2016_tabell_6_1",
            ".. å forebygge og stoppe mobbing ved skolen",
            "Skoleleder Snitt",
        )[1]
        == 4.19
    )


def test_all_nine_2016_tables_are_present(con):
    tables = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT table_no FROM source_cells WHERE report_year=2016"
        ).fetchall()
    }
    assert {
        "Tabell 1.1",
        "Tabell 2.1",
        "Tabell 3.1",
        "Tabell 4.1",
        "Tabell 4.2",
        "Tabell 5.1",
        "Tabell 6.1",
        "Tabell 6.2",
        "Tabell 6.3",
        "Avsnitt 1.1",
    } <= tables
    assert cell(con, "r2016_tabell_1_1", "Cohens d", "Moderat effekt")[:2] == ("0.5-.0.79", None)
    assert cell(con, "r2016_tekst", "Skoler", "Invitert")[1] == 63
    assert cell(con, "r2016_tekst", "Kommuner", "Svarprosent")[1] == 42


# --------------------------------------------------------------- reports 002 and 004


def test_fafo_tabell_2_1(con):
    assert cell(con, "r2020_tabell_2_1", "Nettbasert tilbud", "Nullpunktsdata")[:2] == ("X", None)
    assert cell(con, "r2020_tabell_2_1", "Nettbasert tilbud", "Sluttpunktsdata")[0] == ""
    assert cell(con, "r2020_tabell_2_1", "Samlingsbasert tilbud", "Sluttpunktsdata")[0] == "X"


def test_expert_group_figures(con):
    rows = con.execute(
        "SELECT trinn, n_schools_all_periods, n_schools FROM core.expert_profiles ORDER BY trinn, profile"
    ).fetchall()
    assert rows == [
        ("5.–7. trinn", 1430, 18),
        ("5.–7. trinn", 1430, 8),
        ("5.–7. trinn", 1430, 15),
        ("8.–10. trinn", 779, 18),
        ("8.–10. trinn", 779, 6),
        ("8.–10. trinn", 779, 17),
    ]
    use = sorted(r[0] for r in con.execute("SELECT share_pct FROM core.indicator_use").fetchall())
    assert use == [67, 79, 94]
    r = dict(con.execute("SELECT value_printed, r FROM core.indicator_correlations").fetchall())
    assert r["0,12"] == pytest.approx(0.12) and r["–0,30"] == pytest.approx(-0.30)


def test_source_cells_report_years(con):
    years = {r[0] for r in con.execute("SELECT DISTINCT report_year FROM source_cells").fetchall()}
    assert years == {2010, 2016, 2020, 2021}


# --------------------------------------------------------------- reference data


def test_kommune_reference(con):
    n, n_landsdel = con.execute(
        "SELECT count(*), count(DISTINCT landsdel) FROM core.kommune"
    ).fetchone()
    assert (n, n_landsdel) == (356, 4)
    oslo = con.execute(
        "SELECT kommune_name, landsdel, population_2020, size_class_2020, fylke_name_2020 FROM core.kommune WHERE kommune_code='0301'"
    ).fetchone()
    assert oslo == ("Oslo", "Oslo og Akershus", 693494, "10000 og mer", "Oslo")
    # SSB 07459, 1 January 2020: national total 5 367 580 (reference README)
    assert con.execute("SELECT sum(population_2020) FROM core.kommune").fetchone()[0] == 5_367_580
    # Sandefjord's 2010 figure is missing: no size class rather than a guess
    assert (
        con.execute(
            "SELECT size_class_2010 FROM core.kommune WHERE kommune_code='3804'"
        ).fetchone()[0]
        is None
    )
    assert (
        con.execute("SELECT landsdel FROM core.kommune WHERE kommune_code='4601'").fetchone()[0]
        == "Sør- og Vestlandet"
    )
    assert con.execute(
        "SELECT landsdel, fylke_2010_assigned FROM core.kommune WHERE kommune_code='3005'"
    ).fetchone() == ("Østlandet", True)


def test_skolebidrag_matched_to_codes(con):
    # Aremark (3012), 1.–4. trinn, 2014+15: «-2,9» on Skoleporten
    assert con.execute(
        "SELECT value FROM core.skolebidrag WHERE kommune_code='3012' AND trinn='1-4' AND period='2014+15' AND indicator='skolebidrag'"
    ).fetchone()[0] == pytest.approx(-2.9)
    # Herøy is matched within Nordland, not Møre og Romsdal
    assert (
        con.execute(
            "SELECT count(*) FROM core.skolebidrag WHERE name_as_published='Herøy kommune' AND kommune_code='1818'"
        ).fetchone()[0]
        > 0
    )
    # former Eid keeps its old code and links to Stad
    assert con.execute(
        "SELECT DISTINCT s.kommune_code, b.successor_code, b.is_former FROM core.skolebidrag s"
        " JOIN core.kommune_bridge b USING (kommune_code) WHERE name_as_published='Eid kommune (utgått)'"
    ).fetchall() == [("1443", "4649", True)]
    assert (
        con.execute("SELECT count(*) FROM core.skolebidrag WHERE kommune_code IS NULL").fetchone()[
            0
        ]
        == 0
    )


def test_every_tidy_row_carries_a_known_source(con):
    sources = {r[0] for r in con.execute("SELECT source_id FROM core.sources").fetchall()}
    for table in [
        "core.familiarity",
        "core.owner_use_by_size",
        "core.use_chain",
        "core.rating_items",
        "core.info_sources",
        "core.expert_profiles",
        "core.kommune",
        "core.quotes",
        "core.geo",
    ]:
        ids = {r[0] for r in con.execute(f"SELECT DISTINCT source_id FROM {table}").fetchall()}
        assert ids and ids <= sources, table
    ids = {r[0] for r in con.execute("SELECT DISTINCT source_id FROM core.skolebidrag").fetchall()}
    assert ids <= sources | {"import"}


def test_shares_in_range_and_keys_unique(con):
    assert (
        con.execute(
            "SELECT count(*) FROM core.familiarity WHERE share_pct NOT BETWEEN 0 AND 100"
        ).fetchone()[0]
        == 0
    )
    assert (
        con.execute(
            "SELECT count(*) - count(DISTINCT (source_id, table_no, row_label, column_label)) FROM source_cells"
        ).fetchone()[0]
        == 0
    )
    assert (
        con.execute("SELECT count(*) - count(DISTINCT kommune_code) FROM core.kommune").fetchone()[
            0
        ]
        == 0
    )


# --------------------------------------------------------------- broken inputs


def _edit_csv(path: Path, row_label: str, column_label: str, new_value: str) -> int:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0].keys())
    for line_no, r in enumerate(rows, start=2):
        if r["row_label"] == row_label and r["column_label"] == column_label:
            r["value_printed"] = new_value
            hit = line_no
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return hit


def _build_fails(data_copy: Path, tmp_path: Path) -> list[str]:
    with pytest.raises(BuildError) as err:
        build(tmp_path / "out.duckdb", data_dir=data_copy, quiet=True)
    return err.value.problems


def test_share_out_of_range_names_file_line_and_rule(data_copy, tmp_path):
    line = _edit_csv(data_copy / "raw/r2010_tabell_3.csv", "Annet", "Alle", "120 %")
    problems = _build_fails(data_copy, tmp_path)
    assert any(p.startswith(f"raw/r2010_tabell_3.csv:{line}: share_range") for p in problems)


def test_n_not_positive(data_copy, tmp_path):
    line = _edit_csv(data_copy / "raw/r2010_tabell_6.csv", "Antall", "Fylke", "(n=0)")
    problems = _build_fails(data_copy, tmp_path)
    assert any(f"r2010_tabell_6.csv:{line}: n_positive" in p for p in problems)


def test_sum_beyond_rounding_stops_the_build(data_copy, tmp_path):
    _edit_csv(data_copy / "raw/r2010_tabell_1.csv", "Ja", "Ungdomstrinn", "95")
    problems = _build_fails(data_copy, tmp_path)
    assert any("sum_to_total" in p and "Ungdomstrinn" in p for p in problems)


def test_duplicate_key(data_copy, tmp_path):
    path = data_copy / "raw/r2016_tabell_4_1.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + 'PPT,Cohens d,"0,66",,\n', encoding="utf-8")
    problems = _build_fails(data_copy, tmp_path)
    assert any("unique_key" in p and "PPT" in p for p in problems)


def test_unknown_kommune_in_skolebidrag(data_copy, tmp_path):
    path = data_copy / "raw/udir_skolebidrag_skoleporten_2014_2019.csv"
    text = path.read_text(encoding="utf-8").replace("Aremark kommune", "Atlantis kommune", 1)
    path.write_text(text, encoding="utf-8")
    problems = _build_fails(data_copy, tmp_path)
    assert any(
        p.startswith("raw/udir_skolebidrag_skoleporten_2014_2019.csv:2: kommune_known")
        for p in problems
    )


def test_missing_column(data_copy, tmp_path):
    path = data_copy / "raw/r2010_tabell_4.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("value_printed", "verdi")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = _build_fails(data_copy, tmp_path)
    assert any("r2010_tabell_4.csv:2: columns" in p for p in problems)


def test_failed_build_leaves_existing_database_untouched(data_copy, tmp_path):
    target = tmp_path / "out.duckdb"
    build(target, data_dir=data_copy, quiet=True)
    before = target.read_bytes()
    _edit_csv(data_copy / "raw/r2010_tabell_2.csv", "Ja", "Alle", "184")
    with pytest.raises(BuildError):
        build(target, data_dir=data_copy, quiet=True)
    assert target.read_bytes() == before
    assert not list(tmp_path.glob("out.duckdb.tmp*"))
    con = duckdb.connect(str(target), read_only=True)
    assert (
        con.execute(
            "SELECT share_pct FROM core.familiarity WHERE dimension='landsdel' AND group_label='Alle'"
        ).fetchone()[0]
        == 84
    )
    con.close()


def test_cli_reports_problems_without_traceback(data_copy, tmp_path):
    import subprocess
    import sys

    line = _edit_csv(data_copy / "raw/r2010_tabell_3.csv", "Annet", "Alle", "abc")
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "data.build",
            "--db",
            str(tmp_path / "x.duckdb"),
            "--data-dir",
            str(data_copy),
        ],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert res.returncode == 1
    assert f"raw/r2010_tabell_3.csv:{line}: share_range" in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_imported_rows_replace_embedded_and_keep_former_kommuner(data_copy, tmp_path):
    imported = data_copy / "imported"
    imported.mkdir()
    # Invented test values (not real skolebidrag): one replaces an embedded cell, one is a former kommune.
    (imported / "skolebidrag__test.csv").write_text(
        "kommune_code,kommune_name,trinn,period,value,suppressed,suppression_mark,n_pupils,source_file,imported_at\n"
        "3012,Aremark,1-4,2014+15,1.5,False,,,test.csv,2026-11-23\n"
        "1849,Hamarøy - Hábmer,8-10,2019+20,0.4,False,,,test.csv,2026-11-23\n",
        encoding="utf-8",
    )
    target = tmp_path / "imp.duckdb"
    build(target, data_dir=data_copy, quiet=True)
    con = duckdb.connect(str(target), read_only=True)
    rows = con.execute(
        "SELECT kommune_code, skolebidrag_points, source_id, imported_from FROM core.skolebidrag_values "
        "WHERE kommune_code='3012' AND trinn='1-4' AND period='2014+15'"
    ).fetchall()
    assert rows == [("3012", 1.5, "import", "test.csv")]
    former = con.execute(
        "SELECT is_former, successor_2020_code, successor_2020_name FROM core.skolebidrag_values WHERE kommune_code='1849' AND period='2019+20'"
    ).fetchone()
    assert former == (True, "1875", "Hamarøy")
    assert (
        con.execute("SELECT count(*) FROM core.sources WHERE source_id='import'").fetchone()[0] == 1
    )
    con.close()


def test_overlapping_imports_merge_newest_first(data_copy, tmp_path):
    """Two CLI imports that overlap (and overlap the embedded values): the build must not crash
    (it did: «Item wrong length 601 instead of 600»), and for each kommune, trinn and period the
    newest import wins, each row keeping its file and date. Invented test values."""
    imported = data_copy / "imported"
    imported.mkdir()
    head = "kommune_code,kommune_name,trinn,period,value,suppressed,suppression_mark,n_pupils,source_file,imported_at\n"
    (imported / "skolebidrag__a_older.csv").write_text(
        head
        + "3012,Aremark,1-4,2014+15,1.5,False,,,older.csv,2026-11-20T09:00:00\n"
        + "3012,Aremark,1-4,2019+20,0.7,False,,,older.csv,2026-11-20T09:00:00\n"
        + "1804,Bodø,8-10,2019+20,0.2,False,,,older.csv,2026-11-20T09:00:00\n",
        encoding="utf-8",
    )
    (imported / "skolebidrag__b_newer.csv").write_text(
        head
        + "3012,Aremark,1-4,2019+20,,True,*,,newer.csv,2026-11-22T14:30:00\n"
        + "1804,Bodø,8-10,2019+20,-0.4,False,,,newer.csv,2026-11-22T14:30:00\n",
        encoding="utf-8",
    )
    target = tmp_path / "overlap.duckdb"
    build(target, data_dir=data_copy, quiet=True)
    con = duckdb.connect(str(target), read_only=True)
    got = con.execute(
        "SELECT kommune_code, period, value, suppressed, source_file, imported_at FROM core.skolebidrag "
        "WHERE source_id = 'import' ORDER BY kommune_code, period"
    ).fetchall()
    assert got == [
        ("1804", "2019+20", -0.4, False, "newer.csv", "2026-11-22T14:30:00"),
        ("3012", "2014+15", 1.5, False, "older.csv", "2026-11-20T09:00:00"),
        # the newer file says suppressed: that replaces the older value, it is not filled in
        ("3012", "2019+20", None, True, "newer.csv", "2026-11-22T14:30:00"),
    ]
    # one row per key, embedded rows included
    assert (
        con.execute(
            "SELECT count(*) FROM (SELECT kommune_code, unit_level, school_name, trinn, period, indicator,"
            " count(*) AS n FROM core.skolebidrag GROUP BY ALL HAVING n > 1)"
        ).fetchone()[0]
        == 0
    )
    con.close()


def test_damaged_reference_name_is_corrected_openly(con):
    # SSB/Kartverket: kommune 5006 is Steinkjer; the reference file prints «teinkj».
    assert (
        con.execute("SELECT kommune_name FROM core.kommune WHERE kommune_code='5006'").fetchone()[0]
        == "Steinkjer"
    )
    assert (
        con.execute(
            "SELECT count(*) FROM core.sources WHERE source_id='kommune_name_corrections'"
        ).fetchone()[0]
        == 1
    )


def test_a_note_without_norwegian_text_stops_the_build(data_copy, tmp_path):
    path = data_copy / "raw/r2010_tabell_2.csv"
    rows = list(csv.DictReader(open(path, encoding="utf-8", newline="")))
    rows[0]["note"] = "A new remark nobody translated."
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    problems = _build_fails(data_copy, tmp_path)
    assert any(
        p.startswith("raw/r2010_tabell_2.csv:2: note_translation") and "nobody translated" in p
        for p in problems
    ), problems


def test_notes_in_norwegian(con):
    """The transcribers' notes exist in bokmål next to the English (raw/note_translations.csv)."""
    missing = con.execute(
        "SELECT count(*) FROM main.source_cells WHERE note IS NOT NULL AND note_nb IS NULL"
    ).fetchone()[0]
    assert missing == 0
    (nb,) = con.execute(
        "SELECT note_nb FROM main.source_cells"
        " WHERE source_id = 'r2010_tabell_2' AND row_label = 'Nei'"
        " AND column_label = 'Midt- og Nord-Norge'"
    ).fetchone()
    assert "Ja 88 + Nei 13 = 101" in nb and "87,5 %" in nb and "beholdt" in nb.lower()


def test_an_unquoted_comma_in_a_note_stops_the_build(data_copy, tmp_path):
    """Found in r2021_tekst.csv: «henholdsvis 18, 6 og 17 skoler» unquoted lost its tail."""
    path = data_copy / "raw/r2021_tekst.csv"
    with open(path, "a", encoding="utf-8") as f:
        f.write("Avsnitt 5.1.1,x,y,1,,a note, with a comma\n")
    problems = _build_fails(data_copy, tmp_path)
    assert any("r2021_tekst.csv:" in p and "more fields than the header" in p for p in problems)


# --------------------------------------------------------------- figures by key


def test_figures_by_key_are_the_printed_cells(con):
    """raw/figure_keys.csv names one printed cell per key; values typed from the reports."""
    rows = con.execute(
        "SELECT figure_key, value, value_printed, note FROM core.figures"
        " WHERE figure_key IN ('r2010_owners_know_pct_after_tabell_2',"
        " 'r2010_owners_know_pct_summary', 'r2010_schools_answered', 'r2016_owners_answered',"
        " 'r2021_profile_3_8_10', 'r2021_correlation_1_4_with_5_7', 'r2016_d_band_moderate')"
    ).fetchall()
    got = {key: (value, printed) for key, value, printed, _ in rows}
    # 2010: owners 92 % after Tabell 2 and 90 % in the summary; 599 schools answered (fn. 1)
    assert got["r2010_owners_know_pct_after_tabell_2"] == (92, "92 %")
    assert got["r2010_owners_know_pct_summary"] == (90, "90 %")
    assert got["r2010_schools_answered"][0] == 599
    # 2016: 10 school owners answered (section 1.1); Tabell 1.1 prints «0.5-.0.79» as text
    assert got["r2016_owners_answered"][0] == 10
    assert got["r2016_d_band_moderate"][1] == "0.5-.0.79"
    # 2021: 6 schools with profile 3 on 8.–10. trinn; r = –0,30 printed with an en dash
    assert got["r2021_profile_3_8_10"][0] == 6
    assert got["r2021_correlation_1_4_with_5_7"] == (-0.30, "–0,30")
    notes = {key: note for key, _, _, note in rows}
    assert "90 %" in notes["r2010_owners_know_pct_after_tabell_2"]  # the doubt travels along
    total = con.execute("SELECT count(*), count(DISTINCT figure_key) FROM core.figures").fetchone()
    keys = sum(1 for _ in open(Path(__file__).parent.parent / "data/raw/figure_keys.csv")) - 1
    assert total == (keys, keys)  # every key found its one cell


@pytest.mark.parametrize(
    "line, rule, says",
    [
        # the key of footnote 1's 599 schools given again for another cell
        (
            "r2010_schools_answered,r2010_tekst,Fotnote 1,Skoler,Utvalg",
            "unique_key",
            "already the key of line",
        ),
        # a cell that was never printed
        ("r2010_owners_x,r2010_tekst,Fotnote 1,Skoleeiere,Svarte", "figure_cell", "0 printed"),
        # a printed label is not a key
        ("Owners 92?,r2010_tekst,Fotnote 1,Skoler,Svarte", "figure_key", "is not a key"),
    ],
)
def test_a_bad_figure_key_stops_the_build(data_copy, tmp_path, line, rule, says):
    path = data_copy / "raw/figure_keys.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    where = f"raw/figure_keys.csv:{len(text.splitlines()) + 1}: {rule}"
    problems = _build_fails(data_copy, tmp_path)
    assert any(p.startswith(where) and says in p for p in problems), problems


# --------------------------------------------------------------- housekeeping


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temporaries_of_killed_builds_are_removed(tmp_path):
    import os
    import time

    from data.build import remove_stale_temporaries

    db = tmp_path / "skolemiljo.duckdb"
    dead, alive = _dead_pid(), os.getppid()
    killed = [
        tmp_path / f"skolemiljo.duckdb.tmp-{dead}",
        tmp_path / f"skolemiljo.duckdb.tmp-{dead}.wal",
    ]
    running = tmp_path / f"skolemiljo.duckdb.tmp-{alive}"
    forgotten = tmp_path / f"skolemiljo.duckdb.tmp-{alive}.wal"  # live PID, but two hours old
    unrelated = [
        tmp_path / f"other.duckdb.tmp-{dead}",
        tmp_path / f"skolemiljo.duckdb.tmp-{dead}.bak",
    ]
    for path in [*killed, running, forgotten, *unrelated]:
        path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(forgotten, (two_hours_ago, two_hours_ago))

    removed = remove_stale_temporaries(db)

    assert removed == sorted([*killed, forgotten])
    assert running.exists() and all(p.exists() for p in unrelated)
    assert not any(p.exists() for p in [*killed, forgotten])


def test_the_next_build_cleans_up_after_a_killed_one(tmp_path):
    db = tmp_path / "skolemiljo.duckdb"
    dead = _dead_pid()
    leftovers = [
        tmp_path / f"skolemiljo.duckdb.tmp-{dead}",
        tmp_path / f"skolemiljo.duckdb.tmp-{dead}.wal",
    ]
    for path in leftovers:
        path.write_bytes(b"half a database")
    build(db, quiet=True)
    assert db.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["skolemiljo.duckdb"]


def test_the_app_shows_file_line_and_rule_of_a_failed_build(data_copy, tmp_path, monkeypatch):
    """A fresh start with a broken raw file: the app's message names where and which rule."""
    import functools

    import data.build
    import queries
    from tests import browser_support as bs

    line = _edit_csv(data_copy / "raw/r2010_tabell_3.csv", "Annet", "Alle", "120 %")
    monkeypatch.setenv("SKOLEMILJO_DB", str(tmp_path / "fresh.duckdb"))  # missing: boot builds
    monkeypatch.setattr(
        data.build, "build", functools.partial(data.build.build, data_dir=data_copy)
    )
    queries.reset()
    try:
        at = bs.app_test()
        bs.run(at)
    finally:
        queries.reset()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Databasen kunne ikke bygges. Rett feilene under og prøv igjen; ingenting er endret."
    ]
    shown = "\n".join(c.value for c in at.code)
    assert f"raw/r2010_tabell_3.csv:{line}: share_range:" in shown
    assert not (tmp_path / "fresh.duckdb").exists()
