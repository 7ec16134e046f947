"""The map page and its GeoJSON twins: time slicing, compartments, assets served by the app."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mamar.domain.model import command_type
from mamar.domain.text import said
from mamar.system import Mamar
from tests.web_support import OP, Web, make_web

API = f"/api/v1/operations/{OP}/map"


def layers(web: Web, role: str, at: str | None = None, lang: str = "en") -> dict[str, Any]:
    params = {"lang": lang, **({"at": at} if at else {})}
    response = web.client(role).get(API, params=params)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def ids(data: dict[str, Any], layer: str) -> set[str]:
    return {f["id"] for f in data["layers"][layer]["features"]}


def test_control_areas_and_front_follow_the_moment(system: Mamar) -> None:
    web = make_web(system)
    early = layers(web, "coordinator", "2016-12-05T00:00+02:00")
    # Control changed over the days before: on 5 December, the east as it was early that month.
    assert {f["properties"]["area"] for f in early["layers"]["control"]["features"]} == {
        "western-countryside",
        "besieged-east-early-december",
    }
    assert early["layers"]["front"]["features"] == []
    assert early["layers"]["routes"]["features"] == []
    later = layers(web, "coordinator", "2016-12-13T13:00+02:00")
    areas = {
        f["properties"]["area"]: f["properties"] for f in later["layers"]["control"]["features"]
    }
    assert set(areas) == {"western-countryside", "besieged-pocket", "government-held-city"}
    assert areas["besieged-pocket"]["party_name"] == "Aleppo factions"
    assert areas["government-held-city"]["colour"] != areas["besieged-pocket"]["colour"]
    assert ids(later, "front") == {"pocket-front"}
    # The range runs from the operation's opening to its latest record.
    assert later["range"]["start"].startswith("2016-12-01T08:00")
    assert later["at"] == "2016-12-13T13:00:00+02:00"
    # A moment before the range is shown as the range's start.
    assert layers(web, "coordinator", "2010-01-01T00:00Z")["at"] == later["range"]["start"]


def test_routes_show_every_version_with_the_current_one_marked(system: Mamar) -> None:
    web = make_web(system)
    first = layers(web, "coordinator", "2016-12-14T08:00+02:00")["layers"]["routes"]["features"]
    assert [(f["properties"]["version"], f["properties"]["current"]) for f in first] == [(1, True)]
    assert first[0]["properties"]["approved_by"] == ["Aleppo factions"]
    now = layers(web, "coordinator")["layers"]["routes"]["features"]
    versions = {f["properties"]["version"]: f["properties"] for f in now}
    assert set(versions) == {1, 2, 3}
    assert [v for v, p in versions.items() if p["current"]] == [3]
    rejected = versions[2]["rejected_by"]
    assert rejected and rejected[0]["party"] == "Aleppo factions"
    # Each reason with its language and translations (said in Arabic, translated).
    reasons = rejected[0]["reasons"]
    assert "No guarantee of the vehicles' safety" in [said(r, "en").words for r in reasons]
    assert "لا ضمانة لسلامة المركبات" in [said(r, "ar").words for r in reasons]


def test_convoys_stand_at_their_last_known_place(system: Mamar) -> None:
    web = make_web(system)

    def convoy_at(at: str | None) -> tuple[list[float], str, str]:
        features = layers(web, "operations", at)["layers"]["convoys"]["features"]
        found = next(f for f in features if f["id"] == "first-wounded")
        props = found["properties"]
        return found["geometry"]["coordinates"], props["status"], props["place_from"]

    assert convoy_at("2016-12-14T11:05+02:00") == ([37.143, 36.16], "under_fire", "incident")
    assert convoy_at("2016-12-14T19:30+02:00") == ([37.154, 36.186], "staged", "status")
    assert convoy_at(None) == ([37.075, 36.18], "arrived", "destination")


def test_places_are_labelled_in_the_page_language(system: Mamar) -> None:
    web = make_web(system)
    arabic = {
        f["id"]: f["properties"]["label"]
        for f in layers(web, "observer", lang="ar")["layers"]["places"]["features"]
    }
    english = {
        f["id"]: f["properties"]["label"]
        for f in layers(web, "observer", lang="en")["layers"]["places"]["features"]
    }
    assert arabic["sukkari"] == "السكري" and english["sukkari"] == "Al-Sukkari"
    page = web.client("observer").get(f"/ops/{OP}/map?lang=ar").text
    assert "السكري" in page


def test_a_liaison_sees_only_shared_records_on_the_map(system: Mamar) -> None:
    web = make_web(system)
    report = command_type("incident.report")
    system.execute(
        report.model_validate(
            {
                "id": "internal-shelling-marker",
                "operation": OP,
                "visibility": "internal",
                "event_type": "explosions_remote_violence",
                "description": {"original": "Internal report", "language": "en"},
                "source": {"text": "own team", "kind": "own_team"},
                "point": {"lat": 36.18, "lon": 37.14},
            }
        ),
        actor=system.actor("coordinator"),
    )
    assert "internal-shelling-marker" in ids(layers(web, "coordinator"), "incidents")
    liaison = web.client("liaison")
    data = liaison.get(API).json()
    assert "internal-shelling-marker" not in ids(data, "incidents")
    assert ids(data, "incidents"), "shared incidents are shown"
    for layer in ("control", "front", "routes", "incidents", "convoys", "places"):
        one = liaison.get(f"{API}/{layer}")
        assert one.status_code == 200
        assert "internal-shelling-marker" not in one.text
    for path in (f"/ops/{OP}/map", f"/ops/{OP}/map?format=json"):
        assert "internal-shelling-marker" not in liaison.get(path).text


def test_the_page_and_its_twins_come_from_the_same_call(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("coordinator")
    at = "2016-12-14T12:00+02:00"
    twin = client.get(f"/ops/{OP}/map", params={"at": at, "format": "json", "lang": "en"}).json()
    api = client.get(API, params={"at": at, "lang": "en"}).json()
    assert twin == api
    for layer, collection in api["layers"].items():
        one = client.get(f"{API}/{layer}", params={"at": at, "lang": "en"}).json()
        assert one == collection, layer
    html = client.get(f"/ops/{OP}/map", params={"at": at, "lang": "en"}).text
    embedded = re.search(
        r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S
    )
    assert embedded is not None
    assert json.loads(embedded.group(1)) == api


def test_bad_moments_are_refused_and_change_nothing(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("coordinator")
    before = web.journal_size()
    naive = client.get(API, params={"at": "2016-12-14T12:00"})
    assert naive.status_code == 422
    assert naive.json()["error"]["field"] == "at"
    assert client.get(f"{API}/control", params={"at": "yesterday"}).status_code == 422
    assert client.get(f"/ops/{OP}/map", params={"t": "soon"}).status_code == 400
    assert client.get("/api/v1/operations/no-such-operation/map").status_code == 404
    assert web.client().get(API).status_code == 401
    assert web.journal_size() == before


def test_leaflet_is_served_by_the_app_and_no_page_asset_comes_from_elsewhere(system: Mamar) -> None:
    web = make_web(system)
    client = web.client("coordinator")
    html = client.get(f"/ops/{OP}/map").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assets = [s for s in sources if s.endswith((".js", ".css"))]
    assert any(s.endswith("/leaflet/leaflet.js") for s in assets)
    assert any(s.endswith("/leaflet/leaflet.css") for s in assets)
    assert all(s.startswith("/static/") for s in assets), assets
    assert "data-tiles" not in html  # no basemap configured: layers on a plain background
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert "max-age=31536000" in response.headers["cache-control"]
    leaflet = client.get(next(s for s in assets if s.endswith("leaflet.js"))).text
    assert "Leaflet 1.9.3" in leaflet[:400]


def test_a_configured_basemap_is_offered_to_the_page(system: Mamar) -> None:
    system.settings = system.settings.model_copy(
        update={"tile_url": "http://tiles.example.test/{z}/{x}/{y}.png"}
    )
    web = make_web(system)
    html = web.client("coordinator").get(f"/ops/{OP}/map").text
    assert 'data-tiles="http://tiles.example.test/{z}/{x}/{y}.png"' in html


def test_every_map_route_for_every_role_shows_only_its_compartments(system: Mamar) -> None:
    from fastapi.testclient import TestClient

    from mamar.access.rules import READ_ANY, RuleBook
    from mamar.domain.visibility import Role, Visibility, visible_to
    from mamar.web.app import create_app
    from tests.api_support import MARKERS, make_api, record

    api = make_api(system)
    occurred = {"at": "2016-12-13T20:00+02:00", "precision": "minute"}
    record(
        api,
        "/api/v1/operation/open",
        {"id": "op", "name": {"en": "Op"}, "timezone": "UTC", "occurred": occurred},
    )
    for visibility, marker in MARKERS.items():
        record(
            api,
            "/api/v1/incident/report",
            {
                "id": f"incident-{visibility.value}",
                "operation": "op",
                "visibility": visibility.value,
                "event_type": "protests",
                "description": {"original": f"Protest {marker}", "language": "en"},
                "source": {"text": "team", "kind": "own_team"},
                "point": {"lat": 36.2, "lon": 37.1},
                "occurred": occurred,
            },
            role=Role.MEDICAL if visibility is Visibility.MEDICAL else Role.COORDINATOR,
        )
    app = create_app(system)
    book: RuleBook = app.state.access
    client = TestClient(app, base_url="https://testserver")
    paths = [
        "/api/v1/operations/{op}/map",
        *(
            f"/api/v1/operations/{{op}}/map/{n}"
            for n in ("control", "front", "routes", "incidents", "convoys", "places")
        ),
        "/ops/{op}/map",
    ]
    for template in paths:
        assert book.get("GET", template) == READ_ANY, template
        for op in ("op", "no-such-op"):
            path = template.replace("{op}", op)
            assert client.get(path, headers={"Accept": "application/json"}).status_code == 401
            for role in Role:
                response = client.get(
                    path, headers={**api.headers(role), "Accept": "application/json"}
                )
                if op != "op":
                    assert response.status_code == 404, (path, role)
                    continue
                assert response.status_code == 200, (path, role, response.text[:200])
                for visibility, marker in MARKERS.items():
                    shown = marker in response.text
                    if visibility not in visible_to(role):
                        assert not shown, (path, role, visibility)
                    elif template.endswith(("/map", "/incidents")):
                        assert shown, (path, role, visibility)


STATIC = Path(__file__).parent.parent / "src" / "mamar" / "web" / "static"
#: The variables the map's scripts and map.css draw with.
MAP_COLOURS = re.compile(r"--((?:map|road)-[\w-]+|c\d|front|label-bg|ground-label-bg):([^;}]+)")


def test_the_dark_theme_gives_every_map_colour_and_the_paper_keeps_the_light_palette() -> None:
    """Every colour the map draws with has a dark value (none left light on the dark ground),
    and the figures on paper use the light map's palette (a party's colour is the same)."""
    from mamar.reports.figures import PALETTE

    light = dict(MAP_COLOURS.findall((STATIC / "app.css").read_text(encoding="utf-8")))
    dark = dict(MAP_COLOURS.findall((STATIC / "dark.css").read_text(encoding="utf-8")))
    assert {"map-ground", "map-route", "front", "c0", "road-major"} <= set(light)
    assert set(light) - set(dark) == set()
    assert [name for name in light if light[name] == dark[name]] == ["map-convoy"]
    assert tuple(light[f"c{i}"] for i in range(9)) == PALETTE
    for script in ("map.js", "basemap.js", "pick-point.js"):
        source = (STATIC / script).read_text(encoding="utf-8")
        assert re.findall(r"#[0-9a-fA-F]{3,6}\b", source) == [], script
