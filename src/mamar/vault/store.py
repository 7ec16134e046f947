"""Encrypted personal records (AES-256-GCM), bound to their reference.

Events only ever carry the opaque reference. Erasing a record destroys its
ciphertext; the journal, which never held the data, still verifies.
"""

from __future__ import annotations

import base64
import hashlib
import os
from typing import Any

import orjson
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, insert, select, update

from mamar.db.tables import vault_entries
from mamar.domain.ids import new_id
from mamar.domain.time import now_utc, utc_key


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


class Vault:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)
        self.key_id = hashlib.sha256(key).hexdigest()[:16]

    def put(self, conn: Connection, record: dict[str, Any]) -> str:
        ref = new_id()
        nonce = os.urandom(12)
        ciphertext = self._aead.encrypt(nonce, orjson.dumps(record), ref.encode())
        conn.execute(
            insert(vault_entries).values(
                ref=ref,
                nonce=nonce,
                ciphertext=ciphertext,
                key_id=self.key_id,
                created_at=utc_key(now_utc()),
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
        plain = self._aead.decrypt(bytes(row.nonce), bytes(row.ciphertext), ref.encode())
        value: dict[str, Any] = orjson.loads(plain)
        return value

    def erase(self, conn: Connection, ref: str) -> None:
        conn.execute(
            update(vault_entries)
            .where(vault_entries.c.ref == ref)
            .values(ciphertext=None, nonce=None, erased_at=utc_key(now_utc()))
        )

    def live_refs(self, conn: Connection) -> list[str]:
        """References of every record not erased."""
        rows = conn.execute(
            select(vault_entries.c.ref)
            .where(vault_entries.c.ciphertext.is_not(None))
            .order_by(vault_entries.c.ref)
        )
        return [r.ref for r in rows]

    def reseal(self, conn: Connection, ref: str, record: dict[str, Any]) -> None:
        """Encrypt ``record`` again under this vault's key, keeping its reference."""
        nonce = os.urandom(12)
        ciphertext = self._aead.encrypt(nonce, orjson.dumps(record), ref.encode())
        conn.execute(
            update(vault_entries)
            .where(vault_entries.c.ref == ref)
            .values(nonce=nonce, ciphertext=ciphertext, key_id=self.key_id)
        )
