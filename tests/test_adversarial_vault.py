"""Adversarial: erased means gone.

After an erasure, no byte of the database, its write-ahead log or its shared-memory
file holds the record or its ciphertext, and no key the system holds opens any
ciphertext it ever stored for it. Records written before data keys existed are
migrated, stay readable, and can be erased the same way.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select

from mamar.config import Settings
from mamar.db.tables import vault_entries
from mamar.journal.verify import verify
from mamar.persons.commands import ErasePerson, RegisterPerson
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from mamar.vault.store import Vault, generate_key, parse_key
from tests.helpers import open_operation

MARK = "GONEMARK-7f3a الاسم المحذوف"
KEPT = "KEPTMARK-91c2 الاسم الباقي"
FIXTURE = Path(__file__).parent / "data" / "vault-before-data-keys.db"
# The vault key the fixture was written with (by the code before data keys, revision 0007).
FIXTURE_KEY = "dGhpcyBpcyBhIHRlc3Qga2V5IG9mIDMyIGJ5dGVzISE="


def _files(database: Path) -> dict[str, bytes]:
    """Every byte an attacker copying the database directory would get."""
    found = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = database.with_name(database.name + suffix)
        if path.exists():
            found[path.name] = path.read_bytes()
    return found


def _rows(system: Mamar) -> dict[str, Any]:
    with system.reading() as conn:
        return {r.ref: r for r in conn.execute(select(vault_entries))}


def _every_key(system: Mamar, key: bytes) -> list[bytes]:
    """The master key and every data key it unwraps: all the keys the system holds."""
    keys = [key]
    for ref, row in _rows(system).items():
        if row._mapping.get("wrapped_key") is not None:
            wrapped = bytes(row.wrapped_key)
            label = b"mamar vault data key\x00" + ref.encode()
            keys.append(AESGCM(key).decrypt(wrapped[:12], wrapped[12:], label))
    return keys


def _opens(keys: list[bytes], nonce: bytes, ciphertext: bytes, ref: str) -> bool:
    for candidate in keys:
        try:
            AESGCM(candidate).decrypt(nonce, ciphertext, ref.encode())
        except InvalidTag:
            continue
        return True
    return False


def _register(system: Mamar, person: str, name: str) -> str:
    system.execute(
        RegisterPerson(
            id=person, operation="op", personal={"full_name": name, "phones": ["+963 944 000"]}
        ),
        actor=SYSTEM,
    )
    with system.reading() as conn:
        from mamar.journal import store

        ref: str = store.read_stream(conn, f"person:{person}")[0].data["vault_ref"]
    return ref


def _erase_and_search(system: Mamar, key: bytes, database: Path | None) -> None:
    open_operation(system)
    gone = _register(system, "gone", MARK)
    _register(system, "kept", KEPT)
    before = _rows(system)[gone]
    wrapped = before._mapping.get("wrapped_key")
    stored = [bytes(before.ciphertext)] + ([bytes(wrapped)] if wrapped is not None else [])
    system.execute(ErasePerson(id="gone"), actor=SYSTEM)

    rows = _rows(system)
    assert rows[gone].ciphertext is None and rows[gone]._mapping.get("wrapped_key") is None
    assert system.vault is not None
    with system.reading() as conn:
        assert system.vault.get(conn, gone) is None
        assert system.vault.get(conn, rows_kept(rows, gone))["full_name"] == KEPT
        assert verify(conn).ok
    # Every ciphertext ever stored for it, and every one still stored: none opens with
    # any key the system holds (the master key, every data key it can unwrap).
    keys = _every_key(system, key)
    assert not _opens(keys, bytes(before.nonce), stored[0], gone)
    for ref, row in rows.items():
        if row.ciphertext is None:
            continue
        for candidate in keys:
            try:
                plain = AESGCM(candidate).decrypt(
                    bytes(row.nonce), bytes(row.ciphertext), ref.encode()
                )
            except InvalidTag:
                continue
            assert MARK.encode() not in plain
    if database is None:
        return
    files = _files(database)
    assert files, "the database files are where the test looks"
    for name, content in files.items():
        for needle in (MARK.encode(), "المحذوف".encode(), *stored):
            assert needle not in content, f"{name} still holds erased data"
    # The record that was kept is there, but only encrypted.
    assert not any(KEPT.encode() in content for content in files.values())


def rows_kept(rows: dict[str, Any], gone: str) -> str:
    return next(ref for ref, row in rows.items() if ref != gone and row.ciphertext is not None)


def test_erased_record_is_in_no_byte_of_the_database_files(tmp_path: Path) -> None:
    key = generate_key()
    database = tmp_path / "mamar.db"
    system = Mamar(Settings(database_url=f"sqlite:///{database}", vault_key=key))
    system.init()
    try:
        _erase_and_search(system, parse_key(key), database)
    finally:
        system.dispose()


def test_erased_record_cannot_be_decrypted_on_postgresql(postgres_url: str) -> None:
    key = generate_key()
    system = Mamar(Settings(database_url=postgres_url, vault_key=key))
    system.init()
    try:
        _erase_and_search(system, parse_key(key), None)
    finally:
        system.dispose()


def test_each_record_has_its_own_data_key(sqlite_system: Mamar) -> None:
    open_operation(sqlite_system)
    first = _register(sqlite_system, "a", "A")
    second = _register(sqlite_system, "b", "B")
    rows = _rows(sqlite_system)
    # A wrapped key is bound to its record: moved to another record, it opens nothing.
    with sqlite_system.writing() as conn:
        conn.execute(
            vault_entries.update()
            .where(vault_entries.c.ref == second)
            .values(wrapped_key=rows[first].wrapped_key)
        )
    assert sqlite_system.vault is not None
    with sqlite_system.reading() as conn, pytest.raises(InvalidTag):
        sqlite_system.vault.get(conn, second)


def _fixture(tmp_path: Path) -> Path:
    database = tmp_path / "old.db"
    shutil.copy(FIXTURE, database)
    return database


def test_records_written_before_data_keys_are_migrated_and_erasable(tmp_path: Path) -> None:
    database = _fixture(tmp_path)
    legacy = {r[0]: bytes(r[1]) for r in _legacy_rows(database)}
    assert legacy, "the fixture holds a record under the master key itself"
    system = Mamar(Settings(database_url=f"sqlite:///{database}", vault_key=FIXTURE_KEY))
    system.init()
    try:
        rows = _rows(system)
        assert all(r.wrapped_key is not None for r in rows.values() if r.ciphertext is not None)
        assert system.vault is not None
        with system.reading() as conn:
            assert verify(conn).ok
            (ref,) = legacy
            record = system.vault.get(conn, ref)
            assert record is not None and record["full_name"] == "Kept Person KEPTMARK"
        # The ciphertext under the master key is gone from every file.
        for name, content in _files(database).items():
            assert legacy[ref] not in content, f"{name} still holds the pre-migration ciphertext"
        system.execute(ErasePerson(id="kept"), actor=SYSTEM)
        with system.reading() as conn:
            assert system.vault.get(conn, ref) is None
            assert verify(conn).ok
        for content in _files(database).values():
            assert bytes(rows[ref].ciphertext) not in content
    finally:
        system.dispose()


def _legacy_rows(database: Path) -> list[tuple[str, bytes]]:
    import sqlite3

    with sqlite3.connect(database) as conn:
        return list(
            conn.execute("SELECT ref, ciphertext FROM vault_entries WHERE ciphertext IS NOT NULL")
        )


def test_rotation_rewraps_and_old_key_opens_nothing(sqlite_system: Mamar) -> None:
    from mamar.vault.rotate import rotate

    open_operation(sqlite_system)
    ref = _register(sqlite_system, "a", "Rotated")
    assert sqlite_system.vault is not None
    old = sqlite_system.vault
    fresh = Vault(parse_key(generate_key()))
    with sqlite_system.writing() as conn:
        assert rotate(conn, old, fresh) == 1
    with sqlite_system.reading() as conn:
        record = fresh.get(conn, ref)
        assert record is not None and record["full_name"] == "Rotated"
        with pytest.raises(InvalidTag):
            old.get(conn, ref)


# --- Where the key lives. ---


def _production(tmp_path: Path, key_file: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'data' / 'mamar.db'}",
        environment="production",
        secret_key="s" * 40,
        vault_key_file=key_file,
    )


def _key_file(path: Path, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generate_key())
    os.chmod(path, mode)
    return path


def test_production_refuses_a_key_stored_beside_the_database(tmp_path: Path) -> None:
    beside = _key_file(tmp_path / "data" / "mamar.db.vault.key")
    with pytest.raises(ValueError, match="database's directory"):
        _production(tmp_path, beside)


def test_production_refuses_a_key_file_others_can_read(tmp_path: Path) -> None:
    loose = _key_file(tmp_path / "keys" / "vault.key", 0o644)
    with pytest.raises(ValueError, match="chmod 600"):
        _production(tmp_path, loose)


def test_production_takes_a_key_file_kept_elsewhere(tmp_path: Path) -> None:
    kept = _key_file(tmp_path / "keys" / "vault.key")
    settings = _production(tmp_path, kept)
    assert settings.resolve_vault_key() == kept.read_text().strip()
