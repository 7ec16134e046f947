"""People of each convoy as its manifests say: counted from the vehicle states given.

Pure: the caller passes the states its viewer may see, so nothing here counts a
person the viewer could not see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mamar.domain.model import EntityState
from mamar.manifests.events import PersonStatus
from mamar.manifests.model import Entry, VehicleState
from mamar.manifests.stops import DESTINATION

P = PersonStatus


@dataclass
class ManifestCounts:
    """People of one convoy as its manifests say."""

    planned: int = 0
    boarded: int = 0
    arrived: int = 0
    stayed_behind: int = 0
    died_on_the_way: int = 0
    missing: int = 0
    children_alone: int = 0
    # boarded and not (yet) arrived: (vehicle id, number) of each
    not_arrived: list[tuple[str, int]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "planned": self.planned,
            "boarded": self.boarded,
            "arrived": self.arrived,
            "stayed_behind": self.stayed_behind,
            "died_on_the_way": self.died_on_the_way,
            "missing": self.missing,
            "children_alone": self.children_alone,
            "not_arrived": [f"{v}#{n}" for v, n in self.not_arrived],
        }


def _arrived(entry: Entry) -> bool:
    last = entry.statuses[-1]
    return last.status is P.ARRIVED and last.stop == DESTINATION


def manifest_counts(states: Iterable[EntityState]) -> dict[str, ManifestCounts]:
    """Counts per convoy derived from the vehicle states given (those the caller sees)."""
    out: dict[str, ManifestCounts] = defaultdict(ManifestCounts)
    for vehicle in states:
        if not isinstance(vehicle, VehicleState) or not vehicle.entries:
            continue
        counts = out[vehicle.convoy]
        for entry in vehicle.entries:
            counts.planned += 1
            status = entry.status
            counts.children_alone += entry.child is not None
            counts.stayed_behind += status is P.STAYED_BEHIND
            counts.died_on_the_way += status is P.DIED_ON_THE_WAY
            counts.missing += status is P.MISSING
            if entry.ever(P.BOARDED):
                counts.boarded += 1
                if _arrived(entry):
                    counts.arrived += 1
                else:
                    counts.not_arrived.append((vehicle.id, entry.number))
    return dict(out)
