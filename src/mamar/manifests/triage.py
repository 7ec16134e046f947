"""Batches of wounded in the order they leave in, and the load on each receiving facility.

Pure: it takes the vehicle and facility states the caller may see. A batch is a
vehicle with triaged people; its order is its set priority (1 first), then, for
batches without one, the most in need first: more "immediate", then more "delayed".
The next batch is the first whose people have not all boarded yet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from mamar.facilities.model import FacilityState
from mamar.manifests.events import PersonStatus, Triage
from mamar.manifests.model import VehicleState

CATEGORIES = tuple(t.value for t in Triage)
_NOT_COMING = (PersonStatus.DIED_ON_THE_WAY, PersonStatus.STAYED_BEHIND)


def _categories(vehicle: VehicleState) -> Counter[str]:
    return Counter(e.triage.category.value for e in vehicle.entries if e.triage is not None)


def batches(vehicles: Iterable[VehicleState]) -> list[dict[str, Any]]:
    """Vehicles with triaged people, in the order they are to leave in."""
    rows: list[dict[str, Any]] = []
    for vehicle in vehicles:
        counts = _categories(vehicle)
        if not counts:
            continue
        waiting = sum(1 for e in vehicle.entries if e.status is PersonStatus.REGISTERED)
        rows.append(
            {
                "id": vehicle.id,
                "label": vehicle.label.model_dump(mode="json"),
                "convoy": vehicle.convoy,
                "priority": vehicle.priority,
                "categories": {c: counts.get(c, 0) for c in CATEGORIES},
                "waiting": waiting,
                "next": False,
            }
        )
    rows.sort(
        key=lambda r: (
            r["priority"] is None,
            r["priority"] or 0,
            -r["categories"]["immediate"],
            -r["categories"]["delayed"],
            r["label"]["original"],
            r["id"],
        )
    )
    for row in rows:
        if row["waiting"]:
            row["next"] = True
            break
    return rows


def facility_load(
    facilities: Iterable[FacilityState], vehicles: Iterable[VehicleState]
) -> list[dict[str, Any]]:
    """Each facility's capacity, the wounded handed to it, those on their way, and what is free."""
    received: Counter[str] = Counter()
    expected: Counter[str] = Counter()
    for vehicle in vehicles:
        for entry in vehicle.entries:
            if entry.handed_to is not None:
                received[entry.handed_to] += 1
            elif (
                entry.triage is not None
                and entry.triage.facility is not None
                and entry.status not in _NOT_COMING
            ):
                expected[entry.triage.facility] += 1
    return [
        {
            "id": f.id,
            "name": f.name.model_dump(),
            "capacity": f.capacity,
            "received": received[f.id],
            "expected": expected[f.id],
            "free": f.capacity - received[f.id] - expected[f.id],
        }
        for f in sorted(facilities, key=lambda f: (f.name.display(), f.id))
    ]
