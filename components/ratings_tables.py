"""The Aktører page's tables: the comparison a reader scans (display text, the reader's number
format) and the numbers a spreadsheet gets (real numbers, rounded, headers in the page language).

Both take the page's per-item statistics (analysis.ratings.item_statistics plus note_text).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import fmt
from components.i18n import t
from components.ratings_words import who


def sd_text(sd, printed) -> str:
    """An SD with as many decimals as the print gives («,930» keeps three, «0,54» two)."""
    if pd.isna(sd):
        return fmt.DASH
    decimals = len(str(printed).rsplit(",", 1)[-1]) if isinstance(printed, str) else 2
    return fmt.num(sd, decimals)


def _mean_sd(mean, sd, printed) -> str:
    if pd.isna(mean):
        return fmt.DASH
    return f"{fmt.num(mean, 2)} ({sd_text(sd, printed)})"


def comparison_table(stats: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The per-item comparison as display text plus its column_config.

    Compact enough to fit a projected screen; the sentence per item and the notes are shown
    below the table (ratings_words.plain_words), the full numbers are in the download."""
    rows = list(stats.itertuples())
    table = pd.DataFrame(
        {
            "item": stats["item"],
            "leader": [_mean_sd(r.mean_leader, r.sd_leader, r.sd_leader_printed) for r in rows],
            "owner": [_mean_sd(r.mean_owner, r.sd_owner, r.sd_owner_printed) for r in rows],
            "who": [who(r) for r in rows],
            "d_printed": [fmt.num(d, 2) for d in stats["d_printed"]],
            "d_unweighted": [fmt.signed(d, 2) for d in stats["d_unweighted"]],
            "d_pooled": [fmt.signed(d, 2) for d in stats["d_pooled"]],
            "magnitude": [fmt.magnitude(d, short=True) for d in stats["d_printed"]],
            "welch": [
                f"{fmt.num(r.welch_t, 2)} ({fmt.num(r.welch_df, 1)})" if r.both else fmt.DASH
                for r in rows
            ],
            "p": [fmt.p_number(r.p_value) if r.both else fmt.DASH for r in rows],
        }
    )
    # (column, header key, help key or None, width in pixels)
    spec = [
        ("leader", "col_leader", "help_mean_sd", 95),
        ("owner", "col_owner", "help_mean_sd", 95),
        ("who", "col_who", "help_who", 150),
        ("d_printed", "col_d_printed", "help_d_printed", 68),
        ("d_unweighted", "col_d_unweighted", "help_d_unweighted", 72),
        ("d_pooled", "col_d_pooled", "help_d_pooled", 68),
        ("magnitude", "col_magnitude", "help_magnitude", 85),
        ("welch", "col_welch", "help_welch", 90),
        ("p", "col_p", "help_p", 58),
    ]
    text = st.column_config.TextColumn
    config = {"item": text(t("aktorer.col_item"), width=150, pinned=True)} | {
        col: text(t(f"aktorer.{head}"), help=t(f"aktorer.{tip}"), width=width)
        for col, head, tip, width in spec
    }
    return table, config


# Spreadsheet columns: statistic → header key suffix (aktorer.csv_…), in this order.
_DOWNLOAD = {
    "item": "item",
    "mean_leader": "mean_leader",
    "sd_leader": "sd_leader",
    "n_leader": "n_leader",
    "ci_leader_low": "ci_leader_low",
    "ci_leader_high": "ci_leader_high",
    "mean_owner": "mean_owner",
    "sd_owner": "sd_owner",
    "n_owner": "n_owner",
    "ci_owner_low": "ci_owner_low",
    "ci_owner_high": "ci_owner_high",
    "diff": "diff",
    "d_printed": "d_printed",
    "d_unweighted": "d_unweighted",
    "d_pooled": "d_pooled",
    "convention": "convention",
    "welch_t": "welch_t",
    "welch_df": "welch_df",
    "p_value": "p",
}


def download_frame(stats: pd.DataFrame, table_no: str) -> pd.DataFrame:
    """Numbers for the spreadsheet: one row per item, real numbers (not display text)."""
    out = stats[list(_DOWNLOAD)].copy()
    for c in ("ci_leader_low", "ci_leader_high", "ci_owner_low", "ci_owner_high", "diff"):
        out[c] = out[c].round(3)
    for c in ("d_unweighted", "d_pooled", "welch_t", "welch_df", "p_value"):
        out[c] = out[c].round(4)
    out["convention"] = out["convention"].map(
        {c: t(f"aktorer.conv_{c}") for c in ("unweighted", "pooled", "both", "neither")}
    )
    out[["n_leader", "n_owner"]] = out[["n_leader", "n_owner"]].astype("Int64")
    out["assumed"] = (stats["leader_read_as"] | stats["owner_read_as"]).map(
        {True: t("aktorer.assumed_yes"), False: ""}
    )
    out.insert(0, "table_no", table_no)
    names = {k: t(f"aktorer.csv_{v}") for k, v in _DOWNLOAD.items()}
    names |= {"table_no": t("aktorer.csv_table"), "assumed": t("aktorer.csv_assumed")}
    return out.rename(columns=names)
