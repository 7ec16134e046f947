"""Checkpoints (c2sp.org/tlog-checkpoint) and their cosignatures (c2sp.org/tlog-cosignature).

A checkpoint's note text is three lines: the log's origin, the tree size in
decimal, the base64 root hash. The log signs it with an Ed25519 note signature
(type 0x01) under a key named as the origin. A witness cosigns it with a
timestamped signature (type 0x04) over ``cosignature/v1``, ``time <seconds>`` and
the checkpoint text; the signature line holds ``key ID ‖ u64 timestamp ‖ signature``.

Pure: no database, no network.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature

from mamar.evidence.note import (
    COSIGNATURE_V1,
    ED25519,
    Note,
    NoteError,
    Signature,
    Signer,
    Verifier,
    check_name,
    matching,
    parse_note,
    sign_text,
    verify_signature,
)
from mamar.journal.merkle import HASH_SIZE
from mamar.web.i18n import N_


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def parse_checkpoint(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):
        raise NoteError(
            "malformed_checkpoint", N_("a checkpoint is origin, size and root, one a line")
        )
    origin, size_text, root_text = lines[:3]
    if (
        not size_text.isascii()
        or not size_text.isdigit()
        or (size_text != "0" and size_text[0] == "0")
    ):
        raise NoteError(
            "malformed_checkpoint",
            N_("the tree size “%(size)s” is not a decimal number"),
            size=size_text,
        )
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error:
        raise NoteError("malformed_checkpoint", N_("the root hash is not base64")) from None
    if len(root) != HASH_SIZE:
        raise NoteError(
            "malformed_checkpoint",
            N_("the root hash has %(n)s bytes, not %(size)s"),
            n=len(root),
            size=HASH_SIZE,
        )
    return Checkpoint(origin, int(size_text), root)


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer) -> Note:
    text = checkpoint.text()
    return Note(text, (sign_text(text, signer),))


def open_checkpoint(encoded: str, log: Verifier) -> tuple[Checkpoint, Note]:
    """Parse a signed checkpoint and verify the log's signature; refuse an unknown signer."""
    note = parse_note(encoded)
    signature = matching(note, log)
    if signature is None:
        names = ", ".join(sorted({s.name for s in note.signatures}))
        raise NoteError(
            "unknown_key",
            N_("the checkpoint is not signed by the trusted key %(name)s (signed by: %(names)s)"),
            name=log.name,
            names=names,
        )
    verify_signature(note.text, signature, log)
    checkpoint = parse_checkpoint(note.text)
    if checkpoint.origin != log.name:
        raise NoteError(
            "wrong_origin",
            N_("the checkpoint's origin %(origin)s is not the log %(name)s"),
            origin=checkpoint.origin,
            name=log.name,
        )
    return checkpoint, note


def cosigned_message(text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


def cosign(text: str, signer: Signer, timestamp: int) -> Signature:
    """A witness's cosignature/v1 over the checkpoint ``text``, made at ``timestamp``."""
    if signer.kind != COSIGNATURE_V1:
        raise NoteError("bad_key", N_("“%(name)s” is not a cosigning key"), name=signer.name)
    if not 0 <= timestamp < 2**63:
        raise NoteError(
            "bad_timestamp", N_("the timestamp %(time)s is out of range"), time=str(timestamp)
        )
    signed = signer.sign(cosigned_message(text, timestamp))
    return Signature(signer.name, signer.verifier.id, struct.pack(">Q", timestamp) + signed)


def verify_cosignature(text: str, signature: Signature, witness: Verifier) -> int:
    """Check a cosignature by ``witness`` over the checkpoint ``text``; return its timestamp."""
    if witness.kind != COSIGNATURE_V1:
        raise NoteError(
            "bad_key", N_("“%(name)s” is not a witness key (type 0x04)"), name=witness.name
        )
    if signature.name != witness.name or signature.id != witness.id:
        raise NoteError(
            "unknown_key",
            N_("the cosignature is not by the witness %(name)s"),
            name=witness.name,
        )
    if len(signature.value) != 8 + 64:
        raise NoteError(
            "bad_signature",
            N_("the cosignature of %(name)s has the wrong size"),
            name=witness.name,
        )
    timestamp = int.from_bytes(signature.value[:8], "big")
    if timestamp >= 2**63:
        raise NoteError(
            "bad_timestamp", N_("the cosignature of %(name)s has a bad time"), name=witness.name
        )
    try:
        witness.key().verify(signature.value[8:], cosigned_message(text, timestamp))
    except InvalidSignature:
        raise NoteError(
            "bad_signature",
            N_("the cosignature of the witness %(name)s does not verify over this checkpoint"),
            name=witness.name,
        ) from None
    return timestamp


def witness_verifier(name: str, public: bytes) -> Verifier:
    return Verifier(check_name(name), COSIGNATURE_V1, public)


def log_verifier(name: str, public: bytes) -> Verifier:
    return Verifier(check_name(name), ED25519, public)
