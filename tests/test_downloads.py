"""Excel-friendly CSV and server-side chart export."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from components.downloads import excel_csv, export_spec, neutralise


def test_excel_csv_is_semicolon_decimal_comma_with_bom():
    df = pd.DataFrame({"landsdel": ["Midt- og Nord-Norge"], "share_pct": [88.0], "n": [152]})
    raw = excel_csv(df, "Kilde: Tabell 2")
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "landsdel;share_pct;n"
    assert text.splitlines()[1] == "Midt- og Nord-Norge;88,0;152"


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
    spec = export_spec(chart, "nb", "Kilde: Skoleporten")
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["title"]["text"] == "Kilde: Skoleporten" and spec["title"]["orient"] == "bottom"
    english = export_spec(chart, "en", "Source: Skoleporten")
    assert "locale" not in english.get("config", {})


def test_export_keeps_a_chart_title_of_its_own():
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    spec = export_spec(chart.properties(title="Tabell 6"), "nb", "Kilde: X")
    assert spec["title"] == "Tabell 6"


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
