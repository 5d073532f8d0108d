"""Chart builders for the 2010 survey pages («Kjennskap», «Bruk»).

Each builder takes a tidy DataFrame whose labels are already in the reader's language and
returns an Altair chart; no SQL, no statistics. Colours come from charts.py (Okabe–Ito) and
meaning is always carried by text too: shares and n are printed on the bars, the kind of base
is named in the label, doubtful prints carry a «?» and a dashed outline.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from components.charts import BASE, MUTED, NARROW, OKABE_ITO, share_bars
from components.i18n import t


def lines_axis(sep: str = "|", **kwargs) -> alt.Axis:
    """An axis whose labels break into lines at `sep` (survey_labels.wrap_label puts it there);
    no label is dropped for overlapping, however long."""
    return alt.Axis(labelExpr=f"split(datum.label, '{sep}')", labelOverlap=False, **kwargs)


def two_lines(title: str) -> str | list[str]:
    """«Skoletrinn (antall skoler …)» → two lines, so the title fits above a phone's plot."""
    head, sep, rest = title.partition(" (")
    return [head, "(" + rest] if sep else title


def info_sources_heatmap(
    df: pd.DataFrame,
    *,
    x_title: str,
    colour_title: str,
    column_order: list[str],
    row_order: list[str],
) -> alt.LayerChart:
    """Rows = information sources, columns = trinn (label «name|n=…» → two header lines)."""
    data = df.copy()
    data["_text"] = data["share_pct"].map(lambda v: f"{v:.0f} %")
    extra_lines = max(c.count("|") for c in column_order)
    data["_dark"] = data["share_pct"] >= 50
    # On a phone (a narrow container) the row labels break into lines and the column headers
    # stand upright, so five columns still fit beside the labels; wide screens are unchanged.
    narrow = NARROW
    wrapped = {row: "|".join(textwrap.wrap(row, 20, break_long_words=False)) for row in row_order}
    data["_row"] = data["row"].map(wrapped)
    x = alt.X(
        "column:N",
        sort=column_order,
        title=two_lines(x_title),
        # Vega draws a multi-line label downwards from its anchor: lift the anchor by all lines
        # of the tallest header so it ends above the cells (headers are top-aligned).
        axis=lines_axis(
            orient="top",
            labelAngle=alt.ExprRef(f"{narrow} ? -90 : 0"),
            labelAlign=alt.ExprRef(f"{narrow} ? 'left' : 'center'"),
            labelPadding=alt.ExprRef(f"{narrow} ? 6 : {8 + 16 * (extra_lines + 1)}"),
            labelLineHeight=alt.ExprRef(f"{narrow} ? 11 : 16"),
            labelFontSize=alt.ExprRef(f"{narrow} ? 10 : 11"),
            labelBaseline=alt.ExprRef(f"{narrow} ? 'middle' : 'top'"),
        ),
    )
    y = alt.Y(
        "_row:N",
        sort=[wrapped[r] for r in row_order],
        title=None,
        axis=alt.Axis(
            labelOverlap=False,
            labelExpr=f"{narrow} ? split(datum.label, '|') : replace(datum.label, regexp('[|]', 'g'), ' ')",
            labelLineHeight=13,
            labelFontSize=alt.ExprRef(f"{narrow} ? 10 : 11"),
        ),
    )
    tip = [
        alt.Tooltip("row:N", title=""),
        alt.Tooltip("column:N", title=""),
        alt.Tooltip("share_pct:Q", format=".0f", title="%"),
        alt.Tooltip("n_respondents:Q", title="n"),
    ]
    base = alt.Chart(data).encode(x=x, y=y)
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "share_pct:Q",
            title=colour_title,
            scale=alt.Scale(scheme="blues", domain=[0, 100]),
            legend=alt.Legend(orient="bottom", gradientLength=alt.ExprRef(f"{narrow} ? 180 : 240")),
        ),
        tooltip=tip,
    )
    text = base.mark_text(fontSize=13).encode(
        text="_text:N",
        color=alt.condition("datum._dark", alt.value("white"), alt.value("#1f1f1f")),
        tooltip=tip,
    )
    # Streamlit fits the whole chart (axes, legend) into `height`: add room for them.
    return alt.layer(cells, text).properties(
        height=40 * len(row_order) + 150 + 15 * extra_lines, width="container"
    )


def share_panel(
    part: pd.DataFrame,
    category: str,
    *,
    x_title: str,
    reference: float | None,
    reference_label: str,
    highlight: str | None,
    label_width: int | None = None,
) -> alt.LayerChart:
    """One panel of grouped share bars, on the common 0–100 axis.

    Used to keep the county («Fylke») apart from the kommune size classes: it is the county as
    school owner, not a size class, so it gets its own panel instead of a place in the row.
    Panels are drawn separately (Streamlit sizes each to the container) with the same
    `label_width` for the y labels, so their x axes line up; see export_stack for downloads.
    """
    # No chart title: with Streamlit's fit-to-height a title squeezes the bands to nothing.
    chart = share_bars(
        part,
        category,
        x_title=x_title,
        reference=reference,
        reference_label=reference_label,
        highlight=highlight,
        sort=list(part[category]),
    ).properties(height=52 * len(part) + 80)
    if label_width:
        return chart.configure_axisY(minExtent=label_width, maxExtent=label_width)
    return chart


def for_export(
    chart: alt.TopLevelMixin, title: str = "", source: str = "", width: int = 720
) -> alt.TopLevelMixin:
    """A copy for PNG/SVG downloads: fixed width («container» means 200 px off screen), and the
    heading and source line on the image itself, so a pasted figure keeps its provenance."""
    out = chart.properties(width=width)
    if title or source:
        out = out.properties(
            title=alt.TitleParams(text=title, subtitle=source, subtitleFontSize=11, anchor="start")
        )
    return out


def export_stack(
    panels: list[tuple[str, alt.LayerChart]], title: str = "", source: str = "", width: int = 640
) -> alt.VConcatChart:
    """The titled share_panel()s (without label_width) stacked at a fixed width, with heading
    and source, for downloads."""
    stack = alt.vconcat(
        *[chart.properties(title=name, width=width) for name, chart in panels], spacing=18
    )
    if title or source:
        stack = stack.properties(
            title=alt.TitleParams(text=title, subtitle=source, subtitleFontSize=11, anchor="start")
        )
    return stack.configure_axisY(minExtent=170, maxExtent=170)  # panels' x axes line up


def use_chain_chart(
    df: pd.DataFrame, *, x_title: str, base_titles: dict[str, str]
) -> alt.LayerChart:
    """Stepped bars from knowing to using: one row per (step, base), each with its own n.

    Expected columns: row (y label), share_pct, ci_low_pct, ci_high_pct, text (the bar label
    naming its base), base_kind (key of base_titles), questioned (bool: doubtful or
    inconsistent print, drawn pale with a dashed outline). Bars are not chained
    arithmetically: each row is a share of its own printed base.
    """
    data = df.copy()
    data["_kind"] = data["base_kind"].map(base_titles)
    # Two label lines: the step, then its base. «¦» marks where a line may break again in a
    # narrow container (a phone), where the labels would otherwise take the whole width.
    soft = lambda v: "¦".join(textwrap.wrap(str(v), 30, break_long_words=False))  # noqa: E731
    data["_y"] = data["row"].map(soft) + "|" + data["text"].map(soft)
    data["_short"] = data["share_pct"].map(lambda v: f"{v:.0f} %")
    kinds = list(dict.fromkeys(base_titles.values()))
    y = alt.Y(
        "_y:N",
        sort=list(data["_y"]),
        title=None,
        axis=alt.Axis(
            labelExpr=f"split(replace(datum.label, regexp('¦', 'g'), {NARROW} ? '|' : ' '), '|')",
            labelOverlap=False,
            labelLimit=alt.ExprRef(f"{NARROW} ? 190 : 520"),
            labelFontSize=alt.ExprRef(f"{NARROW} ? 10 : 11"),
            labelLineHeight=alt.ExprRef(f"{NARROW} ? 12 : 14"),
            labelPadding=8,
        ),
    )
    tip = [
        alt.Tooltip("row:N", title=""),
        alt.Tooltip("text:N", title=""),
        alt.Tooltip("share_pct:Q", format=".0f", title="%"),
        alt.Tooltip("ci_low_pct:Q", format=".1f", title=t("common.tip_ci_low")),
        alt.Tooltip("ci_high_pct:Q", format=".1f", title=t("common.tip_ci_high")),
    ]
    base = alt.Chart(data).encode(y=y)
    bars = base.mark_bar(height={"band": 0.62}).encode(
        x=alt.X("share_pct:Q", title=x_title, scale=alt.Scale(domain=[0, 100])),
        color=alt.Color(
            "_kind:N",
            title=None,
            scale=alt.Scale(domain=kinds, range=[BASE, OKABE_ITO[1], MUTED][: len(kinds)]),
            legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=700),
        ),
        opacity=alt.condition("datum.questioned", alt.value(0.45), alt.value(1.0)),
        strokeDash=alt.condition("datum.questioned", alt.value([4, 3]), alt.value([1, 0])),
        stroke=alt.condition("datum.questioned", alt.value("#1f1f1f"), alt.value(None)),
        tooltip=tip,
    )
    has_ci = data.dropna(subset=["ci_low_pct", "ci_high_pct"])
    ci_base = alt.Chart(has_ci).encode(y=y)
    ci = ci_base.mark_rule(strokeWidth=2, color="#1f1f1f").encode(
        x="ci_low_pct:Q", x2="ci_high_pct:Q"
    )
    caps = [
        ci_base.mark_tick(color="#1f1f1f", thickness=2, size=12).encode(x=f"{c}:Q")
        for c in ("ci_low_pct", "ci_high_pct")
    ]
    data["_text_x"] = data["ci_high_pct"].fillna(data["share_pct"])
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=6, fontSize=12, color="#1f1f1f")
        .encode(y=y, x="_text_x:Q", text="_short:N")
    )
    # Streamlit fits axes and legend into `height`: room for two label lines per row.
    return alt.layer(bars, ci, *caps, labels).properties(
        height=58 * len(data) + 120, width="container"
    )


def swatch_legend(items: list[tuple[str, list[int]]]) -> alt.Chart:
    """A text legend for a map: one coloured square and its label per row (RGB lists)."""
    data = pd.DataFrame(
        {
            "label": [label for label, _ in items],
            "colour": [f"rgb({c[0]},{c[1]},{c[2]})" for _, c in items],
            "order": range(len(items)),
        }
    )
    y = alt.Y("label:N", sort=list(data["label"]), axis=None)
    squares = (
        alt.Chart(data)
        .mark_square(size=260, opacity=1, stroke="#555", strokeWidth=0.5)
        .encode(x=alt.value(10), y=y, color=alt.Color("colour:N", scale=None))
    )
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=22, fontSize=13, lineBreak="|", lineHeight=17)
        .encode(x=alt.value(10), y=y, text="label:N")
    )
    lines = max(label.count("|") + 1 for label, _ in items)
    return alt.layer(squares, text).properties(
        height=(18 * lines + 14) * len(items), width="container"
    )
