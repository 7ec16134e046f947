"""Records as the viewer may see them: one, or a list, now or as of a past moment.

A record read as of a past moment shows its content as it stood then and is
seen by whoever may see the record now: who sees a record sees its history, and
a share withdrawn since withdraws that too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Select, select

from mamar.access.viewer import Viewer, viewer_of
from mamar.db.tables import entities, entity_history, entity_members
from mamar.domain.errors import NotFound
from mamar.domain.ids import stream_name
from mamar.domain.model import Actor, EntityState
from mamar.projections.entities import current, last_version_at, load_state, state_as_of

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


def _visible_query(
    viewer: Viewer,
    operation: str | None,
    at_utc: str | None,
    kinds: list[str] | None,
) -> Select[Any]:
    """The records the viewer sees (the rule decided in SQL: :meth:`Viewer.sees_rows`),
    in stream order: rows of (kind, state, current kind, current state); the last two
    only as of a past moment (whose access is the record's now)."""
    e = entities
    if at_utc is None:
        query: Select[Any] = select(e.c.kind, e.c.state)
        if operation is not None:
            query = query.where(e.c.operation == operation)
        if kinds is not None:
            query = query.where(e.c.kind.in_(kinds))
        return query.where(viewer.sees_rows(e, entity_members)).order_by(e.c.stream)
    # Each record's last version at or before the moment, found in the history index
    # (stream, occurred_utc, version); records in stream order, so a page stops early.
    h = entity_history
    last = last_version_at(e.c.stream, at_utc).correlate(e).scalar_subquery()
    past: Select[Any] = (
        select(h.c.kind, h.c.state, e.c.kind.label("now_kind"), e.c.state.label("now_state"))
        .select_from(e)
        .join(h, (h.c.stream == e.c.stream) & (h.c.version == last))
    )
    if operation is not None:
        # A record's operation is set when it is created and never changes.
        past = past.where(e.c.operation == operation, h.c.operation == operation)
    if kinds is not None:
        past = past.where(e.c.kind.in_(kinds))
    return past.where(viewer.sees_rows(e, entity_members)).order_by(e.c.stream)


def _states_of(conn: Connection, query: Select[Any], at_utc: str | None) -> list[EntityState]:
    rows = conn.execute(query)
    if at_utc is None:
        return [load_state(r.kind, r.state) for r in rows]
    return [
        with_access_of(load_state(r.kind, r.state), load_state(r.now_kind, r.now_state))
        for r in rows
    ]


def visible_states(
    conn: Connection,
    *,
    viewer: Caller,
    operation: str | None,
    at_utc: str | None = None,
    kinds: Iterable[str] | None = None,
) -> list[EntityState]:
    """The records of ``operation`` (None: all) the viewer may see, now or as of ``at_utc``,
    in stream order."""
    seer = viewer_of(viewer)
    wanted = list(kinds) if kinds is not None else None
    return _states_of(conn, _visible_query(seer, operation, at_utc, wanted), at_utc)


def list_entities(
    conn: Connection,
    *,
    viewer: Caller,
    operation: str | None,
    kind: str,
    at_utc: str | None = None,
    limit: int = 100,
    offset: int = 0,
    after: str | None = None,
) -> list[dict[str, Any]]:
    """A page of the records of one kind the viewer sees, in stream order: paged in the
    database, after the viewer's rule, so only what the viewer sees makes a page.

    ``after`` (the id of the last record of the previous page) starts the page after
    that record in the index (keyset paging: as cheap at the ten-thousandth page as at
    the first, where ``offset`` walks every record before it). Any text may be given:
    it only says where in the order to start, and the page holds what the viewer sees.
    """
    seer = viewer_of(viewer)
    query = _visible_query(seer, operation, at_utc, [kind])
    if after is not None:
        query = query.where(entities.c.stream > stream_name(kind, after))
    query = query.limit(limit).offset(offset)
    return [{"entity": kind, **seer.redact(s)} for s in _states_of(conn, query, at_utc)]
