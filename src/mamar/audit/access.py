"""Reading personal records from the vault, each read journalled in the same transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, select

from mamar.audit.events import VaultAccessed
from mamar.db.tables import journal
from mamar.domain.errors import DomainError, NotFound, NotPermitted
from mamar.domain.ids import stream_name
from mamar.domain.model import Actor
from mamar.domain.time import OccurredAt, Precision, now_utc
from mamar.domain.visibility import Role, Visibility
from mamar.journal import store
from mamar.journal.envelope import PendingEvent
from mamar.journal.registry import EventData
from mamar.projections.entities import Projector, current
from mamar.reads import get_state
from mamar.vault.store import Vault

#: Who may read personal records (names, phone numbers, injuries).
VAULT_READERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.MEDICAL})


def audit_id(kind: str, entity_id: str) -> str:
    text = f"{kind}-{entity_id}"
    return (
        text if len(text) <= 80 else f"{kind[:20]}-{hashlib.sha256(text.encode()).hexdigest()[:40]}"
    )


def read_personal(
    conn: Connection,
    vault: Vault | None,
    *,
    viewer: Actor,
    kind: str,
    entity_id: str,
    purpose: str = "api",
) -> dict[str, Any]:
    """The personal record behind an entity's ``vault_ref``; the read is journalled first."""
    if viewer.role not in VAULT_READERS:
        raise NotPermitted(f"the role '{viewer.role.value}' may not read personal records")
    state = get_state(conn, viewer=viewer, kind=kind, entity_id=entity_id)
    ref = getattr(state, "vault_ref", None)
    if ref is None:
        raise NotFound(f"personal record of {kind}", entity_id)
    if vault is None:
        raise NotPermitted("personal records cannot be read: no vault key is configured")
    record = vault.get(conn, ref)
    if record is None:
        raise DomainError("erased", "this personal record has been erased")
    # Journalled in the caller's transaction: if this append fails, nothing is returned.
    journal_read(
        conn,
        audit_id(kind, entity_id),
        VaultAccessed(
            subject_kind=kind,
            subject_id=entity_id,
            reader=viewer.username,
            reader_role=viewer.role,
            purpose=purpose,
        ),
        actor=viewer.username,
        operation=state.operation,
    )
    return record


def journal_read(
    conn: Connection, audit: str, data: EventData, *, actor: str, operation: str | None
) -> None:
    """Append the audit event ``data`` to the stream ``audit:<audit>`` in ``conn``'s
    transaction (kept with the medical compartment: who has a record is sensitive)."""
    stream = stream_name("audit", audit)
    found = current(conn, stream)
    recorded = store.append(
        conn,
        [
            PendingEvent(
                stream=stream,
                version=(found[1] if found else 0) + 1,
                data=data,
                occurred=OccurredAt(at=now_utc(), precision=Precision.EXACT),
                actor=actor,
                visibility=Visibility.MEDICAL,
                operation=operation,
            )
        ],
    )
    Projector(conn).apply(recorded)


@dataclass(frozen=True)
class Access:
    position: int
    at: str
    reader: str
    reader_role: str
    subject: str
    purpose: str


def accesses(conn: Connection) -> Iterator[Access]:
    """Every journalled read of a personal record, oldest first."""
    j = journal
    rows = conn.execute(
        select(j.c.position, j.c.body)
        .where(j.c.type == VaultAccessed.type_name)
        .order_by(j.c.position)
    )
    for row in rows:
        envelope = orjson.loads(bytes(row.body))
        data = envelope["data"]
        yield Access(
            position=int(row.position),
            at=envelope["recorded_at"],
            reader=data["reader"],
            reader_role=data["reader_role"],
            subject=f"{data['subject_kind']}:{data['subject_id']}",
            purpose=data["purpose"],
        )
