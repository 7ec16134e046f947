"""Reading: entities, lists, the timeline — always through the viewer's compartments."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, or_, select

from mamar.db.raw import Statement
from mamar.db.tables import journal
from mamar.domain.errors import NotFound
from mamar.domain.ids import stream_name
from mamar.domain.model import Actor, EntityState
from mamar.domain.time import now_utc, utc_key
from mamar.domain.visibility import Visibility, visible_to
from mamar.escalations.model import EscalationState
from mamar.parties.model import PartyState
from mamar.projections.entities import load_state, state_as_of, states_as_of
from mamar.projections.redact import can_see, redacted
from mamar.reports.overview import Summary, summarise


def allowed_for(viewer: Actor) -> frozenset[Visibility]:
    return visible_to(viewer.role)


def get_state(
    conn: Connection, *, viewer: Actor, kind: str, entity_id: str, at_utc: str | None = None
) -> EntityState:
    """An entity's state (as of ``at_utc``), if the viewer may see it; otherwise NotFound."""
    return _visible_state(conn, allowed_for(viewer), kind, entity_id, at_utc)


def _visible_state(
    conn: Connection,
    allowed: frozenset[Visibility],
    kind: str,
    entity_id: str,
    at_utc: str | None,
) -> EntityState:
    state = state_as_of(conn, stream_name(kind, entity_id), at_utc)
    if state is None or not can_see(state, allowed):
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
    conn: Connection,
    *,
    viewer: Actor,
    operation: str,
    at: datetime | None = None,
    cache: OverviewCache | None = None,
) -> dict[str, Any]:
    """The operation overview as of ``at`` (default: now), within the viewer's compartments.

    With ``cache``, the overview is computed once per journal head for viewers
    who may see the same compartments (see :class:`OverviewCache`).
    """
    moment = at or now_utc()
    at_utc = utc_key(at) if at is not None else None
    allowed = allowed_for(viewer)
    if cache is None:
        return _compute_overview(conn, allowed, operation, at_utc).at(moment)
    return cache.get(conn, allowed=allowed, operation=operation, at_utc=at_utc).at(moment)


@dataclass(frozen=True)
class OverviewParts:
    """An overview apart from the moment it is read at: what :class:`OverviewCache` keeps.

    ``fixed`` is JSON, so every reader gets its own copy of the data; the open
    escalations are kept as states, since how long each has waited depends on
    the moment of reading.
    """

    fixed: bytes
    escalations: tuple[EscalationState, ...]

    def at(self, moment: datetime) -> dict[str, Any]:
        data = orjson.loads(self.fixed)
        summary = Summary(**data["summary"], escalations=self.escalations)
        return {
            "operation": data["operation"],
            **summary.at(moment),
            "party_names": data["party_names"],
        }


def _compute_overview(
    conn: Connection, allowed: frozenset[Visibility], operation: str, at_utc: str | None
) -> OverviewParts:
    """Everything here depends on the viewer only through ``allowed`` (the cache's key)."""
    if at_utc is None:
        return _parts_of(_visible_now(conn, allowed, operation, None, journal_head(conn)))
    op = _visible_state(conn, allowed, "operation", operation, at_utc)
    states = [
        s for s in states_as_of(conn, operation=operation, at_utc=at_utc) if can_see(s, allowed)
    ]
    return _summarised(op, states, allowed)


def _summarised(
    op: EntityState, states: list[EntityState], allowed: frozenset[Visibility]
) -> OverviewParts:
    summary = summarise(states)
    # Parties by id, so ids in the overview can be shown by name (only those the viewer sees).
    names = {s.id: s.name.model_dump() for s in states if isinstance(s, PartyState)}
    fixed = {
        "operation": {"id": op.id, **redacted(op, allowed)},
        "summary": {
            f.name: getattr(summary, f.name) for f in fields(Summary) if f.name != "escalations"
        },
        "party_names": names,
    }
    return OverviewParts(orjson.dumps(fixed), summary.escalations)


@dataclass(frozen=True)
class VisibleStates:
    """The current states of one operation's entities that one set of compartments may
    see, as they stood at one journal position (``hash`` is the event's there)."""

    allowed: frozenset[Visibility]
    operation: str
    position: int
    hash: bytes
    states: dict[str, EntityState]  # by stream

    def in_order(self) -> list[EntityState]:
        """By stream, in code-point order (on every engine, whatever its collation)."""
        return [self.states[stream] for stream in sorted(self.states)]


_CHANGED_SINCE = Statement(
    "SELECT stream, kind, state FROM entities WHERE operation = :operation AND position > :after"
)
_HASH_AT = Statement("SELECT hash FROM journal WHERE position = :position")


def _visible_now(
    conn: Connection,
    allowed: frozenset[Visibility],
    operation: str,
    since: VisibleStates | None,
    head: tuple[int, bytes],
) -> VisibleStates:
    """The operation's states the compartments ``allowed`` see, at ``head`` (the journal's
    head in ``conn``'s transaction).

    From ``since`` (the same, at an earlier position), only entities that changed after
    it are read: an entity's ``position`` is that of the last event applied to it. The
    journal's chain is what makes this safe: if the event at ``since.position`` still has
    the hash ``since`` recorded, every event up to it is the one ``since`` was made from.
    Otherwise (another or a restored database, or a reader whose snapshot is older than
    ``since``) every entity is read.
    """
    if since is not None and not _still_holds(conn, since, head):
        since = None
    states = dict(since.states) if since is not None else {}
    after = since.position if since is not None else 0
    for stream, kind, text in _CHANGED_SINCE.run(
        conn, {"operation": operation, "after": after}
    ).fetchall():
        state = load_state(kind, text)
        if can_see(state, allowed):
            states[stream] = state
        else:
            states.pop(stream, None)
    return VisibleStates(allowed, operation, head[0], head[1], states)


def _still_holds(conn: Connection, since: VisibleStates, head: tuple[int, bytes]) -> bool:
    if since.position > head[0]:
        return False
    if since.position == head[0]:
        return since.hash == head[1]
    row = _HASH_AT.run(conn, {"position": since.position}).fetchone()
    return row is not None and bytes(row[0]) == since.hash


def _parts_of(visible: VisibleStates) -> OverviewParts:
    op = visible.states.get(stream_name("operation", visible.operation))
    if op is None:
        raise NotFound("operation", visible.operation)
    return _summarised(op, visible.in_order(), visible.allowed)


# Read on the driver connection: SQLAlchemy's execution costs more than the read itself.
_HEAD = Statement("SELECT position, hash FROM journal_head WHERE id = 1")


def journal_head(conn: Connection) -> tuple[int, bytes]:
    """The journal's last position and hash (0 and empty before the first event)."""
    row = _HEAD.run(conn).fetchone()
    return (0, b"") if row is None else (int(row[0]), bytes(row[1]))


OverviewKey = tuple[str, str | None, tuple[str, ...], int, bytes]


class OverviewCache:
    """Computed overviews of one database, for as long as the journal does not move.

    The key is everything the result depends on: the operation, the moment asked
    for (None: now), the compartments the viewer may see (the only way the viewer
    enters :func:`_compute_overview`), and the journal head (position and hash),
    read in the same transaction before the states. Every change is an event, so a
    new event changes the head and the next read computes afresh, reading only the
    entities that changed since the last overview of that operation and those
    compartments (the rest of its states are kept); the hash also tells apart two
    databases (or a restored one) that stand at the same position.
    Viewers who see different compartments never share an entry. The moment of
    reading is applied on every read (:meth:`OverviewParts.at`).

    Concurrent readers of a missing entry wait for one of them to compute it.
    Thread-safe; one per process and database (each worker process has its own).
    """

    #: States kept per operation and compartments, at the newest journal positions seen.
    KEPT_STATES = 3

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._entries: OrderedDict[OverviewKey, OverviewParts] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[OverviewKey, threading.Lock] = {}
        self._head: tuple[int, bytes] | None = None
        # The states each overview now was last worked out from, by operation and
        # compartments: kept across journal heads (the next is read from them).
        self._visible: OrderedDict[tuple[str, frozenset[Visibility]], tuple[VisibleStates, ...]] = (
            OrderedDict()
        )
        self.hits = 0
        self.misses = 0

    def get(
        self,
        conn: Connection,
        *,
        allowed: frozenset[Visibility],
        operation: str,
        at_utc: str | None,
    ) -> OverviewParts:
        head = journal_head(conn)
        key: OverviewKey = (
            operation,
            at_utc,
            tuple(sorted(v.value for v in allowed)),
            head[0],
            head[1],
        )
        with self._lock:
            found = self._lookup(key, head)
            if found is not None:
                return found
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                found = self._lookup(key, head)
            if found is not None:
                return found
            try:
                parts = self._compute(conn, allowed, operation, at_utc, head)
            except BaseException:
                with self._lock:
                    self._computing.pop(key, None)
                raise
            with self._lock:
                self.misses += 1
                if self._head == head:
                    self._entries[key] = parts
                    while len(self._entries) > self.size:
                        self._entries.popitem(last=False)
                # Only now: a reader arriving in between would compute it again.
                self._computing.pop(key, None)
            return parts

    def _compute(
        self,
        conn: Connection,
        allowed: frozenset[Visibility],
        operation: str,
        at_utc: str | None,
        head: tuple[int, bytes],
    ) -> OverviewParts:
        """The overview now is worked out from the last one's states, reading only the
        entities that changed since (:func:`_visible_now`); one as of a past moment, afresh."""
        if at_utc is not None:
            return _compute_overview(conn, allowed, operation, at_utc)
        which = (operation, allowed)
        with self._lock:
            kept = self._visible.get(which, ())
        # The newest kept at or before this reader's head: a reader whose snapshot is a
        # little older than the newest (it began before a write another reader saw) still
        # reads only what changed.
        since = next((v for v in kept if v.position <= head[0]), None)
        visible = _visible_now(conn, allowed, operation, since, head)
        with self._lock:
            kept = self._visible.get(which, ())
            if all(v.position != visible.position for v in kept):
                newest_first = sorted((visible, *kept), key=lambda v: -v.position)
                self._visible[which] = tuple(newest_first[: self.KEPT_STATES])
            self._visible.move_to_end(which)
            while len(self._visible) > self.size:
                self._visible.popitem(last=False)
        return _parts_of(visible)

    def _lookup(self, key: OverviewKey, head: tuple[int, bytes]) -> OverviewParts | None:
        """The entry for ``key`` (caller holds the lock); entries of another head are dropped."""
        if head != self._head:
            # The journal moved (or this is another reader's older snapshot): start over.
            self._entries.clear()
            self._head = head
            return None
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
            self.hits += 1
        return found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._visible.clear()
            self._head = None
