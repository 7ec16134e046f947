"""Witnesses as the log knows them: organisations' keys, and the cosignatures they send.

A witness is an organisation of the operation (a guarantor, the ICRC, a monitor)
holding its own Ed25519 key, named in the C2SP key-name convention (a schema-less
URL such as ``icrc.example/mamar-witness``). It checks each new checkpoint against
the last one it cosigned (:mod:`mamar.evidence.witness_client`) and sends back a
``cosignature/v1``; the log keeps every cosignature that verifies over a checkpoint
it signed and serves it with that checkpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from mamar.db.tables import cosignatures, witnesses
from mamar.domain.errors import DomainError, NotFound
from mamar.domain.ids import stream_name
from mamar.domain.time import now_utc, utc_key
from mamar.evidence import log
from mamar.evidence.checkpoint import verify_cosignature
from mamar.evidence.note import COSIGNATURE_V1, NoteError, Verifier, parse_note, parse_verifier
from mamar.projections.entities import current


@dataclass(frozen=True)
class Witness:
    name: str
    organisation: str
    verifier: Verifier
    added_at: str


def _witness(row: Any) -> Witness:
    return Witness(row.name, row.organisation, parse_verifier(row.verifier_key), row.added_at)


def add(conn: Connection, *, organisation: str, key: str) -> Witness:
    """Register the witness key (a C2SP verifier key of type 0x04) of ``organisation``,
    an organisation registered in this installation."""
    if not organisation or len(organisation) > 120:
        raise DomainError("required", "name the witness's organisation", field="organisation")
    if current(conn, stream_name("organisation", organisation)) is None:
        raise DomainError(
            "unknown_organisation",
            f"no organisation '{organisation}' is registered",
            field="organisation",
        )
    try:
        verifier = parse_verifier(key)
    except NoteError as error:
        raise DomainError("bad_key", str(error), field="key") from None
    if verifier.kind != COSIGNATURE_V1:
        raise DomainError("bad_key", "a witness key is a cosignature key (type 0x04)", field="key")
    if conn.execute(select(witnesses.c.name).where(witnesses.c.name == verifier.name)).first():
        raise DomainError(
            "already_exists", f"a witness named {verifier.name} is registered", field="key"
        )
    witness = Witness(verifier.name, organisation, verifier, utc_key(now_utc()))
    conn.execute(
        insert(witnesses).values(
            name=witness.name,
            organisation=organisation,
            verifier_key=verifier.encode(),
            added_at=witness.added_at,
        )
    )
    return witness


def listed(conn: Connection) -> list[Witness]:
    return [_witness(r) for r in conn.execute(select(witnesses).order_by(witnesses.c.name))]


def cosigners(conn: Connection, size: int) -> list[tuple[Witness, int]]:
    """The witnesses that cosigned the checkpoint of ``size``, with their timestamps."""
    rows = conn.execute(
        select(witnesses, cosignatures.c.timestamp)
        .join(cosignatures, cosignatures.c.witness == witnesses.c.name)
        .where(cosignatures.c.size == size)
        .order_by(witnesses.c.name)
    )
    return [(_witness(r), int(r.timestamp)) for r in rows]


def accept(conn: Connection, *, size: int, line: str) -> Witness:
    """Keep a witness's cosignature line for the checkpoint of ``size`` once it verifies."""
    stored = log.at_size(conn, size)
    if stored is None:
        raise NotFound("checkpoint", str(size), field="size")
    note = parse_note(stored.note)
    try:
        (signature,) = parse_note(note.text + "\n" + line.strip() + "\n").signatures
    except (NoteError, ValueError):
        raise DomainError(
            "bad_cosignature",
            "send one signature line: — <witness name> <base64>",
            field="cosignature",
        ) from None
    row = conn.execute(select(witnesses).where(witnesses.c.name == signature.name)).first()
    if row is None:
        raise DomainError(
            "unknown_witness",
            f"no witness named {signature.name} is registered",
            field="cosignature",
        )
    witness = _witness(row)
    try:
        timestamp = verify_cosignature(note.text, signature, witness.verifier)
    except NoteError as error:
        raise DomainError("bad_cosignature", str(error), field="cosignature") from None
    known = conn.execute(
        select(cosignatures.c.line).where(
            cosignatures.c.size == size, cosignatures.c.witness == witness.name
        )
    ).first()
    if known is None:
        conn.execute(
            insert(cosignatures).values(
                size=size,
                witness=witness.name,
                timestamp=timestamp,
                line=signature.line().rstrip("\n"),
                received_at=utc_key(now_utc()),
            )
        )
    return witness
