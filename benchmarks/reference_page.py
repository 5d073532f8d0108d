"""Reference page for the benchmark: what a plain, well-written Streamlit page of this kind costs.

A GeoJSON map of all 356 kommuner (pydeck, no tiles, coloured per run), two Altair charts and a
356-row table, all from data loaded once at import (no database, no caching layer). Each page
of the app is timed next to this one on the same machine (benchmarks/run.py); the goal is
every page within 1.5× of it.

Run on its own: streamlit run benchmarks/reference_page.py
"""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
import pydeck as pdk
import streamlit as st

DATA = Path(__file__).resolve().parent.parent / "data"

# Loaded once per process, like a cached query result.
GEOJSON = json.loads((DATA / "geo" / "kommuner_2020.geojson").read_text(encoding="utf-8"))
KOMMUNER = pd.read_csv(
    DATA / "raw" / "ssb_kommune_population_2010_2020.csv",
    dtype={"kommune_code_2020": str},
    usecols=[
        "kommune_code_2020",
        "kommune_name_2020",
        "population_2020",
        "population_2010_in_2020_borders",
        "fylker_2010",
    ],
).rename(
    columns={
        "kommune_code_2020": "kommune_code",
        "kommune_name_2020": "kommune_name",
        "population_2010_in_2020_borders": "population_2010",
        "fylker_2010": "fylke_2010",
    }
)
KOMMUNER["population_2010"] = pd.to_numeric(KOMMUNER["population_2010"], errors="coerce")
KOMMUNER["growth_pct"] = 100 * (KOMMUNER.population_2020 / KOMMUNER.population_2010 - 1)
BLUES = [(239, 243, 255), (189, 215, 231), (107, 174, 214), (49, 130, 189), (8, 81, 156)]

st.title("Referanseside: kart, to diagrammer og en tabell")
measure = st.segmented_control(
    "Mål", ["growth_pct", "population_2020"], default="growth_pct", key="measure"
)
values = KOMMUNER.set_index("kommune_code")[measure]
lo, hi = values.quantile(0.02), values.quantile(0.98)


def fill(code: str) -> list[int]:
    v = values.get(code)
    if v is None or pd.isna(v):
        return [200, 200, 200, 160]
    x = min(max((v - lo) / (hi - lo or 1), 0), 1) * (len(BLUES) - 1)
    return [*BLUES[round(x)], 230]


# A new feature list per run with the colours of this run, as a choropleth page does.
features = [
    {
        "type": "Feature",
        "geometry": f["geometry"],
        "properties": {**f["properties"], "fill": fill(f["properties"]["kommune_code"])},
    }
    for f in GEOJSON["features"]
]
deck = pdk.Deck(
    layers=[
        pdk.Layer(
            "GeoJsonLayer",
            {"type": "FeatureCollection", "features": features},
            id="reference-kommuner",
            pickable=True,
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=[80, 80, 80, 200],
            line_width_min_pixels=0.5,
        )
    ],
    initial_view_state=pdk.ViewState(latitude=65.3, longitude=16.0, zoom=3.55),
    map_provider=None,
    map_style=None,
    tooltip={"text": "{kommune_name}"},
)
left, right = st.columns([3, 2])
with left:
    st.pydeck_chart(deck, height=520, on_select="rerun", selection_mode="single-object", key="map")
with right:
    by_fylke = KOMMUNER.groupby("fylke_2010", as_index=False).agg(
        population_2020=("population_2020", "sum"), kommuner=("kommune_code", "count")
    )
    st.altair_chart(
        alt.Chart(by_fylke)
        .mark_bar()
        .encode(
            x=alt.X("population_2020:Q", title="Innbyggere 2020"),
            y=alt.Y("fylke_2010:N", sort="-x", title=None),
            tooltip=["fylke_2010", "population_2020", "kommuner"],
        ),
        width="stretch",
    )
    st.altair_chart(
        alt.Chart(KOMMUNER)
        .mark_circle(opacity=0.6)
        .encode(
            x=alt.X("population_2010:Q", scale=alt.Scale(type="log"), title="Innbyggere 2010"),
            y=alt.Y("growth_pct:Q", title="Vekst 2010–2020 (%)"),
            tooltip=["kommune_name", "population_2010", "population_2020"],
        ),
        width="stretch",
    )
st.dataframe(KOMMUNER.sort_values("kommune_code"), hide_index=True, width="stretch", height=400)
st.caption("Kilde: SSB tabell 07459; Kartverket (forenklede grenser).")
