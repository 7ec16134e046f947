"""Encrypted personal records (AES-256-GCM), each under its own data key.

Events only ever carry the opaque reference. Each record is encrypted under a
random data key of its own, bound to its reference; that key is stored wrapped
(encrypted) under the master key. Erasing a record destroys its wrapped key and
its ciphertext (crypto-shredding): no copy of the database made afterwards holds
anything the master key can open, and the journal, which never held the data,
still verifies. On SQLite, ``secure_delete`` overwrites the freed bytes and the
write-ahead log is emptied after an erasure (``Mamar.writing``), so the old page
images do not linger there either.

Records written before data keys existed (encrypted directly under the master
key) are read as they are and moved to keys of their own by :meth:`Vault.migrate`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, delete, select, update

from mamar.db.raw import insert_statement
from mamar.db.tables import vault_entries, vault_terms
from mamar.domain.ids import new_id
from mamar.domain.time import now_utc, utc_key

_NONCE = 12
# Bound into each wrapped key, so a wrapped key cannot be moved to another record.
_WRAP_LABEL = b"mamar vault data key\x00"
# The key of the search index is derived from the master key under its own label.
_INDEX_LABEL = b"mamar vault search index\x00"
# Where a record's search terms are kept inside its encrypted payload.
_TERMS = "__terms__"
# The references of the records that belong to a record (a person's photo): erased with it.
_LINKED = "__linked__"

_INSERT_ENTRIES = insert_statement(
    "vault_entries", ("ref", "created_at", "nonce", "ciphertext", "wrapped_key", "key_id")
)
_INSERT_TERMS = insert_statement("vault_terms", ("ref", "term", "field", "subject", "operation"))

#: A search term of a record: which part it is of (one letter), and its folded text.
Term = tuple[str, str]


class VaultError(Exception):
    pass


@dataclass(frozen=True)
class Sealing:
    """A record to store (:meth:`Vault.put_many`): its search terms and linked records."""

    record: dict[str, Any]
    terms: tuple[Term, ...] = ()
    linked: tuple[str, ...] = ()


def parse_key(text: str) -> bytes:
    """A vault key is 32 random bytes, written as URL-safe base64."""
    try:
        key = base64.urlsafe_b64decode(text.strip().encode())
    except ValueError as exc:
        raise VaultError("the vault key is not valid base64") from exc
    if len(key) != 32:
        raise VaultError("the vault key must be 32 bytes (256 bits), base64-encoded")
    return key


def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _seal(key: bytes, plain: bytes, bound: bytes) -> tuple[bytes, bytes]:
    nonce = os.urandom(_NONCE)
    return nonce, AESGCM(key).encrypt(nonce, plain, bound)


class Vault:
    def __init__(self, key: bytes) -> None:
        self._master = AESGCM(key)
        self.key_id = hashlib.sha256(key).hexdigest()[:16]
        self._index_key = hmac.new(key, _INDEX_LABEL, hashlib.sha256).digest()
        # Set by an erasure; the writer empties SQLite's WAL once the erasure is committed.
        self.shredded = False

    # --- Data keys, wrapped by the master key. ---

    def _wrap(self, ref: str, data_key: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._master.encrypt(nonce, data_key, _WRAP_LABEL + ref.encode())

    def _unwrap(self, ref: str, wrapped: bytes) -> bytes:
        return self._master.decrypt(wrapped[:_NONCE], wrapped[_NONCE:], _WRAP_LABEL + ref.encode())

    def _values(self, ref: str, record: dict[str, Any]) -> dict[str, Any]:
        data_key = AESGCM.generate_key(bit_length=256)
        nonce, ciphertext = _seal(data_key, orjson.dumps(record), ref.encode())
        return {
            "nonce": nonce,
            "ciphertext": ciphertext,
            "wrapped_key": self._wrap(ref, data_key),
            "key_id": self.key_id,
        }

    # --- Records. ---

    def put(
        self,
        conn: Connection,
        record: dict[str, Any],
        *,
        terms: Iterable[Term] = (),
        subject: str = "",
        operation: str | None = None,
        linked: Iterable[str] = (),
    ) -> str:
        """Store ``record`` encrypted; ``terms`` go to the search index as keyed hashes,
        naming ``subject`` (the stream the record belongs to). The records ``linked``
        (e.g. a person's photo) are erased when this one is; only this record names them."""
        return self.put_many(
            conn, [Sealing(record, tuple(terms), tuple(linked))], subject, operation
        )[0]

    def put_many(
        self,
        conn: Connection,
        records: Sequence[Sealing],
        subject: str = "",
        operation: str | None = None,
    ) -> list[str]:
        """:meth:`put` of several records of one ``subject`` (a family), in two statements."""
        created = utc_key(now_utc())
        refs: list[str] = []
        entries: list[dict[str, Any]] = []
        index: list[dict[str, Any]] = []
        for sealing in records:
            ref = new_id()
            refs.append(ref)
            terms = [(field, text) for field, text in sealing.terms if text]
            # The terms travel encrypted with the record, so a new key can index them again.
            payload = {**sealing.record, _TERMS: terms} if terms else sealing.record
            if sealing.linked:
                payload = {**payload, _LINKED: list(sealing.linked)}
            entries.append({"ref": ref, "created_at": created, **self._values(ref, payload)})
            index.extend(self._term_rows(ref, terms, subject, operation))
        # On the driver connection (``db.raw``), in the caller's transaction: SQLAlchemy's
        # execution cost more than the two inserts themselves (a person registered is
        # sealed one at a time).
        if entries:
            _INSERT_ENTRIES.many(conn, entries)
        if index:
            _INSERT_TERMS.many(conn, index)
        return refs

    def _term_rows(
        self, ref: str, terms: Iterable[Term], subject: str, operation: str | None
    ) -> list[dict[str, Any]]:
        rows = {self.term_key(field, text): field for field, text in terms}
        return [
            {"ref": ref, "term": k, "field": f, "subject": subject, "operation": operation}
            for k, f in rows.items()
        ]

    def _index(
        self,
        conn: Connection,
        ref: str,
        terms: Iterable[Term],
        subject: str,
        operation: str | None,
    ) -> None:
        rows = self._term_rows(ref, terms, subject, operation)
        if rows:
            _INSERT_TERMS.many(conn, rows)

    def term_key(self, field: str, text: str) -> str:
        """A search term as the index holds it: testable only with the vault key."""
        # hmac.digest: the one-shot form (no HMAC object), the same value as hmac.new(…).
        return hmac.digest(self._index_key, f"{field}:{text}".encode(), "sha256").hex()[:32]

    def get(self, conn: Connection, ref: str) -> dict[str, Any] | None:
        """The decrypted record, or None if it was erased. Fails loudly if tampered with."""
        row = conn.execute(select(vault_entries).where(vault_entries.c.ref == ref)).first()
        if row is None:
            raise VaultError(f"no vault record '{ref}'")
        if row.ciphertext is None:
            return None
        value = self._payload(row)
        value.pop(_TERMS, None)
        value.pop(_LINKED, None)
        return value

    def _payload(self, row: Any) -> dict[str, Any]:
        ref = str(row.ref)
        nonce, ciphertext = bytes(row.nonce), bytes(row.ciphertext)
        if row.wrapped_key is None:
            # Written before data keys: encrypted under the master key itself.
            plain = self._master.decrypt(nonce, ciphertext, ref.encode())
        else:
            data_key = self._unwrap(ref, bytes(row.wrapped_key))
            plain = AESGCM(data_key).decrypt(nonce, ciphertext, ref.encode())
        value: dict[str, Any] = orjson.loads(plain)
        return value

    def get_many(self, conn: Connection, refs: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        """:meth:`get` of several records in one read (None: erased); fails loudly if one
        is missing or tampered with."""
        wanted = sorted(set(refs))
        rows = {
            r.ref: r
            for r in conn.execute(select(vault_entries).where(vault_entries.c.ref.in_(wanted)))
        }
        out: dict[str, dict[str, Any] | None] = {}
        for ref in wanted:
            row = rows.get(ref)
            if row is None:
                raise VaultError(f"no vault record '{ref}'")
            value = None if row.ciphertext is None else self._payload(row)
            if value is not None:
                value.pop(_TERMS, None)
                value.pop(_LINKED, None)
            out[ref] = value
        return out

    def get_sealed(self, conn: Connection, ref: str) -> dict[str, Any] | None:
        """The record with its search terms (for re-encrypting it under a new key)."""
        row = conn.execute(select(vault_entries).where(vault_entries.c.ref == ref)).first()
        if row is None or row.ciphertext is None:
            return None
        return self._payload(row)

    def _linked(self, conn: Connection, ref: str) -> list[str]:
        row = conn.execute(select(vault_entries).where(vault_entries.c.ref == ref)).first()
        if row is None or row.ciphertext is None:
            return []
        try:
            links = self._payload(row).get(_LINKED) or []
        except InvalidTag:  # another installation's key: nothing of it can be read here
            return []
        return [str(x) for x in links]

    def erase(self, conn: Connection, ref: str) -> None:
        """Destroy the record's data key and ciphertext, and those of the records linked
        to it (a person's photo); nothing can decrypt them again."""
        for other in self._linked(conn, ref):
            self.erase(conn, other)
        conn.execute(
            update(vault_entries)
            .where(vault_entries.c.ref == ref)
            .values(ciphertext=None, nonce=None, wrapped_key=None, erased_at=utc_key(now_utc()))
        )
        conn.execute(delete(vault_terms).where(vault_terms.c.ref == ref))
        self.shredded = True

    def live_refs(self, conn: Connection) -> list[str]:
        """References of every record not erased."""
        rows = conn.execute(
            select(vault_entries.c.ref)
            .where(vault_entries.c.ciphertext.is_not(None))
            .order_by(vault_entries.c.ref)
        )
        return [r.ref for r in rows]

    def reseal(self, conn: Connection, ref: str, record: dict[str, Any]) -> None:
        """Encrypt ``record`` again under a fresh data key wrapped by this vault's key
        (its search terms, if it carries them, are indexed again under this key)."""
        conn.execute(
            update(vault_entries)
            .where(vault_entries.c.ref == ref)
            .values(**self._values(ref, record))
        )
        terms = record.get(_TERMS)
        if terms:
            old = conn.execute(
                select(vault_terms.c.subject, vault_terms.c.operation)
                .where(vault_terms.c.ref == ref)
                .limit(1)
            ).first()
            conn.execute(delete(vault_terms).where(vault_terms.c.ref == ref))
            if old is not None:
                self._index(conn, ref, [(f, t) for f, t in terms], old.subject, old.operation)

    def migrate(self, conn: Connection) -> int:
        """Move records written before data keys to keys of their own; returns how many.

        A record this vault's key cannot open (another installation's key) is left as it
        is and reported by :meth:`get` when read.
        """
        rows = conn.execute(
            select(vault_entries.c.ref).where(
                vault_entries.c.ciphertext.is_not(None), vault_entries.c.wrapped_key.is_(None)
            )
        ).all()
        moved = 0
        for (ref,) in rows:
            try:
                record = self.get(conn, ref)
            except InvalidTag:
                continue
            if record is not None:
                self.reseal(conn, ref, record)
                moved += 1
        if moved:
            # The old ciphertexts were under the master key: empty the WAL of them too.
            self.shredded = True
        return moved

    def take_shredded(self) -> bool:
        """Whether something was erased since the last call (and forget it)."""
        shredded, self.shredded = self.shredded, False
        return shredded
