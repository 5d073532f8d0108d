"""The Aktører page's chart: two groups' mean ratings with 95 % intervals per item.

The chart is a forest plot with one row per item (actor or statement) and the two respondent
groups offset vertically inside the row. Groups differ by colour AND shape; each mark carries
its value and n as text, so the chart reads in greyscale and the small owner group (n=10) shows
its wide interval. Means that the print gives without saying whose (our placement) are drawn
hollow and labelled as an assumption. The axis is the questionnaire's 1–5 scale; interval ends
beyond it are drawn at the scale end (the exact limits are in the table and the download).

Builders take the page's per-item statistics frame (analysis.ratings.item_statistics: one row
per item, wide: mean_leader, ci_leader_low, …) and return a chart; no data access, no
statistics.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from components import fmt
from components.charts import OKABE_ITO
from components.i18n import t
from components.provenance import source_text
from components.ratings_tables import sd_text
from components.survey_charts import lines_axis
from components.survey_labels import wrap_label

GROUP_COLOURS = {"leader": OKABE_ITO[0], "owner": OKABE_ITO[1]}  # blue, orange
GROUP_SHAPES = {"leader": "circle", "owner": "diamond"}
LABEL_WIDTH = 40  # characters per line of an item label on the y axis
ROW_HEIGHT = 76
LABEL_SPACE_END = 7.1  # x units: the scale ends at 5, the value labels take the rest
CHROME_HEIGHT = 110  # legend on top and x axis with title below, in pixels


def axis_labels(stats: pd.DataFrame, negative: list[str] | tuple = ()) -> pd.Series:
    """Wrapped item labels for the y axis; an item only one group answered says so in its
    label (where the other group did answer other items of the table), and a negatively
    worded item (higher = worse) says that."""
    table_has_both = stats["mean_owner"].notna().any() and stats["mean_leader"].notna().any()
    out = []
    for r in stats.itertuples():
        label = wrap_label(r.item, LABEL_WIDTH, "\n")
        if r.item in negative:
            label += "\n(" + t("aktorer.negative_short") + ")"
        if table_has_both and pd.isna(r.mean_leader):
            label += "\n(" + t("aktorer.only_owners") + ")"
        elif table_has_both and pd.isna(r.mean_owner):
            label += "\n(" + t("aktorer.only_leaders") + ")"
        out.append(label)
    return pd.Series(out, index=stats.index)


def _long(stats: pd.DataFrame, group_labels: dict[str, str]) -> pd.DataFrame:
    """One row per item and group that has a mean, with the texts the marks print."""
    rows = []
    for r in stats.itertuples():
        present = [g for g in ("leader", "owner") if pd.notna(getattr(r, f"mean_{g}"))]
        for g in present:
            mean, sd = getattr(r, f"mean_{g}"), getattr(r, f"sd_{g}")
            lo, hi = getattr(r, f"ci_{g}_low"), getattr(r, f"ci_{g}_high")
            n = int(getattr(r, f"n_{g}"))
            assumed = bool(getattr(r, f"{g}_read_as"))
            label = t("aktorer.mark_label", mean=fmt.num(mean, 2), n=n)
            if assumed:
                label += "\n" + t("aktorer.assumed_short")
            rows.append(
                {
                    "item": r.item,
                    "item_wrapped": r.item_wrapped,
                    "group": g,
                    "group_label": group_labels[g],
                    "mean": mean,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n": n,
                    "assumed": assumed,
                    "mark_label": label,
                    "mean_text": fmt.num(mean, 2),
                    "ci_text": fmt.interval(lo, hi, 2),
                    "sd_text": sd_text(sd, getattr(r, f"sd_{g}_printed")),
                    "assumed_text": t("aktorer.assumed_yes" if assumed else "aktorer.assumed_no"),
                }
            )
    return pd.DataFrame(rows)


def rating_forest(
    stats: pd.DataFrame,
    order: list[str],
    *,
    group_labels: dict[str, str],
    x_title: str,
    legend_title: str,
) -> alt.LayerChart:
    """One row per item (top to bottom as `order`, the wrapped labels), a point and a 95 %
    interval per group, the value and n printed right of the scale."""
    data = _long(stats, group_labels)
    data["ci_low_drawn"] = data["ci_low"].clip(lower=1, upper=5)
    data["ci_high_drawn"] = data["ci_high"].clip(lower=1, upper=5)
    groups = [g for g in ("leader", "owner") if g in set(data["group"])]
    domain = [group_labels[g] for g in groups]
    colour = alt.Color(
        "group_label:N",
        scale=alt.Scale(domain=domain, range=[GROUP_COLOURS[g] for g in groups]),
        title=legend_title,
    )
    shape = alt.Shape(
        "group_label:N",
        scale=alt.Scale(domain=domain, range=[GROUP_SHAPES[g] for g in groups]),
        title=legend_title,
    )
    y = alt.Y(
        "item_wrapped:N",
        sort=order,
        title=None,
        axis=lines_axis("\\n", labelLimit=400, labelPadding=8, labelColor="#1f1f1f"),
    )
    y_offset = alt.YOffset("group_label:N", scale=alt.Scale(domain=domain, paddingOuter=0.6))
    # The scale runs 1–5; the space right of 5 holds the value labels, so the axis shows only
    # the ticks 1–5 and no domain line past them.
    x_scale = alt.Scale(domain=[1, LABEL_SPACE_END], nice=False)
    x_axis = alt.Axis(values=[1, 2, 3, 4, 5], domain=False, grid=True, format="d")
    tooltip = [
        alt.Tooltip("item:N", title=t("aktorer.tip_item")),
        alt.Tooltip("group_label:N", title=legend_title),
        alt.Tooltip("mean_text:N", title=t("aktorer.tip_mean")),
        alt.Tooltip("ci_text:N", title=t("aktorer.tip_ci")),
        alt.Tooltip("sd_text:N", title=t("aktorer.tip_sd")),
        alt.Tooltip("n:Q", title="n"),
        alt.Tooltip("assumed_text:N", title=t("aktorer.tip_assumed")),
    ]
    base = alt.Chart(data).encode(y=y, yOffset=y_offset)
    interval = base.mark_rule(strokeWidth=3, opacity=0.85).encode(
        x=alt.X("ci_low_drawn:Q", scale=x_scale, title=x_title, axis=x_axis),
        x2="ci_high_drawn:Q",
        color=colour,
        tooltip=tooltip,
    )
    x = alt.X("mean:Q", scale=x_scale, title=x_title, axis=x_axis)
    solid = (
        base.transform_filter("!datum.assumed")
        .mark_point(filled=True, size=130, opacity=1)
        .encode(x=x, color=colour, shape=shape, tooltip=tooltip)
    )
    hollow = (
        base.transform_filter("datum.assumed")
        .mark_point(filled=False, fill="white", fillOpacity=1, size=130, strokeWidth=2.5, opacity=1)
        .encode(x=x, color=colour, shape=shape, tooltip=tooltip)
    )
    labels = base.mark_text(
        align="left", baseline="middle", dx=12, fontSize=12, color="#1f1f1f", lineBreak="\n"
    ).encode(x=alt.XDatum(5, scale=x_scale), text="mark_label:N", tooltip=tooltip)
    lines = max((s.count("\n") + 1 for s in order), default=1)
    # The chart is sized to fit its container (autosize fit), legend and x axis included, so
    # their space is added on top of the rows'.
    height = max(1, len(order)) * max(ROW_HEIGHT, 18 * lines + 34) + CHROME_HEIGHT
    return (
        alt.layer(interval, solid, hollow, labels)
        .properties(height=height, width="container")
        .configure_legend(orient="top", symbolStrokeWidth=2, symbolSize=130)
    )


def export_version(chart: alt.LayerChart, title: str, source_ids: list[str]) -> alt.LayerChart:
    """The chart as downloaded (PNG/SVG): a fixed width, since a file has no container to fit,
    with its title and source line, so a pasted figure still says what and where from."""
    return chart.properties(
        width=900, title=alt.TitleParams(title, subtitle=[source_text(source_ids)], fontSize=16)
    )
