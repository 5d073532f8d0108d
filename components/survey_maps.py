"""The maps of the 2010 survey pages: Kjennskap's landsdeler and Bruk's kommuner by size class.

Each map is one function holding the whole block as it stood in its page (map, legend, caption,
what a click does), so a change to how maps draw or take clicks happens here and in
components/maps.py, not in the pages.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from components import maps, state
from components.charts import draw, recipe
from components.downloads import data_panel

# The blocks below kept their names for the formatter while components/maps.py is reworked
# elsewhere, so that work merges into them line for line; both are components.fmt's.
from components.fmt import num as fmt_num
from components.fmt import pct as fmt_pct
from components.i18n import lang, t
from components.provenance import source_line
from components.survey_charts import swatch_legend
from components.survey_labels import CODE_OF, SIZE_ORDER, size_name
from components.survey_words import ci_text

# ----------------------------------------------------------------------------- Kjennskap


def pick_landsdel(name: str) -> None:
    """A click on a landsdel (map callback, before the run): it becomes the «landsdel» filter."""
    code = CODE_OF.get(name)
    if code:
        st.session_state["landsdel"] = code


BOUNDARIES = "kartverket_boundaries"  # data/sources.toml: the map's boundaries, © Kartverket


def landsdel_map(groups: pd.DataFrame, selected: str | None, source_ids) -> None:
    """The four landsdeler coloured by the share that knew the initiative, with a legend that
    names each shade's figure; a click selects the landsdel (URL code in the «landsdel» filter)."""
    share_of = dict(zip(groups["group_label"], groups["share_pct"], strict=True))
    props = {
        r.group_label: {
            "name": r.label,
            "share": f"{fmt_pct(r.share_pct)} (n={fmt_num(r.n_respondents)})",
            "ci": ci_text(r.ci_low_pct, r.ci_high_pct),
            "click": t("kjennskap.map_tip_click"),
        }
        for r in groups.itertuples()
    }
    rows = [
        (t("kjennskap.map_tip_share"), "share"),
        (t("kjennskap.map_tip_ci"), "ci"),
        (t("common.map_tip_click"), "click"),
    ]
    maps.choropleth(
        "landsdeler",
        props,
        lambda fid: maps.sequential(share_of.get(fid), 70, 95),
        rows,
        key="kj_map",
        selected=selected,
        on_pick=pick_landsdel,
        look=replace(maps.LIGHT, selected_width=1.2),
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
    source_line([*source_ids, BOUNDARIES])  # CC BY 4.0: the boundaries are credited


# ----------------------------------------------------------------------------- Bruk


def size_class_map(
    kommuner: pd.DataFrame, use: pd.DataFrame, kommune: str | None, aar: str
) -> None:
    """All 356 kommuner coloured by Tabell 6's size class (population in `aar`, 2010 or 2020),
    a legend with each class's use, the kommuner without a class named, and the table behind
    it; a click makes a kommune «my kommune»."""
    class_of = dict(zip(kommuner["kommune_code"], kommuner[f"size_class_{aar}"], strict=True))
    map_col, legend_col = st.columns([2, 1], gap="large")
    rows = [
        (t("bruk.map_tip_pop"), "pop"),
        (t("bruk.map_tip_size"), "size"),
        (t("bruk.map_tip_use"), "use"),
        (t("common.map_tip_click"), "click"),
    ]
    with map_col:
        focus = maps.focus_toggle("bruk_map", kommune)
        maps.choropleth(
            "kommuner",
            size_map_props(kommuner, use, aar),
            lambda code: class_colour(class_of.get(code)),
            rows,
            key="bruk_map",
            selected=kommune,
            borders=True,
            on_pick=state.choose_kommune,
            look=maps.LIGHT,
            height=620,
            focus=focus,
        )
    with legend_col:
        draw(recipe(swatch_legend, size_legend(kommuner, use, aar)))
        missing = list(kommuner.loc[kommuner[f"size_class_{aar}"].isna(), "kommune_name"])
        for line in size_map_caption(aar, missing):
            st.caption(line)
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
        ["ssb_kommune_population", *use["source_id"].unique(), BOUNDARIES],
        key="bruk_map_data",
    )


def class_colour(size) -> list[int]:
    """Ordered size classes in light → dark blue (sequential, colour-blind safe); grey if none."""
    if size not in SIZE_ORDER:
        return maps.NO_DATA
    return maps.sequential(SIZE_ORDER.index(size) + 1, 0, len(SIZE_ORDER))


def _use_text(row) -> str:
    if row is None:
        return "–"
    ci = ci_text(row.ci_low_pct, row.ci_high_pct)
    return t("bruk.use_text", share=fmt_pct(row.share_pct), n=int(row.n_respondents), ci=ci)


def _pop_text(row, year: str) -> str:
    pop = getattr(row, f"population_{year}")
    if pd.isna(pop):
        return t("bruk.pop_missing", year=year, codes=row.kommune_codes_2010 or "–")
    approx = year == "2010" and row.population_2010_status == "approximate"
    return t("bruk.pop_approx" if approx else "bruk.pop_text", n=fmt_num(pop), year=year)


def size_map_props(kommuner: pd.DataFrame, use: pd.DataFrame, year: str) -> dict[str, dict]:
    """Tooltip text per kommune: population (and why it may be missing), class, class's use."""
    return _size_map_props(kommuner, use, year, lang())


@st.cache_data(show_spinner=False, max_entries=16)
def _size_map_props(
    kommuner: pd.DataFrame, use: pd.DataFrame, year: str, language: str
) -> dict[str, dict]:
    # 356 × 3 formatted texts; cached per inputs and language (t() reads the session's).
    share_of = {r.size_class: r for r in use.itertuples()}
    size_col = f"size_class_{year}"
    click = t("bruk.map_tip_click")
    return {
        r.kommune_code: {
            "name": r.kommune_name,
            "pop": _pop_text(r, year),
            "size": size_name(getattr(r, size_col)),
            "use": _use_text(share_of.get(getattr(r, size_col))),
            "click": click,
        }
        for r in kommuner.itertuples()
    }


def size_legend(kommuner: pd.DataFrame, use: pd.DataFrame, year: str) -> list[tuple[str, list]]:
    """Legend rows (label with count and use, colour) for the size-class map."""
    share_of = {r.size_class: r for r in use.itertuples()}
    counts = kommuner[f"size_class_{year}"].value_counts()
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
        if s in share_of
    ]
    missing = int(kommuner[f"size_class_{year}"].isna().sum())
    if missing:
        items.append((t("bruk.legend_none", count=missing), maps.NO_DATA))
    return items


def size_map_caption(year: str, missing_names: list[str]) -> list[str]:
    lines = []
    if missing_names:
        lines.append(t("bruk.legend_missing", year=year, names=", ".join(missing_names)))
    parts = [t("bruk.map_caption_colour", year=year)]
    if missing_names:
        parts.append(t("bruk.map_caption_grey", year=year))
    parts += [t(f"bruk.map_caption_{year}"), t("bruk.map_caption_end")]
    return lines + [" ".join(parts)]
