"""Skolebidrag page: the expert group's profiles applied to the loaded kommuner, the expert
group's own school counts for comparison, and — where an upload has them — the schools of the
chosen kommune with their profiles (the level the expert group worked at)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import skolebidrag as sb
from components import skolebidrag_data as sd
from components import skolebidrag_words as w
from components.downloads import data_panel
from components.figures import figure_text
from components.i18n import t

SOURCE = ["udir_skolebidrag", "kommune_successors", "r2021_tekst"]


def profiles_for(df: pd.DataFrame, unit_col: str = "kommune_code") -> pd.DataFrame:
    """Profile per unit over the expert group's five periods (a suppressed cell counts as
    missing, so such a unit gets no profile)."""
    return sb.classify_profiles(df, unit_col=unit_col, period_col="period", value_col="value")


def profiles(prof: pd.DataFrame, df: pd.DataFrame, trinn: str) -> None:
    st.subheader(t("skolebidrag.profile_header"))
    st.markdown(t("skolebidrag.profile_intro"))
    st.markdown(t("skolebidrag.profile_rules"))
    labels = dict(zip(df.kommune_code, df.label, strict=False))
    complete = prof[prof.profile != "ufullstendig"]
    st.caption(t("skolebidrag.profile_count", n=len(complete)))
    for col, key in zip(st.columns(len(w.PROFILE_KEYS)), w.PROFILE_KEYS, strict=True):
        members = prof[prof.profile == key].kommune_code
        with col:
            st.metric(w.profile_label(key), f"{len(members)} / {len(complete)}")
            names = sorted(labels[c] for c in members)
            st.caption(", ".join(names) if names else t("skolebidrag.profile_none_listed"))
    st.caption(t("skolebidrag.profile_caution"))
    expert_counts()
    table = pd.DataFrame(
        {
            t("skolebidrag.col_kommune"): [labels[c] for c in prof.kommune_code],
            t("skolebidrag.col_profile"): prof.profile.map(w.profile_label),
            t("skolebidrag.col_n_periods"): prof.n_periods,
        }
    ).sort_values(t("skolebidrag.col_kommune"))
    data_panel(table, f"skolebidrag_{trinn}_profiler", SOURCE, key="sb_prof")


def expert_counts() -> None:
    """The expert group's own school counts (2021, 5.1.1), by figure key."""
    st.markdown(f"**{t('skolebidrag.expert_counts_header')}**")
    st.markdown(figure_text("skolebidrag.expert_counts"))


def schools(codes: list[str], trinn: str) -> None:
    """The schools of the chosen kommune(s) in an uploaded or imported file: latest value,
    spread over periods and profile, sorted by name (not ranked)."""
    rows = sd.rows(level="skole")
    rows = rows[rows.kommune_code.isin(codes) & (rows.trinn == trinn)]
    if rows.empty:
        return
    st.subheader(t("skolebidrag.schools_header"))
    prof = profiles_for(rows, unit_col="school_name").set_index("school_name")
    spread = sb.spread_by_unit(
        sd.with_values(rows), unit_col="school_name", period_col="period", value_col="value"
    ).set_index("school_name")
    names = sorted(rows.school_name.unique(), key=str.casefold)
    table = pd.DataFrame(
        {
            t("skolebidrag.col_school"): names,
            t("skolebidrag.col_kommune"): [
                sd.units().name(rows[rows.school_name == n].kommune_code.iloc[0]) for n in names
            ],
            t("skolebidrag.col_latest_period"): [spread.latest_period.get(n) for n in names],
            t("skolebidrag.col_value"): [spread.latest_value.get(n) for n in names],
            t("skolebidrag.col_min"): [spread["min"].get(n) for n in names],
            t("skolebidrag.col_max"): [spread["max"].get(n) for n in names],
            t("skolebidrag.col_n_periods"): [int(prof.n_periods.get(n, 0)) for n in names],
            t("skolebidrag.col_profile"): [
                w.profile_label(prof.profile.get(n, "ufullstendig")) for n in names
            ],
        }
    )
    counts = prof.profile.value_counts()
    st.markdown(
        t(
            "skolebidrag.schools_text",
            n=len(names),
            complete=int((prof.profile != "ufullstendig").sum()),
            high=int(counts.get("stabilt_hoy", 0)),
            rising=int(counts.get("jevn_progresjon", 0)),
            low=int(counts.get("stabilt_lav", 0)),
        )
    )
    st.caption(t("skolebidrag.schools_caution"))
    data_panel(
        table,
        f"skolebidrag_{trinn}_skoler",
        SOURCE,
        key="sb_schools",
        expanded=True,
        column_config={t("skolebidrag.col_value"): st.column_config.NumberColumn(format="%.1f")},
    )
