"""Reception by the numbers: per convoy, arrived (and the rest) by vehicle, and the wounded
handed to each receiving facility; for the reception page and the situation report.

Pure: it takes the states the reader may see, so it counts only manifests the reader
may see, and it names no one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from mamar.convoys.model import ConvoyState
from mamar.domain.model import EntityState
from mamar.facilities.model import FacilityState
from mamar.manifests.counts import manifest_counts
from mamar.manifests.events import PersonStatus
from mamar.manifests.model import Entry, VehicleState
from mamar.manifests.stops import DESTINATION
from mamar.manifests.triage import facility_load

P = PersonStatus

#: The kinds of discrepancy reception lists, in the order a summary gives them.
KINDS = (
    "not_arrived",
    "not_on_manifest",
    "other_vehicle",
    "unlisted_arrival",
    "missing",
    "died_on_the_way",
    "stayed_behind",
)


def discrepancy(entry: Entry) -> str | None:
    """What is wrong with a person's journey, as reception sees it (None: nothing).

    ``not_on_manifest``: listed at the destination as they arrived (on no manifest when
    the convoy left); ``other_vehicle``: arrived on another vehicle than their manifest's;
    ``unlisted_arrival``: on a manifest, arrived, but their boarding was not recorded;
    ``not_arrived``: boarded and not (yet) arrived at the destination."""
    status = entry.status
    last = entry.statuses[-1]
    if status is P.ARRIVED and entry.statuses[0].stop == DESTINATION:
        return "not_on_manifest"
    if status is P.ARRIVED and last.on_vehicle is not None:
        return "other_vehicle"
    if status is P.ARRIVED and not entry.ever(P.BOARDED):
        return "unlisted_arrival"
    if status in (P.MISSING, P.DIED_ON_THE_WAY, P.STAYED_BEHIND):
        return status.value
    if entry.ever(P.BOARDED) and not (status is P.ARRIVED and last.stop == DESTINATION):
        return "not_arrived"
    return None


def discrepancy_counts(vehicles: Sequence[VehicleState]) -> dict[str, int]:
    """How many people of each kind of discrepancy (none named), kinds with none left out."""
    counts: dict[str, int] = defaultdict(int)
    for vehicle in vehicles:
        for entry in vehicle.entries:
            kind = discrepancy(entry)
            if kind is not None:
                counts[kind] += 1
    return {kind: counts[kind] for kind in KINDS if counts.get(kind)}


def by_vehicle(vehicles: Sequence[VehicleState]) -> list[dict[str, Any]]:
    """Listed, boarded, arrived, missing … of each vehicle."""
    out = []
    for vehicle in vehicles:
        counts = manifest_counts([vehicle]).get(vehicle.convoy)
        row = counts.as_json() if counts else {}
        row.pop("not_arrived", None)
        out.append({"id": vehicle.id, "label": vehicle.label.model_dump(mode="json"), **row})
    return out


def reception_summary(states: Sequence[EntityState]) -> list[dict[str, Any]]:
    """For each convoy with manifests the reader sees: its vehicles' counts and the wounded
    received by (or on their way to) each facility."""
    vehicles: dict[str, list[VehicleState]] = defaultdict(list)
    for state in states:
        if isinstance(state, VehicleState) and state.entries:
            vehicles[state.convoy].append(state)
    places = [s for s in states if isinstance(s, FacilityState)]
    names = {s.id: s.name.model_dump() for s in states if isinstance(s, ConvoyState)}
    return [
        {
            "convoy": convoy,
            "name": names.get(convoy),
            "vehicles": by_vehicle(sorted(found, key=lambda v: (v.label.original, v.id))),
            "discrepancies": discrepancy_counts(found),
            "facilities": [
                f for f in facility_load(places, found) if f["received"] or f["expected"]
            ],
        }
        for convoy, found in sorted(vehicles.items())
    ]
