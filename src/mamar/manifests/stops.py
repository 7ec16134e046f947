"""A convoy's stops, by key: where a person's status is recorded.

Today a convoy has an origin and a destination; intermediate stops (a convoy that
stops on its way) are listed between them when the convoy carries them as
``stops`` (each a place id, or a value with a ``place``). Statuses name the stop's
key, so a convoy's stops can grow without changing the manifests' events.
"""

from __future__ import annotations

from typing import Any

ORIGIN = "origin"
DESTINATION = "destination"


def stops_of(convoy: Any) -> tuple[str, ...]:
    """The keys of ``convoy``'s stops in order: origin, any stops on the way, destination."""
    between: list[str] = []
    for stop in getattr(convoy, "stops", None) or ():
        key = stop if isinstance(stop, str) else getattr(stop, "place", None)
        if key and key not in (ORIGIN, DESTINATION):
            between.append(str(key))
    return (ORIGIN, *between, DESTINATION)
