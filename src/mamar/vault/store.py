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
import os
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, insert, select, update

from mamar.db.tables import vault_entries
from mamar.domain.ids import new_id
from mamar.domain.time import now_utc, utc_key

_NONCE = 12
# Bound into each wrapped key, so a wrapped key cannot be moved to another record.
_WRAP_LABEL = b"mamar vault data key\x00"


class VaultError(Exception):
    pass


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

    def put(self, conn: Connection, record: dict[str, Any]) -> str:
        ref = new_id()
        conn.execute(
            insert(vault_entries).values(
                ref=ref, created_at=utc_key(now_utc()), **self._values(ref, record)
            )
        )
        return ref

    def get(self, conn: Connection, ref: str) -> dict[str, Any] | None:
        """The decrypted record, or None if it was erased. Fails loudly if tampered with."""
        row = conn.execute(select(vault_entries).where(vault_entries.c.ref == ref)).first()
        if row is None:
            raise VaultError(f"no vault record '{ref}'")
        if row.ciphertext is None:
            return None
        nonce, ciphertext = bytes(row.nonce), bytes(row.ciphertext)
        if row.wrapped_key is None:
            # Written before data keys: encrypted under the master key itself.
            plain = self._master.decrypt(nonce, ciphertext, ref.encode())
        else:
            data_key = self._unwrap(ref, bytes(row.wrapped_key))
            plain = AESGCM(data_key).decrypt(nonce, ciphertext, ref.encode())
        value: dict[str, Any] = orjson.loads(plain)
        return value

    def erase(self, conn: Connection, ref: str) -> None:
        """Destroy the record's data key and ciphertext; nothing can decrypt it again."""
        conn.execute(
            update(vault_entries)
            .where(vault_entries.c.ref == ref)
            .values(ciphertext=None, nonce=None, wrapped_key=None, erased_at=utc_key(now_utc()))
        )
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
        """Encrypt ``record`` again under a fresh data key wrapped by this vault's key."""
        conn.execute(
            update(vault_entries)
            .where(vault_entries.c.ref == ref)
            .values(**self._values(ref, record))
        )

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
