"""C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, and their key encodings.

A note is text ending in a newline, a blank line, then signature lines
``— <key name> base64(key ID ‖ signature)``. A key is named (a schema-less URL such as
``mamar.example/aleppo``); its 4-byte ID is ``SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4]``,
type ``0x01`` for the log's Ed25519 note signatures and ``0x04`` for timestamped
cosignatures (c2sp.org/tlog-cosignature). Keys are written as the Go ``note`` package
writes them: ``<name>+<key ID in hex>+base64(type ‖ key)``, private keys prefixed ``PRIVATE+KEY+``.

Pure: no database, no network. The bundle verifier uses this module as it is.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from mamar.i18n.said import Said, Word
from mamar.web.i18n import N_

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
DASH = "\u2014 "
_PRIVATE = "PRIVATE+KEY+"


class NoteError(ValueError):
    """A note, key or signature that is malformed or does not verify; ``code`` names why,
    ``said`` says it in any language (a catalogue message with its particulars; ``str``
    is its English, for the logs)."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        self.said = Said(message, params)
        super().__init__(str(self.said))
        self.code = code


PUBLIC_KEY = Word(N_("public key"))
SIGNING_KEY = Word(N_("signing key"))


def check_name(name: str) -> str:
    if not name or any(c.isspace() or c == "+" for c in name) or not name.isprintable():
        raise NoteError(
            "bad_key_name",
            N_(
                "the key name “%(name)s” must be non-empty, with no spaces, “+” or control characters"
            ),
            name=name,
        )
    return name


def key_id(name: str, kind: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + public).digest()[:4]


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Verifier:
    """A trusted public key: its name, signature type and 32-byte Ed25519 key."""

    name: str
    kind: int
    public: bytes

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.kind, self.public)

    def encode(self) -> str:
        material = base64.b64encode(bytes([self.kind]) + self.public).decode()
        return f"{self.name}+{self.id.hex()}+{material}"

    def key(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.public)


def _key_parts(text: str, what: Word) -> tuple[str, bytes, int, bytes]:
    """``<name>+<hex ID>+<base64(type ‖ key)>`` as (name, ID, type, 32 key bytes)."""
    parts = text.split("+", 2)  # the base64 may itself hold '+'
    if len(parts) != 3:
        raise NoteError("bad_key", N_("a %(what)s reads name+key ID+key"), what=what)
    name, hex_id, material = parts
    check_name(name)
    try:
        raw = base64.b64decode(material, validate=True)
        expected = bytes.fromhex(hex_id)
    except (binascii.Error, ValueError):
        raise NoteError(
            "bad_key",
            N_("the %(what)s of “%(name)s” is not written as it should be (hex ID, base64 key)"),
            what=what,
            name=name,
        ) from None
    if len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE_V1) or len(expected) != 4:
        raise NoteError(
            "bad_key",
            N_("the %(what)s of “%(name)s” is not an Ed25519 note key"),
            what=what,
            name=name,
        )
    return name, expected, raw[0], raw[1:]


def _matching_id(found: bytes, expected: bytes, name: str, what: Word) -> None:
    if found != expected:
        raise NoteError(
            "bad_key",
            N_("the %(what)s of “%(name)s”: its key ID does not match the key"),
            what=what,
            name=name,
        )


def parse_verifier(text: str) -> Verifier:
    """A verifier key ``<name>+<hex ID>+<base64(type ‖ key)>``; its ID must match."""
    name, expected, kind, public = _key_parts(text.strip(), PUBLIC_KEY)
    verifier = Verifier(name, kind, public)
    _matching_id(verifier.id, expected, name, PUBLIC_KEY)
    return verifier


@dataclass(frozen=True)
class Signer:
    """A private Ed25519 key under a name, for one signature type."""

    name: str
    kind: int
    private: Ed25519PrivateKey

    @classmethod
    def generate(cls, name: str, kind: int = ED25519) -> Signer:
        return cls(check_name(name), kind, Ed25519PrivateKey.generate())

    @property
    def verifier(self) -> Verifier:
        return Verifier(self.name, self.kind, raw_public(self.private.public_key()))

    def encode(self) -> str:
        """``PRIVATE+KEY+<name>+<hex ID>+base64(type ‖ seed)``: keep it secret."""
        seed = self.private.private_bytes_raw()
        material = base64.b64encode(bytes([self.kind]) + seed).decode()
        return f"{_PRIVATE}{self.name}+{self.verifier.id.hex()}+{material}"

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def parse_signer(text: str) -> Signer:
    """A signing key ``PRIVATE+KEY+<name>+<hex ID>+<base64(type ‖ seed)>``."""
    text = text.strip()
    if not text.startswith(_PRIVATE):
        raise NoteError("bad_key", N_("a signing key starts with %(prefix)s"), prefix=_PRIVATE)
    name, expected, kind, seed = _key_parts(text[len(_PRIVATE) :], SIGNING_KEY)
    signer = Signer(name, kind, Ed25519PrivateKey.from_private_bytes(seed))
    _matching_id(signer.verifier.id, expected, name, SIGNING_KEY)
    return signer


@dataclass(frozen=True)
class Signature:
    """One signature line: key name, key ID, and the bytes after the ID."""

    name: str
    id: bytes
    value: bytes

    def line(self) -> str:
        return f"{DASH}{self.name} {base64.b64encode(self.id + self.value).decode()}\n"


@dataclass(frozen=True)
class Note:
    text: str  # ends in a newline
    signatures: tuple[Signature, ...]

    def encode(self) -> str:
        return self.text + "\n" + "".join(s.line() for s in self.signatures)

    def with_signatures(self, extra: list[Signature]) -> Note:
        known = {(s.name, s.id) for s in self.signatures}
        fresh = [s for s in extra if (s.name, s.id) not in known]
        return Note(self.text, self.signatures + tuple(fresh))


def sign_text(text: str, signer: Signer) -> Signature:
    """An Ed25519 note signature (type 0x01) over ``text``."""
    if signer.kind != ED25519:
        raise NoteError(
            "bad_key",
            N_("“%(name)s” is a cosigning key, not a note signing key"),
            name=signer.name,
        )
    return Signature(signer.name, signer.verifier.id, signer.sign(text.encode()))


def parse_note(encoded: str) -> Note:
    """Split a signed note into its text and signature lines (nothing is verified here)."""
    if any(ord(c) < 0x20 and c != "\n" for c in encoded):
        raise NoteError("malformed_note", N_("a signed note may hold no control characters"))
    cut = encoded.rfind("\n\n")
    if cut < 0 or not encoded.endswith("\n"):
        raise NoteError(
            "malformed_note", N_("a signed note is text, a blank line, then signatures")
        )
    text, lines = encoded[: cut + 1], encoded[cut + 2 :].splitlines()
    if not lines:
        raise NoteError("malformed_note", N_("the note has no signature"))
    signatures = []
    for line in lines:
        if not line.startswith(DASH) or line.count(" ") != 2:
            raise NoteError("malformed_note", N_("not a signature line: %(line)s"), line=line[:60])
        name, _, encoded_value = line[len(DASH) :].partition(" ")
        try:
            raw = base64.b64decode(encoded_value, validate=True)
        except binascii.Error:
            raise NoteError(
                "malformed_note", N_("the signature of “%(name)s” is not base64"), name=name
            ) from None
        if len(raw) < 5:
            raise NoteError(
                "malformed_note", N_("the signature of “%(name)s” is too short"), name=name
            )
        signatures.append(Signature(check_name(name), raw[:4], raw[4:]))
    return Note(text, tuple(signatures))


def verify_signature(text: str, signature: Signature, verifier: Verifier) -> None:
    """Check an Ed25519 note signature (type 0x01) by ``verifier`` over ``text``."""
    try:
        verifier.key().verify(signature.value, text.encode())
    except InvalidSignature:
        raise NoteError(
            "bad_signature",
            N_("the signature of “%(name)s” does not verify"),
            name=verifier.name,
        ) from None


def matching(note: Note, verifier: Verifier) -> Signature | None:
    """The note's signature by ``verifier`` (same name and key ID), if any."""
    for signature in note.signatures:
        if signature.name == verifier.name and signature.id == verifier.id:
            return signature
    return None
