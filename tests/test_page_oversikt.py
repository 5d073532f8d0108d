"""«Oversikt»: four cards, each with its headline figure, uncertainty, sentence, source and link.

Facts typed from the reports: 2010 Tabell 1/2 (84 %, n=656), the text after Tabell 2 (92 %)
and the summary (90 %), Tabell 6 (64 % of 28, 32 % of 38), 2016 Tabell 4.1 and section 1.1
(36 leaders, 10 owners; 57 % and 42 % response), 2021 section 5.1.1 (1430 schools: 18/8/15).
"""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from tests import browser_support as bs


def open_page(**params) -> AppTest:
    return bs.run(bs.app_test("oversikt", params))


def shown(at: AppTest) -> str:
    return "\n".join(bs.rendered_texts(at))


def test_four_cards_with_figures_and_links(built_db):
    at = open_page()
    assert not at.exception and not at.error and not at.warning
    assert at.title[0].value == "Læringsmiljø og skolebidrag"
    subheaders = [s.value for s in at.subheader]
    assert [s[:2] for s in subheaders] == ["1 ", "2 ", "3 ", "4 "]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Skoler som kjente den"] == "84\u00a0%"
    assert metrics["Skoleeiere som kjente den"] == "92\u00a0% / 90\u00a0%"
    assert metrics["Skoleeiere, 10\u00a0000+ innbyggere"] == "64\u00a0%"
    assert metrics["Skoleeiere, under 3\u00a0000"] == "32\u00a0%"
    assert metrics["Størst forskjell: «Skoleeier»"] == "d = 0,70"
    assert metrics["Profiler blant 1\u00a0430 skoler"] == "18 / 8 / 15"
    links = [p.proto.page for p in at.get("page_link")]
    for page in ("kjennskap", "bruk", "aktorer", "skolebidrag", "kilder", "dialogmote"):
        assert any(page in link for link in links), page


def test_uncertainty_and_caveats_are_stated(built_db):
    text = shown(open_page())
    assert "n=656; 95 % KI 81–87 %" in text  # Wilson interval for 84 % of 656
    assert "599" in text  # footnote 1: 599 schools answered
    assert "64\u00a0% av 28 mot 32\u00a0% av 38" in text
    assert "32 prosentpoeng (95 % KI 8–52" in text  # Newcombe interval
    assert "trendtest" in text
    assert "57 % av skolene og 42 % av skoleeierne" in text
    assert "Welch-test p = 0,059" in text
    assert "Små enheter svinger" in text
    assert text.count("Kilde:") >= 4


def test_selected_kommune_links_to_min_kommune(built_db):
    at = open_page(kommune="1804")
    assert not at.exception
    assert "Valgt kommune: **Bodø** (Nordland)." in [m.value for m in at.markdown]
    assert any(
        "min_kommune" in p.proto.page and "Bodø" in p.proto.label for p in at.get("page_link")
    )


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "9999", "0301'--"])
def test_bad_kommune_gives_notice(built_db, value):
    at = open_page(kommune=value)
    assert not at.exception and not at.error
    assert any("finnes ikke" in i.value for i in at.info)
    assert len(at.subheader) == 4


def test_english(built_db):
    at = open_page(lang="en")
    assert not at.exception and not at.error
    assert "Schools that knew it" in [m.label for m in at.metric]
    assert "95 % CI 81–87 %" in shown(at)


def test_loads_fast(built_db):
    open_page()  # warm the caches, as a running server has
    t0 = time.perf_counter()
    at = open_page()
    elapsed = time.perf_counter() - t0
    assert not at.exception
    assert elapsed < 2.0, f"front page took {elapsed:.2f} s"
