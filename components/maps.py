"""Offline maps: boundaries drawn by Vega-Lite (Altair mark_geoshape), no WebGL, no tiles.

Why not pydeck: without a GPU (VMs, remote desktops, headless browsers) deck.gl draws and picks
in software WebGL, and a click on a kommune took 3–12 s until it was chosen, a page switch up
to 20 s (benchmarks/latency.py). Vega draws the same polygons on a 2D canvas.

What a map sends (components/topology.py): the boundaries as TopoJSON, every border once,
simplified for the zoom (Norway: below a pixel; a kommune and its neighbours: full detail),
quantised and delta-encoded, with each area's colour and tooltip texts as its properties. ONE
layer of areas: the chosen area is outlined by a stroke condition and drawn last, never sent
again as a layer of its own. Fylke borders, where wanted, are a few arcs of the same topology
(one extra geometry in the same data set), not a second set of polygons.

A click is a point selection (`pick`, on the area's id); Streamlit calls `on_pick(id)` before
the next run — one run per click. The chart's key carries the chosen id and a click count, so
after a click, or a choice made elsewhere, the map is a new widget and an old selection cannot
swallow the next click on the same area.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import altair as alt
import streamlit as st

import queries
from components import topology
from components.i18n import t

NO_DATA = [200, 200, 200]
HIGHLIGHT_LINE = "#000000"
BORDERS_ID = "_borders"  # the fylke-border geometry in the areas' collection
PICK = "pick"  # the selection parameter's name
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
# Vega draws on a 2D canvas (vega-embed's default); SKOLEMILJO_MAP_RENDERER=svg draws SVG paths
# instead, for comparing the two (benchmarks/latency.py --renderer svg; README).
RENDERER = "svg" if os.environ.get("SKOLEMILJO_MAP_RENDERER") == "svg" else "canvas"
# Norway as Kartverket draws it: transverse Mercator around 15° E (UTM zone 33).
PROJECTION = {"type": "transverseMercator", "rotate": [-15, 0, 0]}


def _interp(ramp, x: float) -> list[int]:
    x = min(max(x, 0.0), 1.0) * (len(ramp) - 1)
    i = min(int(x), len(ramp) - 2)
    f = x - i
    return [round(ramp[i][k] + (ramp[i + 1][k] - ramp[i][k]) * f) for k in range(3)]


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
    return list(CATEGORY[index % len(CATEGORY)])


def css(rgb: Sequence[int]) -> str:
    """#rrggbb of an RGB list (the legends draw the same colours from the same lists)."""
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


@dataclass(frozen=True)
class Look:
    """How a choropleth draws its borders (CSS colours, widths in px)."""

    area_line: str
    area_width: float
    border_line: str  # fylke borders
    border_width: float
    # The chosen area's black outline. Thinner for large areas with a long, broken coast
    # (a landsdel), where a thick line turns the whole coast black.
    selected_width: float = 2.0


# Values (skolebidrag): grey area borders, clear fylke borders.
VALUES = Look("rgba(80,80,80,0.75)", 0.5, "rgba(30,30,30,0.85)", 1.3, 1.5)
# Classes on the 2010 survey pages: the fill carries the meaning, so area borders are thin and
# white and fylke borders darker.
LIGHT = Look("rgba(255,255,255,0.7)", 0.6, "rgba(40,40,40,0.6)", 1.1, 1.5)


# ----------------------------------------------------------------------------- geometry


@st.cache_resource(show_spinner=False)
def _base(layer: str) -> tuple[topology.Base, dict[str, dict], dict[str, tuple]]:
    """The layer's topology at full detail, each area's own properties and its bounding box."""
    geo = json.loads(queries.run("geo_layer", layer=layer)["geojson"].iloc[0])
    id_prop = _ID_PROP[layer]
    feats = geo["features"]
    props = {f["properties"][id_prop]: dict(f["properties"]) for f in feats}
    boxes = {f["properties"][id_prop]: topology.bbox(f) for f in feats}
    return topology.build(feats, id_prop), props, boxes


_ID_PROP = {"kommuner": "kommune_code", "fylker": "fylke_code", "landsdeler": "landsdel"}
_NAME_PROP = {"kommuner": "kommune_name", "fylker": "fylke_name", "landsdeler": "landsdel"}


def _names(layer: str) -> dict[str, str]:
    return {k: v.get(_NAME_PROP[layer], k) for k, v in _base(layer)[1].items()}


@st.cache_resource(show_spinner=False, max_entries=64)
def geometry(layer: str, borders: bool, focus: str | None = None) -> dict:
    """TopoJSON of `layer` for Norway, or (focus=an id) for that area and its neighbours at full
    detail. `borders`: fylke borders between kommuner (the first two digits of the code)."""
    base, props, boxes = _base(layer)
    group = {k: k[:2] for k in props} if borders else None
    if focus is None or focus not in props:
        detail = topology.REGIONS if layer == "landsdeler" else topology.COUNTRY
        return topology.encode(base, detail, group=group)
    return topology.encode(base, topology.FOCUS, group=group, keep=neighbourhood(layer, focus))


def neighbourhood(layer: str, code: str) -> set[str]:
    """The area, the areas that share a border with it, and those within ~20 km of its box."""
    base, _props, boxes = _base(layer)
    near = {code}
    for users in base.users:
        if code in users:
            near |= users
    w, s, e, n = boxes[code]
    pad_lat = 0.2 + 0.15 * (n - s)
    pad_lon = 2 * pad_lat
    for other, (w2, s2, e2, n2) in boxes.items():
        if w2 < e + pad_lon and e2 > w - pad_lon and s2 < n + pad_lat and n2 > s - pad_lat:
            near.add(other)
    return near


# ----------------------------------------------------------------------------- drawing


# Properties with few distinct values (a size class's use, a constant «click to …», the colour of
# a class) are sent once, as a list in the spec; each area carries only the index.
MAX_SHARED = 32


def _js(value) -> str:
    """A JSON literal is a valid Vega expression literal (strings, numbers, arrays)."""
    return json.dumps(value, ensure_ascii=False)


def _value_expr(prop: str, shared: Mapping[str, tuple]) -> str:
    if prop in shared:
        return f"{_js(list(shared[prop]))}[datum.properties[{_js(prop)}]]"
    return f"datum.properties[{_js(prop)}]"


@st.cache_data(show_spinner=False, max_entries=64)
def _skeleton(
    look: Look,
    rows: tuple[tuple[str, str], ...],
    shared: tuple[tuple[str, tuple], ...],
    selected: str | None,
    borders: bool,
    height: int,
    clickable: bool,
) -> dict:
    """The map's Vega-Lite spec without its data (built by Altair once per look and choice).

    The tooltip is one object per area: {title: name, <row title>: text, …}; vega-tooltip
    shows «title» as the heading and leaves out rows an area has no text for.
    """
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    table = dict(shared)
    data = alt.NamedData(name="geo", format=alt.TopoDataFormat(type="topojson", feature="all"))
    tip = ", ".join(
        f"{_js(title)}: {_value_expr(prop, table)}" for title, prop in [("title", "_name"), *rows]
    )
    if selected is None:
        stroke, width = alt.value(look.area_line), alt.value(look.area_width)
    else:
        chosen = alt.datum.id == selected
        stroke = alt.condition(chosen, alt.value(HIGHLIGHT_LINE), alt.value(look.area_line))
        width = alt.condition(chosen, alt.value(look.selected_width), alt.value(look.area_width))
    areas = (
        alt.Chart(data)
        .mark_geoshape(
            cursor="pointer" if clickable else "default",
            strokeJoin="round",
            tooltip=alt.ExprRef(expr="{" + tip + "}"),
        )
        .transform_filter(alt.datum.id != BORDERS_ID)
        .transform_calculate(_colour=_value_expr("_fill", table))
        .encode(
            fill=alt.Fill("_colour:N", scale=None, legend=None),
            stroke=stroke,
            strokeWidth=width,
        )
    )
    if clickable:
        areas = areas.add_params(
            alt.selection_point(name=PICK, fields=["id"], on="click", clear=False, toggle=False)
        )
    layers = [areas]
    if borders:
        layers.append(
            alt.Chart(data)
            .mark_geoshape(
                filled=False,
                stroke=look.border_line,
                strokeWidth=look.border_width,
                # With a selection on the map, Vega-Lite makes every mark pickable; a pointer
                # right on a fylke border then gets no tooltip rather than an empty one.
                tooltip=alt.ExprRef(expr="null"),
            )
            .transform_filter(alt.datum.id == BORDERS_ID)
        )
    chart = (
        alt.layer(*layers)
        .project(**PROJECTION)
        .properties(height=height, usermeta={"embedOptions": {"renderer": RENDERER}})
    )
    return _convert_altair_to_vega_lite_spec(chart)


def _properties(
    ids: Sequence[str],
    props: Mapping[str, Mapping],
    fill: Callable[[str], Sequence[int]],
    names: Mapping[str, str],
    rows: Sequence[tuple[str, str]],
) -> tuple[dict[str, dict], tuple[tuple[str, tuple], ...]]:
    """Each area's tooltip texts, name and colour; values shared by many areas as indices into
    a list sent once (returned second)."""
    per_area = {}
    for fid in ids:
        p = {k: v for k, v in props.get(fid, {}).items() if v is not None}
        p["_name"] = p.pop("name", None) or names.get(fid, fid)
        p["_fill"] = css(fill(fid))
        per_area[fid] = p
    shared = []
    for prop in ["_fill", *(prop for _, prop in rows)]:
        values = sorted({p[prop] for p in per_area.values() if prop in p})
        if len(values) <= MAX_SHARED and 2 * len(values) < len(per_area):
            shared.append((prop, tuple(values)))
            index = {v: i for i, v in enumerate(values)}
            for p in per_area.values():
                if prop in p:
                    p[prop] = index[p[prop]]
    return per_area, tuple(shared)


def _dataset(geo: dict, per_area: Mapping[str, dict], selected: str | None) -> dict:
    """The topology with each area's properties; the chosen area last, so that no neighbour
    covers half of its outline."""
    areas = [{**g, "properties": per_area[g["id"]]} for g in geo["objects"]["areas"]["geometries"]]
    if selected is not None:
        areas.sort(key=lambda g: g["id"] == selected)
    if "borders" in geo["objects"]:
        areas.append({**geo["objects"]["borders"], "id": BORDERS_ID})
    objects = {"all": {"type": "GeometryCollection", "geometries": areas}}
    return {k: v for k, v in geo.items() if k != "objects"} | {"objects": objects}


def choropleth(
    layer: str,
    props: Mapping[str, Mapping],
    fill: Callable[[str], Sequence[int]],
    rows: Sequence[tuple[str, str]],
    *,
    key: str,
    selected: str | None = None,
    height: int = 520,
    borders: bool = False,
    on_pick: Callable[[str], None] | None = None,
    look: Look = VALUES,
    focus: bool = False,
) -> None:
    """Draw one boundary layer ('kommuner' | 'landsdeler' | 'fylker') coloured by `fill(id)`.

    `props[id]` holds the tooltip texts; `rows` names them: (title shown, property). The
    tooltip's heading is `props[id]["name"]`, else the area's own name. `selected` is outlined
    in black (and, with `focus`, the map shows it and its neighbours). `on_pick(id)` runs when
    an area is clicked, before the next run, so it may set a widget's session-state key.
    """
    geo = geometry(layer, borders, selected if focus and selected else None)
    ids = [g["id"] for g in geo["objects"]["areas"]["geometries"]]
    per_area, shared = _properties(ids, props, fill, _names(layer), rows)
    spec = dict(
        _skeleton(look, tuple(rows), shared, selected, borders, height, on_pick is not None),
        datasets={"geo": _dataset(geo, per_area, selected)},
    )
    with st.container(key=key):
        if on_pick is None:
            st.vega_lite_chart(spec=spec, width="stretch", theme=None)
            return
        # A new widget once the choice changed or an area was clicked: a selection kept by
        # the old one would swallow the next click on the same area (Streamlit only reports
        # a selection that differs from the widget's last one).
        generation = st.session_state.get(_GENERATION.format(key), 0)
        chart_key = f"{key}_pick_{selected or 'none'}_{generation}"
        st.vega_lite_chart(
            spec=spec,
            width="stretch",
            theme=None,
            key=chart_key,
            on_select=partial(_picked, key, chart_key, on_pick),
            selection_mode=PICK,
        )


def focus_toggle(key: str, selected: str | None, layer: str = "kommuner") -> bool:
    """«Zoom to <area>»: a switch above a map, shown while an area is chosen."""
    if not selected:
        return False
    names = _names(layer)
    if selected not in names:
        return False
    return st.toggle(
        t("common.map_focus", name=names[selected]),
        key=f"{key}_focus",
        help=t("common.map_focus_help"),
    )


_GENERATION = "_map_generation_{}"


def _picked(key: str, chart_key: str, on_pick: Callable[[str], None]) -> None:
    """on_select: hand the clicked area's id to `on_pick` (a click on empty sea: nothing)."""
    generation = _GENERATION.format(key)
    st.session_state[generation] = st.session_state.get(generation, 0) + 1
    try:
        rows = st.session_state[chart_key]["selection"][PICK]
    except (KeyError, TypeError, AttributeError):
        return
    if isinstance(rows, Mapping):  # {"id": [...]} in some Vega versions
        ids = rows.get("id") or []
        rows = [{"id": i} for i in (ids if isinstance(ids, list) else [ids])]
    for row in rows or []:
        code = row.get("id") if isinstance(row, Mapping) else None
        if code and code != BORDERS_ID:
            on_pick(str(code))
            return
