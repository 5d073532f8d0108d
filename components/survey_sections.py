"""Tables and panels the 2010 survey pages (Kjennskap, Bruk) build the same way.

A table for reading and download shows each share with its 95 % interval, n and the
transcriber's note, under headers from the page's string file; a chart's panel carries the
table, the CSV and the chart as PNG/SVG with its heading and source line.
"""

from __future__ import annotations

import pandas as pd

from components.charts import Recipe
from components.downloads import data_panel
from components.i18n import t
from components.provenance import source_text
from components.survey_charts import for_export
from components.survey_labels import printed_name, wrap_label

# Header key (in strings/<page>.toml) of every column a survey table may show.
HEADERS = {
    "share_pct": "col_share",
    "share_no_pct": "col_share_no",
    "sum_printed_pct": "col_sum",
    "ci_low_pct": "col_lo",
    "ci_high_pct": "col_hi",
    "n_respondents": "col_n",
    "n_base": "col_n_base",
    "n_printed": "col_n_printed",
    "doubtful": "col_doubtful",
    "table_no": "col_table",
    "note": "col_note",
}


def survey_table(
    df: pd.DataFrame, page: str, labels: dict[str, str], columns: list[str]
) -> pd.DataFrame:
    """The label columns (column → header key), then `columns` under their HEADERS; interval
    bounds to one decimal (the shares are printed whole), a missing note as blank."""
    out = {t(f"{page}.{key}"): df[col] for col, key in labels.items()}
    for col in columns:
        values = df[col]
        if col.startswith("ci_"):
            values = values.round(1)
        elif col == "note":
            values = values.fillna("")
        out[t(f"{page}.{HEADERS[col]}")] = values
    return pd.DataFrame(out)


def chart_panel(
    table: pd.DataFrame, name: str, source_ids, chart: Recipe, heading: str, key: str
) -> None:
    """data_panel for one chart: its table and CSV, and the chart as PNG/SVG with the heading
    and source line on the image (built only when a download is clicked)."""
    ids = list(source_ids)
    export = lambda: for_export(chart.build(), heading, source_text(ids))  # noqa: E731
    data_panel(table, name, ids, export, key=key)


def with_doubt_marks(fam: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """Groups of a yes/no table (query familiarity) named in the build's validation flags get
    doubtful = True and a «*» after their label (in the reader's language)."""
    hit = flags[flags["source_id"] == fam["source_id"].iloc[0]]
    named = set(hit["row_label"]) | set(hit["column_label"])
    out = fam.assign(doubtful=fam["group_label"].isin(named) & ~fam["is_total"])
    out["label"] = [
        printed_name(g) + (" *" if d else "")
        for g, d in zip(out["group_label"], out["doubtful"], strict=True)
    ]
    return out


def info_sources_view(src: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str], pd.DataFrame]:
    """Tabell 3 for the heat map: (cells with translated row and «trinn|n=…» column labels,
    column order, row order, the wide table)."""
    src = src.assign(
        row=src["info_source"].map(printed_name), trinn_name=src["trinn"].map(printed_name)
    )
    src["column"] = [
        wrap_label(name) + f"|n={n}"
        for name, n in zip(src["trinn_name"], src["n_respondents"], strict=True)
    ]
    columns = list(dict.fromkeys(src.sort_values("source_order")["column"]))
    everyone = src[src["is_all_schools"]].sort_values(
        ["is_unanswered", "share_pct"], ascending=[True, False]
    )
    rows = list(
        everyone["row"]
    )  # by the share of all schools; «no answer» last, whatever its share
    wide = src.assign(col=src["trinn_name"] + " (n=" + src["n_respondents"].astype(str) + ")")
    wide = wide.pivot_table(index="row", columns="col", values="share_pct", sort=False).reindex(
        rows
    )
    wide = wide.reset_index().rename(columns={"row": t("kjennskap.col_source")})
    return src, columns, rows, wide
