"""A convoy's stops, by key: where a person's status is recorded.

A convoy has an origin and a destination; the stops on its way out (pickups,
screening and holding points, transit) are listed between them, in the convoy's
order (``stops``: each a place id, or a value with a ``place`` and a ``leg``). Stops of
the drive in (``leg`` "in": the vehicles go in empty) carry nobody and are left out.
Statuses name the stop's key, so a convoy's stops can grow without changing the
manifests' events.
"""

from __future__ import annotations

from typing import Any

ORIGIN = "origin"
DESTINATION = "destination"


def stops_of(convoy: Any) -> tuple[str, ...]:
    """The keys of ``convoy``'s stops in order: origin, any stops on the way, destination."""
    between: list[str] = []
    for stop in getattr(convoy, "stops", None) or ():
        if str(getattr(stop, "leg", "out")) == "in":
            continue
        key = stop if isinstance(stop, str) else getattr(stop, "place", None)
        if key and key not in (ORIGIN, DESTINATION, *between):
            between.append(str(key))
    return (ORIGIN, *between, DESTINATION)
