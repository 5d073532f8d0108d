"""Kjennskap: which schools knew «Bedre læringsmiljø» in 2010, by landsdel or trinn (Tabell 1–3)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

import queries
from analysis.proportions import add_wilson, chi_square_independence
from components import maps, state
from components.charts import draw, recipe, share_bars
from components.downloads import data_panel
from components.i18n import fmt_num, fmt_pct, t
from components.provenance import source_line, source_text
from components.survey_charts import for_export, info_sources_heatmap, swatch_legend
from components.survey_sections import (
    CODE_OF,
    LANDSDEL,
    chi_square_words,
    ci_text,
    flagged_labels,
    printed_name,
    rounding_caption,
    sum_flag_note,
    text_figure,
    wrap_label,
)

PENDING = "_kj_pending_landsdel"

# ----------------------------------------------------------------------------- filters
st.title(t("kjennskap.title"))
st.caption(t("kjennskap.intro"))
if PENDING in st.session_state:  # a map click from the previous run, applied before the widget
    st.session_state["landsdel"] = st.session_state.pop(PENDING)
f1, f2 = st.columns(2)
dim = state.url_choice(
    "dim",
    ["landsdel", "trinn"],
    t("kjennskap.dim_label"),
    default="landsdel",
    format_func=lambda v: t(f"kjennskap.dim_{v}"),
    container=f1,
)
chosen = state.url_choice(
    "landsdel",
    ["alle", *LANDSDEL],
    t("kjennskap.landsdel_label"),
    default="alle",
    format_func=lambda v: (
        printed_name(LANDSDEL[v]) if v in LANDSDEL else t("kjennskap.landsdel_all")
    ),
    widget="selectbox",
    container=f2,
    disabled=dim != "landsdel",
    help=t("kjennskap.landsdel_disabled_help"),
)

# ----------------------------------------------------------------------------- data
fam = add_wilson(queries.run("familiarity", dimension=dim), "share_pct", "n_respondents")
flags = queries.run("validation_flags")
doubtful = flagged_labels(flags, fam["source_id"].iloc[0])
fam["doubtful"] = fam["group_label"].isin(doubtful) & ~fam["is_total"]
fam["label"] = [
    printed_name(g) + (" *" if d else "")
    for g, d in zip(fam["group_label"], fam["doubtful"], strict=True)
]
groups = fam[~fam["is_total"]].reset_index(drop=True)
total = fam[fam["is_total"]].iloc[0]

kommuner = queries.run("kommuner").set_index("kommune_code")
kommune = state.current_kommune()
kommune_landsdel = kommuner.loc[kommune, "landsdel"] if kommune in kommuner.index else None
selected = (LANDSDEL.get(chosen) or kommune_landsdel) if dim == "landsdel" else None
sel_rows = groups[groups["group_label"] == selected]

# ----------------------------------------------------------------------------- statistics
test = chi_square_independence(list(groups["share_pct"]), list(groups["n_respondents"]))

# ----------------------------------------------------------------------------- bars
heading = t(f"kjennskap.heading_{'region' if dim == 'landsdel' else 'trinn'}")
st.subheader(heading)
bars = recipe(
    share_bars,
    groups,
    "label",
    x_title=t("kjennskap.x_title"),
    reference=float(total["share_pct"]),
    reference_label=t("kjennskap.reference", share=fmt_pct(total["share_pct"])),
    highlight=sel_rows["label"].iloc[0] if len(sel_rows) else None,
    sort=list(groups["label"]),
)
draw(bars)
st.caption(
    t(
        "kjennskap.reference_caption",
        share=fmt_pct(total["share_pct"]),
        n=int(total["n_respondents"]),
    )
)
for row in sel_rows.itertuples():
    if LANDSDEL.get(chosen):
        ci = ci_text(row.ci_low_pct, row.ci_high_pct)
        n = int(row.n_respondents)
        st.markdown(
            t(
                "kjennskap.map_selected",
                landsdel=row.label,
                share=fmt_pct(row.share_pct),
                ci=ci,
                n=n,
            )
        )
    else:
        st.caption(
            t(
                "kjennskap.map_kommune",
                kommune=kommuner.loc[kommune, "kommune_name"],
                landsdel=row.label,
            )
        )
table = pd.DataFrame(
    {
        t("kjennskap.col_group"): fam["label"],
        t("kjennskap.col_share"): fam["share_pct"],
        t("kjennskap.col_share_no"): fam["share_no_pct"],
        t("kjennskap.col_sum"): fam["sum_printed_pct"],
        t("kjennskap.col_lo"): fam["ci_low_pct"].round(1),
        t("kjennskap.col_hi"): fam["ci_high_pct"].round(1),
        t("kjennskap.col_n"): fam["n_respondents"],
        t("kjennskap.col_note"): fam["note"].fillna(""),
    }
)
data_panel(
    table,
    f"kjennskap_{dim}_2010",
    fam["source_id"].unique(),
    lambda: for_export(bars.build(), heading, source_text(fam["source_id"].unique())),
    key=f"kj_{dim}",
)

# ----------------------------------------------------------------------------- map + test
if dim == "landsdel":
    map_col, text_col = st.columns([2, 1], gap="large")
    with map_col:
        share_of = dict(zip(groups["group_label"], groups["share_pct"], strict=True))
        props = {
            r.group_label: {
                "name": r.label,
                "share": fmt_pct(r.share_pct),
                "n": fmt_num(r.n_respondents),
                "ci": ci_text(r.ci_low_pct, r.ci_high_pct),
            }
            for r in groups.itertuples()
        }
        clicked = maps.choropleth(
            "landsdeler",
            "landsdel",
            props,
            lambda fid: maps.sequential(share_of.get(fid), 70, 95),
            t("kjennskap.map_tooltip"),
            key="kj_map",
            selected=selected,
            look=replace(maps.LIGHT, selected_width=1.0),
            height=600,
        )
        # The four shades are close (82–88 %): a legend says which is which, with the figure.
        ranked = groups.sort_values("share_pct", ascending=False)
        draw(
            recipe(
                swatch_legend,
                [
                    (f"{r.label}: {fmt_pct(r.share_pct)}", maps.sequential(r.share_pct, 70, 95))
                    for r in ranked.itertuples()
                ],
            )
        )
        st.caption(t("kjennskap.map_caption"))
        source_line(fam["source_id"].unique())
        code = CODE_OF.get(clicked or "")  # a click is reported once (components/maps.py)
        if code and code != chosen:
            st.session_state[PENDING] = code
            st.rerun()
else:
    text_col = st.container()
with text_col:
    st.markdown(chi_square_words(test, groups["share_pct"], t(f"kjennskap.dim_words_{dim}")))
    st.caption(rounding_caption(test["rounding_sensitivity"]) + " " + t("kjennskap.test_method"))
    if dim == "landsdel":
        st.caption(t("common.assumption_landsdel"))
    for row in groups[groups["doubtful"]].itertuples():
        st.caption(sum_flag_note(row), help=row.note if isinstance(row.note, str) else None)

# ----------------------------------------------------------------------------- sources (Tabell 3)
st.subheader(t("kjennskap.sources_heading"))
src = queries.run("info_sources")
src["row"] = src["info_source"].map(printed_name)
src["trinn_name"] = src["trinn"].map(printed_name)
src["column"] = [
    wrap_label(name) + f"|n={n}"
    for name, n in zip(src["trinn_name"], src["n_respondents"], strict=True)
]
columns = list(dict.fromkeys(src.sort_values("source_order")["column"]))
by_all = src[src["trinn"] == "Alle"].sort_values("share_pct", ascending=False)["row"]
unanswered = printed_name("Ubesvart")
rows = [r for r in by_all if r != unanswered] + [unanswered]  # «no answer» last, whatever its share
heat = recipe(
    info_sources_heatmap,
    src,
    x_title=t("kjennskap.sources_x"),
    colour_title=t("kjennskap.sources_colour"),
    column_order=columns,
    row_order=rows,
)
draw(heat)
st.caption(t("kjennskap.sources_caption"))
wide = src.assign(col=src["trinn_name"] + " (n=" + src["n_respondents"].astype(str) + ")")
wide = wide.pivot_table(index="row", columns="col", values="share_pct", sort=False).reindex(rows)
wide = wide.reset_index().rename(columns={"row": t("kjennskap.col_source")})
data_panel(
    wide,
    "informasjonskilder_2010",
    src["source_id"].unique(),
    lambda: for_export(
        heat.build(), t("kjennskap.sources_heading"), source_text(src["source_id"].unique())
    ),
    key="kj_sources",
)

# ----------------------------------------------------------------------------- school owners
st.subheader(t("kjennskap.owners_heading"))
text = queries.run("text_figures", source_id="r2010_tekst")
owners = text[text["row_label"] == "Skoleeiere som kjenner til satsingen"]
PLACE_KEY = {"Tekst etter Tabell 2": "place_after_t2", "Oppsummering": "place_summary"}


def figure(table_no: str, row: str, col: str) -> float:
    return text_figure(text, table_no, row, col)


for col, r in zip(st.columns(max(len(owners), 1)), owners.itertuples(), strict=False):
    place = t("kjennskap." + PLACE_KEY[r.table_no]) if r.table_no in PLACE_KEY else r.table_no
    col.metric(t("kjennskap.owners_metric", place=place), fmt_pct(r.value))
share_at = {r.table_no: fmt_pct(r.value) for r in owners.itertuples()}
st.markdown(
    t(
        "kjennskap.owners_caption",
        a=share_at.get("Tekst etter Tabell 2", "–"),
        b=share_at.get("Oppsummering", "–"),
        k_ans=fmt_num(figure("Fotnote 1", "Kommuner", "Svarte")),
        k_tot=fmt_num(figure("Fotnote 1", "Kommuner", "Utvalg")),
        k_pct=fmt_pct(figure("Fotnote 1", "Kommuner", "Svarprosent"), 1),
        f_ans=fmt_num(figure("Fotnote 1", "Fylker", "Svarte")),
        f_tot=fmt_num(figure("Fotnote 1", "Fylker", "Totalt")),
    )
)
owner_table = pd.DataFrame(
    {
        t("kjennskap.col_place"): owners["table_no"],
        t("kjennskap.col_what"): owners["row_label"],
        t("kjennskap.col_printed"): owners["value_printed"],
        t("kjennskap.col_note"): owners["note"].fillna(""),
    }
)
data_panel(owner_table, "skoleeiere_kjennskap_2010", ["r2010_tekst"], key="kj_owners")

with st.expander(t("kjennskap.about_title")):
    st.markdown(
        t(
            "kjennskap.about_text",
            s_ans=fmt_num(figure("Fotnote 1", "Skoler", "Svarte")),
            s_tot=fmt_num(figure("Fotnote 1", "Skoler", "Utvalg")),
            s_pct=fmt_pct(figure("Fotnote 1", "Skoler", "Svarprosent"), 1),
            assumption=t("common.assumption_landsdel"),
        )
    )
