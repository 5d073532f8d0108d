"""Bruk: who used the «Bedre læringsmiljø» guidance in 2010 – by kommune size, and step by step."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import queries
from analysis.proportions import (
    add_wilson,
    cochran_armitage_trend,
    describe_p,
    two_proportion_difference,
)
from analysis.ratings import magnitude_label
from components import maps, state
from components.downloads import data_panel
from components.i18n import fmt_num, fmt_p, fmt_pct, lang, t
from components.survey_charts import (
    export_stack,
    grouped_share_bars,
    swatch_legend,
    use_chain_chart,
)
from components.survey_maps import light_choropleth
from components.survey_sections import (
    SIZE_ORDER,
    chain_frame,
    ci_text,
    inconsistent_steps,
    new_click,
    size_name,
)

st.title(t("bruk.title"))
st.caption(t("bruk.intro"))
notices = st.container()  # URL notices from every filter on the page land here, at the top

kommuner = queries.run("kommune_sizes")
kommune = state.current_kommune()
mine = kommuner[kommuner["kommune_code"] == kommune]

# ----------------------------------------------------------------------------- Tabell 6
st.subheader(t("bruk.size_heading"))
use = add_wilson(queries.run("owner_use_by_size"), "share_pct", "n_respondents")
use["label"] = use["size_class"].map(size_name)
classes = (
    use[use["size_class"].isin(SIZE_ORDER)].set_index("size_class").loc[SIZE_ORDER].reset_index()
)
fylke = use[use["is_fylke"]]
total = use[use["is_total"]].iloc[0]
mine_class = mine["size_class_2010"].iloc[0] if len(mine) else None

trend = cochran_armitage_trend(
    list(classes["share_pct"]), list(classes["n_respondents"]), [0, 1, 2]
)
small, large = classes.iloc[0], classes.iloc[-1]
diff = two_proportion_difference(
    large.share_pct, large.n_respondents, small.share_pct, small.n_respondents
)

bars = grouped_share_bars(
    [(t("bruk.panel_kommuner"), classes), (t("bruk.panel_fylke"), fylke)],
    "label",
    x_title=t("bruk.x_title"),
    reference=float(total["share_pct"]),
    reference_label=t("bruk.reference", share=fmt_pct(total["share_pct"])),
    highlight=size_name(mine_class) if mine_class in SIZE_ORDER else None,
)
for title, panel in bars:
    st.markdown(f"**{title}**")
    # the same y-label width in both panels, so their x axes line up
    st.altair_chart(panel.configure_axisY(minExtent=200, maxExtent=200), width="stretch")
st.caption(
    t("bruk.reference_caption", share=fmt_pct(total["share_pct"]), n=int(total["n_respondents"]))
)
if len(mine):
    row = mine.iloc[0]
    if pd.notna(row["population_2010"]):
        st.caption(
            t(
                "bruk.your_class",
                kommune=row["kommune_name"],
                pop=fmt_num(row["population_2010"]),
                year=2010,
                size=size_name(mine_class),
            )
        )
    else:
        st.caption(t("bruk.your_class_missing", kommune=row["kommune_name"], year=2010))

sens = trend["rounding_sensitivity"]
st.markdown(
    t(
        f"bruk.trend_{'yes' if trend['p_value'] < 0.05 and sens['conclusion_robust'] else 'no'}",
        lo=fmt_pct(small.share_pct),
        hi=fmt_pct(large.share_pct),
        slope=fmt_num(trend["slope_pct_per_step"], 1),
        z=fmt_num(trend["z"], 2),
        p_words=describe_p(trend["p_value"], lang()),
    )
)
st.caption(
    t(
        "bruk.trend_caveat",
        n=int(classes["n_respondents"].sum()),
        ns=", ".join(f"n={int(n)}" for n in classes["n_respondents"]),
        rounding=t(
            "bruk.rounding_exact"
            if fmt_p(sens["p_min"]) == fmt_p(sens["p_max"])
            else f"bruk.rounding_{'stable' if sens['conclusion_robust'] else 'fragile'}",
            p_min=fmt_p(sens["p_min"]),
            p_max=fmt_p(sens["p_max"]),
        ),
    )
)
st.markdown(
    t(
        "bruk.double",
        hi=fmt_pct(large.share_pct),
        lo=fmt_pct(small.share_pct),
        ratio=fmt_num(large.share_pct / small.share_pct, 1),
        diff=fmt_num(diff["diff_pp"]),
        ci_lo=fmt_num(diff["ci_low_pp"], 1),
        ci_hi=fmt_num(diff["ci_high_pp"], 1),
        p_words=describe_p(diff["p_value"], lang()),
        h=fmt_num(diff["cohens_h"], 2),
        magnitude=magnitude_label(diff["cohens_h"], lang()),
    )
)
chain_owners = queries.run("use_chain", respondent="skoleeiere")
n7 = chain_owners.loc[chain_owners["table_no"] == "Tabell 7", "n_base"].max()
st.caption(
    t("bruk.fylke_note", n=int(fylke["n_respondents"].iloc[0]))
    + " "
    + t("bruk.n_mismatch", n6=int(total["n_respondents"]), n7=int(n7) if pd.notna(n7) else "–")
)
size_table = pd.DataFrame(
    {
        t("bruk.col_class"): use["label"],
        t("bruk.col_share"): use["share_pct"],
        t("bruk.col_lo"): use["ci_low_pct"].round(1),
        t("bruk.col_hi"): use["ci_high_pct"].round(1),
        t("bruk.col_n"): use["n_respondents"],
        t("bruk.col_note"): use["note"].fillna(""),
    }
)
data_panel(
    size_table,
    "skoleeiere_bruk_etter_storrelse_2010",
    use["source_id"].unique(),
    export_stack(bars),
    key="bruk_size",
)

# ----------------------------------------------------------------------------- map
st.subheader(t("bruk.map_heading"))
aar = state.url_choice(
    "aar",
    ["2010", "2020"],
    t("bruk.aar_label"),
    default="2010",
    format_func=lambda v: t(f"bruk.aar_{v}"),
)
pop_col, size_col = f"population_{aar}", f"size_class_{aar}"
share_of = {r.size_class: r for r in use.itertuples()}


def pop_text(r) -> str:
    if pd.isna(getattr(r, pop_col)):
        return t("bruk.pop_missing", year=aar, codes=r.kommune_codes_2010 or "–")
    key = (
        "bruk.pop_approx"
        if aar == "2010" and r.population_2010_status == "approximate"
        else "bruk.pop_text"
    )
    return t(key, n=fmt_num(getattr(r, pop_col)), year=aar)


def use_text(size) -> str:
    r = share_of.get(size)
    if r is None:
        return "–"
    return t(
        "bruk.use_text",
        share=fmt_pct(r.share_pct),
        n=int(r.n_respondents),
        ci=ci_text(r.ci_low_pct, r.ci_high_pct),
    )


props = {
    r.kommune_code: {
        "name": r.kommune_name,
        "pop": pop_text(r),
        "size": size_name(getattr(r, size_col)),
        "use": use_text(getattr(r, size_col)),
    }
    for r in kommuner.itertuples()
}
class_of = dict(zip(kommuner["kommune_code"], kommuner[size_col], strict=True))


def class_colour(size) -> list[int]:
    """Ordered classes in light → dark blue (sequential, colour-blind safe); grey if none."""
    if size not in SIZE_ORDER:
        return maps.NO_DATA
    return maps.sequential(SIZE_ORDER.index(size) + 1, 0, len(SIZE_ORDER))


map_col, legend_col = st.columns([3, 2], gap="large")
with map_col:
    clicked = light_choropleth(
        "kommuner",
        "kommune_code",
        props,
        lambda code: class_colour(class_of.get(code)),
        t("bruk.map_tooltip"),
        key="bruk_map",
        selected=kommune,
        overlay="fylker",
        height=620,
    )
with legend_col:
    counts = kommuner[size_col].value_counts()
    items = [
        (
            t(
                "bruk.legend_item",
                size=size_name(s),
                count=int(counts.get(s, 0)),
                share=fmt_pct(share_of[s].share_pct),
                n=int(share_of[s].n_respondents),
            ),
            class_colour(s),
        )
        for s in SIZE_ORDER
    ]
    missing = kommuner[kommuner[size_col].isna()]
    if len(missing):
        items.append((t("bruk.legend_none", count=len(missing)), maps.NO_DATA))
    legend = swatch_legend(items)
    st.altair_chart(legend, width="stretch")
    if len(missing):
        st.caption(t("bruk.legend_missing", year=aar, names=", ".join(missing["kommune_name"])))
    st.caption(
        " ".join(
            [t("bruk.map_caption_colour", year=aar)]
            + ([t("bruk.map_caption_grey", year=aar)] if len(missing) else [])
            + [t(f"bruk.map_caption_{aar}"), t("bruk.map_caption_end")]
        )
    )
code = new_click(clicked, "_bruk_last_map_click")
if code:
    state.request_kommune(code)
map_table = pd.DataFrame(
    {
        t("bruk.col_code"): kommuner["kommune_code"],
        t("bruk.col_kommune"): kommuner["kommune_name"],
        t("bruk.col_fylke"): kommuner["fylke_name_2020"],
        t("bruk.col_pop", year=2010): kommuner["population_2010"],
        t("bruk.col_pop_status"): kommuner["population_2010_status"],
        t("bruk.col_pop", year=2020): kommuner["population_2020"],
        t("bruk.col_class") + " 2010": kommuner["size_class_2010"],
        t("bruk.col_class") + " 2020": kommuner["size_class_2020"],
    }
)
data_panel(
    map_table,
    f"kommuner_storrelsesklasse_{aar}",
    ["ssb_kommune_population", *use["source_id"].unique()],
    key="bruk_map_data",
)

# ----------------------------------------------------------------------------- chain
st.subheader(t("bruk.chain_heading"))
hvem = state.url_choice(
    "hvem",
    ["skoler", "skoleeiere"],
    t("bruk.hvem_label"),
    default="skoler",
    format_func=lambda v: t(f"bruk.hvem_{v}"),
)
with notices:
    state.show_notices()
chain = queries.run("use_chain", respondent=hvem)
text = queries.run("text_figures", source_id="r2010_tekst")


def figure(table_no: str, row_start: str, col: str) -> str:
    hit = text[
        (text["table_no"] == table_no)
        & text["row_label"].str.startswith(row_start)
        & (text["column_label"] == col)
    ]
    return fmt_pct(hit["value"].iloc[0]) if len(hit) else "–"


places = {
    "Tekst etter Tabell 2": t("kjennskap.place_after_t2"),
    "Oppsummering": t("kjennskap.place_summary"),
}
steps = add_wilson(chain_frame(chain, hvem, places), "share_pct", "n_base")
chain_chart = use_chain_chart(
    steps,
    x_title=t("bruk.chain_x"),
    base_titles={"all": t("bruk.kind_all"), "sub": t("bruk.kind_sub")},
)
st.altair_chart(chain_chart, width="stretch")
if hvem == "skoler":
    st.caption(t("bruk.chain_caption"))
    st.caption(
        t(
            "bruk.report_says_schools",
            helhetlig=figure(
                "Tekst foran Tabell 4",
                "Skoler som har brukt materiell",
                "Prosent av skolene i undersøkelsen",
            ),
            none=figure(
                "Oppsummering",
                "Skoler som kjenner til satsingen og ikke",
                "Prosent av skolene som kjenner til satsingen",
            ),
            all=figure("Oppsummering", "Skoler som har brukt alle", "Prosent"),
        )
    )
else:
    st.caption(
        t(
            "bruk.chain_caption_owners",
            a=figure("Tekst etter Tabell 2", "Skoleeiere som kjenner", "Prosent"),
            b=figure("Oppsummering", "Skoleeiere som kjenner", "Prosent"),
        )
    )
    st.caption(
        t(
            "bruk.report_says_owners",
            all=figure("Tekst etter Tabell 7", "Skoleeiere som kjenner", "Alle"),
            big=figure("Tekst etter Tabell 7", "Skoleeiere som kjenner", "De største kommunene"),
            small=figure("Tekst etter Tabell 7", "Skoleeiere som kjenner", "De minste kommunene"),
        )
    )
for facts in inconsistent_steps(chain).values():
    st.warning(
        t("bruk.inconsistent_note", who=t(f"bruk.who_{hvem}"), **facts), icon=":material/rule:"
    )
for r in steps[steps["doubtful"]].itertuples():
    n_all = chain.loc[(chain["step_key"] == r.step_key) & (chain["base_key"] == "alle"), "n_base"]
    count = r.share_pct * r.n_base / 100
    st.warning(
        t(
            "bruk.doubtful_note",
            table=r.table_no,
            printed=r.n_printed,
            n=int(r.n_base),
            share=fmt_pct(r.share_pct),
            count=fmt_num(count),
            implied=fmt_pct(100 * count / n_all.iloc[0], 1) if len(n_all) else "–",
            n_all=int(n_all.iloc[0]) if len(n_all) else "–",
        ),
        icon=":material/help:",
    )
chain_table = pd.DataFrame(
    {
        t("bruk.col_step"): steps["row"],
        t("bruk.col_base"): steps["text"],
        t("bruk.col_share"): steps["share_pct"],
        t("bruk.col_lo"): steps["ci_low_pct"].round(1),
        t("bruk.col_hi"): steps["ci_high_pct"].round(1),
        t("bruk.col_n_base"): steps["n_base"],
        t("bruk.col_n_printed"): steps["n_printed"],
        t("bruk.col_doubtful"): steps["doubtful"],
        t("bruk.col_table"): steps["table_no"],
        t("bruk.col_note"): steps["note"].fillna(""),
    }
)
data_panel(
    chain_table,
    f"fra_kjennskap_til_bruk_{hvem}_2010",
    chain["source_id"].unique(),
    chain_chart,
    key=f"bruk_chain_{hvem}",
)
