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
from mamar.manifests.model import VehicleState
from mamar.manifests.triage import facility_load


def by_vehicle(vehicles: Sequence[VehicleState]) -> list[dict[str, Any]]:
    """Listed, boarded, arrived, missing … of each vehicle."""
    out = []
    for vehicle in vehicles:
        counts = manifest_counts([vehicle]).get(vehicle.convoy)
        row = counts.as_json() if counts else {}
        row.pop("not_arrived", None)
        out.append({"id": vehicle.id, "label": vehicle.label, **row})
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
            "vehicles": by_vehicle(sorted(found, key=lambda v: (v.label, v.id))),
            "facilities": [
                f for f in facility_load(places, found) if f["received"] or f["expected"]
            ],
        }
        for convoy, found in sorted(vehicles.items())
    ]
