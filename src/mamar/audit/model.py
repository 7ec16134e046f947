"""The audit trail of one subject's personal record: how often, and last by whom, it was read."""

from __future__ import annotations

from mamar.audit.events import PeopleRead, PeopleSearched, VaultAccessed
from mamar.domain.model import EntityState, EventMeta, aggregate, base_fields, touched
from mamar.journal.registry import EventData


class AuditState(EntityState):
    subject_kind: str
    subject_id: str
    reads: int = 0
    last_reader: str | None = None


@aggregate("audit", AuditState)
def evolve(state: AuditState | None, event: EventData, meta: EventMeta) -> AuditState:
    if isinstance(event, VaultAccessed):
        if state is None:
            return AuditState(
                **base_fields(meta),
                subject_kind=event.subject_kind,
                subject_id=event.subject_id,
                reads=1,
                last_reader=event.reader,
            )
        return touched(state, meta, reads=state.reads + 1, last_reader=event.reader)
    if isinstance(event, PeopleRead | PeopleSearched):
        if state is None:
            return AuditState(
                **base_fields(meta),
                subject_kind="people",
                subject_id=meta.entity_id,
                reads=1,
                last_reader=event.reader,
            )
        return touched(state, meta, reads=state.reads + 1, last_reader=event.reader)
    assert state is not None
    return state
