"""A choropleth with thin white borders and room for tooltips, for the 2010 survey pages.

Why a variant of maps.choropleth: on the kommune map the fill (size class) must carry the
meaning, so area borders are thin and white, fylke borders a darker overlay, and the selected
kommune a thick black outline. The view is centred east of Norway's middle so tooltips of eastern
kommuner are not clipped at the map's edge. Widths: pydeck reads a bare string as a JavaScript
accessor, so the units are quoted ('"pixels"', as in maps.py) and capped with
line_width_max_pixels as well. Same inputs and return value as maps.choropleth; it reuses its
cached boundaries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pydeck as pdk
import streamlit as st

from components.maps import (
    FILL_PICKS_ONLY,
    HIGHLIGHT_LINE,
    OFFLINE_STYLE,
    CompactDeck,
    boundaries,
)

AREA_LINE = [255, 255, 255, 170]
OVERLAY_LINE = [40, 40, 40, 150]
TOOLTIP_STYLE = {
    "maxWidth": "220px",
    "whiteSpace": "normal",
    "fontSize": "13px",
    "lineHeight": "1.35",
}


def light_choropleth(
    layer: str,
    id_prop: str,
    props: Mapping[str, Mapping],
    fill: Callable[[str], list[int]],
    tooltip: str,
    *,
    key: str,
    selected: str | None = None,
    height: int = 560,
    overlay: str | None = None,
) -> str | None:
    """Draw `layer` coloured by `fill(id)` with white borders; return the clicked id, if any."""
    features = []
    for feat in boundaries(layer)["features"]:
        fid = feat["properties"][id_prop]
        p = {**feat["properties"], **props.get(fid, {})}
        p["fill"] = fill(fid)
        features.append({"type": "Feature", "geometry": feat["geometry"], "properties": p})
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            {"type": "FeatureCollection", "features": features},
            id=f"{key}-areas",
            pickable=True,
            stroked=True,
            filled=True,
            _sub_layer_props=FILL_PICKS_ONLY,
            get_fill_color="properties.fill",
            get_line_color=AREA_LINE,
            get_line_width=1,
            line_width_units='"pixels"',
            line_width_min_pixels=0,
            line_width_max_pixels=0.7,
            auto_highlight=True,
            highlight_color=[0, 0, 0, 70],
        )
    ]
    if overlay:
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                boundaries(overlay),
                id=f"{key}-overlay",
                pickable=False,
                stroked=True,
                filled=False,
                get_line_color=OVERLAY_LINE,
                line_width_units='"pixels"',
                get_line_width=1,
                line_width_min_pixels=1,
                line_width_max_pixels=1.2,
            )
        )
    chosen = [f for f in features if f["properties"][id_prop] == selected]
    if chosen:
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                {"type": "FeatureCollection", "features": chosen},
                id=f"{key}-selected",
                pickable=False,
                stroked=True,
                filled=False,
                get_line_color=HIGHLIGHT_LINE,
                line_width_units='"pixels"',
                get_line_width=3,
                line_width_min_pixels=2.5,
                line_width_max_pixels=3,
            )
        )
    deck = CompactDeck(
        layers=layers,
        # Centred east of Norway's middle (16° E): Norway sits left, leaving room on the right
        # for tooltips of eastern kommuner (the map clips a tooltip at its edge).
        initial_view_state=pdk.ViewState(latitude=65.3, longitude=19.5, zoom=3.55),
        map_provider=None,
        map_style=OFFLINE_STYLE,
        # Plain text (never HTML), wrapped narrow: the map clips a tooltip at its right edge,
        # and eastern kommuner sit close to it.
        tooltip={"text": tooltip, "style": TOOLTIP_STYLE},
        views=[pdk.View(type="MapView", controller=True)],
    )
    event = st.pydeck_chart(
        deck, height=height, on_select="rerun", selection_mode="single-object", key=key
    )
    try:
        objects = event.selection.objects.get(f"{key}-areas", [])
    except AttributeError:
        return None
    if not objects:
        return None
    obj = objects[0]
    return (obj.get("properties") or obj).get(id_prop)
