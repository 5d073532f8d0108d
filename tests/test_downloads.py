"""Excel-friendly CSV and server-side chart export."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from components.downloads import excel_csv, export_spec, neutralise


def test_excel_csv_is_semicolon_decimal_comma_with_bom():
    df = pd.DataFrame({"landsdel": ["Midt- og Nord-Norge"], "share_pct": [87.5], "n": [152]})
    raw = excel_csv(df, "Kilde: Tabell 2", "nb")
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    # the provenance is a column on every row, not a line after the data
    assert text.splitlines() == [
        "landsdel;share_pct;n;Kilde",
        "Midt- og Nord-Norge;87,5;152;Kilde: Tabell 2",
    ]


def test_english_csv_uses_commas_and_points():
    import csv
    import io

    df = pd.DataFrame({"Fylke mean": [-1.23456789], "Population": [111213.0], "x": [0.5]})
    text = excel_csv(df, "Source: Skoleporten, table 1, 2", "en").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Fylke mean", "Population", "x", "Source"]
    # a fylke mean to the shown decimal, a population as an integer
    assert rows[1] == ["-1.2", "111213", "0.5", "Source: Skoleporten, table 1, 2"]


def test_xlsx_has_typed_numbers_and_a_source_sheet():
    import io

    from openpyxl import load_workbook

    from components.downloads import excel_xlsx

    df = pd.DataFrame({"Kommune": ["Bodø"], "Fylkessnitt": [0.123456], "n": [12]})
    book = load_workbook(
        io.BytesIO(excel_xlsx(df, "Kilde: Skoleporten", "nb", url="http://x/?a=1"))
    )
    assert book.sheetnames == ["Tall", "Kilde"]
    data = book["Tall"]
    assert [c.value for c in data[1]] == ["Kommune", "Fylkessnitt", "n"]
    assert data["B2"].value == 0.1 and data["B2"].data_type == "n"
    assert data["C2"].value == 12 and data["C2"].data_type == "n"
    meta = {r[0].value: r[1].value for r in book["Kilde"].iter_rows()}
    assert meta["Kilde"] == "Kilde: Skoleporten" and meta["Lenke"] == "http://x/?a=1"


def test_formula_cells_are_neutralised_but_numbers_stay_numbers():
    import csv
    import io

    texts = ['=HYPERLINK("x")', "+47", "-cmd", "@SUM(A1)", "ok"]
    df = pd.DataFrame({"text": texts, "value": [-2.9, 1, 2, 3, 4]})
    rows = list(csv.reader(io.StringIO(excel_csv(df).decode("utf-8-sig")), delimiter=";"))[1:]
    assert [r[0] for r in rows] == ["'" + t for t in texts[:4]] + ["ok"]
    assert rows[0][1] == "-2,9"  # a negative number is not a formula
    assert neutralise(-2.9) == -2.9


def test_export_spec_fixes_container_width():
    chart = alt.layer(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")).properties(
        width="container"
    )
    assert export_spec(chart)["width"] == 760


def test_export_spec_norwegian_numbers_and_source_line():
    chart = alt.Chart(pd.DataFrame({"x": [1234.5]})).mark_point().encode(x="x:Q")
    spec = export_spec(
        chart, "nb", "Kilde: Skoleporten", title="Bodø", subtitle="8.–10. trinn", url="http://x"
    )
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["title"]["text"] == "Bodø"
    assert spec["title"]["subtitle"] == ["8.–10. trinn", "Kilde: Skoleporten", "http://x"]
    english = export_spec(chart, "en", "Source: Skoleporten")
    assert "locale" not in english.get("config", {})


def test_export_keeps_a_chart_title_of_its_own():
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    spec = export_spec(chart.properties(title="Tabell 6"), "nb", "Kilde: X")
    assert spec["title"]["text"] == "Tabell 6" and spec["title"]["subtitle"] == ["Kilde: X"]


def test_png_export_renders_norwegian_decimal_comma():
    """vl-convert honours the locale: the axis of a 0–2.5 chart reads «0,5», not «0.5»."""
    from components.downloads import _chart_svg

    chart = alt.Chart(pd.DataFrame({"x": [0.0, 2.5]})).mark_point().encode(x="x:Q")
    svg = _chart_svg(export_spec(chart, "nb", "Kilde: test"))
    text = svg.decode() if isinstance(svg, bytes) else svg
    labels = re.findall(r">([^<>]+)</text>", text)
    assert labels[:6] == ["0,0", "0,5", "1,0", "1,5", "2,0", "2,5"]
    assert "Kilde: test" in labels


def test_file_names_keep_norwegian_letters_readable():
    from components.downloads import safe_name

    assert safe_name("min_kommune_Bodø") == "min_kommune_Bodo"
    assert safe_name("Ås") == "As"
    assert safe_name("Bø") == "Bo"  # not «B»
    assert safe_name("Sør-Varanger / Æ") == "Sor-Varanger_Ae"
    assert safe_name("<script>") == "script"
    assert safe_name("ææ"[:0]) == "data"


def test_true_false_become_ja_nei():
    df = pd.DataFrame({"Skjermet": [True, False], "n": [1, 2]})
    text = excel_csv(df).decode("utf-8-sig")
    assert text.splitlines()[1:3] == ["Ja;1", "Nei;2"]


def test_tables_on_screen_follow_the_page_language():
    from components.downloads import display_table

    df = pd.DataFrame({"Fylkessnitt": [-1.25, 2.0], "År": [2010, 2016], "pop": [111213, 5]})
    nb = display_table(df, "nb")
    # The numbers stay numbers (a column sorts as numbers); only what is shown is text.
    assert list(nb.data["Fylkessnitt"]) == [-1.25, 2.0]
    shown = nb.to_html()
    assert "\u22121,2" in shown and "2,0" in shown  # metadata: one decimal
    assert "2010" in shown and "2\u00a0010" not in shown
    assert "111\u00a0213" in shown
    en = display_table(df, "en").to_html()
    assert "-1.2" in en and "2.0" in en
