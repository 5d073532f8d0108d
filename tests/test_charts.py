"""Charts drawn from cached specs (components.charts.draw) and exports built on a click."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest


def _two_ways(counter: str, lang: str) -> None:
    """The same bars drawn by st.altair_chart and by draw(recipe(...)); builds are counted."""
    from pathlib import Path

    import pandas as pd
    import streamlit as st

    from components.charts import draw, recipe, share_bars
    from components.i18n import t

    st.session_state["lang"] = lang
    df = pd.DataFrame(
        {
            "landsdel": ["Oslo og Akershus", "Midt- og Nord-Norge"],
            "share_pct": [85.0, 88.0],
            "ci_low_pct": [76.5, 81.9],
            "ci_high_pct": [90.5, 92.1],
            "n_respondents": [96, 152],
        }
    )

    def counted(counter_file: str, *args, **kwargs):  # the file makes each test's key new
        path = Path(counter_file)
        path.write_text(str(int(path.read_text() or 0) + 1))
        return share_bars(*args, **kwargs)

    title = t("bruk.chain_heading")
    st.altair_chart(share_bars(df, "landsdel", x_title=title, reference=84.0), width="stretch")
    draw(recipe(counted, counter, df, "landsdel", x_title=title, reference=84.0))


def _charts(at) -> list:
    return [el.proto for el in at.get("vega_lite_chart")]


@pytest.mark.parametrize(
    ("lang", "title"), [("nb", "Fra kjennskap til bruk"), ("en", "From knowing to using")]
)
def test_draw_shows_what_altair_chart_shows_and_builds_once(tmp_path: Path, lang, title):
    counter = tmp_path / "builds"
    counter.write_text("0")
    at = AppTest.from_function(_two_ways, args=(str(counter), lang), default_timeout=60)
    at.run()
    assert not at.exception
    direct, cached = _charts(at)
    # the same spec, plus Norwegian number format (decimal comma) on a Norwegian page
    spec = json.loads(cached.spec)
    locale = spec["config"].pop("locale", None)
    assert (locale is not None) == (lang == "nb")
    if locale:
        assert locale["number"]["decimal"] == ","
    assert spec == json.loads(direct.spec)
    assert [(d.name, d.data.data) for d in cached.datasets] == [
        (d.name, d.data.data) for d in direct.datasets
    ]
    assert title in cached.spec
    assert counter.read_text() == "1"

    at.run()  # a rerun with the same inputs draws from the cache
    assert _charts(at)[1].spec == cached.spec
    assert counter.read_text() == "1"


def test_export_built_on_click_speaks_the_page_language():
    """Streamlit runs a deferred download in a worker thread with no session: the texts made
    there must still be in the language of the page the button was on."""
    import altair as alt
    import pandas as pd

    from components.charts import recipe
    from components.downloads import _chart_of
    from components.i18n import t, use_language

    def chart_titled(key: str) -> alt.Chart:
        df = pd.DataFrame({"x": [1]})
        return alt.Chart(df).mark_point().encode(x="x:Q").properties(title=t(key))

    with use_language("en"):
        made_on_page = recipe(chart_titled, "bruk.chain_heading")
    titles = {}

    def worker() -> None:  # like Streamlit's deferred download: no ScriptRunContext here
        titles["recipe"] = made_on_page.build().title
        titles["lambda"] = _chart_of(lambda: chart_titled("bruk.chain_heading"), "en").title
        titles["none"] = chart_titled("bruk.chain_heading").title

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(30)
    assert titles["recipe"] == "From knowing to using – step by step"
    assert titles["lambda"] == "From knowing to using – step by step"
    # and without the language named, the fallback is Norwegian (what the fix is for)
    assert titles["none"] == "Fra kjennskap til bruk – trinn for trinn"
