"""Everything the app knows about one kommune, computed once and drawn in full or compact.

`compute(code)` gathers the kommune's landsdel (2010, Tabell 2), its size class (2010,
Tabell 6) and its skolebidrag per trinn (Skoleporten) with the same statistics the topic pages
use. `figures_table()` turns that into one downloadable table (tema, mål, verdi, n, ki_lav,
ki_høy, kilde) and `sentences()` fills the plain-language templates in
components/strings/min_kommune.toml — every sentence is built only from figures that are shown
on the page, so each claim can be traced to a number and its source.

Used by views/min_kommune.py (full) and views/dialogmote.py (compact).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

import queries
from analysis import skolebidrag as sb
from analysis.proportions import (
    add_wilson,
    chi_square_independence,
    cochran_armitage_trend,
)
from components import columns as colmeta
from components import skolebidrag_data as sd
from components import skolebidrag_funnel as sbf
from components.charts import OKABE_ITO
from components.fmt import p_words
from components.i18n import fmt_num, fmt_pct, t
from components.provenance import source_text
from components.skolebidrag_words import profile_label, trinn_label, unit_label
from components.survey_labels import printed_name
from data.skolebidrag import TRINN

SRC_LANDSDEL = ["r2010_tabell_2", "landsdel_grouping"]
SRC_SIZE = ["r2010_tabell_6", "ssb_kommune_population"]
SRC_SB = [
    "udir_skolebidrag",
    "kommune_successors",
    "kommune_changes_2020",
    "ssb_kommune_population",
]


@dataclass
class Facts:
    """One kommune's figures; every field is shown somewhere on Min kommune."""

    code: str
    info: pd.Series
    landsdel: dict | None = None
    size: dict | None = None
    skolebidrag: list[dict] = field(default_factory=list)
    former: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- compute


def compute(code: str) -> Facts | None:
    detail = queries.run("kommune_detail", kommune=code)
    if detail.empty:
        return None
    info = detail.iloc[0]
    former = (
        list(info.former_kommuner) if isinstance(info.former_kommuner, (list, np.ndarray)) else []
    )
    return Facts(
        code=code,
        info=info,
        landsdel=_landsdel(info),
        size=_size(info),
        skolebidrag=[_skolebidrag(code, info, trinn) for trinn in TRINN],
        former=former,
    )


def _landsdel(info: pd.Series) -> dict | None:
    fam = add_wilson(queries.run("familiarity", dimension="landsdel"))
    mine = fam[fam.group_label == info.landsdel]
    total = fam[fam.is_total.astype(bool)]
    if mine.empty or total.empty:
        return None
    parts = fam[~fam.is_total.astype(bool)]
    chi = chi_square_independence(parts.share_pct, parts.n_respondents)
    m, a = mine.iloc[0], total.iloc[0]
    return {
        "name": info.landsdel,
        "share": m.share_pct,
        "share_no": m.share_no_pct,
        "sum_printed": m.sum_printed_pct,
        "n": int(m.n_respondents),
        "lo": m.ci_low_pct,
        "hi": m.ci_high_pct,
        "all_share": a.share_pct,
        "all_n": int(a.n_respondents),
        "all_lo": a.ci_low_pct,
        "all_hi": a.ci_high_pct,
        "p": chi["p_value"],
        "robust": chi["rounding_sensitivity"]["conclusion_robust"],
        "assigned": bool(info.fylke_2010_assigned),
    }


def _size(info: pd.Series) -> dict | None:
    own = add_wilson(queries.run("owner_use_by_size"))
    classes = own[~own.is_total.astype(bool) & ~own.is_fylke.astype(bool)]
    total = own[own.is_total.astype(bool)]
    trend = cochran_armitage_trend(classes.share_pct, classes.n_respondents)
    out = {
        "size_class": info.size_class_2010 if pd.notna(info.size_class_2010) else None,
        "population_2010": info.population_2010,
        "approximate": info.population_2010_status == "approximate",
        "merged": bool(info.merged_since_2010),
        "p": trend["p_value"],
        "slope": trend["slope_pct_per_step"],
        "robust": trend["rounding_sensitivity"]["conclusion_robust"],
        "all_share": total.share_pct.iloc[0],
        "all_n": int(total.n_respondents.iloc[0]),
        "all_lo": total.ci_low_pct.iloc[0],
        "all_hi": total.ci_high_pct.iloc[0],
        "classes": classes,
    }
    mine = classes[classes.size_class == out["size_class"]]
    if not mine.empty:
        m = mine.iloc[0]
        out |= {
            "share": m.share_pct,
            "n": int(m.n_respondents),
            "lo": m.ci_low_pct,
            "hi": m.ci_high_pct,
        }
    return out


def _skolebidrag(code: str, info: pd.Series, trinn: str) -> dict:
    """The kommune's skolebidrag on one trinn from the rows this session sees (database and its
    upload), with the fylke mean where the rule allows it, spread, profile and funnel position —
    the funnel of the Skolebidrag page (skolebidrag_funnel.kommune_funnel), so the same kommune
    gets the same position on every page."""
    df = sd.rows()
    df = df[df.trinn == trinn]
    mine = df[df.kommune_code == code]
    former = [c for c in sd.units().predecessors.get(code, ()) if (df.kommune_code == c).any()]
    out: dict = {
        "trinn": trinn,
        "has_data": mine.value.notna().any(),
        "former_here": sorted(sd.units().name(c) for c in former),
        "why": _why_missing(code, info, df, mine, former),
    }
    if not out["has_data"]:
        return out
    current = df[~df.is_former & (df.fylke_name_2020 == info.fylke_name_2020)]
    members = int((queries.run("kommuner").fylke_name_2020 == info.fylke_name_2020).sum())
    means = {p: sb.group_mean(g.value, members) for p, g in current.groupby("period")}
    rows = mine[["period", "value", "provenance", "source_file"]].rename(
        columns={"value": "skolebidrag_points"}
    )
    rows = rows.sort_values("period", key=lambda s: s.map(sb.period_sort_key))
    rows["fylke_mean"] = rows.period.map(lambda p: means[p]["mean"] if means[p]["shown"] else None)
    rows["fylke_n"] = rows.period.map(lambda p: means[p]["n"]).astype("Int64")
    out["rows"] = rows.reset_index(drop=True)
    out["fylke"] = info.fylke_name_2020
    out["fylke_members"] = members
    valued = rows.dropna(subset=["skolebidrag_points"])
    latest = valued.iloc[-1]
    out["latest_period"], out["latest_value"] = latest.period, latest.skolebidrag_points
    out["latest_fylke_mean"], out["latest_fylke_n"] = latest.fylke_mean, latest.fylke_n
    spread = sb.spread_by_unit(sd.with_values(mine)).iloc[0]
    out["spread"] = {
        "min": spread["min"],
        "max": spread["max"],
        "sd": spread["sd"],
        "n": int(spread["n_periods"]),
    }
    out["profile"] = sb.classify_profiles(mine).profile.iloc[0]
    out["funnel"] = _funnel(trinn, code, latest.period)
    return out


def _why_missing(code, info, df, mine, former) -> str | None:
    """Why a kommune has no skolebidrag on a trinn: merged (its former kommuner have figures),
    suppressed (rows, but every value hidden), not published (the loaded data covers its fylke
    but not the kommune) or not loaded (nothing for its fylke on this trinn)."""
    if mine.value.notna().any():
        return None
    if former:
        return "merged"
    if len(mine):
        return "suppressed"
    covered = df[~df.is_former & (df.fylke_name_2020 == info.fylke_name_2020)]
    return "not_published" if covered.value.notna().any() else "not_loaded"


def uploaded_periods(s: dict) -> list[str]:
    """Periods of this kommune's trinn whose value comes from the session's uploaded file."""
    rows = s.get("rows")
    if rows is None:
        return []
    return list(rows.loc[rows.provenance.eq("upload"), "period"])


def uploaded_text(periods: list[str]) -> str:
    meta = sd.upload_meta() or {}
    return t("min_kommune.sb_uploaded", file=meta.get("file_name", "?"), periods=", ".join(periods))


def _funnel(trinn: str, code: str, period: str) -> dict:
    """The kommune's place in the Skolebidrag page's funnel for `period`."""
    f = sbf.kommune_funnel(trinn, period)
    out = {"period": period, "n_units": f.n_units}
    row = f.position(code)
    if row is None:
        return out | {"ok": False}
    limits = sb.funnel_limits([row["size"]], f.sigma).iloc[0]
    return out | {
        "ok": True,
        "sigma": f.sigma,
        "size": int(row["size"]),
        "size_measure": f.size_measure,
        "z": float(row.z_score),
        "flag": row.flag,
        "outside_95": bool(row.outside_95),
        "outside_998": bool(row.outside_998),
        "limit_95": float(limits.upper_95),
        "limit_998": float(limits.upper_998),
    }


# ----------------------------------------------------------------------------- words


def join(names: list[str]) -> str:
    """'Eid og Selje', 'Ballangen, Narvik og Tysfjord'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {t('min_kommune.and')} " + names[-1]


def ci(lo, hi, decimals: int = 0) -> str:
    return f"{fmt_num(lo, decimals)}–{fmt_num(hi, decimals)}"


def funnel_words(f: dict) -> str:
    if f["outside_998"]:
        key = "funnel_outside_998"
    elif f["outside_95"]:
        key = "funnel_outside_95"
    else:
        key = "funnel_inside"
    return t(f"min_kommune.{key}")


def sentences(facts: Facts) -> list[str]:
    """The plain-language summary: one template per fact, filled only with figures shown."""
    info = facts.info
    out = [
        t(
            "min_kommune.sum_intro",
            kommune=info.kommune_name,
            fylke=info.fylke_name_2020,
            landsdel=printed_name(info.landsdel),
        )
    ]
    ld = facts.landsdel
    if ld:
        out.append(
            t(
                "min_kommune.sum_landsdel",
                landsdel=printed_name(ld["name"]),
                share=fmt_pct(ld["share"]),
                n=ld["n"],
                ci=ci(ld["lo"], ld["hi"]),
                share_all=fmt_pct(ld["all_share"]),
                n_all=ld["all_n"],
            )
        )
        out.append(t("min_kommune.sum_landsdel_test", p_words=p_words(ld["p"])))
    sz = facts.size
    if sz and sz["size_class"] and "share" in sz:
        out.append(
            t(
                "min_kommune.sum_size",
                kommune=info.kommune_name,
                pop=fmt_num(sz["population_2010"]),
                size=size_class_label(sz["size_class"]),
                share=fmt_pct(sz["share"]),
                n=sz["n"],
                ci=ci(sz["lo"], sz["hi"]),
                share_all=fmt_pct(sz["all_share"]),
                n_all=sz["all_n"],
            )
        )
    elif sz:
        out.append(t("min_kommune.sum_size_none", kommune=info.kommune_name))
    for s in facts.skolebidrag:
        if not s["has_data"]:
            continue
        mean_known = pd.notna(s["latest_fylke_mean"])
        out.append(
            t(
                "min_kommune.sum_sb" if mean_known else "min_kommune.sum_sb_nofylke",
                trinn=trinn_label(s["trinn"]),
                period=s["latest_period"],
                value=fmt_num(s["latest_value"], 1),
                fylke=s["fylke"],
                fylke_mean=fmt_num(s["latest_fylke_mean"], 1),
                fylke_n=s["latest_fylke_n"],
                members=s["fylke_members"],
                low=fmt_num(s["spread"]["min"], 1),
                high=fmt_num(s["spread"]["max"], 1),
                n_periods=s["spread"]["n"],
                profile=profile_label(s["profile"]).lower(),
            )
        )
        f = s["funnel"]
        if f.get("ok"):
            out.append(
                t(
                    "min_kommune.sum_funnel",
                    trinn=trinn_label(s["trinn"]),
                    z=fmt_num(f["z"], 1),
                    where=funnel_words(f),
                    n_units=f["n_units"],
                )
            )
    out.append(availability(facts))
    return out


def availability(facts: Facts) -> str:
    """One line: what the app has for this kommune, and what is missing and why."""
    have = []
    if facts.landsdel:
        have.append(t("min_kommune.avail_landsdel", landsdel=printed_name(facts.landsdel["name"])))
    if facts.size and "share" in facts.size:
        have.append(t("min_kommune.avail_size"))
    with_data = [trinn_label(s["trinn"]) for s in facts.skolebidrag if s["has_data"]]
    if with_data:
        have.append(t("min_kommune.avail_sb", trinn=join(with_data)))
    reasons: dict[tuple, list[str]] = {}  # one reason, several trinn: said once
    for s in facts.skolebidrag:
        if not s["has_data"]:
            reasons.setdefault((s["why"], tuple(s["former_here"])), []).append(s["trinn"])
    missing = [
        t(
            f"min_kommune.why_{why}",
            trinn=join([trinn_label(x) for x in trinn]),
            former=join(list(former)),
        )
        for (why, former), trinn in reasons.items()
    ]
    text = t("min_kommune.avail_have", kommune=facts.info.kommune_name, have=join(have))
    if missing:
        text += " " + t("min_kommune.avail_missing", missing="; ".join(missing))
    return text


def size_class_label(size_class: str) -> str:
    keys = {"Under 3000": "size_small", "3000–9999": "size_medium", "10000 og mer": "size_large"}
    return t(f"min_kommune.{keys[size_class]}") if size_class in keys else str(size_class)


# ----------------------------------------------------------------------------- figures table


def figures_table(facts: Facts) -> pd.DataFrame:
    """All figures of the page, one row each: tema, mål, verdi, n, ki_lav, ki_høy, kilde."""
    return _figure_rows(facts).drop(columns="enhet")


def figures_download(facts: Facts) -> pd.DataFrame:
    """The figures table as a download holds it: the kommune number first, a unit per row
    (the value column mixes per cent, p-values, inhabitants and points), each value rounded to
    its unit's published decimals (population whole, p to 4 decimals), headers in the page's
    language (data/columns.toml)."""
    out = _figure_rows(facts)
    exact = []
    for value, unit in zip(out["verdi"], out["enhet"], strict=True):
        d = colmeta.unit_decimals(unit)
        if pd.isna(value) or d is None:
            exact.append(None if pd.isna(value) else value)
        else:
            exact.append(int(round(value)) if d == 0 else round(float(value), d))
    out["verdi"] = pd.Series(exact, dtype=object)
    out["enhet"] = out["enhet"].map(colmeta.unit_text)
    out.insert(0, "kommune_code", facts.info.kommune_code)
    out.insert(1, "kommune_name", facts.info.kommune_name)
    keys = {
        "tema": "theme",
        "mål": "measure",
        "verdi": "value",
        "enhet": "unit",
        "ki_lav": "ci_low",
    }
    keys |= {"ki_høy": "ci_high", "kilde": "source"}
    out = out[
        [
            "kommune_code",
            "kommune_name",
            "tema",
            "mål",
            "verdi",
            "enhet",
            "n",
            "ki_lav",
            "ki_høy",
            "kilde",
        ]
    ]
    out = out.rename(columns=keys)
    return out.rename(columns=colmeta.labels(out.columns))


def _figure_rows(facts: Facts) -> pd.DataFrame:
    rows: list[dict] = []

    def add(tema, maal, verdi, n=None, lo=None, hi=None, sources=(), unit="pct"):
        rows.append(
            {
                "tema": tema,
                "mål": maal,
                "verdi": verdi,
                "n": n,
                "ki_lav": lo,
                "ki_høy": hi,
                "kilde": source_text(sources),
                "enhet": unit,
            }
        )

    info = facts.info
    tema_k = t("min_kommune.tema_kommune")
    src_pop = ["ssb_kommune_population"]
    for key, value in (
        ("m_pop_2010", info.population_2010),
        ("m_pop_2020", info.population_2020),
        ("m_pop_6_15", info.population_2020_age_6_15),
    ):
        add(tema_k, t(f"min_kommune.{key}"), value, sources=src_pop, unit="population")
    ld = facts.landsdel
    if ld:
        tema = t("min_kommune.tema_kjennskap")
        add(
            tema,
            t("min_kommune.m_landsdel", landsdel=printed_name(ld["name"])),
            ld["share"],
            ld["n"],
            ld["lo"],
            ld["hi"],
            SRC_LANDSDEL,
        )
        add(
            tema,
            t("min_kommune.m_national"),
            ld["all_share"],
            ld["all_n"],
            ld["all_lo"],
            ld["all_hi"],
            SRC_LANDSDEL,
        )
        add(tema, t("min_kommune.m_chi_p"), ld["p"], sources=SRC_LANDSDEL, unit="p")
    sz = facts.size
    if sz:
        tema = t("min_kommune.tema_bruk")
        if "share" in sz:
            add(
                tema,
                t("min_kommune.m_size", size=size_class_label(sz["size_class"])),
                sz["share"],
                sz["n"],
                sz["lo"],
                sz["hi"],
                SRC_SIZE,
            )
        add(
            tema,
            t("min_kommune.m_all_owners"),
            sz["all_share"],
            sz["all_n"],
            sz["all_lo"],
            sz["all_hi"],
            SRC_SIZE,
        )
        add(tema, t("min_kommune.m_trend_p"), sz["p"], sources=SRC_SIZE, unit="p")
    for s in facts.skolebidrag:
        if not s["has_data"]:
            continue
        tema = t("min_kommune.tema_sb", trinn=trinn_label(s["trinn"]))
        points = f"points_{s['trinn'].replace('-', '_')}"
        for r in s["rows"].itertuples():
            add(
                tema,
                t("min_kommune.m_sb", kommune=info.kommune_name, period=r.period),
                r.skolebidrag_points,
                sources=SRC_SB,
                unit=points,
            )
            if r.provenance == "upload":
                rows[-1]["kilde"] = uploaded_text([r.period])
            add(
                tema,
                t("min_kommune.m_sb_fylke", fylke=s["fylke"], period=r.period),
                r.fylke_mean,
                r.fylke_n,
                sources=SRC_SB,
                unit=points,
            )
        add(
            tema,
            t("min_kommune.m_profile", profile=profile_label(s["profile"])),
            None,
            s["spread"]["n"],
            sources=SRC_SB,
            unit="none",
        )
        f = s["funnel"]
        if f.get("ok"):
            add(
                tema,
                t("min_kommune.m_funnel", period=f["period"], where=funnel_words(f)),
                f["z"],
                f["n_units"],
                sources=SRC_SB,
                unit="z",
            )
    out = pd.DataFrame(rows)
    for col in ("verdi", "ki_lav", "ki_høy"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    # As precise as the figures are: intervals to 0.1 point, means to 0.01, p-values and other
    # values below 1 to 4 decimals (no 81.87605763391441 in a spreadsheet).
    small = out["verdi"].abs() < 1
    out["verdi"] = out["verdi"].round(2).where(~small, out["verdi"].round(4))
    out[["ki_lav", "ki_høy"]] = out[["ki_lav", "ki_høy"]].round(1)
    out["n"] = pd.to_numeric(out["n"], errors="coerce").astype("Int64")
    return out


# ----------------------------------------------------------------------------- chart


def skolebidrag_chart(s: dict, kommune: str) -> alt.LayerChart:
    """The kommune and its fylke mean per period, with the national average (0) as a rule.

    The three lines differ by colour, dash and point shape, and all three are in the legend.
    """
    rows = s["rows"]
    fylke_label = t("min_kommune.chart_fylke", fylke=s["fylke"])
    zero_label = t("min_kommune.chart_zero")
    long = pd.concat(
        [
            pd.DataFrame(
                {"period": rows.period, "value": rows.skolebidrag_points, "series": kommune}
            ),
            pd.DataFrame({"period": rows.period, "value": rows.fylke_mean, "series": fylke_label}),
        ]
    ).dropna(subset=["value"])
    order = list(rows.period)
    domain = [kommune, fylke_label, zero_label]
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=domain, range=[OKABE_ITO[5], OKABE_ITO[0], "#444444"]),
        # one entry per row: three entries side by side are wider than a phone (390 px)
        legend=alt.Legend(
            title=None,
            orient="top",
            columns=1,
            labelFontSize=13,
            labelLimit=320,
            symbolStrokeWidth=3,
        ),
    )
    dash = alt.StrokeDash(
        "series:N", scale=alt.Scale(domain=domain, range=[[1, 0], [6, 4], [2, 2]]), legend=None
    )
    shape = alt.Shape(
        "series:N",
        scale=alt.Scale(domain=domain, range=["circle", "square", "stroke"]),
        legend=None,
    )
    x = alt.X(
        "period:N", sort=order, title=t("min_kommune.chart_period"), axis=alt.Axis(labelAngle=0)
    )
    y = alt.Y(
        "value:Q",
        title=unit_label(s["trinn"]),
        scale=alt.Scale(zero=True, nice=True),
        axis=alt.Axis(titleLimit=260, format=colmeta.axis_format("skolebidrag_points")),
    )
    tip = [
        alt.Tooltip("series:N", title=" "),
        alt.Tooltip("period:N", title=t("min_kommune.chart_period")),
        alt.Tooltip(
            "value:Q",
            format=colmeta.axis_format("skolebidrag_points"),
            title=t("min_kommune.chart_value"),
        ),
    ]
    base = alt.Chart(long).encode(x=x, y=y, color=colour, tooltip=tip)
    lines = base.mark_line(strokeWidth=3).encode(strokeDash=dash)
    points = base.mark_point(size=80, filled=True).encode(shape=shape)
    zero = (
        alt.Chart(pd.DataFrame({"value": [0.0], "series": [zero_label]}))
        .mark_rule(strokeWidth=1.5)
        .encode(y="value:Q", color=colour, strokeDash=dash)
    )
    chart = alt.layer(zero, lines, points).properties(height=300, width="container")
    return chart  # Norwegian number format: charts.draw / downloads.export_spec


# ----------------------------------------------------------------------------- compact view


def render_compact(facts: Facts) -> None:
    """Headline metrics and the plain-language summary (for the dialogue meeting)."""
    ld, sz = facts.landsdel, facts.size
    cols = st.columns(3)
    if ld:
        cols[0].metric(
            t("min_kommune.metric_landsdel", landsdel=printed_name(ld["name"])),
            fmt_pct(ld["share"]),
            help=t("min_kommune.metric_ci", n=ld["n"], ci=ci(ld["lo"], ld["hi"])),
        )
    if sz and "share" in sz:
        cols[1].metric(
            t("min_kommune.metric_size", size=size_class_label(sz["size_class"])),
            fmt_pct(sz["share"]),
            help=t("min_kommune.metric_ci", n=sz["n"], ci=ci(sz["lo"], sz["hi"])),
        )
    latest = [s for s in facts.skolebidrag if s["has_data"]]
    if latest:
        s = latest[-1]
        cols[2].metric(
            t("min_kommune.metric_sb", trinn=trinn_label(s["trinn"]), period=s["latest_period"]),
            fmt_num(s["latest_value"], 1),
            help=t(
                "min_kommune.metric_sb_help",
                fylke=s["fylke"],
                fylke_mean=fmt_num(s["latest_fylke_mean"], 1),
            ),
        )
    else:
        cols[2].metric(t("min_kommune.metric_sb_none"), "–")
    for sentence in sentences(facts):
        st.markdown(f"- {sentence}")
    for s in facts.skolebidrag:
        if uploaded_periods(s):
            st.caption(
                f"{trinn_label(s['trinn']).capitalize()}: {uploaded_text(uploaded_periods(s))}"
            )
