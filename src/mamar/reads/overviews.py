"""The operation overview, and the cache that computes it once per journal head and viewer key."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection

from mamar.access.viewer import Viewer, viewer_of
from mamar.db.raw import Statement
from mamar.domain.errors import NotFound
from mamar.domain.ids import stream_name
from mamar.domain.model import Actor, EntityState, aggregates
from mamar.domain.time import now_utc, utc_key
from mamar.escalations.model import EscalationState
from mamar.operations.model import OperationState
from mamar.parties.model import PartyState
from mamar.projections.entities import load_state
from mamar.reads.states import visible_state, visible_states
from mamar.reports.overview import SUMMARISED, Part, Summary, Tally, part_of, summarise

ViewerKey = tuple[str, tuple[str, ...], bool]


def overview(
    conn: Connection,
    *,
    viewer: Actor | Viewer,
    operation: str,
    at: datetime | None = None,
    cache: OverviewCache | None = None,
    head: tuple[int, bytes] | None = None,
) -> dict[str, Any]:
    """The operation overview as of ``at`` (default: now), as the viewer may see it.

    With ``cache``, the overview is computed once per journal head for viewers
    who see the same (equal :attr:`Viewer.key`; see :class:`OverviewCache`); ``head``
    is the journal's, if ``conn`` has just read it (else it is read here).
    """
    moment = at or now_utc()
    at_utc = utc_key(at) if at is not None else None
    seer = viewer_of(viewer)
    if cache is None:
        return _compute_overview(conn, seer, operation, at_utc).at(moment)
    return cache.get(conn, viewer=seer, operation=operation, at_utc=at_utc, head=head).at(moment)


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
    conn: Connection, viewer: Viewer, operation: str, at_utc: str | None
) -> OverviewParts:
    """Everything here depends on the viewer only through ``viewer.key`` (the cache's key)."""
    if at_utc is None:
        return _parts_of(_visible_now(conn, viewer, operation, None, journal_head(conn)))
    op = visible_state(conn, viewer, "operation", operation, at_utc)
    states = visible_states(
        conn, viewer=viewer, operation=operation, at_utc=at_utc, kinds=overview_kinds()
    )
    return _summarised(op, states, viewer)


def _summarised(op: EntityState, states: list[EntityState], viewer: Viewer) -> OverviewParts:
    names = {s.id: s.name.model_dump() for s in states if isinstance(s, PartyState)}
    return _with_summary(op, summarise(states), names, viewer)


def _with_summary(
    op: EntityState, summary: Summary, names: dict[str, Any], viewer: Viewer
) -> OverviewParts:
    # Parties by id, so ids in the overview can be shown by name (only those the viewer sees).
    fixed = {
        "operation": {"id": op.id, **viewer.redact(op)},
        "summary": {
            f.name: getattr(summary, f.name) for f in fields(Summary) if f.name != "escalations"
        },
        "party_names": names,
    }
    return OverviewParts(orjson.dumps(fixed), summary.escalations)


@dataclass(frozen=True)
class VisibleStates:
    """The current states of one operation's entities that one viewer (and every viewer
    of the same key) may see, as they stood at one journal position (``hash`` is the
    event's there)."""

    viewer: Viewer
    operation: str
    position: int
    hash: bytes
    states: dict[str, EntityState]  # by stream
    # Each state's part of the summary (those that give one), by stream, and their
    # sums: a new head takes out the old parts of the records that changed and adds
    # their new ones, whatever the number of records that did not change.
    parts: dict[str, Part]
    tally: Tally
    parties: dict[str, PartyState]  # by stream

    def summary(self) -> Summary:
        """Lists by stream, in code-point order (on every engine, whatever its collation)."""
        return self.tally.summary()

    def party_names(self) -> dict[str, Any]:
        return {s.id: s.name.model_dump() for _, s in sorted(self.parties.items())}


def overview_kinds() -> list[str]:
    """The kinds of record an overview reads: the operation, its parties (for their
    names) and what :func:`summarise` summarises; never the people, the most numerous."""
    wanted: tuple[type[EntityState], ...] = (OperationState, PartyState, *SUMMARISED)
    return sorted(k for k, spec in aggregates().items() if issubclass(spec.state_type, wanted))


def _changed_since(after: bool) -> Statement:
    kinds = ", ".join(f"'{k}'" for k in overview_kinds())  # the registry's names, not input
    # From the start, by kind (the list index): the operation's people are never read;
    # after a position, by position (the few rows that changed since).
    since = " AND position > :after" if after else ""
    return Statement(
        "SELECT stream, kind, state FROM entities WHERE operation = :operation "
        f"AND kind IN ({kinds}){since}"
    )


_ALL_OF = _changed_since(after=False)
_CHANGED_SINCE = _changed_since(after=True)
_HASH_AT = Statement("SELECT hash FROM journal WHERE position = :position")


def _visible_now(
    conn: Connection,
    viewer: Viewer,
    operation: str,
    since: VisibleStates | None,
    head: tuple[int, bytes],
) -> VisibleStates:
    """The operation's states ``viewer`` sees, at ``head`` (the journal's
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
    parts = dict(since.parts) if since is not None else {}
    tally = since.tally.copy() if since is not None else Tally()
    parties = dict(since.parties) if since is not None else {}
    after = since.position if since is not None else 0
    changed = _CHANGED_SINCE if after else _ALL_OF
    for stream, kind, text in changed.run(
        conn, {"operation": operation, "after": after}
    ).fetchall():
        state = load_state(kind, text)
        seen = viewer.sees(state)
        part = part_of(state) if seen else None
        if seen:
            states[stream] = state
        else:
            states.pop(stream, None)
        if seen and isinstance(state, PartyState):
            parties[stream] = state
        else:
            parties.pop(stream, None)
        before = parts.pop(stream, None)
        if before is not None:
            tally.remove(stream, before)
        if part is not None:
            parts[stream] = part
            tally.add(stream, part)
    return VisibleStates(viewer, operation, head[0], head[1], states, parts, tally, parties)


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
    return _with_summary(op, visible.summary(), visible.party_names(), visible.viewer)


# Read on the driver connection: SQLAlchemy's execution costs more than the read itself.
_HEAD = Statement("SELECT position, hash FROM journal_head WHERE id = 1")


def journal_head(conn: Connection) -> tuple[int, bytes]:
    """The journal's last position and hash (0 and empty before the first event)."""
    row = _HEAD.run(conn).fetchone()
    return (0, b"") if row is None else (int(row[0]), bytes(row[1]))


OverviewKey = tuple[str, str | None, ViewerKey, int, bytes]


class OverviewCache:
    """Computed overviews of one database, for as long as the journal does not move.

    The key is everything the result depends on: the operation, the moment asked
    for (None: now), the compartments the viewer may see (the only way the viewer
    enters :func:`_compute_overview`), and the journal head (position and hash),
    read in the same transaction before the states. Every change is an event, so a
    new event changes the head and the next read computes afresh, reading only the
    entities that changed since the last overview of that operation and those
    viewer key (the rest of its states are kept); the hash also tells apart two
    databases (or a restored one) that stand at the same position.
    Viewers of different organisations or compartments never share an entry. The moment of
    reading is applied on every read (:meth:`OverviewParts.at`).

    Concurrent readers of a missing entry wait for one of them to compute it.
    Thread-safe; one per process and database (each worker process has its own).
    """

    #: States kept per operation and viewer key, at the newest journal positions seen. A
    #: reader whose head is older than every one kept works the overview out from all the
    #: operation's records (20–80 ms of CPU with a thousand incidents), and under a mixed
    #: load (45 readers, 5 writers: some 20 new heads a second) readers' heads were often
    #: more than three behind the newest: in `bench/api.py`'s mixed measurement, 17 of a
    #: process's 81 overviews in 2.5 s were worked out afresh, 332 ms of CPU against 90 ms
    #: for the 64 others (issue 17). The states themselves are shared between the kept ones.
    KEPT_STATES = 16

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._entries: OrderedDict[OverviewKey, OverviewParts] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[OverviewKey, threading.Lock] = {}
        self._head: tuple[int, bytes] | None = None
        # The states each overview now was last worked out from, by operation and
        # viewer key: kept across journal heads (the next is read from them).
        self._visible: OrderedDict[tuple[str, ViewerKey], tuple[VisibleStates, ...]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(
        self,
        conn: Connection,
        *,
        viewer: Viewer,
        operation: str,
        at_utc: str | None,
        head: tuple[int, bytes] | None = None,
    ) -> OverviewParts:
        """The overview; ``head`` is the journal's as ``conn`` read it last, before any
        state (the caller's check reads it in the same statement: ``access.door``)."""
        head = head if head is not None else journal_head(conn)
        key: OverviewKey = (operation, at_utc, viewer.key, head[0], head[1])
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
                parts = self._compute(conn, viewer, operation, at_utc, head)
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
        viewer: Viewer,
        operation: str,
        at_utc: str | None,
        head: tuple[int, bytes],
    ) -> OverviewParts:
        """The overview now is worked out from the last one's states, reading only the
        entities that changed since (:func:`_visible_now`); one as of a past moment, afresh."""
        if at_utc is not None:
            return _compute_overview(conn, viewer, operation, at_utc)
        which = (operation, viewer.key)
        with self._lock:
            kept = self._visible.get(which, ())
        # The newest kept at or before this reader's head: a reader whose snapshot is a
        # little older than the newest (it began before a write another reader saw) still
        # reads only what changed.
        since = next((v for v in kept if v.position <= head[0]), None)
        visible = _visible_now(conn, viewer, operation, since, head)
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
            if self._head is not None and head[0] < self._head[0]:
                # A reader whose snapshot is older than the newest head seen: its
                # overview is worked out (from the states kept at its position) but
                # not kept, and the newest head's entries stay for the readers after
                # it. Clearing them here made readers of the two heads take turns
                # working out each other's overview again after every write.
                return None
            # The journal moved (or this is another database at the same position).
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
