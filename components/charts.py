"""Altair chart builders shared by the pages. A builder takes a DataFrame, returns a chart.

Colour-blind-safe colours (Okabe–Ito); meaning is never carried by colour alone: bars carry
their labels and n, intervals are drawn as lines, reference lines are labelled.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from components.i18n import lang, t, use_language

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
HIGHLIGHT = "#D55E00"
BASE = "#0072B2"
MUTED = "#9aa5b1"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"  # system fonts only: no web fonts


# A Vega expression, evaluated in the browser: the chart's container is narrower than a tablet
# (a phone). Charts use it to wrap labels and keep titles inside; a chart drawn without a
# container (PNG/SVG export: size 0) is never narrow.
NARROW_PX = 560
NARROW = f"(containerSize()[0] > 0 && containerSize()[0] < {NARROW_PX})"


@alt.theme.register("skolemiljo", enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            # Dark labels: the app is projected on walls, where light grey fades away.
            "axis": {
                "labelFontSize": 13,
                "titleFontSize": 13,
                "labelLimit": 320,
                "labelColor": "#31333F",
                "titleColor": "#31333F",
            },
            # On a phone a long x-axis title ends at the plot's right edge and runs left over
            # the row labels, instead of spilling out of the chart on both sides.
            "axisX": {
                "titleAnchor": {"expr": f"{NARROW} ? 'end' : 'middle'"},
                "titleLimit": {"expr": f"{NARROW} ? containerSize()[0] - 50 : 1000"},
            },
            "legend": {"labelFontSize": 13, "titleFontSize": 13, "orient": "bottom"},
            "title": {"fontSize": 16, "anchor": "start"},
            "view": {"stroke": None},
            "range": {"category": OKABE_ITO},
        }
    }


# Norwegian number format inside the charts (decimal comma, non-breaking space for thousands):
# Vega formats axis labels and tooltips itself, in English unless told otherwise.
NB_LOCALE = {
    "number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", ""]}
}


def localise(spec: dict, language: str) -> dict:
    """Give a Vega-Lite spec the number format of `language` (in place; returns it)."""
    if language == "nb":
        spec.setdefault("config", {})["locale"] = NB_LOCALE
    return spec


# ----------------------------------------------------------------------------- drawing


@dataclass(frozen=True)
class Recipe:
    """A chart as its builder and inputs: drawn from a cached spec, built in full only on demand.

    Building an Altair chart validates every encoding against Altair's JSON schema, and
    st.altair_chart validates the whole spec again: 20–60 ms per chart, more than the page's
    queries and statistics together. The inputs are small frames and labels, so the finished
    Vega-Lite spec is cached on them (with the language, which some builders read) and a rerun
    costs a hash. `build()` gives the Altair chart itself, e.g. for a PNG/SVG export; it runs in
    the language the recipe was made in, also where no session is (a deferred download).
    """

    builder: Callable[..., alt.TopLevelMixin]
    args: tuple = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    language: str = "nb"

    def build(self) -> alt.TopLevelMixin:
        with use_language(self.language):
            return self.builder(*self.args, **self.kwargs)


def recipe(builder: Callable[..., alt.TopLevelMixin], /, *args, **kwargs) -> Recipe:
    return Recipe(builder, args, kwargs, lang())


def _code_version() -> int:
    """Changes when a file in components/ is edited, so a running server drops specs built by
    the old code (Streamlit keys its cache on the cached function's source, not the builder's)."""
    return hash(tuple((e.name, e.stat().st_mtime_ns) for e in os.scandir(_COMPONENTS_DIR)))


_COMPONENTS_DIR = os.path.dirname(os.path.abspath(__file__))


@st.cache_data(show_spinner=False, max_entries=1000)
def _vega_spec(
    name: str, code_version: int, language: str, args: tuple, kwargs: dict, _recipe: Recipe
) -> dict:
    """Streamlit's own Altair → Vega-Lite conversion (theme, Arrow datasets, under its lock),
    with the language's number format."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    return localise(_convert_altair_to_vega_lite_spec(_recipe.build()), language)


def draw(chart: Recipe, *, width: str | int = "stretch", theme: str | None = "streamlit") -> None:
    """st.altair_chart(chart.build()), converting each distinct chart once per process."""
    b = chart.builder
    code = getattr(b, "__code__", None)  # two lambdas in one function share a __qualname__
    name = f"{b.__module__}.{b.__qualname__}:{code.co_firstlineno if code else ''}"
    spec = _vega_spec(
        name, _code_version(), chart.language, chart.args, chart.kwargs, _recipe=chart
    )
    st.vega_lite_chart(spec=spec, width=width, theme=theme)


# ----------------------------------------------------------------------------- builders


def share_bars(
    df: pd.DataFrame,
    category: str,
    *,
    share: str = "share_pct",
    lo: str = "ci_low_pct",
    hi: str = "ci_high_pct",
    n: str = "n_respondents",
    x_title: str = "Andel (%)",
    reference: float | None = None,
    reference_label: str = "",
    highlight: str | None = None,
    sort: list[str] | None = None,
    tooltip: list | None = None,
    height: int | None = None,
) -> alt.LayerChart:
    """Horizontal bars of shares with 95 % intervals, n beside each bar, optional reference."""
    data = df.copy()
    data["_hl"] = data[category] == highlight if highlight else False
    data["_label"] = data.apply(
        lambda r: f"{r[share]:.0f} %  (n={int(r[n])})" if pd.notna(r[n]) else f"{r[share]:.0f} %",
        axis=1,
    )
    y = alt.Y(f"{category}:N", sort=sort or None, title=None)
    tip = tooltip or [
        alt.Tooltip(f"{category}:N"),
        alt.Tooltip(f"{share}:Q", format=".0f", title="%"),
        alt.Tooltip(f"{lo}:Q", format=".1f", title=t("common.tip_ci_low")),
        alt.Tooltip(f"{hi}:Q", format=".1f", title=t("common.tip_ci_high")),
        alt.Tooltip(f"{n}:Q", title="n"),
    ]
    base = alt.Chart(data).encode(y=y)
    bars = base.mark_bar(height={"band": 0.6}).encode(
        x=alt.X(
            f"{share}:Q",
            title=x_title,
            scale=alt.Scale(domain=[0, 100]),
            axis=alt.Axis(values=list(range(0, 101, 10))),
        ),
        color=alt.condition("datum._hl", alt.value(HIGHLIGHT), alt.value(BASE)),
        tooltip=tip,
    )
    ci = base.mark_rule(strokeWidth=2, color="#1f1f1f").encode(
        x=f"{lo}:Q", x2=f"{hi}:Q", tooltip=tip
    )
    caps_lo = base.mark_tick(color="#1f1f1f", thickness=2, size=12).encode(x=f"{lo}:Q")
    caps_hi = base.mark_tick(color="#1f1f1f", thickness=2, size=12).encode(x=f"{hi}:Q")
    # A white halo under each label keeps it readable where the reference line crosses it.
    halo = base.mark_text(
        align="left", dx=6, fontSize=12, color="white", stroke="white", strokeWidth=4
    ).encode(x=f"{hi}:Q", text="_label:N")
    labels = base.mark_text(align="left", dx=6, fontSize=12, color="#1f1f1f").encode(
        x=f"{hi}:Q", text="_label:N"
    )
    layers = [bars, ci, caps_lo, caps_hi]
    if reference is not None:
        ref = pd.DataFrame({"x": [reference], "label": [reference_label]})
        rule = alt.Chart(ref).mark_rule(strokeDash=[6, 4], color="#444").encode(x="x:Q")
        text = (
            alt.Chart(ref)
            .mark_text(align="left", dx=4, dy=-6, fontSize=12, color="#444")
            .encode(x="x:Q", y=alt.value(0), text="label:N")
        )
        layers += [rule, text]
    chart = alt.layer(*layers, halo, labels)  # labels over the reference line
    rows = data[category].nunique()
    return chart.properties(height=height or max(120, 44 * rows), width="container")
