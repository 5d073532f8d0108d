"""Altair chart builders shared by the pages. A builder takes a DataFrame, returns a chart.

Colour-blind-safe colours (Okabe–Ito); meaning is never carried by colour alone: bars carry
their labels and n, intervals are drawn as lines, reference lines are labelled.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
HIGHLIGHT = "#D55E00"
BASE = "#0072B2"
MUTED = "#9aa5b1"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"  # system fonts only: no web fonts


@alt.theme.register("skolemiljo", enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "axis": {"labelFontSize": 13, "titleFontSize": 13, "labelLimit": 320},
            "legend": {"labelFontSize": 13, "titleFontSize": 13, "orient": "bottom"},
            "title": {"fontSize": 16, "anchor": "start"},
            "view": {"stroke": None},
            "range": {"category": OKABE_ITO},
        }
    }


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
        alt.Tooltip(f"{lo}:Q", format=".1f", title="95 % KI fra"),
        alt.Tooltip(f"{hi}:Q", format=".1f", title="95 % KI til"),
        alt.Tooltip(f"{n}:Q", title="n"),
    ]
    base = alt.Chart(data).encode(y=y)
    bars = base.mark_bar(height={"band": 0.6}).encode(
        x=alt.X(f"{share}:Q", title=x_title, scale=alt.Scale(domain=[0, 100])),
        color=alt.condition("datum._hl", alt.value(HIGHLIGHT), alt.value(BASE)),
        tooltip=tip,
    )
    ci = base.mark_rule(strokeWidth=2, color="#1f1f1f").encode(
        x=f"{lo}:Q", x2=f"{hi}:Q", tooltip=tip
    )
    caps_lo = base.mark_tick(color="#1f1f1f", thickness=2, size=12).encode(x=f"{lo}:Q")
    caps_hi = base.mark_tick(color="#1f1f1f", thickness=2, size=12).encode(x=f"{hi}:Q")
    labels = base.mark_text(align="left", dx=6, fontSize=12, color="#1f1f1f").encode(
        x=f"{hi}:Q", text="_label:N"
    )
    layers = [bars, ci, caps_lo, caps_hi, labels]
    if reference is not None:
        ref = pd.DataFrame({"x": [reference], "label": [reference_label]})
        rule = alt.Chart(ref).mark_rule(strokeDash=[6, 4], color="#444").encode(x="x:Q")
        text = (
            alt.Chart(ref)
            .mark_text(align="left", dx=4, dy=-6, fontSize=12, color="#444")
            .encode(x="x:Q", y=alt.value(0), text="label:N")
        )
        layers += [rule, text]
    chart = alt.layer(*layers)
    rows = data[category].nunique()
    return chart.properties(height=height or max(120, 44 * rows), width="container")
