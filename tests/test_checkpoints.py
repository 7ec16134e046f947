"""Signed checkpoints: C2SP signed notes and cosignatures, the installation's key, the API.

Known answers come from the Go ``golang.org/x/mod/sumdb/note`` documentation and
the transparency-dev/formats tests (keys, a signature, a cosignature timestamp).
"""

from __future__ import annotations

import base64
import hashlib
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from typer.testing import CliRunner

from mamar.cli import app
from mamar.config import Settings
from mamar.domain.visibility import Role
from mamar.evidence import log
from mamar.evidence.checkpoint import (
    Checkpoint,
    cosign,
    open_checkpoint,
    parse_checkpoint,
    verify_cosignature,
)
from mamar.evidence.note import (
    COSIGNATURE_V1,
    Note,
    NoteError,
    Signer,
    parse_note,
    parse_signer,
    parse_verifier,
    sign_text,
    verify_signature,
)
from mamar.journal import merkle, store, tree
from mamar.system import Mamar
from tests.api_support import make_api
from tests.helpers import open_operation

runner = CliRunner()
MINI = str(Path(__file__).parent / "scenarios" / "mini.yaml")

GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKv"
    "qfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_a_note_signed_as_go_signs_it_byte_for_byte() -> None:
    signer = parse_signer(GO_SIGNER)
    assert signer.verifier.encode() == GO_VERIFIER
    assert Note(GO_TEXT, (sign_text(GO_TEXT, signer),)).encode() == GO_NOTE
    note = parse_note(GO_NOTE)
    verify_signature(note.text, note.signatures[0], parse_verifier(GO_VERIFIER))


def test_key_ids_are_the_c2sp_ones() -> None:
    verifier = parse_verifier(GO_VERIFIER)
    expected = hashlib.sha256(b"PeterNeumann\n\x01" + verifier.public).digest()[:4]
    assert verifier.id == expected == bytes.fromhex("c74f20a3")
    # Verifier keys of type 0x04 and with a '+' in their base64 (transparency-dev/formats).
    assert (
        parse_verifier("remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2").kind
        == COSIGNATURE_V1
    )
    assert (
        parse_verifier("TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6").name == "TEST"
    )


@pytest.mark.parametrize(
    "key",
    [
        "PeterNeumann+00000000+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+THIS_IS_NOT_BASE64!",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3",
        "rekor.sigstore.dev+12345678+AwEB",
    ],
)
def test_a_malformed_or_mismatched_key_is_refused(key: str) -> None:
    with pytest.raises(NoteError):
        parse_verifier(key)


def test_a_cosignature_timestamp_is_read_from_its_line() -> None:
    raw = base64.b64decode(
        "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA=="
    )
    assert int.from_bytes(raw[4:12], "big") == 1727964367


def test_a_checkpoint_round_trips_and_an_unknown_key_is_refused() -> None:
    log_key = Signer.generate("example.org/log")
    checkpoint = Checkpoint("example.org/log", 5, merkle.EMPTY_ROOT)
    encoded = Note(checkpoint.text(), (sign_text(checkpoint.text(), log_key),)).encode()
    assert encoded.startswith(
        f"example.org/log\n5\n{base64.b64encode(merkle.EMPTY_ROOT).decode()}\n\n— "
    )
    assert open_checkpoint(encoded, log_key.verifier)[0] == checkpoint
    stranger = Signer.generate("example.org/log")
    with pytest.raises(NoteError) as refused:
        open_checkpoint(encoded, stranger.verifier)
    assert refused.value.code == "unknown_key"
    forged = encoded.replace("\n5\n", "\n6\n")
    with pytest.raises(NoteError) as bad:
        open_checkpoint(forged, log_key.verifier)
    assert bad.value.code == "bad_signature"
    for text in ("a\n01\nAAAA\n", "a\n5\n", "a\n5\nnot base64!\n", "a\n-1\n" + "A" * 44 + "\n"):
        with pytest.raises(NoteError):
            parse_checkpoint(text)


def test_a_cosignature_over_a_different_root_does_not_verify() -> None:
    witness = Signer.generate("icrc.example/witness", COSIGNATURE_V1)
    one = Checkpoint("example.org/log", 5, hashlib.sha256(b"one").digest()).text()
    two = Checkpoint("example.org/log", 5, hashlib.sha256(b"two").digest()).text()
    signature = cosign(one, witness, 1_700_000_000)
    assert verify_cosignature(one, signature, witness.verifier) == 1_700_000_000
    with pytest.raises(NoteError) as refused:
        verify_cosignature(two, signature, witness.verifier)
    assert refused.value.code == "bad_signature"
    # The signed message is exactly the spec's: header, time line, checkpoint text.
    message = f"cosignature/v1\ntime 1700000000\n{one}".encode()
    key = Ed25519PublicKey.from_public_bytes(witness.verifier.public)
    key.verify(signature.value[8:], message)
    assert signature.value[:8] == (1_700_000_000).to_bytes(8, "big")


def test_checkpoint_sign_keeps_a_signed_note_of_the_tree_and_the_key_is_private(
    sqlite_system: Mamar,
) -> None:
    url = sqlite_system.settings.database_url
    assert runner.invoke(app, ["scenario", "run", MINI, "-d", url]).exit_code == 0
    signed = runner.invoke(app, ["checkpoint", "sign", "-d", url])
    assert signed.exit_code == 0, signed.output
    key_file = sqlite_system.settings.resolve_log_key_file()
    assert key_file is not None and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    public = runner.invoke(app, ["checkpoint", "public-key", "-d", url]).output.strip()
    checkpoint, _ = open_checkpoint(signed.output, parse_verifier(public))
    with sqlite_system.reading() as conn:
        assert (checkpoint.size, checkpoint.root) == tuple(tree.tree_head(conn).__dict__.values())
        assert checkpoint.size == store.head(conn)[0] == 8
    again = runner.invoke(app, ["checkpoint", "sign", "-d", url])
    assert again.output == signed.output  # nothing new: the same checkpoint
    assert runner.invoke(app, ["checkpoint", "show", "8", "-d", url]).output == signed.output


def test_a_log_never_signs_a_tree_that_does_not_extend_its_last_checkpoint(
    sqlite_system: Mamar,
) -> None:
    open_operation(sqlite_system)
    open_operation(sqlite_system, "op2")
    signer = log.load_signer(sqlite_system.settings)
    with sqlite_system.writing() as conn:
        assert log.sign_now(conn, signer).size == 2
    open_operation(sqlite_system, "op3")
    with sqlite_system.writing() as conn:  # someone rewrites the node over the first two
        conn.exec_driver_sql("UPDATE merkle_nodes SET hash = zeroblob(32) WHERE id = 1")
    with pytest.raises(NoteError, match="no longer extends"), sqlite_system.writing() as conn:
        log.sign_now(conn, signer)


def test_new_key_writes_a_private_file_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "log.key"
    made = runner.invoke(app, ["checkpoint", "new-key", "mamar.example/aleppo", "-o", str(target)])
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert parse_signer(target.read_text()).name == "mamar.example/aleppo"
    again = runner.invoke(app, ["checkpoint", "new-key", "mamar.example/aleppo", "-o", str(target)])
    assert again.exit_code != 0 and "never overwritten" in again.output


def test_the_api_serves_checkpoints_and_proofs_that_verify(system: Mamar) -> None:
    api = make_api(system)
    headers = api.headers(Role.OBSERVER)
    assert api.client.get("/api/v1/checkpoint", headers=headers).status_code == 404
    open_operation(system)
    for n in range(2, 7):
        open_operation(system, f"op{n}")
    signer = log.load_signer(system.settings)
    with system.writing() as conn:
        first = log.sign_now(conn, signer)
    open_operation(system, "op9")
    with system.writing() as conn:
        log.sign_now(conn, signer)
    latest = api.client.get("/api/v1/checkpoint", headers=headers)
    assert latest.status_code == 200 and latest.headers["content-type"].startswith("text/plain")
    checkpoint, _ = open_checkpoint(latest.text, signer.verifier)
    old = api.client.get(f"/api/v1/checkpoint/{first.size}", headers=headers).text
    before, _ = open_checkpoint(old, signer.verifier)
    one, two = before.size, checkpoint.size
    assert two == one + 1
    proof = api.client.get(
        "/api/v1/proof/consistency", params={"first": one, "second": two}, headers=headers
    ).json()
    hashes = [base64.b64decode(h) for h in proof["hashes"]]
    merkle.verify_consistency(one, two, before.root, checkpoint.root, hashes)
    with system.reading() as conn:
        bodies = [e.body for e in store.read_all(conn)]
    for index in range(two):
        answer = api.client.get(
            "/api/v1/proof/inclusion", params={"index": index, "size": two}, headers=headers
        ).json()
        path = [base64.b64decode(h) for h in answer["hashes"]]
        merkle.verify_inclusion(merkle.leaf_hash(bodies[index]), index, two, path, checkpoint.root)
    beyond = api.client.get(
        "/api/v1/proof/inclusion", params={"index": 0, "size": 999}, headers=headers
    )
    assert beyond.status_code == 422 and beyond.json()["error"]["field"] == "size"
    arabic = api.client.get(
        "/api/v1/proof/consistency",
        params={"first": two, "second": one},
        headers=api.headers(Role.OBSERVER, lang="ar"),
    )
    assert (
        arabic.status_code == 422
        and arabic.json()["error"]["message"] == "الحجم الأول أكبر من الثاني"
    )
    assert api.client.get("/api/v1/checkpoint/abc", headers=headers).status_code == 404
    assert api.client.get("/api/v1/checkpoint").status_code == 401


def test_the_schedule_signs_only_when_the_journal_grew(sqlite_system: Mamar) -> None:
    open_operation(sqlite_system)
    checkpointer = log.Checkpointer(sqlite_system, interval=0.05)
    checkpointer.tick()
    with sqlite_system.reading() as conn:
        first = log.latest(conn)
    assert first is not None and first.size == 1
    checkpointer.tick()
    with sqlite_system.reading() as conn:
        assert log.latest(conn) == first
    open_operation(sqlite_system, "op2")
    checkpointer.start()
    try:
        for _ in range(200):
            with sqlite_system.reading() as conn:
                now = log.latest(conn)
            if now is not None and now.size == 2:
                break
            checkpointer.stopped.wait(0.05)
    finally:
        checkpointer.stop()
    assert now is not None and now.size == 2


def test_outside_development_the_key_file_must_be_named_and_private(tmp_path: Path) -> None:
    secrets_ = {"vault_key": "x" * 43, "secret_key": "y" * 32}
    production = Settings(environment="production", **secrets_)
    with pytest.raises(log.NoSigningKey, match="MAMAR_LOG_KEY_FILE"):
        log.load_signer(production)
    key = tmp_path / "log.key"
    log.create_key(key, "mamar.example/aleppo")
    named = Settings(environment="production", log_key_file=key, **secrets_)
    assert log.load_signer(named).name == "mamar.example/aleppo"
    key.chmod(0o644)
    with pytest.raises(log.NoSigningKey, match="chmod 600"):
        log.load_signer(named)
    missing = Settings(environment="production", log_key_file=tmp_path / "none.key", **secrets_)
    with pytest.raises(log.NoSigningKey, match="does not exist"):
        log.load_signer(missing)
