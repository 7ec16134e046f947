"""Records as the viewer may see them: one, or a list, now or as of a past moment.

A record read as of a past moment shows its content as it stood then and is
seen by whoever may see the record now: who sees a record sees its history, and
a share withdrawn since withdraws that too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection

from mamar.access.viewer import Viewer, viewer_of
from mamar.domain.errors import NotFound
from mamar.domain.ids import stream_name
from mamar.domain.model import Actor, EntityState
from mamar.projections.entities import current, state_as_of, states_as_of

Caller = Actor | Viewer


def with_access_of(past: EntityState, now: EntityState) -> EntityState:
    """``past``'s content under the access ``now`` gives."""
    if (past.visibility, past.owner, past.shared_with) == (
        now.visibility,
        now.owner,
        now.shared_with,
    ):
        return past
    return past.model_copy(
        update={"visibility": now.visibility, "owner": now.owner, "shared_with": now.shared_with}
    )


def get_state(
    conn: Connection, *, viewer: Caller, kind: str, entity_id: str, at_utc: str | None = None
) -> EntityState:
    """An entity's state (as of ``at_utc``), if the viewer may see it; otherwise NotFound."""
    return visible_state(conn, viewer_of(viewer), kind, entity_id, at_utc)


def visible_state(
    conn: Connection, viewer: Viewer, kind: str, entity_id: str, at_utc: str | None
) -> EntityState:
    stream = stream_name(kind, entity_id)
    found = current(conn, stream)
    if found is None or not viewer.sees(found[0]):
        raise NotFound(kind, entity_id)
    if at_utc is None:
        return found[0]
    past = state_as_of(conn, stream, at_utc)
    if past is None:
        raise NotFound(kind, entity_id)
    return with_access_of(past, found[0])


def get_entity(
    conn: Connection, *, viewer: Caller, kind: str, entity_id: str, at_utc: str | None = None
) -> dict[str, Any]:
    """An entity as JSON data, as the viewer may see it (see :meth:`Viewer.redact`)."""
    seer = viewer_of(viewer)
    state = visible_state(conn, seer, kind, entity_id, at_utc)
    return {"entity": kind, **seer.redact(state)}


def visible_states(
    conn: Connection,
    *,
    viewer: Caller,
    operation: str | None,
    at_utc: str | None = None,
    kinds: Iterable[str] | None = None,
) -> list[EntityState]:
    """The records of ``operation`` (None: all) the viewer may see, now or as of ``at_utc``."""
    seer = viewer_of(viewer)
    wanted = list(kinds) if kinds is not None else None
    now = states_as_of(conn, operation=operation, at_utc=None, kinds=wanted)
    if at_utc is None:
        return [s for s in now if seer.sees(s)]
    access = {(type(s), s.id): s for s in now if seer.sees(s)}
    out: list[EntityState] = []
    for past in states_as_of(conn, operation=operation, at_utc=at_utc, kinds=wanted):
        present = access.get((type(past), past.id))
        if present is not None:
            out.append(with_access_of(past, present))
    return out


def list_entities(
    conn: Connection,
    *,
    viewer: Caller,
    operation: str | None,
    kind: str,
    at_utc: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    seer = viewer_of(viewer)
    states = visible_states(conn, viewer=seer, operation=operation, at_utc=at_utc, kinds=[kind])
    return [{"entity": kind, **seer.redact(s)} for s in states[offset : offset + limit]]
