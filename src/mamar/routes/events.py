"""Events of a route's life: proposed, revised, approved or rejected per version."""

from __future__ import annotations

from typing import Annotated

from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import Value
from mamar.domain.text import LocalName, Prose
from mamar.journal.registry import EventData, event_type
from mamar.routes.coordinates import Latitude, Longitude


class Waypoint(Value):
    """A point the route passes: a gazetteer place if known, and its coordinates."""

    place: Annotated[Reference, RefersTo("place")] | None = None
    lat: Latitude
    lon: Longitude
    label: Prose | None = None  # what the people drawing the route call it, in their language


@event_type
class RouteProposed(EventData):
    """Version 1 of a route."""

    type_name = "route.proposed"

    name: LocalName
    proposed_by: str | None = None
    waypoints: tuple[Waypoint, ...]
    note: Prose | None = None


@event_type
class RouteRevised(EventData):
    """A new version; approvals of earlier versions no longer count (listed in ``voided``)."""

    type_name = "route.revised"

    version: int
    proposed_by: str | None = None
    waypoints: tuple[Waypoint, ...]
    note: Prose | None = None
    voided: tuple[str, ...] = ()


@event_type
class RouteApproved(EventData):
    type_name = "route.approved"

    version: int
    party: str
    note: Prose | None = None


@event_type
class RouteRejected(EventData):
    type_name = "route.rejected"

    version: int
    party: str
    reasons: tuple[Prose, ...]
