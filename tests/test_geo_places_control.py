"""Places and control over time through the services: events, state, refusals, who-controls."""

from __future__ import annotations

from datetime import datetime

import pytest
from pydantic import ValidationError

from mamar.access.viewer import viewer_of
from mamar.control.commands import (
    EndControlArea,
    EndFrontLine,
    RecordControlArea,
    RecordFrontLine,
    TransferControlArea,
)
from mamar.domain.errors import DomainError
from mamar.domain.model import Actor
from mamar.domain.visibility import Role, Visibility
from mamar.geo.territory import control_layer, who_controls
from mamar.geodata.service import GeoView
from mamar.journal import store
from mamar.places.commands import AddPlaceAlias, RegisterPlace, UpdatePlace
from mamar.projections.entities import current
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.geo_builders import box, record_area, register_parties, register_places
from tests.helpers import at, open_operation


def _state(system: Mamar, stream: str):  # type: ignore[no-untyped-def]
    with system.reading() as conn:
        found = current(conn, stream)
    assert found is not None
    return found[0]


def _count(system: Mamar) -> int:
    with system.reading() as conn:
        return store.count(conn)


def test_register_update_alias(system: Mamar) -> None:
    open_operation(system)
    register_places(system)
    place = _state(system, "place:ramouseh")
    assert place.name.ar == "الراموسة"
    assert place.precision == "approximate"
    assert place.visibility is Visibility.SHARED
    assert place.kind == "neighbourhood"
    events = system.execute(AddPlaceAlias(id="ramouseh", alias="Ramousseh"), actor=SYSTEM)
    assert [e.type for e in events] == ["place.alias_added"]
    events = system.execute(
        UpdatePlace(id="ramouseh", point={"lat": 36.159, "lon": 37.146}, precision="exact"),
        actor=SYSTEM,
    )
    assert [e.type for e in events] == ["place.updated"]
    place = _state(system, "place:ramouseh")
    assert place.aliases[-1] == "Ramousseh"
    assert (place.point.lat, place.precision) == (36.159, "exact")


def test_place_refusals_change_nothing(system: Mamar) -> None:
    open_operation(system)
    register_places(system)
    before = _count(system)
    with pytest.raises(DomainError, match="already a name"):
        system.execute(AddPlaceAlias(id="ramouseh", alias="ramousa"), actor=SYSTEM)
    with pytest.raises(DomainError, match="nothing to change"):
        system.execute(UpdatePlace(id="ramouseh", place_kind="neighbourhood"), actor=SYSTEM)
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[37.0, 36.0], [37.1, 36.1], [37.1, 36.0], [37.0, 36.1], [37.0, 36.0]]],
    }
    with pytest.raises(DomainError, match="not valid") as refused:
        system.execute(
            RegisterPlace(
                id="x", operation="op", name={"en": "X"}, place_kind="other", polygon=bowtie
            ),
            actor=SYSTEM,
        )
    assert refused.value.field == "polygon"
    assert _count(system) == before


def test_coordinates_are_range_checked() -> None:
    with pytest.raises(ValidationError, match="latitude must be between"):
        RegisterPlace(
            id="x",
            operation="op",
            name={"en": "X"},
            place_kind="other",
            point={"lat": 91, "lon": 0},
        )
    with pytest.raises(ValidationError, match="ring must end where it starts"):
        RegisterPlace(
            id="x",
            operation="op",
            name={"en": "X"},
            place_kind="other",
            polygon={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
        )


def test_control_transfer_and_who_controls_over_time(system: Mamar) -> None:
    open_operation(system)
    register_parties(system)
    record_area(
        system,
        "salah-al-din",
        "factions",
        box(37.125, 36.180, 37.135, 36.190),
        "2016-12-01T00:00+02:00",
    )
    events = system.execute(
        TransferControlArea(
            id="salah-al-din",
            party="government",
            at=datetime.fromisoformat("2016-12-12T14:00+02:00"),
            source="field report",
            confidence="high",
        ),
        actor=SYSTEM,
    )
    assert [e.type for e in events] == ["control_area.transferred"]
    area = _state(system, "control_area:salah-al-din")
    assert [p.party for p in area.periods] == ["factions", "government"]
    assert area.party == "government" and area.valid_to is None
    with system.reading() as conn:
        view = GeoView.load(conn, viewer_of(SYSTEM))
    index = view.control_index()
    point = (37.130, 36.186)
    assert who_controls(point, datetime.fromisoformat("2016-12-10T12:00+02:00"), index) == (
        "factions",
    )
    assert who_controls(point, datetime.fromisoformat("2016-12-12T14:00+02:00"), index) == (
        "government",
    )
    assert who_controls((37.0, 36.0), datetime.fromisoformat("2016-12-12T14:00+02:00"), index) == ()
    assert who_controls(point, datetime.fromisoformat("2016-11-30T00:00+02:00"), index) == ()

    system.execute(
        EndControlArea(id="salah-al-din", at=datetime.fromisoformat("2016-12-22T00:00+02:00")),
        actor=SYSTEM,
    )
    with system.reading() as conn:
        index = GeoView.load(conn, viewer_of(SYSTEM)).control_index()
    assert who_controls(point, datetime.fromisoformat("2016-12-23T00:00+02:00"), index) == ()
    assert who_controls(point, datetime.fromisoformat("2016-12-21T00:00+02:00"), index) == (
        "government",
    )


def test_control_refusals_change_nothing(system: Mamar) -> None:
    open_operation(system)
    register_parties(system)
    record_area(system, "a", "factions", box(37.1, 36.1, 37.2, 36.2), "2016-12-10T00:00+02:00")
    before = _count(system)

    def refused(cmd, match: str) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(DomainError, match=match):
            system.execute(cmd, actor=SYSTEM)

    t = datetime.fromisoformat
    refused(
        TransferControlArea(
            id="a", party="factions", at=t("2016-12-11T00:00+02:00"), source="s", confidence="low"
        ),
        "already controls",
    )
    refused(
        TransferControlArea(
            id="a", party="government", at=t("2016-12-09T00:00+02:00"), source="s", confidence="low"
        ),
        "after the current control began",
    )
    refused(
        TransferControlArea(
            id="a", party="nobody", at=t("2016-12-11T00:00+02:00"), source="s", confidence="low"
        ),
        "no party",
    )
    refused(EndControlArea(id="a", at=t("2016-12-09T00:00+02:00")), "must come after")
    refused(
        RecordControlArea(
            id="b",
            operation="op",
            party="factions",
            area=box(37.1, 36.1, 37.2, 36.2),
            valid_from=t("2016-12-10T00:00+02:00"),
            valid_to=t("2016-12-09T00:00+02:00"),
            source="s",
            confidence="low",
        ),
        "must come after",
    )
    assert _count(system) == before
    system.execute(EndControlArea(id="a", at=t("2016-12-12T00:00+02:00")), actor=SYSTEM)
    refused(EndControlArea(id="a", at=t("2016-12-13T00:00+02:00")), "already ended")
    refused(
        TransferControlArea(
            id="a", party="government", at=t("2016-12-11T00:00+02:00"), source="s", confidence="low"
        ),
        "can start then or later",
    )


def test_front_lines_and_time_sliced_layer(system: Mamar) -> None:
    open_operation(system)
    register_parties(system)
    record_area(system, "pocket", "factions", box(37.128, 36.165, 37.158, 36.196))
    t = datetime.fromisoformat
    system.execute(
        RecordFrontLine(
            id="front-13-dec",
            operation="op",
            line={"type": "LineString", "coordinates": [[37.128, 36.196], [37.158, 36.196]]},
            parties=("factions", "government"),
            valid_from=t("2016-12-13T18:00+02:00"),
            source="negotiator's account",
            confidence="low",
        ),
        actor=SYSTEM,
    )
    events = system.execute(
        EndFrontLine(id="front-13-dec", at=t("2016-12-15T12:00+02:00"), reason="evacuation"),
        actor=SYSTEM,
    )
    assert [e.type for e in events] == ["front_line.ended"]
    with system.reading() as conn:
        view = GeoView.load(conn, viewer_of(SYSTEM))
    layer = control_layer(view.control_records(), view.front_records(), t("2016-12-14T00:00+02:00"))
    assert {f["properties"]["layer"] for f in layer["features"]} == {"control_area", "front_line"}
    later = control_layer(view.control_records(), view.front_records(), t("2016-12-16T00:00+02:00"))
    assert [f["properties"]["layer"] for f in later["features"]] == ["control_area"]
    before = control_layer(
        view.control_records(), view.front_records(), t("2016-12-01T00:00+02:00")
    )
    assert before["features"] == []


def test_liaison_sees_only_shared_ground(system: Mamar) -> None:
    open_operation(system)
    register_parties(system)
    register_places(system)
    record_area(system, "internal-area", "factions", box(37.1, 36.1, 37.2, 36.2))
    record_area(
        system, "shared-area", "government", box(37.2, 36.1, 37.3, 36.2), visibility="shared"
    )
    with system.reading() as conn:
        outside = Actor(username="liaison", role=Role.LIAISON, organisation="government-liaisons")
        liaison = GeoView.load(conn, viewer_of(outside))
        admin = GeoView.load(conn, viewer_of(Actor(username="admin", role=Role.ADMIN)))
    assert [a.id for a in liaison.areas] == ["shared-area"]
    assert {a.id for a in admin.areas} == {"internal-area", "shared-area"}
    assert len(liaison.places) == len(admin.places)  # places are shared by default
    _ = at
