"""Oversikt: the four questions the app answers, one card each with its headline figure, its
uncertainty, one plain sentence and a link to the page that shows the detail.

Kept fast for a five-minute demo: a handful of cached queries, no maps, no charts. Figures
printed in running text are named by key (data/raw/figure_keys.csv), never by printed label;
the cards themselves are drawn by components/overview_card.py.
"""

from __future__ import annotations

import sys

import streamlit as st

import queries
from analysis.proportions import ordered_groups, wilson_interval
from analysis.ratings import headline_items, item_statistics
from components import overview_card, state
from components.figures import values
from components.i18n import t


def familiarity() -> None:
    f = values("r2010_schools_know_pct", "r2010_schools_know_n")
    share, n = f["r2010_schools_know_pct"], int(f["r2010_schools_know_n"])
    overview_card.familiarity(share, n, *wilson_interval(share, n))


def use_by_size() -> None:
    own = queries.run("owner_use_by_size")
    classes = own[own["is_size_class"]]  # printed order: small → large
    gradient = ordered_groups(classes["share_pct"], classes["n_respondents"])
    n_range = (classes["n_respondents"].min(), classes["n_respondents"].max())
    sources = classes["source_id"].unique()
    overview_card.use(classes.iloc[-1], classes.iloc[0], gradient, n_range, sources)


def actors() -> None:
    top = headline_items(item_statistics(queries.run("rating_items", table_no="Tabell 4.1")))
    sample = values(
        "r2016_schools_answered",
        "r2016_owners_answered",
        "r2016_schools_response_pct",
        "r2016_owners_response_pct",
    )
    overview_card.actors(top, sample)


def skolebidrag() -> None:
    kommuner, former = {}, 0
    for trinn in ("1-4", "8-10"):
        df = queries.run("skolebidrag", trinn=trinn)
        embedded = df[df["source_id"] == "udir_skolebidrag"]  # not rows imported later
        kommuner[trinn] = embedded["kommune_code"].nunique()
        former += embedded.loc[embedded["is_former"].astype(bool), "kommune_code"].nunique()
    overview_card.skolebidrag(kommuner, former)


def kommune_line() -> None:
    code = state.current_kommune()
    kommuner = queries.run("kommuner").set_index("kommune_code")
    if not code:
        st.caption(t("oversikt.kommune_none"))
    elif code in kommuner.index:
        row = kommuner.loc[code]
        c1, c2 = st.columns([3, 2], vertical_alignment="center")
        c1.markdown(
            t("oversikt.kommune_selected", kommune=row.kommune_name, fylke=row.fylke_name_2020)
        )
        link = t("oversikt.kommune_link", kommune=row.kommune_name)
        c2.page_link("views/min_kommune.py", label=link, icon=":material/location_city:")


# ----------------------------------------------------------------------------- page

st.title(t("oversikt.title"))
st.markdown(t("oversikt.lead"))
kommune_line()
cards = [familiarity, use_by_size, actors, skolebidrag]
for row in (cards[:2], cards[2:]):
    for col, draw_card in zip(st.columns(2, gap="medium"), row, strict=True):
        with col, st.container(border=True, height="stretch"):
            try:
                draw_card()
            except Exception as err:  # noqa: BLE001 - one card failing must not hide the others
                st.warning(t("oversikt.card_missing"), icon=":material/warning:")
                print(
                    f"oversikt: {draw_card.__name__}: {type(err).__name__}: {err}", file=sys.stderr
                )

st.markdown(t("oversikt.about"))
c1, c2 = st.columns(2)
c1.page_link("views/kilder.py", label=t("oversikt.about_link"), icon=":material/library_books:")
c2.page_link("views/dialogmote.py", label=t("oversikt.dialog_link"), icon=":material/co_present:")
