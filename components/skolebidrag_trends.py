"""Skolebidrag page: which kommuner are in the chart, their trends with spread, and actual and
expected results where the data has them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import skolebidrag as sb
from components import skolebidrag_charts as charts
from components import skolebidrag_data as sd
from components import skolebidrag_words as w
from components import state
from components.charts import draw, recipe
from components.downloads import data_panel
from components.fmt import num
from components.i18n import t

SOURCE_SB = ["udir_skolebidrag", "kommune_successors", "kommune_changes_2020"]
_PENDING = "_sb_pending_k"
_LAST_DEFAULT = "_sb_k_default"


def labels_of(df: pd.DataFrame) -> dict[str, str]:
    """One label per unit code in df (from the rows, so former kommuner say «→ successor»)."""
    first = df.drop_duplicates("kommune_code")
    return dict(zip(first.kommune_code, first.label, strict=True))


def units_for(code: str, df: pd.DataFrame) -> list[str]:
    """The units in df that stand for a 2020 kommune: itself, or the former kommuner that
    became (part of) it."""
    present = set(df.kommune_code)
    if code in present:
        return [code]
    return [c for c in sd.units().predecessors.get(code, ()) if c in present]


def kommune_selection(
    df: pd.DataFrame, trinn: str, mine: str | None, example: list[str]
) -> list[str]:
    labels = labels_of(df)
    options = sorted(labels, key=lambda c: labels[c].casefold())
    own = units_for(mine, df) if mine else []
    default = own[:4] or [c for c in example if c in labels] or options[:1]
    current = st.session_state.get("k")
    # A selection the user has not touched follows the sidebar kommune and the trinn.
    if current is not None and (
        list(current) == st.session_state.get(_LAST_DEFAULT)
        or (current and not any(c in labels for c in current))
    ):
        st.session_state["k"] = list(default)
    st.session_state[_LAST_DEFAULT] = list(default)
    pending = st.session_state.pop(_PENDING, None)
    if pending:  # kommuner clicked on the map (pick_kommune), or their former kommuner
        units = [u for c in pending for u in units_for(c, df)]
        now = [c for c in st.session_state.get("k", default) if c in labels]
        st.session_state["k"] = now + [c for c in units if c in labels and c not in now]
    if mine and mine not in labels:
        name = sd.units().name(mine)
        if own:
            former = w.join(labels[c].split(" → ")[0] for c in own)  # «Flora (utgått)»
            st.caption(t("skolebidrag.sidebar_predecessors", name=name, former=former))
        else:
            st.caption(t("skolebidrag.sidebar_no_data", name=name, trinn=w.trinn_label(trinn)))
    return state.url_multi(
        "k",
        options,
        t("skolebidrag.kommune_select"),
        default=default,
        format_func=lambda c: labels.get(c, c),
        max_selections=8,
    )


def pick_kommune(code: str) -> None:
    """A click on the map (callback, before the run): the kommune becomes «min kommune» and is
    added to the chart (kommune_selection adds it, or its former kommuner, in this run)."""
    st.session_state[_PENDING] = [code]
    state.choose_kommune(code)


def former_note(code: str, df: pd.DataFrame) -> str:
    """«Eid ble slått sammen … til Stad. Andre tidligere kommuner i Stad med tall her: Selje.»"""
    u = sd.units()
    name = u.name(code)
    successors = u.successors(code)
    if len(successors) > 1:
        return t(
            "skolebidrag.former_note_split", name=name, successor=w.join(map(u.name, successors))
        )
    successor = successors[0]
    text = t("skolebidrag.former_note", name=name, successor=u.name(successor))
    others = [c for c in units_for(successor, df) if c != code]
    if others:
        text += " " + t(
            "skolebidrag.former_others",
            successor=u.name(successor),
            others=w.join(map(u.name, others)),
        )
    return text


def trends(df: pd.DataFrame, selected: list[str], periods: list[str], trinn: str) -> None:
    st.subheader(t("skolebidrag.trend_header"))
    if not selected:
        st.info(t("skolebidrag.pick_kommune"), icon=":material/touch_app:")
        return
    df = df.assign(kommune_label=df.label)
    sel = df[df.kommune_code.isin(selected)]
    sel = sel.assign(
        source_label=[
            w.source_label(p, f, i)
            for p, f, i in zip(sel.provenance, sel.source_file, sel.imported_at, strict=True)
        ]
    )
    order = {c: i for i, c in enumerate(selected)}  # colours stay with a kommune when adding
    sel = sel.assign(_o=sel.kommune_code.map(order)).sort_values(["_o", "period"])
    peers = df[df.fylke_name_2020.isin(set(sel.fylke_name_2020)) & ~df.kommune_code.isin(selected)]
    spread = sb.spread_by_unit(
        sel.dropna(subset=["value"]),
        unit_col="kommune_label",
        period_col="period",
        value_col="value",
    ).rename(columns={"min": "low", "max": "high"})
    chart = recipe(
        charts.trend_chart,
        sel[["kommune_label", "period", "value", "source_label"]],
        peers[["kommune_label", "period", "value"]],
        spread[["kommune_label", "low", "high", "sd"]],
        periods,
        y_title=w.unit_label(trinn),
        x_title=t("skolebidrag.period_axis"),
        zero_label=t("skolebidrag.zero_label"),
        colour_title=t("skolebidrag.col_kommune"),
        source_title=t("skolebidrag.col_provenance"),
        tooltip_titles={
            "kommune": t("skolebidrag.tt_kommune"),
            "low": t("skolebidrag.tt_low"),
            "high": t("skolebidrag.tt_high"),
            "sd": t("skolebidrag.tt_sd"),
        },
    )
    draw(chart)
    st.caption(t("skolebidrag.trend_caption"))
    for r in spread.itertuples():
        st.markdown(
            "- "
            + t(
                "skolebidrag.spread_text",
                name=r.kommune_label,
                n=int(r.n_periods),
                low=num(r.low, 1),
                high=num(r.high, 1),
                sd=num(r.sd, 2),
            )
        )
    for code in dict.fromkeys(sel[sel.is_former].kommune_code):
        st.caption(":material/merge: " + former_note(code, df))
    suppressed = sel[sel.suppressed.astype(bool)]
    if not suppressed.empty:
        cells = ", ".join(f"{r.kommune_label} {r.period}" for r in suppressed.itertuples())
        st.caption(t("skolebidrag.suppressed_note", cells=cells))
    table = pd.DataFrame(
        {
            t("skolebidrag.col_kommune"): sel.kommune_label,
            t("skolebidrag.col_period"): sel.period,
            t("skolebidrag.col_value"): sel.value,
            t("skolebidrag.col_suppressed"): sel.suppressed.astype(bool),
            t("skolebidrag.col_provenance"): sel.source_label,
        }
    )
    data_panel(
        table,
        f"skolebidrag_{trinn}_utvikling",
        SOURCE_SB,
        chart.build,
        key="sb_trend",
        column_config={t("skolebidrag.col_value"): st.column_config.NumberColumn(format="%.1f")},
    )


def grade_points(selected: list[str], trinn: str) -> None:
    """Actual and expected results beside the skolebidrag, for selected kommuner that have them
    (Skoleporten printed them for the former Sogn og Fjordane kommuner; a Udir download has them
    for every kommune)."""
    rows = sd.rows(indicator=None)
    rows = rows[rows.kommune_code.isin(selected) & (rows.trinn == trinn)]
    actual, expected = t("skolebidrag.grade_actual"), t("skolebidrag.grade_expected")
    for code in selected:
        mine = rows[rows.kommune_code == code]
        gp = mine[mine.indicator.isin(["faktisk", "forventet"])]
        if gp.empty:
            continue
        wide = gp.pivot_table(index="period", columns="indicator", values="value").reset_index()
        published = mine[mine.indicator == "skolebidrag"].set_index("period").value
        table = pd.DataFrame(
            {
                t("skolebidrag.col_period"): wide.period,
                actual: wide.get("faktisk"),
                expected: wide.get("forventet"),
            }
        )
        if "forventet" in wide and "faktisk" in wide:
            table[t("skolebidrag.grade_diff")] = (wide.faktisk - wide.forventet).round(1)
        table[t("skolebidrag.col_value")] = wide.period.map(published).to_numpy()
        name = sd.units().name(code)
        st.markdown(f"**{t('skolebidrag.grade_header', name=name)}**")
        long = gp.assign(series=gp.indicator.map({"faktisk": actual, "forventet": expected}))
        chart = recipe(
            charts.grade_points_chart,
            long[["period", "series", "value"]],
            w.period_order(long.period),
            x_title=t("skolebidrag.col_period"),
            y_title=t("skolebidrag.grade_axis"),
            colour_title=t("skolebidrag.grade_series"),
        )
        draw(chart)
        st.caption(t("skolebidrag.grade_caption"))
        if "forventet" not in wide:
            st.caption(t("skolebidrag.grade_no_expected", name=name))
        data_panel(table, f"karakterpoeng_{code}", SOURCE_SB, chart.build, key=f"sb_gp_{code}")
