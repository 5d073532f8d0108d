"""Chart and tables for the Aktører page: two groups' mean ratings with 95 % intervals per item.

The chart is a forest plot with one row per item (actor or statement) and the two respondent
groups offset vertically inside the row. Groups differ by colour AND shape; each mark carries
its value and n as text, so the chart reads in greyscale and the small owner group (n=10) shows
its wide interval. Means that the print gives without saying whose (our placement) are drawn
hollow and labelled as an assumption. The axis is the questionnaire's 1–5 scale; interval ends
beyond it are drawn at the scale end (the exact limits are in the table and the download).

Builders take the page's per-item statistics frame (one row per item, wide: mean_leader,
ci_leader_low, …, d_printed, d_unweighted, welch_t, p_value, words, note_text) and return a
chart or a display table; no data access, no statistics.
"""

from __future__ import annotations

import re
import textwrap

import altair as alt
import pandas as pd
import streamlit as st

from components.charts import OKABE_ITO
from components.i18n import fmt_num, fmt_p, t
from components.provenance import source_text

GROUP_COLOURS = {"leader": OKABE_ITO[0], "owner": OKABE_ITO[1]}  # blue, orange
GROUP_SHAPES = {"leader": "circle", "owner": "diamond"}
LABEL_WIDTH = 40  # characters per line of an item label on the y axis
ROW_HEIGHT = 76
LABEL_SPACE_END = 7.1
CHROME_HEIGHT = 110  # legend on top and x axis with title below, in pixels  # x units reserved right of the scale end for the value labels
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-!|<>~$])")


def md_escape(text: str) -> str:
    """Printed text shown through st.markdown: markdown and HTML characters made literal."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def wrap_label(text: str, width: int = LABEL_WIDTH) -> str:
    """Item labels wrapped into lines joined by newline (split again by the axis labelExpr)."""
    return "\n".join(textwrap.wrap(str(text), width=width)) or str(text)


def axis_labels(stats: pd.DataFrame, negative: list[str] | tuple = ()) -> pd.Series:
    """Wrapped item labels for the y axis; an item only one group answered says so in its
    label (where the other group did answer other items of the table), and a negatively
    worded item (higher = worse) says that."""
    table_has_both = stats["mean_owner"].notna().any() and stats["mean_leader"].notna().any()
    out = []
    for r in stats.itertuples():
        label = wrap_label(r.item)
        if r.item in negative:
            label += "\n(" + t("aktorer.negative_short") + ")"
        if table_has_both and pd.isna(r.mean_leader):
            label += "\n(" + t("aktorer.only_owners") + ")"
        elif table_has_both and pd.isna(r.mean_owner):
            label += "\n(" + t("aktorer.only_leaders") + ")"
        out.append(label)
    return pd.Series(out, index=stats.index)


def takeaway(stats: pd.DataFrame) -> str:
    """Two to four plain sentences: highest and lowest item, who rates higher, what is clear."""
    ranked = stats.dropna(subset=["mean_leader"]).sort_values("mean_leader", ascending=False)
    lines = []
    if len(ranked):
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        lines.append(
            t(
                "aktorer.takeaway_highest",
                top=top["item"],
                top_mean=fmt_num(top["mean_leader"], 2),
                bottom=bottom["item"],
                bottom_mean=fmt_num(bottom["mean_leader"], 2),
            )
        )
    both = stats[stats["both"]]
    if len(both):
        owner_higher = int((both["diff"] > 0).sum())
        lines.append(t("aktorer.takeaway_owner_higher", k=owner_higher, m=len(both)))
        clear = both[both["p_value"] < 0.05]
        lines.append(
            t("aktorer.takeaway_significant", names=", ".join(f"«{i}»" for i in clear["item"]))
            if len(clear)
            else t("aktorer.takeaway_none_significant")
        )
        lines.append(t("aktorer.multiple_tests", m=len(both)))
    return " ".join(lines)


def text_claim_check(stats: pd.DataFrame, claimed: list[str]) -> str | None:
    """Where the report's text says leaders rate these items higher, compare with the printed
    means; a sentence naming the items where the means say the opposite, else None."""
    rows = stats[stats["item"].isin(claimed) & stats["both"]]
    wrong, right = rows[rows["diff"] > 0], rows[rows["diff"] < 0]
    if wrong.empty:
        return None

    def named(sub: pd.DataFrame) -> str:
        parts = [
            f"{r.item} ({t('aktorer.vs', a=fmt_num(r.mean_leader, 2), b=fmt_num(r.mean_owner, 2))})"
            for r in sub.itertuples()
        ]
        return f" {t('aktorer.and_word')} ".join(parts) or "–"

    return t("aktorer.text_claim", contradicted=named(wrong), confirmed=named(right))


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
            label = t("aktorer.mark_label", mean=fmt_num(mean, 2), n=n)
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
                    "mean_text": fmt_num(mean, 2),
                    "ci_text": f"{fmt_num(lo, 2)} – {fmt_num(hi, 2)}",
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
        axis=alt.Axis(
            labelExpr="split(datum.label, '\\n')",
            labelLimit=400,
            labelPadding=8,
            labelOverlap=False,  # every item must keep its label, however long
            labelColor="#1f1f1f",
        ),
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


def sd_text(sd, printed) -> str:
    """An SD with as many decimals as the print gives («,930» keeps three, «0,54» two)."""
    if pd.isna(sd):
        return "–"
    decimals = len(str(printed).rsplit(",", 1)[-1]) if isinstance(printed, str) else 2
    return fmt_num(sd, decimals)


def export_version(chart: alt.LayerChart, title: str, source_ids: list[str]) -> alt.LayerChart:
    """The chart as downloaded (PNG/SVG): a fixed width, since a file has no container to fit,
    with its title and source line, so a pasted figure still says what and where from."""
    return chart.properties(
        width=900, title=alt.TitleParams(title, subtitle=[source_text(source_ids)], fontSize=16)
    )


def _mean_sd(mean, sd, printed) -> str:
    if pd.isna(mean):
        return "–"
    return f"{fmt_num(mean, 2)} ({sd_text(sd, printed)})"


def _who(r) -> str:
    if pd.isna(r.mean_leader):
        return t("aktorer.only_owners")
    if pd.isna(r.mean_owner):
        return t("aktorer.only_leaders")
    if round(r.diff, 2) == 0:
        return t("aktorer.who_equal")
    if r.diff > 0:
        return t("aktorer.who_owner", diff=fmt_num(r.diff, 2))
    return t("aktorer.who_leader", diff=fmt_num(r.diff, 2))


def _signed(d) -> str:
    if pd.isna(d):
        return "–"
    return ("+" if d > 0 else "") + fmt_num(d, 2)


def comparison_table(stats: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The per-item comparison as display text (Norwegian number format) plus column_config.

    Compact enough to fit a projected screen; the sentence per item and the notes are shown
    below the table (plain_words), the full numbers are in the download."""
    table = pd.DataFrame(
        {
            "item": stats["item"],
            "leader": [
                _mean_sd(r.mean_leader, r.sd_leader, r.sd_leader_printed)
                for r in stats.itertuples()
            ],
            "owner": [
                _mean_sd(r.mean_owner, r.sd_owner, r.sd_owner_printed) for r in stats.itertuples()
            ],
            "who": [_who(r) for r in stats.itertuples()],
            "d_printed": [fmt_num(d, 2) for d in stats["d_printed"]],
            "d_unweighted": [_signed(d) for d in stats["d_unweighted"]],
            "d_pooled": [_signed(d) for d in stats["d_pooled"]],
            "magnitude": ["–" if pd.isna(m) else m for m in stats["magnitude"]],
            "welch": [
                f"{fmt_num(r.welch_t, 2)} ({fmt_num(r.welch_df, 1)})" if r.both else "–"
                for r in stats.itertuples()
            ],
            "p": [fmt_p(r.p_value) if r.both else "–" for r in stats.itertuples()],
        }
    )
    text = st.column_config.TextColumn
    config = {
        "item": text(t("aktorer.col_item"), width=150, pinned=True),
        "leader": text(t("aktorer.col_leader"), help=t("aktorer.help_mean_sd"), width=95),
        "owner": text(t("aktorer.col_owner"), help=t("aktorer.help_mean_sd"), width=95),
        "who": text(t("aktorer.col_who"), help=t("aktorer.help_who"), width=150),
        "d_printed": text(t("aktorer.col_d_printed"), help=t("aktorer.help_d_printed"), width=68),
        "d_unweighted": text(
            t("aktorer.col_d_unweighted"), help=t("aktorer.help_d_unweighted"), width=72
        ),
        "d_pooled": text(t("aktorer.col_d_pooled"), help=t("aktorer.help_d_pooled"), width=68),
        "magnitude": text(t("aktorer.col_magnitude"), help=t("aktorer.help_magnitude"), width=85),
        "welch": text(t("aktorer.col_welch"), help=t("aktorer.help_welch"), width=90),
        "p": text(t("aktorer.col_p"), help=t("aktorer.help_p"), width=58),
    }
    return table, config


def plain_words(stats: pd.DataFrame) -> list[str]:
    """One markdown bullet per item: the sentence about the difference and our notes."""
    out = []
    for r in stats.itertuples():
        parts = [r.words] if r.both else [_who(r).capitalize() + "."]
        if r.note_text:
            parts.append(r.note_text)
        out.append(f"- **{md_escape(r.item)}**: " + md_escape(" ".join(parts)))
    return out


def download_frame(stats: pd.DataFrame, table_no: str) -> pd.DataFrame:
    """Numbers for the spreadsheet: one row per item, real numbers (not display text)."""
    conv = {
        "unweighted": t("aktorer.conv_unweighted"),
        "pooled": t("aktorer.conv_pooled"),
        "both": t("aktorer.conv_both"),
        "neither": t("aktorer.conv_neither"),
    }
    columns = {
        "item": "csv_item",
        "mean_leader": "csv_mean_leader",
        "sd_leader": "csv_sd_leader",
        "n_leader": "csv_n_leader",
        "ci_leader_low": "csv_ci_leader_low",
        "ci_leader_high": "csv_ci_leader_high",
        "mean_owner": "csv_mean_owner",
        "sd_owner": "csv_sd_owner",
        "n_owner": "csv_n_owner",
        "ci_owner_low": "csv_ci_owner_low",
        "ci_owner_high": "csv_ci_owner_high",
        "diff": "csv_diff",
        "d_printed": "csv_d_printed",
        "d_unweighted": "csv_d_unweighted",
        "d_pooled": "csv_d_pooled",
        "convention": "csv_convention",
        "welch_t": "csv_welch_t",
        "welch_df": "csv_welch_df",
        "p_value": "csv_p",
    }
    out = stats[list(columns)].copy()
    for c in ("ci_leader_low", "ci_leader_high", "ci_owner_low", "ci_owner_high", "diff"):
        out[c] = out[c].round(3)
    for c in ("d_unweighted", "d_pooled", "welch_t", "welch_df", "p_value"):
        out[c] = out[c].round(4)
    out["convention"] = out["convention"].map(conv)
    out[["n_leader", "n_owner"]] = out[["n_leader", "n_owner"]].astype("Int64")
    out["assumed"] = (stats["leader_read_as"] | stats["owner_read_as"]).map(
        {True: t("aktorer.assumed_yes"), False: ""}
    )
    out.insert(0, "table_no", table_no)
    names = {k: t(f"aktorer.{v}") for k, v in columns.items()}
    names |= {"table_no": t("aktorer.csv_table"), "assumed": t("aktorer.csv_assumed")}
    return out.rename(columns=names)
