"""Carrying out a command: authorise → decide → append → project, in one transaction."""

from __future__ import annotations

import base64
from typing import Any, cast

from sqlalchemy import Connection

from mamar.access.commands import may_call, may_change, may_create, may_record
from mamar.access.viewer import Viewer, viewer_of
from mamar.domain.errors import DomainError, NotFound, NotPermitted
from mamar.domain.ids import stream_name
from mamar.domain.model import Actor, Command, Context, EntityState, decider_for
from mamar.domain.time import DEFAULT_BOUNDS, OccurredAt, Precision, TimeBounds, now_utc
from mamar.domain.visibility import Role
from mamar.journal import store
from mamar.journal.envelope import PendingEvent, RecordedEvent
from mamar.journal.registry import EventData
from mamar.manifests.photos import MEDIA_TYPE as PHOTO_TYPE
from mamar.projections.entities import Projector, ProjectorMark, current
from mamar.services.group_commit import shared
from mamar.translating.model import attributed, attributed_time
from mamar.vault.store import Sealing, Vault

# Kinds that stand outside any operation, or are one.
_UNSCOPED = frozenset({"account", "operation", "organisation"})


class DbLookup:
    """Other entities' current state, as far as the viewer may see them (in a
    :class:`Batch`, as the batch's commands so far have left them).

    One command's: each record is read once (the operation is looked up both for
    the new record's operation and for its time bounds), since nothing is written
    before the command has decided."""

    def __init__(self, conn: Connection, viewer: Viewer, batch: Batch | None = None) -> None:
        self.conn = conn
        self.viewer = viewer
        self.batch = batch
        self._read: dict[str, tuple[EntityState, int] | None] = {}

    def get(self, kind: str, entity_id: str) -> EntityState | None:
        stream = stream_name(kind, entity_id)
        if self.batch is not None:
            found = self.batch.current(stream)
        elif stream in self._read:
            found = self._read[stream]
        else:
            found = self._read[stream] = current(self.conn, stream)
        if found is None or not self.viewer.sees(found[0]):
            return None
        return found[0]


class Batch:
    """Commands carried out one after another in the caller's transaction, their rows
    written together (:meth:`write`).

    Each command is authorised, decided and checked exactly as :func:`execute` does
    alone, against the states the commands before it in the batch left (kept in
    memory), and its events are chained after theirs; only the writing is shared: one
    insert of all the journal rows, one growth of the Merkle tree, one move of the
    chain head, each record's row moved once, the history rows in one insert. What
    is written is what the same commands one by one would write.

    All or nothing: once a command is refused (or anything fails), the batch cannot
    be written, and the caller's transaction must be rolled back. For loading many
    commands of one author at once (``scenarios.synthetic``), not for callers that
    want each command answered on its own (:class:`GroupAppend` is that).
    """

    def __init__(self, conn: Connection, vault: Vault | None = None) -> None:
        self.conn = conn
        self.vault = vault
        # The append lock, taken for the whole batch.
        self.appending = store.Appending(conn, store.lock_head(conn))
        self.projector = Projector(conn, deferred=True)
        self._failed = False

    def current(self, stream: str) -> tuple[EntityState, int] | None:
        state, version = self.projector.state(stream)
        return None if state is None else (state, version)

    def execute(
        self, cmd: Command, *, actor: Actor, occurred: OccurredAt | None = None
    ) -> list[RecordedEvent]:
        """Carry out ``cmd`` in the batch (as :func:`execute`); its events as recorded."""
        if self._failed:
            raise RuntimeError("a command of this batch failed: roll its transaction back")
        try:
            return execute(
                self.conn, cmd, actor=actor, occurred=occurred, vault=self.vault, batch=self
            )
        except BaseException:
            self._failed = True
            raise

    def write(self) -> None:
        """Write what the batch's commands recorded, in the caller's transaction."""
        if self._failed:
            raise RuntimeError("a command of this batch failed: roll its transaction back")
        self.appending.write()
        self.projector.write()


class GroupAppend(Batch):
    """The commands of a group commit (``services.group_commit``), carried out as a
    :class:`Batch` is, each answered on its own: the head is read (on PostgreSQL,
    locked) once when the group begins, each command is decided against the states
    the ones before it left (kept in memory), and the group's journal rows, tree
    growth, head move, records' rows and history rows are written once, before the
    group commits. A refused command is forgotten (:meth:`undo`): its events, the
    states it left and the short references it took, as if it had never been sent.
    """

    def mark(self) -> tuple[store.Mark, ProjectorMark]:
        self.appending.stamp()
        return self.appending.mark(), self.projector.mark()

    def undo(self, mark: object) -> None:
        appended, projected = cast("tuple[store.Mark, ProjectorMark]", mark)
        self.appending.undo(appended)
        self.projector.undo(projected)

    def finish(self) -> None:
        self.write()


#: The local administrator: the CLI on the server acts as this account.
SYSTEM = Actor(username="system", role=Role.ADMIN)


def _seal_personal(conn: Connection, vault: Vault | None, cmd: Command) -> Command:
    """Move personal fields into the vault; the event only carries the reference."""
    field = type(cmd).personal_field
    if field is None:
        return cmd
    if getattr(cmd, "vault_ref", None) is not None:
        raise DomainError(
            "vault_ref_reserved",
            "vault_ref is set by the system, not by callers",
            field="vault_ref",
        )
    if getattr(cmd, field) is None:
        return cmd
    if vault is None:
        raise NotPermitted("personal data cannot be stored: no vault key is configured")
    record: Any = getattr(cmd, field)
    ref = vault.put(conn, record.model_dump(mode="json"))
    return cmd.model_copy(update={field: None, "vault_ref": ref})


def _seal_items(
    conn: Connection, vault: Vault | None, cmd: Command, subject: str, operation: str | None
) -> Command:
    """Move each item's ``details`` into a vault record of its own, indexed for search
    under ``subject`` (if they give search terms); the items keep only the references.
    The records of one command (a family) are stored together."""
    changes: dict[str, Any] = {}
    for field in type(cmd).personal_items:
        value = getattr(cmd, field)
        if value is None:
            continue
        many = isinstance(value, tuple)
        items = value if many else (value,)
        pending = [_sealing(conn, vault, item, field) for item in items]
        wanted = [p for p in pending if p is not None]
        if wanted:
            assert vault is not None  # _sealing refused otherwise
            refs = iter(vault.put_many(conn, wanted, subject, operation))
        sealed = tuple(
            item if p is None else _sealed(item, next(refs))
            for item, p in zip(items, pending, strict=True)
        )
        changes[field] = sealed if many else sealed[0]
    return cmd.model_copy(update=changes) if changes else cmd


def _born_by(cmd: Command, year: int) -> None:
    """No one listed was born after the year the command is recorded in (the operation's
    time, a demo's 2016 too): a year of birth to come is a slip of the keyboard."""
    for field in type(cmd).personal_items:
        value = getattr(cmd, field)
        items = value if isinstance(value, tuple) else (value,)
        for i, item in enumerate(items):
            born = getattr(getattr(item, "details", None), "year_of_birth", None)
            if born is not None and born > year:
                raise DomainError(
                    "born_after_now",
                    f"year of birth {born} is after {year}",
                    field=f"{field}.{i}.details.year_of_birth",
                    params={"year": str(year)},
                )


def _sealing(conn: Connection, vault: Vault | None, item: Any, field: str) -> Sealing | None:
    """What of ``item`` goes to the vault (None: nothing)."""
    if getattr(item, "vault_ref", None) is not None:
        raise DomainError(
            "vault_ref_reserved", "vault_ref is set by the system, not by callers", field=field
        )
    details: Any = item.details
    photo: bytes | None = getattr(item, "photo", None)
    if details is None:
        if photo is not None:
            raise DomainError("photo_without_name", "a photo needs the person's name", field=field)
        return None
    if vault is None:
        raise NotPermitted("personal data cannot be stored: no vault key is configured")
    terms = tuple(details.search_terms()) if hasattr(details, "search_terms") else ()
    record = details.model_dump(mode="json")
    if photo is None:
        return Sealing(record, terms)
    # The photo is a record of its own (read only when shown), named inside the person's
    # record and erased with it.
    image = base64.b64encode(photo).decode()
    record["photo"] = vault.put(conn, {"image": image, "media_type": PHOTO_TYPE})
    return Sealing(record, terms, (record["photo"],))


def _sealed(item: Any, ref: str) -> Any:
    update: dict[str, Any] = {"details": None, "vault_ref": ref}
    if getattr(item, "photo", None) is not None:
        update["photo"] = None
    return item.model_copy(update=update)


def execute(
    conn: Connection,
    cmd: Command,
    *,
    actor: Actor,
    occurred: OccurredAt | None = None,
    vault: Vault | None = None,
    batch: Batch | None = None,
) -> list[RecordedEvent]:
    """Run ``cmd`` for ``actor`` inside the caller's transaction; return the recorded events.

    In ``batch`` (see :class:`Batch`), after the batch's commands so far, written with them.
    """
    if occurred is None:
        occurred = OccurredAt(at=now_utc(), precision=Precision.EXACT)
    viewer = viewer_of(actor)
    may_call(viewer, cmd)
    stream = stream_name(cmd.kind, cmd.id)
    # Take the append lock first: what is read below cannot change before the append
    # (a batch, or a group, took it when it began).
    if batch is None:
        sharing = shared()
        batch = sharing if isinstance(sharing, GroupAppend) else None
    head = store.lock_head(conn) if batch is None else None
    found = current(conn, stream) if batch is None else batch.current(stream)
    lookup = DbLookup(conn, viewer, batch)
    state: EntityState | None
    if cmd.creates:
        visibility = may_create(viewer, cmd, found[0] if found is not None else None)
        state, version = None, 0
        operation = _operation_of_new(cmd, lookup)
    else:
        state = may_change(viewer, cmd, found[0] if found is not None else None)
        version = found[1] if found is not None else 0
        operation = state.operation
        visibility = state.visibility
    _bounds_for(cmd, state, operation, lookup).check(occurred.at, now_utc())
    _born_by(cmd, occurred.at.year)
    cmd = _seal_personal(conn, vault, cmd)
    cmd = _seal_items(conn, vault, cmd, stream, operation)
    cmd = attributed(cmd, state, actor.organisation)
    occurred = attributed_time(occurred, actor.organisation)
    ctx = Context(actor=actor, occurred_at=occurred.at, lookup=lookup)
    decided = decider_for(type(cmd))(state, cmd, ctx)
    may_record(viewer, state, decided)
    pending = [
        PendingEvent(
            stream=stream,
            version=version + index,
            data=data,
            occurred=occurred,
            actor=actor.username,
            visibility=data.compartment or visibility,
            operation=operation,
        )
        for index, data in enumerate(decided, start=1)
    ]
    if batch is not None:
        recorded = batch.appending.add(pending, versions={stream: version})
        _erase_personal(conn, vault, decided)
        batch.projector.know_organisation(actor.username, actor.organisation)
        batch.projector.apply(recorded)
        return recorded
    recorded = store.append(conn, pending, locked=head, versions={stream: version})
    _erase_personal(conn, vault, decided)
    # The state read above is still current: the projector need not read it again.
    Projector(
        conn, known={stream: (state, version)}, organisations={actor.username: actor.organisation}
    ).apply(recorded)
    return recorded


def _erase_personal(conn: Connection, vault: Vault | None, decided: list[EventData]) -> None:
    """Destroy the vault records that events marked ``erases_vault_ref`` name, in this transaction."""
    for data in decided:
        if not type(data).erases_vault_ref:
            continue
        ref = getattr(data, "vault_ref", None)
        if ref is None:
            continue
        if vault is None:
            raise NotPermitted("personal data cannot be erased: no vault key is configured")
        vault.erase(conn, ref)


def _bounds_for(
    cmd: Command, state: EntityState | None, operation: str | None, lookup: DbLookup
) -> TimeBounds:
    """The time bounds of the operation the command's events belong to."""
    found: Any
    if cmd.kind == "operation":
        found = cmd if state is None else state
    else:
        found = lookup.get("operation", operation) if operation is not None else None
    bounds: TimeBounds | None = getattr(found, "time_bounds", None)
    return bounds or DEFAULT_BOUNDS


def _operation_of_new(cmd: Command, lookup: DbLookup) -> str | None:
    if cmd.kind == "operation":
        return cmd.id
    if cmd.kind in _UNSCOPED:
        return None
    operation: str = cmd.operation  # type: ignore[attr-defined]
    if lookup.get("operation", operation) is None:
        raise NotFound("operation", operation, field="operation")
    return operation
