"""Mandate state, its status machine, and how events change it."""

from __future__ import annotations

from datetime import datetime

from mamar.domain.model import EntityState, EventMeta, aggregate, base_fields, touched
from mamar.domain.text import Prose
from mamar.domain.transitions import Transitions
from mamar.journal.registry import EventData
from mamar.mandates.events import MandateExpired, MandateGranted, MandateRevoked, MandateStatus
from mamar.parties.refs import PartyOrPerson

S = MandateStatus

# A mandate ends once: revoked by its grantors, or past its term.
TRANSITIONS = Transitions(
    "mandate",
    {
        S.ACTIVE: frozenset({S.REVOKED, S.EXPIRED}),
        S.REVOKED: frozenset(),
        S.EXPIRED: frozenset(),
    },
)


class MandateState(EntityState):
    granted_by: tuple[str, ...]
    to: PartyOrPerson
    scope: Prose
    issues: tuple[str, ...] = ()
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    status: MandateStatus = S.ACTIVE
    ended_at: str | None = None
    revoked_reason: Prose | None = None


@aggregate("mandate", MandateState)
def evolve(state: MandateState | None, event: EventData, meta: EventMeta) -> MandateState:
    if isinstance(event, MandateGranted):
        return MandateState(
            **base_fields(meta),
            granted_by=event.granted_by,
            to=event.to,
            scope=event.scope,
            issues=event.issues,
            valid_from=event.valid_from,
            valid_until=event.valid_until,
        )
    assert state is not None
    match event:
        case MandateRevoked():
            return touched(
                state,
                meta,
                status=S.REVOKED,
                ended_at=meta.occurred_at,
                revoked_reason=event.reason,
            )
        case MandateExpired():
            return touched(state, meta, status=S.EXPIRED, ended_at=meta.occurred_at)
    return state
