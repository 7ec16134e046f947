"""A tracing request's state: who is sought (a vault reference), its status and outcome."""

from __future__ import annotations

from mamar.domain.model import EntityState, EventMeta, aggregate, base_fields, touched
from mamar.journal.registry import EventData
from mamar.tracing.events import (
    MissingReported,
    Reunified,
    TracingClosed,
    TracingErased,
    TracingStatus,
)


class TracingState(EntityState):
    sought_ref: str | None = None
    relative_ref: str | None = None
    child: bool = False
    status: TracingStatus = TracingStatus.OPEN
    found_vehicle: str | None = None
    found_number: int | None = None
    reunified_at: str | None = None
    erased: bool = False


@aggregate("tracing", TracingState)
def evolve(state: TracingState | None, event: EventData, meta: EventMeta) -> TracingState:
    if isinstance(event, MissingReported):
        return TracingState(
            **base_fields(meta),
            sought_ref=event.sought_ref,
            relative_ref=event.relative_ref,
            child=event.child,
        )
    assert state is not None
    match event:
        case Reunified():
            return touched(
                state,
                meta,
                status=TracingStatus.REUNIFIED,
                found_vehicle=event.vehicle,
                found_number=event.number,
                reunified_at=meta.occurred_at,
            )
        case TracingClosed():
            return touched(state, meta, status=TracingStatus.CLOSED)
        case TracingErased():
            refs = {"sought_ref": None} if event.vault_ref == state.sought_ref else {}
            if event.vault_ref == state.relative_ref:
                refs["relative_ref"] = None
            return touched(state, meta, erased=True, **refs)
    return state
