"""Sections of the Skolebidrag page: each takes prepared DataFrames and draws one part.

The page (views/skolebidrag.py) reads filters and data and calls these in order; statistics
come from analysis/skolebidrag.py, charts from components/skolebidrag_charts.py.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

import queries
from analysis import skolebidrag as sb
from components import maps, state
from components import skolebidrag_charts as charts
from components import skolebidrag_upload as upload
from components.charts import draw, recipe
from components.downloads import data_panel
from components.i18n import fmt_num, lang, t
from components.provenance import source_text

TRINN = ("1-4", "5-7", "8-10")
SOURCE_SB = ["udir_skolebidrag", "kommune_successors"]
SOURCE_EXPERT = ["r2021_tekst"]
SOURCE_POP = ["ssb_kommune_population"]
# Profiles from analysis.skolebidrag.classify_profiles, in the order the expert group lists them.
PROFILE_KEYS = ("stabilt_hoy", "jevn_progresjon", "stabilt_lav")
# Map colours per profile (Okabe–Ito blue / green / vermillion); the tooltip names the profile.
PROFILE_COLOUR = {"stabilt_hoy": 0, "jevn_progresjon": 2, "stabilt_lav": 5}


def cli_command() -> str:
    return (
        f"python -m data.import_cli skolebidrag {t('skolebidrag.cli_file')}\npython -m data.build"
    )


def trinn_label(trinn: str) -> str:
    return t(f"skolebidrag.trinn_{trinn.replace('-', '_')}")


def unit_label(trinn: str) -> str:
    return t(f"skolebidrag.unit_{trinn.replace('-', '_')}")


def num(x, decimals: int = 1) -> str:
    return fmt_num(x, decimals)


def kommune_label(row) -> str:
    """'Bodø (Nordland)'; former kommuner: 'Eid (utgått) → Stad'."""
    if bool(row.is_former):
        return f"{row.kommune_name} → {row.successor_2020_name}".replace("; ", "/")
    if str(row.kommune_name).endswith(")"):  # «Herøy (Nordland)»: already told apart
        return str(row.kommune_name)
    return f"{row.kommune_name} ({row.fylke_name_2020})"


def label_map(df: pd.DataFrame) -> dict[str, str]:
    """One label per kommune code (names may differ between embedded and imported rows)."""
    first = df.sort_values("provenance").drop_duplicates("kommune_code")  # «embedded» first
    return {r.kommune_code: kommune_label(r) for r in first.itertuples()}


def source_label(row) -> str:
    if row.provenance == "upload":
        return t("skolebidrag.source_upload", file=row.source_file, time=row.imported_at)
    if row.provenance == "import":
        return t("skolebidrag.source_import", file=row.source_file)
    return t("skolebidrag.source_embedded")


def period_order(periods) -> list[str]:
    return sorted(set(periods), key=sb.period_sort_key)


# ----------------------------------------------------------------------------- coverage


def coverage(data: pd.DataFrame) -> None:
    st.subheader(t("skolebidrag.coverage_header"))
    emb = data[data.provenance == "embedded"]
    st.markdown(t("skolebidrag.coverage_text", n_kommuner=emb.kommune_code.nunique()))
    rows = []
    for trinn in TRINN:
        part = data[data.trinn == trinn]
        if part.empty:
            rows.append(
                {
                    t("skolebidrag.col_trinn"): trinn_label(trinn),
                    t("skolebidrag.col_fylke"): "–",
                    t("skolebidrag.col_kommuner"): 0,
                    t("skolebidrag.col_former"): 0,
                    t("skolebidrag.col_periods"): "–",
                    t("skolebidrag.col_source"): "–",
                }
            )
            continue
        fylke = part.listing_fylke.fillna(part.fylke_name_2020).str.replace(
            r"\s*\(fylke before 2020.*\)$", "", regex=True
        )
        for name, g in part.assign(_f=fylke).groupby("_f", sort=True):
            periods = period_order(g.period)
            prov = {
                "embedded": t("skolebidrag.source_embedded"),
                "import": t("skolebidrag.source_import_short"),
                "upload": t("skolebidrag.source_upload_short"),
            }
            rows.append(
                {
                    t("skolebidrag.col_trinn"): trinn_label(trinn),
                    t("skolebidrag.col_fylke"): name,
                    t("skolebidrag.col_kommuner"): g.kommune_code.nunique(),
                    t("skolebidrag.col_former"): g[g.is_former.astype(bool)].kommune_code.nunique(),
                    t("skolebidrag.col_periods"): f"{periods[0]} – {periods[-1]}",
                    t("skolebidrag.col_source"): ", ".join(
                        prov[p] for p in dict.fromkeys(g.provenance)
                    ),
                }
            )
    table = pd.DataFrame(rows)
    st.dataframe(table, hide_index=True, width="stretch")
    up = upload.stored()
    if up is not None:
        rows_up = upload.stored_rows()
        st.caption(
            t(
                "skolebidrag.coverage_upload_active",
                file=up["file_name"],
                rows=len(rows_up),
                kommuner=rows_up.kommune_code.nunique(),
            )
        )
    data_panel(table, "skolebidrag_dekning", SOURCE_SB, key="sb_coverage")
    st.markdown(":material/upload_file: " + t("skolebidrag.coverage_import"))
    with st.expander(t("skolebidrag.cli_expander")):
        st.code(cli_command(), language="bash")


def explain(trinn: str) -> None:
    facts = queries.run("indicator_facts")
    corr = facts[facts.kind == "correlation"].set_index("label")["value"]
    r_14 = next((v for k, v in corr.items() if k.startswith("Skolebidrag 1.–4.")), None)
    r_57 = next((v for k, v in corr.items() if k.startswith("Skolebidrag 5.–7.")), None)
    st.markdown(t(f"skolebidrag.explain_{trinn.replace('-', '_')}"))
    st.caption(
        t("skolebidrag.not_comparable", r_14_57=num(r_14, 2), r_57_810=num(r_57, 2))
        + " "
        + source_text(SOURCE_EXPERT)
    )


def no_data(trinn: str) -> None:
    st.info(t("skolebidrag.no_data_trinn", trinn=trinn_label(trinn)), icon=":material/info:")
    st.code(cli_command(), language="bash")


# ----------------------------------------------------------------------------- trends


def trends(df: pd.DataFrame, selected: list[str], periods: list[str], trinn: str) -> None:
    st.subheader(t("skolebidrag.trend_header"))
    if not selected:
        st.info(t("skolebidrag.pick_kommune"), icon=":material/touch_app:")
        return
    df = df.assign(
        kommune_label=df.kommune_code.map(label_map(df)),
        source_label=[source_label(r) for r in df.itertuples()],
        value=df.skolebidrag_points,
    )
    sel = df[df.kommune_code.isin(selected)]
    # keep the user's order so colours stay with a kommune when others are added
    order = {c: i for i, c in enumerate(selected)}
    sel = sel.assign(_o=sel.kommune_code.map(order)).sort_values(["_o", "period"])
    fylker = set(sel.fylke_name_2020)
    peers = df[df.fylke_name_2020.isin(fylker) & ~df.kommune_code.isin(selected)]
    spread = sb.spread_by_unit(
        sel.dropna(subset=["value"]),
        unit_col="kommune_label",
        period_col="period",
        value_col="value",
    )
    spread_df = spread.rename(columns={"min": "low", "max": "high"})
    chart = recipe(
        charts.trend_chart,
        sel[["kommune_label", "period", "value", "source_label"]],
        peers[["kommune_label", "period", "value"]],
        spread_df[["kommune_label", "low", "high", "sd"]],
        periods,
        y_title=unit_label(trinn),
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
    for r in spread_df.itertuples():
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
    for r in sel.drop_duplicates("kommune_code").itertuples():
        if bool(r.is_former):
            st.caption(":material/merge: " + former_note(r, df))
    suppressed = sel[sel.suppressed.astype(bool)]
    if not suppressed.empty:
        cells = ", ".join(f"{r.kommune_label} {r.period}" for r in suppressed.itertuples())
        st.caption(t("skolebidrag.suppressed_note", cells=cells))
    table = sel.assign(
        **{
            t("skolebidrag.col_kommune"): sel.kommune_label,
            t("skolebidrag.col_period"): sel.period,
            t("skolebidrag.col_value"): sel.value,
            t("skolebidrag.col_suppressed"): sel.suppressed.astype(bool),
            t("skolebidrag.col_provenance"): sel.source_label,
        }
    ).iloc[:, -5:]
    data_panel(
        table,
        f"skolebidrag_{trinn}_utvikling",
        SOURCE_SB,
        chart.build,
        key="sb_trend",
        column_config={t("skolebidrag.col_value"): st.column_config.NumberColumn(format="%.2f")},
    )


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {t('skolebidrag.and')} " + names[-1]


def former_note(row, all_rows: pd.DataFrame) -> str:
    """«Eid ble slått sammen … til Stad. Andre tidligere kommuner i Stad med tall her: Selje.»"""
    name = row.kommune_name.replace(" (utgått)", "")
    successor = str(row.successor_2020_name)
    if ";" in str(row.successor_2020_code):
        parts = [s.strip() for s in successor.split(";")]
        return t("skolebidrag.former_note_split", name=name, successor=_join(parts))
    text = t("skolebidrag.former_note", name=name, successor=successor)
    units = all_rows.drop_duplicates("kommune_code").set_index("kommune_code")
    others = [
        c
        for c in successor_map(all_rows).get(str(row.successor_2020_code), [])
        if c != row.kommune_code
    ]
    names = [units.loc[c].kommune_name.replace(" (utgått)", "") for c in others]
    if len(names):
        text += " " + t("skolebidrag.former_others", successor=successor, others=_join(names))
    return text


# ----------------------------------------------------------------------------- selection

_PENDING = "_sb_pending_k"
_LAST_DEFAULT = "_sb_k_default"


def successor_map(df: pd.DataFrame) -> dict[str, list[str]]:
    """2020 kommune code → the former kommuner in df that became (part of) it."""
    out: dict[str, list[str]] = {}
    former = df[df.is_former.astype(bool)].drop_duplicates("kommune_code")
    for r in former.itertuples():
        for code in str(r.successor_2020_code).split(";"):
            out.setdefault(code.strip(), []).append(r.kommune_code)
    return out


def _predecessors(df: pd.DataFrame, code: str) -> list[str]:
    return successor_map(df).get(code, [])


def kommune_selection(
    df: pd.DataFrame, kommuner: pd.DataFrame, trinn: str, mine: str | None, example: list[str]
) -> list[str]:
    labels = label_map(df)
    options = sorted(labels, key=lambda c: labels[c].casefold())
    if mine and mine in labels:
        default = [mine]
    elif mine and _predecessors(df, mine):
        default = _predecessors(df, mine)[:4]
    else:
        default = [c for c in example if c in labels] or options[:1]
    current = st.session_state.get("k")
    # A selection the user has not touched follows the sidebar kommune and the trinn.
    if current is not None and (
        list(current) == st.session_state.get(_LAST_DEFAULT)
        or (current and not any(c in labels for c in current))
    ):
        st.session_state["k"] = list(default)
    st.session_state[_LAST_DEFAULT] = list(default)
    pending = st.session_state.pop(_PENDING, None)
    if pending:
        now = [c for c in st.session_state.get("k", default) if c in labels]
        st.session_state["k"] = now + [c for c in pending if c in labels and c not in now]
    if mine and mine not in labels:
        name = kommuner.set_index("kommune_code").kommune_name.get(mine, mine)
        pre = _predecessors(df, mine)
        if pre:
            st.caption(
                t(
                    "skolebidrag.sidebar_predecessors",
                    name=name,
                    former=_join([labels[c].split(" → ")[0] for c in pre]),
                )
            )
        else:
            st.caption(t("skolebidrag.sidebar_no_data", name=name, trinn=trinn_label(trinn)))
    return state.url_multi(
        "k",
        options,
        t("skolebidrag.kommune_select"),
        default=default,
        format_func=lambda c: labels.get(c, c),
        max_selections=8,
    )


def handle_map_click(code: str | None, df: pd.DataFrame) -> None:
    """A click on the map (reported once) adds the kommune (or its former kommuner) to the
    chart and makes it «min kommune»."""
    if code is None:
        return
    codes = [code] if (df.kommune_code == code).any() else _predecessors(df, code)
    if codes:
        st.session_state[_PENDING] = codes
    state.request_kommune(code)  # reruns when the kommune changes
    st.rerun()


# ----------------------------------------------------------------------------- grade points


def grade_points(df: pd.DataFrame, selected: list[str]) -> None:
    """Actual and expected grade points for selected former Sogn og Fjordane kommuner."""
    units = df[df.kommune_code.isin(selected) & df.is_former.astype(bool)]
    units = units[units.listing_fylke.astype(str).str.startswith("Sogn og Fjordane")]
    for r in units.sort_values("provenance").drop_duplicates("kommune_code").itertuples():
        gp = queries.run("grade_points", kommune=r.kommune_code)
        gp = gp[gp.kommune_code == r.kommune_code]
        if gp.empty:
            continue
        wide = gp.pivot_table(index="period", columns="indicator", values="value").reset_index()
        published = df[df.kommune_code == r.kommune_code].set_index("period").skolebidrag_points
        actual = t("skolebidrag.grade_actual")
        expected = t("skolebidrag.grade_expected")
        table = pd.DataFrame(
            {
                t("skolebidrag.col_period"): wide.period,
                actual: wide.get("faktiske_karakterpoeng"),
                expected: wide.get("forventet_karakterpoeng"),
            }
        )
        if "forventet_karakterpoeng" in wide:
            table[t("skolebidrag.grade_diff")] = (
                wide.faktiske_karakterpoeng - wide.forventet_karakterpoeng
            ).round(1)
        table[t("skolebidrag.col_value")] = wide.period.map(published).to_numpy()
        name = r.kommune_name.replace(" (utgått)", "")
        st.markdown(f"**{t('skolebidrag.grade_header', name=name)}**")
        long = gp.assign(
            series=gp.indicator.map(
                {"faktiske_karakterpoeng": actual, "forventet_karakterpoeng": expected}
            )
        )[["period", "series", "value"]]
        chart = recipe(
            charts.grade_points_chart,
            long,
            period_order(long.period),
            x_title=t("skolebidrag.col_period"),
            y_title=t("skolebidrag.grade_axis"),
            colour_title=t("skolebidrag.grade_series"),
        )
        draw(chart)
        st.caption(t("skolebidrag.grade_caption"))
        if "forventet_karakterpoeng" not in wide:
            st.caption(t("skolebidrag.grade_no_expected", name=name))
        data_panel(
            table,
            f"karakterpoeng_{r.kommune_code}",
            SOURCE_SB,
            chart.build,
            key=f"sb_gp_{r.kommune_code}",
        )


# ----------------------------------------------------------------------------- period, profiles


def period_choice(df: pd.DataFrame, periods: list[str]) -> str:
    """The period for map and funnel: by default the latest one that covers at least half as
    many kommuner as the best-covered period (so a small upload of a newer period does not
    empty the map)."""
    counts = df.dropna(subset=["skolebidrag_points"]).groupby("period").kommune_code.nunique()
    full = [p for p in periods if counts.get(p, 0) >= 0.5 * max(counts.max(), 1)]
    default = full[-1] if full else periods[-1]
    col, _ = st.columns([1, 3])
    return state.url_choice(
        "periode",
        list(reversed(periods)),
        t("skolebidrag.period_label"),
        default=default,
        widget="selectbox",
        container=col,
    )


def profiles_for(df: pd.DataFrame) -> pd.DataFrame:
    """Profile per kommune over the expert group's five periods (suppressed cells count as
    missing, so such a kommune gets no profile)."""
    return sb.classify_profiles(
        df, unit_col="kommune_code", period_col="period", value_col="skolebidrag_points"
    )


def profile_label(key: str) -> str:
    return t(f"skolebidrag.profile_{key}")


def profiles(prof: pd.DataFrame, df: pd.DataFrame, trinn: str) -> None:
    st.subheader(t("skolebidrag.profile_header"))
    st.markdown(t("skolebidrag.profile_intro"))
    st.markdown(t("skolebidrag.profile_rules"))
    labels = label_map(df)
    complete = prof[prof.profile != "ufullstendig"]
    st.caption(t("skolebidrag.profile_count", n=len(complete)))
    cols = st.columns(len(PROFILE_KEYS))
    for col, key in zip(cols, PROFILE_KEYS, strict=True):
        members = prof[prof.profile == key].kommune_code
        with col:
            st.metric(profile_label(key), f"{len(members)} / {len(complete)}")
            names = sorted(labels[c] for c in members)
            st.caption(", ".join(names) if names else t("skolebidrag.profile_none_listed"))
    st.caption(t("skolebidrag.profile_caution"))
    expert = queries.run("expert_profiles")

    def count(tr: str, prefix: str) -> str:
        row = expert[expert.trinn.str.startswith(tr) & expert.profile.str.startswith(prefix)]
        return fmt_num(row.n_schools.iloc[0]) if len(row) else "–"

    def total(tr: str) -> str:
        row = expert[expert.trinn.str.startswith(tr)]
        return fmt_num(row.n_schools_all_periods.iloc[0]) if len(row) else "–"

    st.markdown(f"**{t('skolebidrag.expert_counts_header')}**")
    st.markdown(
        t(
            "skolebidrag.expert_counts",
            n_57=total("5."),
            p1_57=count("5.", "Profil 1"),
            p3_57=count("5.", "Profil 3"),
            p4_57=count("5.", "Profil 4"),
            n_810=total("8."),
            p1_810=count("8.", "Profil 1"),
            p3_810=count("8.", "Profil 3"),
            p4_810=count("8.", "Profil 4"),
        )
    )
    table = pd.DataFrame(
        {
            t("skolebidrag.col_kommune"): [labels[c] for c in prof.kommune_code],
            t("skolebidrag.col_profile"): prof.profile.map(profile_label),
            t("skolebidrag.col_n_periods"): prof.n_periods,
        }
    ).sort_values(t("skolebidrag.col_kommune"))
    data_panel(table, f"skolebidrag_{trinn}_profiler", SOURCE_SB + SOURCE_EXPERT, key="sb_prof")


# ----------------------------------------------------------------------------- map


def _rgb_hex(rgba: list[int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgba[:3])


def kommune_map(
    df: pd.DataFrame,
    prof: pd.DataFrame,
    kommuner: pd.DataFrame,
    period: str,
    trinn: str,
    selected: list[str],
    mine: str | None,
) -> None:
    st.subheader(t("skolebidrag.map_header"))
    mode = state.url_choice(
        "farge",
        ["verdi", "profil"],
        t("skolebidrag.colour_label"),
        default="verdi",
        format_func=lambda m: (
            t("skolebidrag.colour_value", period=period)
            if m == "verdi"
            else t("skolebidrag.colour_profile")
        ),
    )
    at = df[df.period == period].drop_duplicates("kommune_code").set_index("kommune_code")
    profile_of = prof.set_index("kommune_code").profile
    units = df.sort_values("provenance").drop_duplicates("kommune_code").set_index("kommune_code")
    # One symmetric limit for the whole trinn, so colours mean the same in every period; the
    # 90th percentile of |value| (not the maximum) so one extreme small kommune does not wash
    # out the rest. Values beyond it get the strongest colour.
    limit = max(0.5, math.ceil(df.skolebidrag_points.abs().quantile(0.9) * 2) / 2)

    def describe(code: str) -> str:
        if code not in units.index:
            return t("skolebidrag.tip_no_data")
        if mode == "profil":
            key = profile_of.get(code, "ufullstendig")
            return (
                profile_label(key) if key in PROFILE_KEYS else t(f"skolebidrag.tip_profile_{key}")
            )
        if code not in at.index:
            return t("skolebidrag.tip_no_period", period=period)
        row = at.loc[code]
        if bool(row.suppressed) or pd.isna(row.skolebidrag_points):
            return t("skolebidrag.tip_suppressed")
        return f"{period}: {num(row.skolebidrag_points, 1)}"

    props, values = {}, {}
    merged = successor_map(df)
    for r in kommuner.itertuples():
        code = r.kommune_code
        lines = []
        if code in units.index and not bool(units.loc[code].is_former):
            lines.append(describe(code))
            if mode == "verdi" and code in at.index:
                values[code] = at.loc[code].skolebidrag_points
            elif mode == "profil":
                values[code] = profile_of.get(code)
        pre = merged.get(code, [])
        if pre:
            former = "; ".join(
                f"{units.loc[c].kommune_name.replace(' (utgått)', '')}: {describe(c)}" for c in pre
            )
            lines.append(t("skolebidrag.tip_merged", former=former))
        if not lines:
            lines.append(t("skolebidrag.tip_no_data"))
        props[code] = {"info": "\n".join(lines)}

    def fill(code: str) -> list[int]:
        v = values.get(code)
        if mode == "profil":
            return maps.categorical(PROFILE_COLOUR.get(v)) if v in PROFILE_COLOUR else maps.NO_DATA
        return maps.diverging(v, limit) if v is not None and v == v else maps.NO_DATA

    on_map = set(kommuner.kommune_code)
    highlight = mine if mine in on_map else next((c for c in selected if c in on_map), None)
    clicked = maps.choropleth(
        "kommuner",
        "kommune_code",
        props,
        fill,
        "{kommune_name}\n{info}",
        key="sb_map",
        selected=highlight,
        overlay="fylker",
    )
    if mode == "verdi":
        steps = np.linspace(-limit, limit, 7)
        items = [
            (("+" if v > 0 else "") + num(v, 1), _rgb_hex(maps.diverging(v, limit))) for v in steps
        ]
        items[0] = ("≤ " + items[0][0], items[0][1])
        items[-1] = ("≥ " + items[-1][0], items[-1][1])
        items.append((t("common.no_data"), _rgb_hex(maps.NO_DATA)))
        draw(recipe(charts.swatch_legend, items), theme=None)
        st.caption(t("skolebidrag.map_caption_value", limit=num(limit, 1)))
    else:
        items = [
            (profile_label(k), _rgb_hex(maps.categorical(PROFILE_COLOUR[k]))) for k in PROFILE_KEYS
        ]
        items.append((t("skolebidrag.profile_ingen_map"), _rgb_hex(maps.NO_DATA)))
        draw(recipe(charts.swatch_legend, items), theme=None)
        st.caption(t("skolebidrag.map_caption_profile"))
    shown = pd.DataFrame(
        {
            t("skolebidrag.col_kommune"): kommuner.kommune_name,
            t("bruk.col_code"): kommuner.kommune_code,
            t("skolebidrag.col_value"): kommuner.kommune_code.map(
                lambda c: values.get(c) if mode == "verdi" else None
            ),
            t("skolebidrag.col_profile"): kommuner.kommune_code.map(
                lambda c: profile_label(values[c]) if mode == "profil" and values.get(c) else None
            ),
            t("skolebidrag.map_info"): kommuner.kommune_code.map(
                lambda c: props[c]["info"].replace("\n", " · ")
            ),
        }
    )
    data_panel(
        shown,
        f"skolebidrag_{trinn}_kart_{period}",
        SOURCE_SB + ["kartverket_boundaries"],
        key="sb_map_tbl",
    )
    handle_map_click(clicked, df)


# ----------------------------------------------------------------------------- funnel


def _flag_label(z: float) -> str:
    if z != z:
        return "–"
    if z > 3.09:
        return t("skolebidrag.flag_above_998")
    if z < -3.09:
        return t("skolebidrag.flag_below_998")
    if z > 1.96:
        return t("skolebidrag.flag_above_95")
    if z < -1.96:
        return t("skolebidrag.flag_below_95")
    return t("skolebidrag.flag_inside")


def funnel(df: pd.DataFrame, period: str, selected: list[str], trinn: str) -> None:
    st.subheader(t("skolebidrag.funnel_header"))
    st.markdown(t("skolebidrag.funnel_intro", period=period))
    at = df[(df.period == period) & df.skolebidrag_points.notna()]
    former = at[at.is_former.astype(bool)]
    pts = at[~at.is_former.astype(bool)].copy()
    pupils = len(pts) > 0 and pts.n_pupils.notna().all()
    pts["size"] = pd.to_numeric(
        pts.n_pupils if pupils else pts.population_2020_age_6_15, errors="coerce"
    )
    pts = pts[pts["size"] > 0]
    if len(pts) < 5:
        st.info(t("skolebidrag.funnel_too_few", period=period), icon=":material/info:")
        return
    pts["value"] = pts.skolebidrag_points
    sigma = sb.estimate_sigma(pts.value, pts["size"])
    flagged = sb.funnel_flags(pts, "value", "size", sigma)
    flagged["kommune_label"] = flagged.kommune_code.map(label_map(df))
    flagged["selected"] = flagged.kommune_code.isin(selected)
    flagged["selected_label"] = t("skolebidrag.selected_label")
    flagged["flag_label"] = flagged.z_score.map(_flag_label)
    flagged["z"] = flagged.z_score
    grid = np.geomspace(pts["size"].min() * 0.8, pts["size"].max() * 1.25, 90)
    lim = sb.funnel_limits(grid, sigma)
    l95, l998 = t("skolebidrag.limit_95"), t("skolebidrag.limit_998")
    limits = pd.concat(
        [
            pd.DataFrame(
                {"size": lim["size"], "limit": l95, "lower": lim.lower_95, "upper": lim.upper_95}
            ),
            pd.DataFrame(
                {"size": lim["size"], "limit": l998, "lower": lim.lower_998, "upper": lim.upper_998}
            ),
        ],
        ignore_index=True,
    )
    x_title = t(
        "skolebidrag.funnel_size_pupils" if pupils else "skolebidrag.funnel_size_population"
    )
    chart = recipe(
        charts.funnel_chart,
        flagged[
            ["kommune_label", "size", "value", "z", "selected", "selected_label", "flag_label"]
        ],
        limits,
        x_title=x_title,
        y_title=unit_label(trinn),
        zero_label=t("skolebidrag.zero_label"),
        limit_labels={"95": l95, "998": l998},
        tooltip_titles={
            "kommune": t("skolebidrag.tt_kommune"),
            "z": t("skolebidrag.tt_z"),
            "flag": t("skolebidrag.tt_flag"),
        },
        selected_title=t("skolebidrag.selected_legend"),
    )
    draw(chart)
    excluded = (
        t("skolebidrag.funnel_excluded_former", n=former.kommune_code.nunique())
        if len(former)
        else ""
    )
    key = "skolebidrag.funnel_caption_pupils" if pupils else "skolebidrag.funnel_caption_population"
    st.caption(t(key, sigma=num(sigma, 0), n=len(flagged), excluded=excluded))
    outside = flagged[flagged.outside_998.fillna(False).astype(bool)]
    st.markdown(
        t("skolebidrag.funnel_outside", names=_join(sorted(outside.kommune_label)))
        if len(outside)
        else t("skolebidrag.funnel_outside_none")
    )
    spread = sb.spread_by_unit(
        df[df.kommune_code.isin(flagged.kommune_code)].dropna(subset=["skolebidrag_points"]),
        unit_col="kommune_code",
        period_col="period",
        value_col="skolebidrag_points",
    ).set_index("kommune_code")
    table = pd.DataFrame(
        {
            t("skolebidrag.col_kommune"): flagged.kommune_label,
            t("skolebidrag.col_value"): flagged.value,
            t("skolebidrag.col_size"): flagged["size"],
            t("skolebidrag.col_z"): flagged.z_score.round(2),
            t("skolebidrag.col_flag"): flagged.flag_label,
            t("skolebidrag.col_min"): flagged.kommune_code.map(spread["min"]),
            t("skolebidrag.col_max"): flagged.kommune_code.map(spread["max"]),
            t("skolebidrag.col_sd"): flagged.kommune_code.map(spread["sd"]).round(2),
            t("skolebidrag.col_provenance"): [source_label(r) for r in flagged.itertuples()],
        }
    ).sort_values(t("skolebidrag.col_kommune"))
    st.caption(t("skolebidrag.funnel_table_note"))
    data_panel(
        table,
        f"skolebidrag_{trinn}_trakt_{period}",
        SOURCE_SB + SOURCE_POP,
        chart.build,
        key="sb_funnel",
    )


# ----------------------------------------------------------------------------- upload

_PROBLEMS = "sb_upload_problems"
_UPLOADER_GEN = "sb_uploader_gen"


def _uploader_key() -> str:
    return f"sb_file_{st.session_state.get(_UPLOADER_GEN, 0)}"


def _on_upload() -> None:
    """Runs before the rerun, so every section above already sees the new rows."""
    file = st.session_state.get(_uploader_key())
    if file is None:
        return
    rows, problems = upload.handle_upload(file.getvalue(), file.name)
    if problems:
        st.session_state[_PROBLEMS] = {
            "file_name": upload.display_name(file.name),
            "problems": [
                {"row": p.row, "column": p.column, "nb": p.message_nb, "en": p.message_en}
                for p in problems
            ],
        }
        return
    st.session_state.pop(_PROBLEMS, None)
    upload.store(rows, file.name)


def _on_remove() -> None:
    upload.clear()
    st.session_state.pop(_PROBLEMS, None)
    st.session_state[_UPLOADER_GEN] = st.session_state.get(_UPLOADER_GEN, 0) + 1
    state.notice(t("skolebidrag.upload_removed"))


def upload_section() -> None:
    st.subheader(t("skolebidrag.upload_header"))
    st.markdown(t("skolebidrag.upload_intro"))
    st.file_uploader(
        t("skolebidrag.upload_label", mb=upload.MAX_UPLOAD_MB),
        type=["csv", "txt", "tsv"],
        key=_uploader_key(),
        on_change=_on_upload,
        max_upload_size=upload.MAX_UPLOAD_MB,
    )
    failed = st.session_state.get(_PROBLEMS)
    if failed:
        st.error(t("skolebidrag.upload_failed", file=failed["file_name"]), icon=":material/block:")
        st.dataframe(
            pd.DataFrame(
                {
                    t("skolebidrag.col_row"): [p["row"] for p in failed["problems"]],
                    t("skolebidrag.col_column"): [p["column"] or "" for p in failed["problems"]],
                    t("skolebidrag.col_problem"): [p[lang()] for p in failed["problems"]],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    up = upload.stored()
    if up is not None:
        rows = upload.stored_rows()
        s = upload.summary(rows)
        st.success(
            t(
                "skolebidrag.upload_ok",
                file=up["file_name"],
                rows=s["rows"],
                kommuner=s["kommuner"],
                trinn=", ".join(trinn_label(x) for x in s["trinn"]),
                periods=", ".join(s["periods"]),
                suppressed=s["suppressed"],
                time=up["uploaded_at"],
            ),
            icon=":material/check_circle:",
        )
        for nb, en in up.get("notes") or []:
            st.caption(nb if lang() == "nb" else en)
        st.button(
            t("skolebidrag.upload_remove"),
            on_click=_on_remove,
            icon=":material/delete:",
            key="sb_remove",
        )
    st.caption(t("skolebidrag.upload_cli"))
    st.code(cli_command(), language="bash")
