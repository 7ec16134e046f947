"""Place state and how its events change it."""

from __future__ import annotations

from typing import Any

from mamar.domain.model import EntityState, EventMeta, aggregate, base_fields, touched
from mamar.domain.text import LocalName, Prose
from mamar.geo.values import AreaShape, GeoPoint, Precision
from mamar.journal.registry import EventData
from mamar.places.events import PlaceAliasAdded, PlaceKind, PlaceRegistered, PlaceUpdated


class PlaceState(EntityState):
    name: LocalName
    kind: PlaceKind
    aliases: tuple[str, ...] = ()
    point: GeoPoint | None = None
    polygon: AreaShape | None = None
    precision: Precision = Precision.EXACT
    notes: Prose | None = None

    def names(self) -> tuple[str, ...]:
        """Every name and alias, Arabic first."""
        own = tuple(n for n in (self.name.ar, self.name.en) if n)
        return own + self.aliases


_UPDATABLE = ("name", "kind", "point", "polygon", "precision", "notes")


@aggregate("place", PlaceState)
def evolve(state: PlaceState | None, event: EventData, meta: EventMeta) -> PlaceState:
    if isinstance(event, PlaceRegistered):
        return PlaceState(
            **base_fields(meta),
            name=event.name,
            kind=event.kind,
            aliases=event.aliases,
            point=event.point,
            polygon=event.polygon,
            precision=event.precision,
            notes=event.notes,
        )
    assert state is not None
    match event:
        case PlaceUpdated():
            changes: dict[str, Any] = {
                f: getattr(event, f) for f in _UPDATABLE if getattr(event, f) is not None
            }
            return touched(state, meta, **changes)
        case PlaceAliasAdded():
            return touched(state, meta, aliases=(*state.aliases, event.alias))
    return state
