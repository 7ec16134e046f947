"""Triage of wounded: START categories, injuries by body region and type, the receiving
facility, batches in priority order (the next one first) and each facility's capacity."""

from __future__ import annotations

import pytest

from mamar.domain.errors import DomainError, NotFound
from mamar.facilities.commands import RegisterFacility
from mamar.facilities.model import FacilityState
from mamar.manifests.commands import (
    HandOver,
    ListGroup,
    RecordStatus,
    RegisterVehicle,
    SetPriority,
    TriagePerson,
)
from mamar.manifests.triage import batches, facility_load
from mamar.reads import people
from mamar.reads.states import visible_states
from mamar.system import Mamar
from tests.test_manifests import FAMILY, setup


def test_batches_leave_by_priority_and_facilities_show_their_capacity(system: Mamar) -> None:
    medic, other = setup(system)
    system.execute(
        RegisterVehicle(id="amb-2", operation="op", convoy="c1", label="إسعاف ٢"), actor=medic
    )
    for vehicle in ("bus-1", "amb-2"):
        system.execute(ListGroup(id=vehicle, people=FAMILY), actor=medic)  # type: ignore[arg-type]
    system.execute(
        RegisterFacility(id="rashidin", operation="op", name={"ar": "مشفى الراشدين"}, capacity=2),
        actor=medic,
    )
    system.execute(
        TriagePerson(
            id="bus-1",
            number=1,
            category="delayed",
            injuries=[{"region": "lower_limb", "kind": "fracture"}],  # type: ignore[list-item]
            facility="rashidin",
        ),
        actor=medic,
    )
    for number in (1, 2):
        system.execute(
            TriagePerson(
                id="amb-2",
                number=number,
                category="immediate",
                injuries=[{"region": "chest", "kind": "shrapnel"}],  # type: ignore[list-item]
                facility="rashidin",
            ),
            actor=medic,
        )
    with pytest.raises(DomainError, match="not on this vehicle"):
        system.execute(TriagePerson(id="bus-1", number=9, category="minor"), actor=medic)
    with pytest.raises(NotFound):
        system.execute(TriagePerson(id="bus-1", number=1, category="minor"), actor=other)

    def seen() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        with system.reading() as conn:
            vehicles = people.vehicles(conn, viewer=medic, operation="op")
            found = visible_states(conn, viewer=medic, operation="op", kinds=["facility"])
        places = [f for f in found if isinstance(f, FacilityState)]
        return batches(vehicles), facility_load(places, vehicles)

    order, load = seen()
    # More "immediate" first, while no priority is set.
    assert [(b["label"]["original"], b["next"]) for b in order] == [
        ("إسعاف ٢", True),
        ("حافلة ١", False),
    ]
    assert load == [
        {
            "id": "rashidin",
            "name": {"ar": "مشفى الراشدين", "en": None},
            "capacity": 2,
            "received": 0,
            "expected": 3,
            "free": -1,
        }
    ]
    system.execute(SetPriority(id="bus-1", priority=1), actor=medic)
    system.execute(
        RecordStatus(id="amb-2", people=(1, 2, 3), stop="origin", status="boarded"), actor=medic
    )
    system.execute(HandOver(id="amb-2", number=1, facility="rashidin"), actor=medic)
    order, load = seen()
    assert [(b["label"]["original"], b["next"]) for b in order] == [
        ("حافلة ١", True),
        ("إسعاف ٢", False),
    ]
    assert (load[0]["received"], load[0]["expected"], load[0]["free"]) == (1, 2, -1)
    with system.reading() as conn:
        outsider = people.vehicles(conn, viewer=other, operation="op")
    assert batches(outsider) == []


def test_the_reception_summary_is_part_of_the_sitrep_of_whoever_sees_the_manifests(
    system: Mamar,
) -> None:
    from mamar.domain.time import now_utc
    from mamar.reports.making import SitrepRequest, make_sitrep

    medic, other = setup(system)
    system.execute(ListGroup(id="bus-1", people=FAMILY), actor=medic)  # type: ignore[arg-type]
    system.execute(
        RegisterFacility(id="rashidin", operation="op", name={"ar": "مشفى الراشدين"}, capacity=9),
        actor=medic,
    )
    system.execute(
        TriagePerson(id="bus-1", number=3, category="immediate", facility="rashidin"),
        actor=medic,
    )
    system.execute(
        RecordStatus(id="bus-1", people=(1, 2, 3), stop="origin", status="boarded"), actor=medic
    )
    system.execute(
        RecordStatus(id="bus-1", people=(3,), stop="destination", status="arrived"), actor=medic
    )
    system.execute(HandOver(id="bus-1", number=3, facility="rashidin"), actor=medic)

    def sitrep(reader: object) -> str:
        request = SitrepRequest(operation="op", at=now_utc(), lang="ar", format="html")
        return make_sitrep(system, reader, request).content.decode()  # type: ignore[arg-type]

    mine = sitrep(medic)
    assert "ملخص الاستقبال" in mine and "حافلة ١" in mine and "مشفى الراشدين" in mine
    assert "عبد الله" not in mine  # counts, never names
    theirs = sitrep(other)
    assert "ملخص الاستقبال" not in theirs and "حافلة ١" not in theirs
