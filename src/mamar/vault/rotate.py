"""Key rotation: every live vault record re-encrypted under a new key, in one transaction."""

from __future__ import annotations

from sqlalchemy import Connection

from mamar.vault.store import Vault


def rotate(conn: Connection, old: Vault, new: Vault) -> int:
    """Re-encrypt every live record from ``old`` to ``new``; returns how many.

    Decrypting under the old key fails loudly on any tampered record, and the
    caller's transaction then leaves every record as it was.
    """
    refs = old.live_refs(conn)
    for ref in refs:
        record = old.get_sealed(conn, ref)
        if record is not None:
            new.reseal(conn, ref, record)
    return len(refs)
