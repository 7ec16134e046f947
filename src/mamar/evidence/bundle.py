"""Evidence bundles: chosen events with their inclusion proofs, a checkpoint and the keys.

A bundle is made for a recipient (an account): it holds only the records that
account may see and, of their events, only those it may see, read through the same
viewer functions every other surface reads through. Each event carries its
canonical body and its RFC 6962 audit path against one signed checkpoint (the
largest cosigned one that covers them all, else the latest signed), so it proves
those events and reveals nothing of any other (the path holds hashes only).
:mod:`mamar.evidence.check` verifies a bundle with no database and no network.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from mamar import reads
from mamar.access import Viewer, viewer_of
from mamar.db.tables import cosignatures, journal, signed_checkpoints
from mamar.domain.errors import DomainError
from mamar.domain.model import Actor, EntityState, kind_of
from mamar.domain.time import now_utc, utc_key
from mamar.evidence import log, witnesses
from mamar.evidence.note import Signer
from mamar.journal import tree

FORMAT = "mamar-evidence/1"
MAX_ENTITIES = 50


def parse_refs(refs: Iterable[str]) -> list[tuple[str, str]]:
    """``kind:id`` references, checked; a malformed one names itself."""
    parsed: list[tuple[str, str]] = []
    for ref in refs:
        kind, _, entity_id = ref.partition(":")
        if not kind or not entity_id:
            raise DomainError(
                "bad_reference",
                f"'{ref}' is not kind:id (e.g. incident:shelling-1)",
                field="entity",
            )
        if (kind, entity_id) not in parsed:
            parsed.append((kind, entity_id))
    if not parsed or len(parsed) > MAX_ENTITIES:
        raise DomainError(
            "bad_reference", f"name between 1 and {MAX_ENTITIES} records", field="entity"
        )
    return parsed


def _linked(
    conn: Connection, viewer: Viewer, kind: str, state: EntityState
) -> set[tuple[str, str]]:
    """What a record links to, one step: an incident's breached agreements, the
    escalations about it and the guarantees it broke; an escalation's subjects; a
    guarantee's subjects and the incidents that broke it."""
    found: set[tuple[str, str]] = set()
    data: Any = state
    if kind == "incident":
        found |= {("agreement", b.agreement) for b in data.breaches}
        others = reads.visible_states(
            conn, viewer=viewer, operation=state.operation, kinds=["escalation", "guarantee"]
        )
        for other in others:
            other_kind = kind_of(other)
            about = {(s.kind.value, s.id) for s in getattr(other, "about", ())}
            if ("incident", state.id) in about or state.id in getattr(other, "incidents", ()):
                found.add((other_kind, other.id))
    elif kind == "escalation":
        found |= {(s.kind.value, s.id) for s in data.about}
    elif kind == "guarantee":
        found |= {("incident", i) for i in data.incidents}
        found |= {(s.kind.value, s.id) for s in data.subject}
    return found


def chosen_records(
    conn: Connection, viewer: Viewer, refs: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The records asked for (each must be visible: else NotFound) and those they link
    to that the viewer may see, in a stable order."""
    records: list[tuple[str, str]] = []
    linked: set[tuple[str, str]] = set()
    for kind, entity_id in refs:
        state = reads.get_state(conn, viewer=viewer, kind=kind, entity_id=entity_id)
        records.append((kind, entity_id))
        linked |= _linked(conn, viewer, kind, state)
    for kind, entity_id in sorted(linked - set(records)):
        try:
            reads.get_state(conn, viewer=viewer, kind=kind, entity_id=entity_id)
        except DomainError:
            continue  # not the recipient's to see: left out, as if it did not exist
        records.append((kind, entity_id))
    return records


def _checkpoint_for(conn: Connection, size: int) -> log.StoredCheckpoint | None:
    """The largest cosigned checkpoint covering ``size`` events, else the latest signed."""
    cosigned = conn.execute(
        select(signed_checkpoints.c.size)
        .join(cosignatures, cosignatures.c.size == signed_checkpoints.c.size)
        .where(signed_checkpoints.c.size >= size)
        .order_by(signed_checkpoints.c.size.desc())
        .limit(1)
    ).scalar()
    if cosigned is not None:
        return log.at_size(conn, int(cosigned))
    latest = log.latest(conn)
    return latest if latest is not None and latest.size >= size else None


def make(
    conn: Connection,
    *,
    viewer: Actor | Viewer,
    refs: list[tuple[str, str]],
    signer: Signer,
) -> dict[str, Any]:
    """The bundle of ``refs`` (and what they link to) for the recipient ``viewer``, in a
    writing transaction: a checkpoint is signed first when none covers the events yet.
    Every read goes through the recipient's :class:`~mamar.access.Viewer`."""
    viewer = viewer_of(viewer)
    records = chosen_records(conn, viewer, refs)
    positions = sorted(
        {
            entry.position
            for kind, entity_id in records
            for entry in reads.timeline(
                conn, viewer=viewer, entity=f"{kind}:{entity_id}", order="recorded"
            )
        }
    )
    needed = positions[-1] if positions else 0
    checkpoint = _checkpoint_for(conn, needed)
    if checkpoint is None:
        checkpoint = log.sign_now(conn, signer)
    bodies = {
        int(row.position): bytes(row.body)
        for row in conn.execute(
            select(journal.c.position, journal.c.body).where(journal.c.position.in_(positions))
        )
    }
    events = [
        {
            "index": position - 1,
            "body": bodies[position].decode(),
            "proof": [
                base64.b64encode(h).decode()
                for h in tree.inclusion_proof(conn, position - 1, checkpoint.size)
            ],
        }
        for position in positions
    ]
    return {
        "format": FORMAT,
        "made_at": utc_key(now_utc()),
        "recipient": viewer.username,
        "recipient_organisation": viewer.organisation,
        "records": [f"{kind}:{entity_id}" for kind, entity_id in records],
        "checkpoint": log.with_cosignatures(conn, checkpoint),
        "log_key": signer.verifier.encode(),
        "witnesses": [
            {"organisation": w.organisation, "key": w.verifier.encode()}
            for w, _ in witnesses.cosigners(conn, checkpoint.size)
        ],
        "events": events,
    }
