"""Offline maps: boundaries drawn as pydeck GeoJSON layers with no base-map tiles.

The boundary GeoJSON is parsed once per process (st.cache_resource) and never mutated; each
render builds new feature dicts with the properties it colours and shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote

import pydeck as pdk
import streamlit as st
from pydeck.bindings.json_tools import default_serialize

import queries

# An empty Mapbox style as a data URL: with map_style=None Streamlit fetches Carto's style from
# the internet for every map; the app must work offline.
OFFLINE_STYLE = "data:application/json;charset=utf-8," + quote(
    '{"version":8,"sources":{},"layers":[]}'
)
# Only the fill answers hover and click: picking redraws every pickable vertex on each pointer
# event, and the outlines (a PathLayer with ~10× the fill's vertices) made that take ~1 s per
# event in software WebGL (no GPU: VMs, remote desktops, headless) — long enough for deck.gl to
# drop a click (its tap must end within 250 ms).
FILL_PICKS_ONLY = {"polygons-stroke": {"pickable": False}}
NO_DATA = [200, 200, 200, 160]
LINE = [80, 80, 80, 200]
HIGHLIGHT_LINE = [0, 0, 0, 255]
# Colour-blind-safe ramps: sequential blues (ColorBrewer Blues), diverging orange–purple (PuOr).
BLUES = [
    (239, 243, 255),
    (198, 219, 239),
    (158, 202, 225),
    (107, 174, 214),
    (49, 130, 189),
    (8, 81, 156),
]
PUOR = [
    (179, 88, 6),
    (241, 163, 64),
    (254, 224, 182),
    (247, 247, 247),
    (216, 218, 235),
    (153, 142, 195),
    (84, 39, 136),
]
CATEGORY = [
    (0, 114, 178),
    (230, 159, 0),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (213, 94, 0),
]


class CompactDeck(pdk.Deck):
    """A Deck that serialises without pydeck's indent=2.

    Pretty-printed, the 356-kommune map is about 4 MB of JSON built and sent on every rerun;
    compact, it is about a sixth of that and serialises several times faster.
    """

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


@st.cache_resource(show_spinner=False)
def boundaries(layer: str) -> dict:
    return json.loads(queries.run("geo_layer", layer=layer)["geojson"].iloc[0])


def _interp(ramp, x: float) -> list[int]:
    x = min(max(x, 0.0), 1.0) * (len(ramp) - 1)
    i = min(int(x), len(ramp) - 2)
    f = x - i
    return [round(ramp[i][k] + (ramp[i + 1][k] - ramp[i][k]) * f) for k in range(3)] + [230]


def sequential(value, vmin: float, vmax: float) -> list[int]:
    if value is None or value != value:
        return NO_DATA
    return _interp(BLUES, (value - vmin) / (vmax - vmin or 1))


def diverging(value, limit: float) -> list[int]:
    """Centred on 0: orange below, purple above (PuOr, colour-blind safe)."""
    if value is None or value != value:
        return NO_DATA
    return _interp(PUOR, 0.5 + value / (2 * limit or 1))


def categorical(index: int | None) -> list[int]:
    if index is None:
        return NO_DATA
    return list(CATEGORY[index % len(CATEGORY)]) + [230]


@dataclass(frozen=True)
class Look:
    """How a choropleth draws its borders and where it centres Norway.

    Widths are (width, min px, max px); pydeck reads a bare string as a JavaScript accessor, so
    the units are quoted ('"pixels"').
    """

    area_line: tuple[int, ...]
    area_width: tuple[float, float, float]
    overlay_line: tuple[int, ...]
    overlay_width: tuple[float, float, float]
    longitude: float  # view centre
    tooltip_style: Mapping[str, str] | None = None
    # The chosen area's black outline, px. Thinner for large areas with a long, broken coast
    # (a landsdel), where a thick line turns the whole coast black.
    selected_width: float = 2.0


# Values (skolebidrag): grey area borders, a clear fylke overlay.
VALUES = Look(tuple(LINE), (0.5, 0.5, 2.0), (30, 30, 30, 220), (1.5, 1.5, 1.5), 16.0)
# Classes on the 2010 survey pages: the fill carries the meaning, so area borders are thin and
# white and fylke borders a darker overlay. Centred east of Norway's middle so tooltips of
# eastern kommuner are not clipped at the map's right edge; tooltips wrap narrow, as plain text.
LIGHT = Look(
    (255, 255, 255, 170),
    (1.0, 0.0, 0.7),
    (40, 40, 40, 150),
    (1.0, 1.0, 1.2),
    19.5,
    {"maxWidth": "220px", "whiteSpace": "normal", "fontSize": "13px", "lineHeight": "1.35"},
)


def _lines(id_: str, data, colour, width: tuple[float, float, float]) -> pdk.Layer:
    w, lo, hi = width
    return pdk.Layer(
        "GeoJsonLayer",
        data,
        id=id_,
        pickable=False,
        stroked=True,
        filled=False,
        get_line_color=list(colour),
        line_width_units='"pixels"',
        get_line_width=w,
        line_width_min_pixels=lo,
        line_width_max_pixels=hi,
    )


def choropleth(
    layer: str,
    id_prop: str,
    props: Mapping[str, Mapping],
    fill: Callable[[str], list[int]],
    tooltip: str,
    *,
    key: str,
    selected: str | None = None,
    height: int = 520,
    overlay: str | None = None,
    select: bool = True,
    look: Look = VALUES,
) -> str | None:
    """Draw one boundary layer coloured by `fill(id)`; return the id the user clicked, if any.

    `props[id]` adds properties shown in the tooltip ({name} placeholders in `tooltip`).
    `overlay` draws another layer's borders on top (e.g. fylker over kommuner); the `selected`
    area gets a thick black outline above everything.
    """
    features = []
    for feat in boundaries(layer)["features"]:
        fid = feat["properties"][id_prop]
        p = {**feat["properties"], **props.get(fid, {})}
        p["fill"] = fill(fid)
        features.append({"type": "Feature", "geometry": feat["geometry"], "properties": p})
    w, lo, hi = look.area_width
    # A click is taken once (see _take_click); the clickable layer then gets a new id. While a
    # pydeck selection points at an existing layer, Streamlit fades every other area, which
    # would leave the whole map pale after the first click; the chosen area is outlined by the
    # «selected» layer instead. (A new widget key would also clear it, but remounts the map:
    # seconds in software WebGL.)
    generation = st.session_state.get(_GENERATION.format(key), 0)
    areas_id = f"{key}-areas-{generation}"
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            {"type": "FeatureCollection", "features": features},
            id=areas_id,
            pickable=True,
            stroked=True,
            filled=True,
            _sub_layer_props=FILL_PICKS_ONLY,
            get_fill_color="properties.fill",
            get_line_color=list(look.area_line),
            line_width_units='"pixels"',
            get_line_width=w,
            line_width_min_pixels=lo,
            line_width_max_pixels=hi,
            auto_highlight=True,
            highlight_color=[0, 0, 0, 65],
        )
    ]
    if overlay:
        layers.append(
            _lines(f"{key}-overlay", boundaries(overlay), look.overlay_line, look.overlay_width)
        )
    chosen = [f for f in features if f["properties"][id_prop] == selected]
    if chosen:
        collection = {"type": "FeatureCollection", "features": chosen}
        width = (look.selected_width,) * 3
        layers.append(_lines(f"{key}-selected", collection, HIGHLIGHT_LINE, width))
    tip = {"text": tooltip, **({"style": dict(look.tooltip_style)} if look.tooltip_style else {})}
    deck = CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(latitude=65.3, longitude=look.longitude, zoom=3.55),
        map_provider=None,
        map_style=OFFLINE_STYLE,
        tooltip=tip,  # plain text, never HTML
        views=[pdk.View(type="MapView", controller=True)],
    )
    if not select:
        st.pydeck_chart(deck, height=height, key=key)
        return None
    st.pydeck_chart(
        deck,
        height=height,
        on_select=partial(_take_click, key, areas_id, id_prop),
        selection_mode="single-object",
        key=key,
    )
    return st.session_state.pop(_CLICKED.format(key), None)


_GENERATION = "_map_generation_{}"
_CLICKED = "_map_clicked_{}"


def _take_click(key: str, areas_id: str, id_prop: str) -> None:
    """on_select: keep the clicked area's id for this run and retire the clicked layer's id."""
    try:
        objects = st.session_state[key]["selection"]["objects"].get(areas_id, [])
    except (KeyError, TypeError, AttributeError):
        objects = []
    if not objects:  # a cleared selection (Streamlit drops one that names a retired layer)
        return
    obj = objects[0]
    st.session_state[_CLICKED.format(key)] = (obj.get("properties") or obj).get(id_prop)
    generation = _GENERATION.format(key)
    st.session_state[generation] = st.session_state.get(generation, 0) + 1
