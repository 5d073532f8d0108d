"""AppTest runs of the Aktører page (issue 4) over report 001 (NTNU Samfunnsforskning 2016).

Expected values are typed from the printed report (Tabell 2.1–6.3, section 1.1, Tabell 1.1),
never read back from the CSVs under test.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

NBSP = "\u00a0"
MINUS = "\u2212"


def run_page(**params) -> AppTest:
    """Run the page inside the app shell, as a user opening a link would.

    The first run goes through app.py on its default page (language, database check, kommune
    picker); then the page is opened with the link's parameters. Calling switch_page before
    the first run would run views/aktorer.py on its own, without app.py.
    """
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    if "lang" in params:
        at.query_params["lang"] = params["lang"]
    at.run()
    at.switch_page("views/aktorer.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


def text_of(at: AppTest) -> str:
    """Every text a user reads on the page (markdown unescaped), plus the chart spec."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info"):
        parts += [str(e.value) for e in getattr(at, kind)]
    text = "\n".join(parts).replace("\\", "")
    return text + "\n" + chart_spec(at)


def chart_spec(at: AppTest) -> str:
    specs = [e.proto.spec for e in at.main if getattr(e, "type", "") == "vega_lite_chart"]
    return "\n".join(json.dumps(json.loads(s), ensure_ascii=False) for s in specs)


def comparison(at: AppTest):
    """The visible per-item comparison table (the one with the column «who»)."""
    for frame in at.dataframe:
        if "who" in frame.value.columns:
            return frame.value.set_index("item")
    return None


def assert_clean(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


@pytest.fixture(scope="module")
def default_run(built_db) -> AppTest:
    return run_page()


def test_default_is_tabell_4_1_with_printed_means(default_run):
    at = default_run
    assert_clean(at)
    text = text_of(at)
    assert "Tabell 4.1: Aktørenes innsats" in text
    table = comparison(at)
    # Tabell 4.1: Veilederteamet 4,66 (0,54) for school leaders and 4,56 (0,73) for owners.
    assert table.loc["Veilederteamet", "leader"] == "4,66 (0,54)"
    assert table.loc["Veilederteamet", "owner"] == "4,56 (0,73)"
    # Skoleeier: printed d 0,70, «moderat» in Tabell 1.1's words; owners rate higher (4,40 vs 3,88).
    assert table.loc["Skoleeier", "d_printed"] == "0,70"
    assert table.loc["Skoleeier", "magnitude"] == "moderat"
    assert table.loc["Skoleeier", "who"] == "eierne (+0,52)"
    # The sign the print leaves out: leaders rate Veilederteamet higher, so d is negative.
    assert table.loc["Veilederteamet", "d_unweighted"] == f"{MINUS}0,16"
    # All eight actors are there, Skoleleder with the owners' mean only.
    assert len(table) == 8
    assert table.loc["Skoleleder", "who"] == "bare skoleeiere svarte"
    assert table.loc["Skoleleder", "owner"] == "4,40 (0,70)"


def test_sample_warning_and_n(default_run):
    text = text_of(default_run)
    # Section 1.1: 63 schools and 24 kommuner invited; 36 and 10 answered; 57 % and 42 %.
    assert f"Bare 36 av 63 skoler (57{NBSP}%) og 10 av 24 kommuner (42{NBSP}%) svarte" in text
    assert "n=36" in text and "n=10" in text
    assert "Skoleeiere (n=10)" in chart_spec(default_run)
    assert "Skoleledere (n=36)" in chart_spec(default_run)
    assert "«Vet ikke»" in text


def test_chart_scale_is_one_to_five(default_run):
    spec = json.loads(chart_spec(default_run))
    layers = spec["layer"]
    axis_values = [
        enc["x"]["axis"]["values"]
        for layer in layers
        for enc in [layer.get("encoding", {})]
        if "x" in enc and "axis" in enc["x"]
    ]
    assert [1, 2, 3, 4, 5] in axis_values


def test_states_the_unweighted_convention(default_run):
    text = text_of(default_run)
    assert (
        "Alle 7 trykte d-verdier i tabell 4.1 stemmer med uvektet standardavvik innenfor "
        "avrunding; 5 stemmer også med vektet standardavvik"
    ) in text


def test_text_under_4_1_contradicted_by_means(default_run):
    text = text_of(default_run)
    assert "Læringsmiljøsenteret (4,37 mot 4,50)" in text
    assert "Fylkesmannen (3,39 mot 3,57)" in text
    table = comparison(default_run)
    assert table.loc["Fylkesmannen", "who"] == "eierne (+0,18)"


def test_assumption_and_thresholds_and_quotes(default_run):
    text = text_of(default_run)
    assert "vår lesning, ikke trykt" in text  # the Skoleleder row is our placement
    assert "«0.5-.0.79»" in text  # Tabell 1.1 as printed, stray point kept
    assert "— skoleleder, sitert i NTNU Samfunnsforskning 2016, ved Tabell 4.1" in text
    assert "Ingen kontinuiet" in text  # quoted verbatim, spelling kept


@pytest.mark.parametrize(
    "code, heading, item, leader, owner",
    [
        ("2.1", "Kunnskap", "... å forebygge og stoppe mobbing", "4,44 (0,61)", "4,50 (0,71)"),
        ("3.1", "Endret praksis", "... skoleutvikling", "3,56 (0,69)", "3,90 (0,57)"),
        ("4.1", "Aktørenes innsats", "PPT", "3,62 (0,99)", "4,20 (0,79)"),
        ("4.2", "Involvering", "Skoleeier", "3,50 (0,845)", "4,20 (0,422)"),
        (
            "5.1",
            "PPTs rolle",
            "PPT sin rolle i Læringsmiljøprosjektet har vært uklar",
            "2,97 (1,200)",
            "2,67 (1,000)",
        ),
        (
            "6.2",
            "Kvalitetssystemer",
            "... å endre hvordan skolen arbeider med læringsmiljø",
            "4,00 (0,68)",
            "–",
        ),
        (
            "6.3",
            "Utvalg og nytte",
            "... kommunen som skoleeier har hatt nytte av Læringsmiljøprosjektet",
            "–",
            "4,30 (0,949)",
        ),
    ],
)
def test_each_battery_from_the_url(built_db, code, heading, item, leader, owner):
    at = run_page(tabell=code)
    assert_clean(at)
    assert f"Tabell {code}: {heading}" in text_of(at)
    table = comparison(at)
    assert table.loc[item, "leader"] == leader
    assert table.loc[item, "owner"] == owner


def test_4_2_large_difference_is_clear(built_db):
    at = run_page(tabell="4.2")
    table = comparison(at)
    # Tabell 4.2, Skoleeier: d 1,05 — «stor» in Tabell 1.1's words.
    assert table.loc["Skoleeier", "d_printed"] == "1,05"
    assert table.loc["Skoleeier", "magnitude"] == "stor"
    assert "Forskjellen er statistisk sikker" in text_of(at)


def test_5_1_warns_that_the_last_item_is_negative(built_db):
    at = run_page(tabell="5.1")
    assert "negativt formulert" in text_of(at)
    assert "(negativt formulert: høyere er verre)" in chart_spec(at)  # on the item's own label


def test_6_1_leaders_only(built_db):
    at = run_page(tabell="6.1", sort="forskjell")
    assert_clean(at)
    text = text_of(at)
    # Tabell 6.1: leaders only, «.. å forebygge og stoppe mobbing ved skolen» 4,19 (,71).
    numbers = at.dataframe[0].value.set_index("Spørsmål")
    assert numbers.loc[".. å forebygge og stoppe mobbing ved skolen", "Skoleledere snitt"] == 4.19
    assert numbers["Skoleeiere snitt"].isna().all()
    assert "Bare skolelederne fikk disse spørsmålene (n=36)" in text
    assert "ingen forskjell å sortere etter" in text
    assert "Ingen d er trykt for denne tabellen" in text
    assert comparison(at) is None  # no two-group comparison to show
    assert "Skoleeiere (n=10)" not in chart_spec(at)


def test_single_group_rows_are_labelled_not_missing(built_db):
    at = run_page(tabell="6.2")
    table = comparison(at)
    assert table.loc["... å endre hvordan skolen arbeider med læringsmiljø", "who"] == (
        "bare skoleledere svarte"
    )
    assert table.loc[
        "... å endre hvordan kommunen arbeider med kvalitetsutvikling i skolen", "who"
    ] == ("bare skoleeiere svarte")
    assert "(bare skoleeiere svarte)" in chart_spec(at)


@pytest.mark.parametrize(
    "sort, first, second",
    [
        ("leder", "Veilederteamet", "Læringsmiljøsenteret"),  # 4,66 then 4,37
        ("forskjell", "PPT", "Skoleeier"),  # +0,58 then +0,52
        ("trykt", "Veilederteamet", "PPT"),  # the printed order
    ],
)
def test_sort_options(built_db, sort, first, second):
    at = run_page(tabell="4.1", sort=sort)
    assert_clean(at)
    order = list(comparison(at).index)
    assert order[:2] == [first, second]
    assert order[-1] == "Skoleleder"  # only one group: no difference to rank, kept last


@pytest.mark.parametrize(
    "params", [{"tabell": "9.9"}, {"sort": "<b>x</b>"}, {"tabell": "x" * 200, "sort": "'; --"}]
)
def test_bad_url_values_give_a_notice(built_db, params):
    at = run_page(**params)
    assert_clean(at)
    notices = [i.value for i in at.info]
    assert any("Ukjent verdi i lenken" in n for n in notices), notices
    assert "Tabell 4.1: Aktørenes innsats" in text_of(at)  # falls back to the default
    assert "<b>" not in text_of(at)


def test_english(built_db):
    at = run_page(lang="en", tabell="4.1")
    assert_clean(at)
    text = text_of(at)
    assert "Table 4.1: Actors' effort" in text
    assert "School owners (n=10)" in chart_spec(at)
    assert "match the unweighted standard deviation" in text
    table = comparison(at)
    assert table.loc["Veilederteamet", "leader"] == "4.66 (0.54)"
