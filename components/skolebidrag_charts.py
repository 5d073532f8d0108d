"""Altair charts for the Skolebidrag page: trends with spread, funnel plot, grade points.

Builders take tidy DataFrames with labels already translated and return charts; no data access.
Colour never carries meaning alone: selected kommuner are named at the end of their line, the
national average is a labelled rule, funnel limits are drawn with different dash patterns and
named in the legend text below the chart.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from components.charts import MUTED, OKABE_ITO

REFERENCE = "#444444"


def _zero_rule(label: str, x_field: str | None = None) -> alt.LayerChart:
    ref = pd.DataFrame({"y": [0.0], "label": [label]})
    rule = alt.Chart(ref).mark_rule(strokeDash=[6, 4], color=REFERENCE).encode(y="y:Q")
    text = (
        alt.Chart(ref)
        .mark_text(align="left", baseline="bottom", dx=4, dy=-3, fontSize=12, color=REFERENCE)
        .encode(y="y:Q", x=alt.value(0), text="label:N")
    )
    return alt.layer(rule, text)


def trend_chart(
    selected: pd.DataFrame,
    peers: pd.DataFrame,
    spread: pd.DataFrame,
    periods: list[str],
    *,
    y_title: str,
    x_title: str,
    zero_label: str,
    colour_title: str,
    source_title: str,
    tooltip_titles: dict[str, str],
) -> alt.LayerChart:
    """Lines with points per selected kommune over periods; fylke peers as thin grey lines;
    each selected kommune's own min–max across periods as a faint band in its colour.

    selected: kommune_label, period, value, source_label, period_label
    peers: kommune_label, period, value
    spread: kommune_label, low, high, sd
    """
    names = list(dict.fromkeys(selected["kommune_label"]))
    colours = alt.Scale(domain=names, range=OKABE_ITO[: max(len(names), 1)])
    x = alt.X("period:O", sort=periods, title=x_title, axis=alt.Axis(labelAngle=0))
    all_values = pd.concat([selected["value"], peers["value"], pd.Series([0.0])]).dropna()
    pad = 0.1 * max(all_values.abs().max(), 0.5)
    domain = [float(all_values.min() - pad), float(all_values.max() + pad)]
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(domain=domain, nice=False))
    layers = []
    if not spread.empty:
        band = spread.merge(pd.DataFrame({"period": periods}), how="cross")
        layers.append(
            alt.Chart(band)
            .mark_area(opacity=0.13)
            .encode(
                x=x,
                y=alt.Y("low:Q", scale=alt.Scale(domain=domain, nice=False), title=y_title),
                y2="high:Q",
                color=alt.Color("kommune_label:N", scale=colours, legend=None),
                tooltip=[
                    alt.Tooltip("kommune_label:N", title=tooltip_titles["kommune"]),
                    alt.Tooltip("low:Q", format=".2f", title=tooltip_titles["low"]),
                    alt.Tooltip("high:Q", format=".2f", title=tooltip_titles["high"]),
                    alt.Tooltip("sd:Q", format=".2f", title=tooltip_titles["sd"]),
                ],
            )
        )
    if not peers.empty:
        layers.append(
            alt.Chart(peers)
            .mark_line(strokeWidth=1, color=MUTED, opacity=0.55)
            .encode(
                x=x,
                y=y,
                detail="kommune_label:N",
                tooltip=[
                    alt.Tooltip("kommune_label:N", title=tooltip_titles["kommune"]),
                    alt.Tooltip("period:O", title=x_title),
                    alt.Tooltip("value:Q", format=".1f", title=y_title),
                ],
            )
        )
    layers.append(_zero_rule(zero_label))
    tip = [
        alt.Tooltip("kommune_label:N", title=tooltip_titles["kommune"]),
        alt.Tooltip("period:O", title=x_title),
        alt.Tooltip("value:Q", format=".1f", title=y_title),
        alt.Tooltip("source_label:N", title=source_title),
    ]
    base = alt.Chart(selected).encode(
        x=x, y=y, color=alt.Color("kommune_label:N", scale=colours, title=colour_title)
    )
    layers.append(base.mark_line(strokeWidth=3).encode(tooltip=tip))
    layers.append(
        base.mark_point(filled=True, size=80, opacity=1)
        .encode(
            shape=alt.Shape(
                "source_label:N",
                title=source_title,
                legend=alt.Legend(labelLimit=520, titleLimit=400),
            ),
            tooltip=tip,
        )
        .transform_filter("isValid(datum.value)")
    )
    last = selected.dropna(subset=["value"])
    if not last.empty:
        order = {p: i for i, p in enumerate(periods)}
        last = last.assign(_o=last["period"].map(order)).sort_values("_o")
        last = last.groupby("kommune_label", as_index=False).tail(1)
        layers.append(
            alt.Chart(last)
            .mark_text(align="left", dx=9, fontSize=13, fontWeight="bold")
            .encode(
                x=x,
                y=y,
                text="kommune_label:N",
                color=alt.Color("kommune_label:N", scale=colours, legend=None),
            )
        )
    return alt.layer(*layers).properties(height=380, width="container")


def funnel_chart(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    *,
    x_title: str,
    y_title: str,
    zero_label: str,
    limit_labels: dict[str, str],
    tooltip_titles: dict[str, str],
    selected_title: str,
) -> alt.LayerChart:
    """Funnel plot: value against size (log scale) with 95 % and 99.8 % control limits.

    points: kommune_label, size, value, z, selected (bool), selected_label, flag_label
    limits: size, limit (label), lower, upper
    """
    x = alt.X("size:Q", title=x_title, scale=alt.Scale(type="log", nice=False))
    # the points set the scale; limits for the smallest sizes may run off the chart (clipped)
    lim = float(max(points["value"].abs().max(), 0.5)) * 1.6
    y_scale = alt.Scale(domain=[-lim, lim], nice=False)
    dash = alt.StrokeDash(
        "limit:N",
        title=None,
        scale=alt.Scale(domain=[limit_labels["95"], limit_labels["998"]], range=[[6, 3], [2, 2]]),
        legend=alt.Legend(orient="bottom"),
    )
    lim_long = limits.melt(
        id_vars=["size", "limit"], value_vars=["lower", "upper"], var_name="side"
    )
    lines = (
        alt.Chart(lim_long)
        .mark_line(color=REFERENCE, strokeWidth=1.5, clip=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=y_scale, title=y_title),
            strokeDash=dash,
            detail="side:N",
        )
    )
    tip = [
        alt.Tooltip("kommune_label:N", title=tooltip_titles["kommune"]),
        alt.Tooltip("value:Q", format=".1f", title=y_title),
        alt.Tooltip("size:Q", format=",d", title=x_title),
        alt.Tooltip("z:Q", format=".2f", title=tooltip_titles["z"]),
        alt.Tooltip("flag_label:N", title=tooltip_titles["flag"]),
    ]
    others = (
        alt.Chart(points[~points["selected"]])
        .mark_circle(size=55, color="#0072B2", opacity=0.55, clip=True)
        .encode(x=x, y=alt.Y("value:Q", scale=y_scale, title=y_title), tooltip=tip)
    )
    sel = points[points["selected"]]
    chosen = (
        alt.Chart(sel)
        .mark_point(size=150, filled=True, color="#D55E00", shape="diamond", opacity=1)
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=y_scale),
            tooltip=tip,
            opacity=alt.Opacity(
                "selected_label:N", title=selected_title, legend=alt.Legend(orient="bottom")
            ),
        )
    )
    # A name near either end of the (log) x axis is anchored inwards, or the chart cuts it off.
    sizes = np.log10(pd.concat([points["size"], limits["size"]]).where(lambda v: v > 0).dropna())
    span = float(sizes.max() - sizes.min()) or 1.0
    where = (np.log10(sel["size"]) - float(sizes.min())) / span
    side = np.where(where > 0.8, "right", np.where(where < 0.2, "left", "center"))
    names = [
        alt.Chart(sel[side == align])
        .mark_text(align=align, dy=-14, fontSize=13, fontWeight="bold", color="#D55E00")
        .encode(x=x, y=alt.Y("value:Q", scale=y_scale), text="kommune_label:N")
        for align in dict.fromkeys(side)
    ]
    return alt.layer(lines, _zero_rule(zero_label), others, chosen, *names).properties(
        height=420, width="container"
    )


def grade_points_chart(
    df: pd.DataFrame, periods: list[str], *, x_title: str, y_title: str, colour_title: str
) -> alt.LayerChart:
    """Actual and expected written-exam grade points per period (df: period, series, value)."""
    x = alt.X("period:O", sort=periods, title=x_title, axis=alt.Axis(labelAngle=0))
    lo, hi = float(df["value"].min()), float(df["value"].max())
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(domain=[lo - 0.8, hi + 0.8], nice=False))
    base = alt.Chart(df).encode(
        x=x,
        y=y,
        color=alt.Color(
            "series:N",
            title=colour_title,
            scale=alt.Scale(range=OKABE_ITO[1:3]),
            legend=alt.Legend(labelLimit=400, symbolType="stroke"),
        ),
        strokeDash=alt.StrokeDash(
            "series:N", title=colour_title, legend=alt.Legend(labelLimit=400)
        ),
        tooltip=[
            alt.Tooltip("series:N", title=colour_title),
            alt.Tooltip("period:O", title=x_title),
            alt.Tooltip("value:Q", format=".1f", title=y_title),
        ],
    )
    return alt.layer(
        base.mark_line(strokeWidth=2.5), base.mark_point(filled=True, size=70)
    ).properties(height=260, width="container")


def swatch_legend(items: list[tuple[str, str]]) -> alt.LayerChart:
    """Coloured squares with their labels underneath, in one row (items: (label, hex colour))."""
    df = pd.DataFrame({"label": [i[0] for i in items], "colour": [i[1] for i in items]})
    x = alt.X("label:N", sort=list(df["label"]), title=None, axis=None)
    squares = (
        alt.Chart(df)
        .mark_square(size=260, opacity=1, stroke="#555555", strokeWidth=0.6)
        .encode(x=x, y=alt.value(12), color=alt.Color("colour:N", scale=None, legend=None))
    )
    labels = (
        alt.Chart(df)
        .mark_text(fontSize=12, color="#333333", baseline="top")
        .encode(x=x, y=alt.value(26), text="label:N")
    )
    return alt.layer(squares, labels).properties(height=44, width="container")
