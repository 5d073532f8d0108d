"""The offline choropleth (components.maps): what it sends to the browser."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest


def _bodo_map(look_name: str) -> None:
    from components import maps

    maps.choropleth(
        "kommuner",
        "kommune_code",
        {"1804": {"value": "+0,6"}},
        lambda code: maps.diverging(0.6, 3.0) if code == "1804" else maps.NO_DATA,
        "{kommune_name}: {value}",
        key="m",
        selected="1804",
        overlay="fylker",
        look=getattr(maps, look_name),
    )


@pytest.mark.parametrize("look", ["VALUES", "LIGHT"])
def test_map_is_offline_picks_fills_only_and_outlines_the_chosen_kommune(built_db, look):
    at = AppTest.from_function(_bodo_map, args=(look,), default_timeout=60).run()
    assert not at.exception
    (deck,) = at.get("deck_gl_json_chart")
    spec = json.loads(deck.proto.json)
    # no tiles, no style from the internet: an inline empty style
    assert spec["mapStyle"].startswith("data:application/json")
    assert "http" not in deck.proto.json
    layers = {layer["id"]: layer for layer in spec["layers"]}
    # the clickable layer's id changes after each click (a new generation); outline drawn last
    assert list(layers) == ["m-areas-0", "m-overlay", "m-selected"]
    areas = layers["m-areas-0"]
    assert areas["pickable"] is True
    assert areas["_subLayerProps"] == {"polygons-stroke": {"pickable": False}}
    assert not layers["m-overlay"]["pickable"] and not layers["m-selected"]["pickable"]
    assert len(areas["data"]["features"]) == 356
    chosen = layers["m-selected"]["data"]["features"]
    assert [f["properties"]["kommune_code"] for f in chosen] == ["1804"]
    assert layers["m-selected"]["getLineColor"] == [0, 0, 0, 255]
    bodo = next(f for f in areas["data"]["features"] if f["properties"]["kommune_code"] == "1804")
    assert bodo["properties"]["value"] == "+0,6"
    assert bodo["properties"]["kommune_name"] == "Bodø"
