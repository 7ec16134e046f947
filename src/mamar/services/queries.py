"""Reading: entities, lists, the timeline — always through the viewer's compartments."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, or_, select

from mamar.db.tables import journal
from mamar.domain.errors import NotFound
from mamar.domain.ids import stream_name
from mamar.domain.model import Actor, EntityState, kind_of
from mamar.domain.time import now_utc, utc_key
from mamar.domain.visibility import Visibility, visible_to
from mamar.projections.entities import state_as_of, states_as_of
from mamar.projections.redact import can_see, redacted
from mamar.reports.overview import build_overview


def allowed_for(viewer: Actor) -> frozenset[Visibility]:
    return visible_to(viewer.role)


def get_state(
    conn: Connection, *, viewer: Actor, kind: str, entity_id: str, at_utc: str | None = None
) -> EntityState:
    """An entity's state (as of ``at_utc``), if the viewer may see it; otherwise NotFound."""
    state = state_as_of(conn, stream_name(kind, entity_id), at_utc)
    if state is None or not can_see(state, allowed_for(viewer)):
        raise NotFound(kind, entity_id)
    return state


def get_entity(
    conn: Connection, *, viewer: Actor, kind: str, entity_id: str, at_utc: str | None = None
) -> dict[str, Any]:
    """An entity as JSON data, without the fields of compartments the viewer lacks."""
    state = get_state(conn, viewer=viewer, kind=kind, entity_id=entity_id, at_utc=at_utc)
    return {"entity": kind, **redacted(state, allowed_for(viewer))}


def visible_states(
    conn: Connection,
    *,
    viewer: Actor,
    operation: str | None,
    at_utc: str | None = None,
    kinds: Iterable[str] | None = None,
) -> list[EntityState]:
    allowed = allowed_for(viewer)
    return [
        s
        for s in states_as_of(conn, operation=operation, at_utc=at_utc, kinds=kinds)
        if can_see(s, allowed)
    ]


def list_entities(
    conn: Connection,
    *,
    viewer: Actor,
    operation: str | None,
    kind: str,
    at_utc: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    allowed = allowed_for(viewer)
    states = visible_states(conn, viewer=viewer, operation=operation, at_utc=at_utc, kinds=[kind])
    return [{"entity": kind, **redacted(s, allowed)} for s in states[offset : offset + limit]]


@dataclass(frozen=True)
class TimelineEntry:
    position: int
    stream: str
    kind: str
    entity_id: str
    type: str
    occurred_at: str
    occurred_utc: str
    precision: str
    phrase: str | None
    recorded_at: str
    actor: str
    visibility: str
    operation: str | None
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "kind": self.kind,
            "entity_id": self.entity_id,
            "type": self.type,
            "occurred_at": self.occurred_at,
            "precision": self.precision,
            "phrase": self.phrase,
            "recorded_at": self.recorded_at,
            "actor": self.actor,
            "visibility": self.visibility,
            "operation": self.operation,
            "data": self.data,
        }


def _mentions(value: Any, wanted: str) -> bool:
    if isinstance(value, str):
        return value == wanted
    if isinstance(value, dict):
        return any(_mentions(v, wanted) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, wanted) for v in value)
    return False


def timeline(
    conn: Connection,
    *,
    viewer: Actor,
    operation: str | None = None,
    entity: str | None = None,
    types: Iterable[str] | None = None,
    party: str | None = None,
    since_utc: str | None = None,
    until_utc: str | None = None,
    order: str = "occurred",
    after_position: int | None = None,
) -> Iterator[TimelineEntry]:
    """Events the viewer may see, by when they happened (or by when they were recorded).

    ``entity`` is ``kind:id``; ``party`` keeps events whose data names that party;
    ``after_position`` keeps only events appended after that journal position.
    """
    allowed = [v.value for v in allowed_for(viewer)]
    j = journal
    query = select(
        j.c.position,
        j.c.body,
    ).where(j.c.visibility.in_(allowed))
    if operation is not None:
        query = query.where(j.c.operation == operation)
    if entity is not None:
        query = query.where(j.c.stream == entity)
    if types is not None:
        wanted = list(types)
        prefixes = [t for t in wanted if t.endswith(".")]
        exact = [t for t in wanted if not t.endswith(".")]
        conditions: list[ColumnElement[bool]] = [j.c.type.in_(exact)] if exact else []
        conditions += [j.c.type.startswith(p) for p in prefixes]
        query = query.where(or_(*conditions))
    if after_position is not None:
        query = query.where(j.c.position > after_position)
    if since_utc is not None:
        query = query.where(j.c.occurred_utc >= since_utc)
    if until_utc is not None:
        query = query.where(j.c.occurred_utc <= until_utc)
    if order == "recorded":
        query = query.order_by(j.c.position)
    else:
        query = query.order_by(j.c.occurred_utc, j.c.position)
    for row in conn.execute(query):
        envelope = orjson.loads(bytes(row.body))
        # The column only selects; the hashed body decides (a tampered column shows nothing more).
        if envelope["visibility"] not in allowed:
            continue
        data = envelope["data"]
        if party is not None and not _mentions(data, party):
            continue
        kind, _, entity_id = envelope["stream"].partition(":")
        yield TimelineEntry(
            position=int(row.position),
            stream=envelope["stream"],
            kind=kind,
            entity_id=entity_id,
            type=envelope["type"],
            occurred_at=envelope["occurred_at"],
            occurred_utc=envelope["occurred_utc"],
            precision=envelope["precision"],
            phrase=envelope["phrase"],
            recorded_at=envelope["recorded_at"],
            actor=envelope["actor"],
            visibility=envelope["visibility"],
            operation=envelope["operation"],
            data=data,
        )


def overview(
    conn: Connection, *, viewer: Actor, operation: str, at: datetime | None = None
) -> dict[str, Any]:
    """The operation overview as of ``at`` (default: now), within the viewer's compartments."""
    moment = at or now_utc()
    at_utc = utc_key(at) if at is not None else None
    op = get_state(conn, viewer=viewer, kind="operation", entity_id=operation, at_utc=at_utc)
    states = visible_states(conn, viewer=viewer, operation=operation, at_utc=at_utc)
    result = build_overview(states, at=moment)
    # Parties by id, so ids in the overview can be shown by name (only those the viewer sees).
    names = {
        s.id: s.name.model_dump()  # type: ignore[attr-defined]
        for s in states
        if kind_of(s) == "party"
    }
    return {
        "operation": {"id": op.id, **redacted(op, allowed_for(viewer))},
        **result,
        "party_names": names,
    }
