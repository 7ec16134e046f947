"""The entity read model: every entity's current state, and its state after each event.

``entities`` holds the current state; ``entity_history`` the state after every
version, so any entity can be read as of any past moment. Both are derived from
the journal alone and rebuilt identically by :func:`rebuild`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

import orjson
from sqlalchemy import ColumnElement, Connection, Select, and_, delete, func, select

from mamar.access.viewer import members_of
from mamar.db.raw import Statement, insert_statement
from mamar.db.tables import READ_MODEL_TABLES, entities, entity_history
from mamar.domain.ids import split_stream, stream_name
from mamar.domain.model import EntityState, EventMeta, aggregate_for
from mamar.domain.refs import REF_KINDS
from mamar.domain.text import RECORDED
from mamar.domain.visibility import INSTALLATION, Visibility
from mamar.journal import store
from mamar.journal.envelope import RecordedEvent
from mamar.sharing.events import AccessChanged
from mamar.sharing.model import with_access


def state_text(state: EntityState) -> str:
    """A state as the read models store it: canonical-ish JSON, keys sorted (a record
    without a short reference is written as it was before references existed)."""
    dumped = state.model_dump(mode="json", exclude={"ref"} if state.ref is None else None)
    return orjson.dumps(dumped, option=orjson.OPT_SORT_KEYS).decode()


class _ParsedStates:
    """Parsed states by their stored text (bounded, least recently used out).

    States are immutable, so one parsed copy serves every read of the same version:
    the overview and the pages read the same states over and over, and a command
    reads the state the previous command on that entity has just written (the
    projector hands it over, so it is never parsed at all).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, str], EntityState] = OrderedDict()
        self._lock = threading.Lock()

    def load(self, kind: str, text: str) -> EntityState:
        key = (kind, text)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        state: EntityState = aggregate_for(kind).state_type.model_validate(
            orjson.loads(text), context=RECORDED
        )
        self.remember(kind, text, state)
        return state

    def remember(self, kind: str, text: str, state: EntityState) -> None:
        with self._lock:
            self._items[(kind, text)] = state
            self._items.move_to_end((kind, text))
            if len(self._items) > self.size:
                self._items.popitem(last=False)


_PARSED = _ParsedStates(16384)


def load_state(kind: str, text: str) -> EntityState:
    """The state stored as ``text``."""
    return _PARSED.load(kind, text)


# Compartments by their stored name (a dictionary costs less than calling the enum).
_VISIBILITY = {v.value: v for v in Visibility}


def meta_of(event: RecordedEvent, organisation: str = INSTALLATION) -> EventMeta:
    """What ``evolve`` knows of ``event``; ``organisation`` is its actor's."""
    _, entity_id = split_stream(event.stream)
    return EventMeta(
        entity_id=entity_id,
        operation=event.operation,
        visibility=_VISIBILITY[event.visibility],
        occurred_at=event.occurred_at,
        actor=event.actor,
        organisation=organisation,
    )


# The append path runs on the driver connection (see ``db.raw``): same transaction.
_CURRENT = Statement("SELECT kind, state, version FROM entities WHERE stream = :stream")
_ENTITY_COLUMNS = (
    "stream",
    "kind",
    "entity_id",
    "operation",
    "visibility",
    "version",
    "position",
    "occurred_utc",
    "state",
    "ref",
)
_INSERT_ENTITY = insert_statement("entities", _ENTITY_COLUMNS)
_UPDATE_ENTITY = Statement(
    "UPDATE entities SET operation = :operation, visibility = :visibility, version = :version, "
    "position = :position, occurred_utc = :occurred_utc, state = :state, ref = :ref "
    "WHERE stream = :stream"
)
# Most events change neither an entity's operation, its visibility nor its short reference:
# leaving them out
# of the SET spares SQLite rewriting the (kind, operation) index, a page per append.
_MOVE_ENTITY = Statement(
    "UPDATE entities SET version = :version, position = :position, "
    "occurred_utc = :occurred_utc, state = :state WHERE stream = :stream"
)
_INSERT_HISTORY = insert_statement(
    "entity_history",
    ("stream", "version", "kind", "operation", "position", "occurred_utc", "state"),
)

_INSERT_MEMBER = insert_statement("entity_members", ("stream", "organisation"))
_DELETE_MEMBERS = Statement("DELETE FROM entity_members WHERE stream = :stream")


def current(conn: Connection, stream: str) -> tuple[EntityState, int] | None:
    """An entity's current state and version, or None."""
    row = _CURRENT.run(conn, {"stream": stream}).fetchone()
    if row is None:
        return None
    return load_state(row[0], row[1]), int(row[2])


class ProjectorMark(NamedTuple):
    """What a deferred :class:`Projector` held at a moment (see :meth:`Projector.mark`)."""

    cache: dict[str, tuple[EntityState | None, int]]
    refs: dict[tuple[str, str], int]
    before: dict[str, EntityState | None]
    last: dict[str, tuple[dict[str, Any], EntityState]]
    history: int
    organisations: dict[str, str]


class Projector:
    """Applies recorded events to the entity read model.

    ``known`` may give streams' current (state, version) that the caller has
    already read in this transaction, so they are not read again; ``organisations``
    the organisations of actors the caller knows.

    A record is owned by the organisation of the account that recorded it: an
    actor's organisation is that of its account (an account never changes
    organisation); the local system and accounts from before organisations
    belong to the installation.
    """

    def __init__(
        self,
        conn: Connection,
        known: Mapping[str, tuple[EntityState | None, int]] | None = None,
        organisations: Mapping[str, str] | None = None,
        *,
        deferred: bool = False,
    ) -> None:
        self.conn = conn
        self._cache: dict[str, tuple[EntityState | None, int]] = dict(known or {})
        self._organisations: dict[str, str] = dict(organisations or {})
        self._refs: dict[tuple[str, str], int] = {}
        # Deferred (see :meth:`write`): each stream's state before the first event
        # applied, and its last row; the history rows, in order.
        self._deferred = deferred
        self._before: dict[str, EntityState | None] = {}
        self._last: dict[str, tuple[dict[str, Any], EntityState]] = {}
        self._history: list[dict[str, Any]] = []

    def mark(self) -> ProjectorMark:
        """Where a deferred projector stands now, to go back to with :meth:`undo`."""
        return ProjectorMark(
            dict(self._cache),
            dict(self._refs),
            dict(self._before),
            dict(self._last),
            len(self._history),
            dict(self._organisations),
        )

    def undo(self, mark: ProjectorMark) -> None:
        """Forget the events applied since ``mark`` (a deferred projector's: nothing of
        them is written yet)."""
        self._cache, self._refs = dict(mark.cache), dict(mark.refs)
        self._before, self._last = dict(mark.before), dict(mark.last)
        del self._history[mark.history :]
        self._organisations = dict(mark.organisations)

    def know_organisation(self, actor: str, organisation: str) -> None:
        """``actor``'s organisation, known to the caller (not read from its account)."""
        self._organisations[actor] = organisation

    def state(self, stream: str) -> tuple[EntityState | None, int]:
        """A stream's state and version after every event applied so far (None, 0: none)."""
        return self._state(stream)

    def _organisation(self, actor: str) -> str:
        found = self._organisations.get(actor)
        if found is None:
            stream = stream_name("account", actor)
            account = self._cache[stream][0] if stream in self._cache else None
            if account is None:
                row = current(self.conn, stream)
                account = row[0] if row is not None else None
            found = str(getattr(account, "organisation", None) or INSTALLATION)
            self._organisations[actor] = found
        return found

    def _state(self, stream: str) -> tuple[EntityState | None, int]:
        if stream not in self._cache:
            found = current(self.conn, stream)
            self._cache[stream] = found if found is not None else (None, 0)
        return self._cache[stream]

    def _referenced(self, kind: str, old: EntityState | None, new: EntityState) -> EntityState:
        """``new`` with its short reference: kept once given; given the next number of its
        kind in its operation when it is first shared with every organisation. Only shared
        records are counted, so a reference tells nothing of records a viewer cannot see."""
        if old is not None and old.ref is not None:
            return new if new.ref == old.ref else new.model_copy(update={"ref": old.ref})
        if kind not in REF_KINDS or new.visibility is not Visibility.SHARED or not new.operation:
            return new
        key = (new.operation, kind)
        if key not in self._refs:
            self._refs[key] = highest_ref(self.conn, new.operation, kind)
        self._refs[key] += 1
        return new.model_copy(update={"ref": self._refs[key]})

    def apply(self, events: Iterable[RecordedEvent]) -> None:
        """Apply ``events`` in order; unless deferred, their rows are written now."""
        history_rows = self._history if self._deferred else []
        for event in events:
            kind, entity_id = split_stream(event.stream)
            state, _version = self._state(event.stream)
            data = event.decoded()
            meta = meta_of(event, self._organisation(event.actor))
            if isinstance(data, AccessChanged) and state is not None:
                new = with_access(state, data, meta)
            else:
                new = aggregate_for(kind).evolve(state, data, meta)
            new = self._referenced(kind, state, new)
            text = state_text(new)
            _PARSED.remember(kind, text, new)
            row = {
                "stream": event.stream,
                "kind": kind,
                "operation": new.operation,
                "version": event.version,
                "position": event.position,
                "occurred_utc": event.occurred_utc,
                "state": text,
            }
            entity = {
                **row,
                "entity_id": entity_id,
                "visibility": new.visibility.value,
                "ref": new.ref,
            }
            if self._deferred:
                if event.stream not in self._before:
                    self._before[event.stream] = state
                self._last[event.stream] = (entity, new)
            else:
                self._write_entity(state, new, entity)
            history_rows.append(row)
            self._cache[event.stream] = (new, event.version)
        if history_rows and not self._deferred:
            _INSERT_HISTORY.many(self.conn, history_rows)

    def _write_entity(
        self, old: EntityState | None, new: EntityState, entity: dict[str, Any]
    ) -> None:
        """Move a stream's row (and its members) from ``old`` to ``new``."""
        stream = entity["stream"]
        if old is None:
            _INSERT_ENTITY.run(self.conn, entity)
        elif _moved_only(old, new):
            _MOVE_ENTITY.run(self.conn, entity)
        else:
            _UPDATE_ENTITY.run(self.conn, entity)
        if old is None or (old.owner, old.shared_with) != (new.owner, new.shared_with):
            if old is not None:
                _DELETE_MEMBERS.run(self.conn, {"stream": stream})
            _INSERT_MEMBER.many(
                self.conn, [{"stream": stream, "organisation": o} for o in members_of(new)]
            )

    def write(self) -> None:
        """A deferred projector's rows, written at once: every history row, and each
        stream's row (and members) moved once from its state before the first event
        applied to its state after the last, as the events one by one would leave it."""
        inserts: list[dict[str, Any]] = []
        moves: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        gone: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        for stream, (entity, new) in self._last.items():
            old = self._before[stream]
            if old is None:
                inserts.append(entity)
            elif _moved_only(old, new):
                moves.append(entity)
            else:
                updates.append(entity)
            if old is None or (old.owner, old.shared_with) != (new.owner, new.shared_with):
                if old is not None:
                    gone.append({"stream": stream})
                members += ({"stream": stream, "organisation": o} for o in members_of(new))
        for statement, rows in (
            (_INSERT_ENTITY, inserts),
            (_MOVE_ENTITY, moves),
            (_UPDATE_ENTITY, updates),
            (_DELETE_MEMBERS, gone),
            (_INSERT_MEMBER, members),
            (_INSERT_HISTORY, self._history),
        ):
            if rows:
                statement.many(self.conn, rows)
        self._before, self._last, self._history = {}, {}, []


def _moved_only(old: EntityState, new: EntityState) -> bool:
    """Whether a record's row keeps its operation, visibility and short reference (only its
    version, position, time and state move)."""
    return (old.operation, old.visibility, old.ref) == (new.operation, new.visibility, new.ref)


_HIGHEST_REF = Statement(
    "SELECT max(ref) FROM entities WHERE operation = :operation AND kind = :kind"
)


def highest_ref(conn: Connection, operation: str, kind: str) -> int:
    """The highest short reference given to a record of ``kind`` in ``operation`` (0: none):
    one step down the (operation, kind, ref) index."""
    row = _HIGHEST_REF.run(conn, {"operation": operation, "kind": kind}).fetchone()
    return int(row[0] or 0) if row is not None else 0


def projected_position(conn: Connection) -> int:
    """The newest journal position the read model reflects.

    Every event moves its entity's ``position`` forward, and the projection is written
    in the append's own transaction, so the newest entity position is the answer;
    no separate row is written on each append.
    """
    value = conn.execute(select(func.max(entities.c.position))).scalar()
    return int(value or 0)


def rebuild(conn: Connection, *, progress: Callable[[int], None] | None = None) -> int:
    """Drop every read model and replay the whole journal into it. Returns the events replayed."""
    for table in reversed(READ_MODEL_TABLES):
        conn.execute(delete(table))
    # Deferred: a record's row is written once per thousand events, not once per event.
    projector = Projector(conn, deferred=True)
    batch: list[RecordedEvent] = []
    total = 0
    for event in store.read_all(conn):
        batch.append(event)
        if len(batch) >= 1000:
            projector.apply(batch)
            projector.write()
            total += len(batch)
            if progress:
                progress(len(batch))
            batch = []
    projector.apply(batch)
    projector.write()
    total += len(batch)
    if progress and batch:
        progress(len(batch))
    return total


def catch_up(conn: Connection) -> int:
    """Project events the read model has not seen yet (after a crash, or an upgrade)."""
    start = projected_position(conn)
    pending = list(store.read_all(conn, after=start))
    Projector(conn).apply(pending)
    return len(pending)


def dump(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every read model's rows, in a stable order (for comparing rebuilds)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in READ_MODEL_TABLES:
        order = list(table.primary_key.columns)
        out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return out


def states_as_of(
    conn: Connection,
    *,
    operation: str | None,
    at_utc: str | None,
    kinds: Iterable[str] | None = None,
) -> list[EntityState]:
    """Every entity of ``operation`` (or all) as it stood at ``at_utc`` (None: now)."""
    if at_utc is None:
        query = select(entities.c.kind, entities.c.state)
        if operation is not None:
            query = query.where(entities.c.operation == operation)
        if kinds is not None:
            query = query.where(entities.c.kind.in_(list(kinds)))
        return [
            load_state(r.kind, r.state) for r in conn.execute(query.order_by(entities.c.stream))
        ]
    h = entity_history
    latest = select(h.c.stream, func.max(h.c.version).label("version")).where(
        h.c.occurred_utc <= at_utc
    )
    if operation is not None:
        latest = latest.where(h.c.operation == operation)
    if kinds is not None:
        latest = latest.where(h.c.kind.in_(list(kinds)))
    sub = latest.group_by(h.c.stream).subquery()
    rows = conn.execute(
        select(h.c.kind, h.c.state)
        .join(sub, and_(h.c.stream == sub.c.stream, h.c.version == sub.c.version))
        .order_by(h.c.stream)
    )
    return [load_state(r.kind, r.state) for r in rows]


def last_version_at(stream: ColumnElement[str] | str, at_utc: str) -> Select[tuple[int]]:
    """The last version of ``stream`` whose event occurred at or before ``at_utc``.

    Found in the index ``(stream, occurred_utc, version)`` alone: its entries of the
    stream up to the moment, never the history rows (a convoy's state is large, and it
    has hundreds of versions). The range has a lower bound as well (every key is at or
    after the empty text): with only the upper one, SQLite's planner, correlated to the
    records of a list, walked the stream's rows by the primary key instead.

    The maximum is of ``version + 0``, an expression no index is ordered by, so that no
    planner can answer it by walking the primary key ``(stream, version)`` backwards from
    the newest version until one occurred by the moment. PostgreSQL did, once analysed,
    at 1,000,000 events: that index does not hold ``occurred_utc``, so every version
    newer than the moment cost a read of its history row (78,711 heap pages for one
    overview; bench/README.md). The value is the same.
    """
    v = entity_history.alias("v")
    return select(func.max(v.c.version + 0)).where(
        v.c.stream == stream, v.c.occurred_utc >= "", v.c.occurred_utc <= at_utc
    )


def state_as_of(conn: Connection, stream: str, at_utc: str | None) -> EntityState | None:
    if at_utc is None:
        found = current(conn, stream)
        return found[0] if found else None
    h = entity_history
    last = last_version_at(stream, at_utc).scalar_subquery()
    row = conn.execute(
        select(h.c.kind, h.c.state).where(h.c.stream == stream, h.c.version == last)
    ).first()
    return None if row is None else load_state(row.kind, row.state)
