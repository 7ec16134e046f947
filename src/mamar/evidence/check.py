"""Checking an evidence bundle with no database and no network: what it proves, or what failed.

The checks, in order: the checkpoint is signed by the trusted log key; each
cosignature by a trusted witness key verifies over it; each event's body hashes to
a leaf that its audit path leads from, at its index, to the checkpoint's root; and
each body names the position it is proven at. The first failure is reported with
its reason; nothing is "partly proven".
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from mamar.evidence.checkpoint import open_checkpoint, verify_cosignature
from mamar.evidence.note import (
    COSIGNATURE_V1,
    ED25519,
    NoteError,
    Verifier,
    matching,
    parse_note,
    parse_verifier,
)
from mamar.journal import merkle

FORMAT = "mamar-evidence/1"


@dataclass
class Failure(Exception):
    """Why a bundle does not verify: ``code`` (a message of the catalogues) and its values."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProvenEvent:
    position: int
    type: str
    stream: str
    actor: str
    occurred_at: str
    recorded_at: str


@dataclass(frozen=True)
class Witnessed:
    name: str
    organisation: str | None
    timestamp: int


@dataclass(frozen=True)
class Report:
    origin: str
    size: int
    log_key: str
    events: list[ProvenEvent]
    witnesses: list[Witnessed]
    keys_from_bundle: bool


def parse_trusted(text: str) -> list[tuple[str | None, Verifier]]:
    """Trusted keys, one a line: ``[organisation ]<name>+<id>+<key>``; ``#`` starts a comment."""
    keys: list[tuple[str | None, Verifier]] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        organisation, _, key = line.rpartition(" ")
        try:
            keys.append((organisation.strip() or None, parse_verifier(key)))
        except NoteError as error:
            raise Failure("bad_trusted_key", {"detail": str(error)}) from None
    return keys


def _bundle_keys(bundle: dict[str, Any]) -> list[tuple[str | None, Verifier]]:
    try:
        keys: list[tuple[str | None, Verifier]] = [(None, parse_verifier(bundle["log_key"]))]
        keys += [(w["organisation"], parse_verifier(w["key"])) for w in bundle["witnesses"]]
    except (KeyError, TypeError, NoteError):
        raise Failure("not_a_bundle") from None
    return keys


def _event(item: Any, number: int, size: int, root: bytes) -> ProvenEvent:
    try:
        index, body = int(item["index"]), item["body"].encode()
        proof = [base64.b64decode(h, validate=True) for h in item["proof"]]
    except (KeyError, TypeError, ValueError, AttributeError, binascii.Error):
        raise Failure("event_malformed", {"number": number}) from None
    try:
        merkle.verify_inclusion(merkle.leaf_hash(body), index, size, proof, root)
    except merkle.ProofError as error:
        code = {"index_out_of_range": "event_outside", "root_mismatch": "event_altered"}.get(
            error.code, "event_proof_length"
        )
        raise Failure(code, {"number": number, "size": size}) from None
    try:
        envelope = json.loads(body)
        claimed = int(envelope["position"])
    except (ValueError, KeyError, TypeError):
        raise Failure("event_malformed", {"number": number}) from None
    if claimed != index + 1:
        raise Failure(
            "event_misplaced", {"number": number, "claimed": claimed, "proven": index + 1}
        )
    return ProvenEvent(
        position=claimed,
        type=str(envelope.get("type")),
        stream=str(envelope.get("stream")),
        actor=str(envelope.get("actor")),
        occurred_at=str(envelope.get("occurred_at")),
        recorded_at=str(envelope.get("recorded_at")),
    )


def check(bundle: Any, trusted: list[tuple[str | None, Verifier]] | None = None) -> Report:
    """Verify ``bundle`` (parsed JSON) against ``trusted`` keys (default: the bundle's own)."""
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise Failure("not_a_bundle")
    keys = trusted if trusted is not None else _bundle_keys(bundle)
    try:
        origin = parse_note(str(bundle["checkpoint"])).text.split("\n", 1)[0]
    except (KeyError, NoteError):
        raise Failure("checkpoint_malformed") from None
    logs = [k for _, k in keys if k.kind == ED25519 and k.name == origin]
    if not logs:
        raise Failure("no_log_key", {"origin": origin})
    try:
        checkpoint, note = open_checkpoint(bundle["checkpoint"], logs[0])
    except NoteError as error:
        code = {"unknown_key": "unknown_log_key", "bad_signature": "bad_log_signature"}.get(
            error.code, "checkpoint_malformed"
        )
        raise Failure(code, {"origin": origin}) from None
    seen: list[Witnessed] = []
    for organisation, key in keys:
        if key.kind != COSIGNATURE_V1:
            continue
        signature = matching(note, key)
        if signature is None:
            continue
        try:
            timestamp = verify_cosignature(note.text, signature, key)
        except NoteError:
            raise Failure("bad_cosignature", {"name": key.name}) from None
        seen.append(Witnessed(key.name, organisation, timestamp))
    events = bundle.get("events")
    if not isinstance(events, list):
        raise Failure("not_a_bundle")
    proven = [
        _event(item, number, checkpoint.size, checkpoint.root)
        for number, item in enumerate(events, start=1)
    ]
    return Report(
        origin=checkpoint.origin,
        size=checkpoint.size,
        log_key=logs[0].encode(),
        events=proven,
        witnesses=seen,
        keys_from_bundle=trusted is None,
    )
