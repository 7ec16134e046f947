"""Witnesses: cosigning through the API after a consistency proof, and refusing forks.

The command-line witness runs against a real server over HTTP; the refusals use
the same witness code over the in-process client (the transport is not what they test).
"""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from mamar.cli import app
from mamar.config import Settings
from mamar.domain.errors import DomainError
from mamar.domain.visibility import Role
from mamar.evidence import log, witnesses
from mamar.evidence.checkpoint import open_checkpoint, verify_cosignature
from mamar.evidence.note import COSIGNATURE_V1, Signer, parse_note
from mamar.evidence.witness_client import WitnessRefusal, WitnessState, witness_once
from mamar.system import Mamar
from tests.api_support import Api, make_api
from tests.arabic_text import LATIN_WORD
from tests.helpers import open_operation, organisation

runner = CliRunner()


def grow_and_sign(system: Mamar, *names: str) -> log.StoredCheckpoint:
    for name in names:
        open_operation(system, name)
    with system.writing() as conn:
        return log.sign_now(conn, log.load_signer(system.settings))


def fetcher(api: Api, role: Role = Role.MONITOR) -> Any:
    def fetch(method: str, path: str, body: dict[str, Any] | None) -> tuple[int, bytes]:
        answer = api.client.request(method, path, json=body, headers=api.headers(role))
        return answer.status_code, answer.content

    return fetch


@pytest.fixture
def witnessed(sqlite_system: Mamar, tmp_path: Path) -> tuple[Api, Signer, Path]:
    api = make_api(sqlite_system)
    organisation(sqlite_system, "icrc", "humanitarian")
    signer = Signer.generate("icrc.example/mamar-witness", COSIGNATURE_V1)
    with sqlite_system.writing() as conn:
        witnesses.add(conn, organisation="icrc", key=signer.verifier.encode())
    state = tmp_path / "witness.json"
    WitnessState(log.load_signer(sqlite_system.settings).verifier.encode()).save(state)
    return api, signer, state


def test_a_witness_belongs_to_a_registered_organisation(sqlite_system: Mamar) -> None:
    key = Signer.generate("nobody.example/w", COSIGNATURE_V1).verifier.encode()
    with pytest.raises(DomainError) as refused, sqlite_system.writing() as conn:
        witnesses.add(conn, organisation="nobody", key=key)
    assert refused.value.code == "unknown_organisation"
    assert refused.value.field == "organisation"


def test_a_witness_cosigns_after_checking_consistency_and_the_log_serves_it(
    witnessed: tuple[Api, Signer, Path],
) -> None:
    api, signer, state = witnessed
    first = grow_and_sign(api.system, "op")
    done = witness_once(fetcher(api), signer, state, now=1_800_000_000)
    assert (done.previous, done.size) == (0, first.size)
    second = grow_and_sign(api.system, "op2", "op3")
    done = witness_once(fetcher(api), signer, state, now=1_800_000_100)
    assert (done.previous, done.size) == (first.size, second.size)
    served = api.client.get("/api/v1/checkpoint", headers=api.headers(Role.OBSERVER)).text
    log_key = log.load_signer(api.system.settings).verifier
    checkpoint, note = open_checkpoint(served, log_key)
    assert checkpoint.size == second.size and len(note.signatures) == 2
    cosignature = next(s for s in note.signatures if s.name == signer.name)
    assert verify_cosignature(note.text, cosignature, signer.verifier) == 1_800_000_100
    assert WitnessState.load(state).size == second.size
    with api.system.reading() as conn:
        assert [w.organisation for w, _ in witnesses.cosigners(conn, second.size)] == ["icrc"]


def test_a_witness_refuses_a_replaced_history_and_signs_nothing(
    witnessed: tuple[Api, Signer, Path], tmp_path: Path
) -> None:
    api, signer, state = witnessed
    grow_and_sign(api.system, "op", "op2")
    witness_once(fetcher(api), signer, state)
    before = state.read_text()
    # The whole database replaced: another history, signed with the same (stolen or
    # colluding) log key, one event longer than the one witnessed.
    replacement = Mamar(
        Settings(log_key_file=api.system.settings.resolve_log_key_file()),
        database_url=f"sqlite:///{tmp_path / 'replaced.db'}",
    )
    replacement.init()
    try:
        other = make_api(replacement)
        organisation(replacement, "icrc", "humanitarian")
        grow_and_sign(replacement, "op", "other", "op3")
        with replacement.writing() as conn:
            witnesses.add(conn, organisation="icrc", key=signer.verifier.encode())
        with pytest.raises(WitnessRefusal) as refused:
            witness_once(fetcher(other), signer, state)
        assert refused.value.code == "inconsistent"
        assert state.read_text() == before
        served = other.client.get("/api/v1/checkpoint", headers=other.headers(Role.OBSERVER))
        assert len(parse_note(served.text).signatures) == 1  # no cosignature was given
    finally:
        replacement.dispose()


def test_a_witness_never_signs_a_smaller_tree_or_another_root_for_its_size(
    witnessed: tuple[Api, Signer, Path],
) -> None:
    api, signer, state = witnessed
    signed = grow_and_sign(api.system, "op", "op2")
    witness_once(fetcher(api), signer, state)
    seen = WitnessState.load(state)
    WitnessState(seen.log_key, seen.size + 5, seen.root).save(state)
    with pytest.raises(WitnessRefusal) as smaller:
        witness_once(fetcher(api), signer, state)
    assert smaller.value.code == "rolled_back"
    said = smaller.value.said("ar")  # the catalogue's sentence, as the command line says it
    assert "عاد السجل إلى الوراء" in said and not LATIN_WORD.search(said), said
    other_root = base64.b64encode(bytes(32)).decode()
    WitnessState(seen.log_key, signed.size, other_root).save(state)
    with pytest.raises(WitnessRefusal) as forked:
        witness_once(fetcher(api), signer, state)
    assert forked.value.code == "forked"
    assert not LATIN_WORD.search(forked.value.said("ar")), forked.value.said("ar")
    stranger = Signer.generate("stranger.example/log")
    WitnessState(stranger.verifier.encode()).save(state)
    with pytest.raises(WitnessRefusal) as unknown:
        witness_once(fetcher(api), signer, state)
    assert unknown.value.code == "bad_checkpoint" and "not signed by the trusted key" in str(
        unknown.value
    )


def test_the_log_refuses_a_cosignature_over_another_root_or_by_an_unknown_witness(
    witnessed: tuple[Api, Signer, Path],
) -> None:
    from mamar.evidence.checkpoint import Checkpoint, cosign

    api, signer, _ = witnessed
    signed = grow_and_sign(api.system, "op")
    origin = log.load_signer(api.system.settings).name
    wrong = Checkpoint(origin, signed.size, bytes(32)).text()
    line = cosign(wrong, signer, 1_800_000_000).line().strip()
    answer = api.client.post(
        "/api/v1/witness/cosignature",
        json={"size": signed.size, "cosignature": line},
        headers=api.headers(Role.MONITOR, lang="ar"),
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "bad_cosignature"
    assert answer.json()["error"]["field"] == "cosignature"
    stranger = Signer.generate("stranger.example/w", COSIGNATURE_V1)
    text = parse_note(signed.note).text
    answer = api.client.post(
        "/api/v1/witness/cosignature",
        json={"size": signed.size, "cosignature": cosign(text, stranger, 1).line().strip()},
        headers=api.headers(Role.MONITOR),
    )
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "unknown_witness"
    read_only = api.client.post(
        "/api/v1/witness/cosignature",
        json={"size": signed.size, "cosignature": line},
        headers=api.headers(Role.MONITOR, write=False),
    )
    assert read_only.status_code == 403
    with api.system.reading() as conn:
        assert witnesses.cosigners(conn, signed.size) == []


def test_only_an_admin_registers_a_witness_key_of_the_cosignature_type(
    sqlite_system: Mamar,
) -> None:
    api = make_api(sqlite_system)
    organisation(sqlite_system, "monitors", "monitor")
    key = Signer.generate("monitor.example/w", COSIGNATURE_V1).verifier.encode()
    body = {"organisation": "monitors", "key": key}
    refused = api.client.post("/api/v1/witnesses", json=body, headers=api.headers(Role.MONITOR))
    assert refused.status_code == 403
    added = api.client.post("/api/v1/witnesses", json=body, headers=api.headers(Role.ADMIN))
    assert added.status_code == 200 and added.json()["organisation"] == "monitors"
    log_type = Signer.generate("monitor.example/x").verifier.encode()
    wrong = api.client.post(
        "/api/v1/witnesses",
        json={"organisation": "monitors", "key": log_type},
        headers=api.headers(Role.ADMIN),
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "key"
    listed = api.client.get("/api/v1/witnesses", headers=api.headers(Role.LIAISON)).json()
    assert [w["key"] for w in listed["items"]] == [key]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(sqlite_system: Mamar) -> Iterator[tuple[Api, str]]:
    api = make_api(sqlite_system)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(api.app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.05)
    try:
        yield api, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def test_mamar_witness_runs_against_a_remote_log_over_http(
    served: tuple[Api, str], tmp_path: Path
) -> None:
    api, url = served
    key_file, state = tmp_path / "w.key", tmp_path / "w.json"
    made = runner.invoke(app, ["witness", "new-key", "guarantor.example/w", "-o", str(key_file)])
    assert made.exit_code == 0, made.output
    public = made.output.strip().splitlines()[-1]
    db = api.system.settings.database_url
    organisation(api.system, "guarantor")
    added = runner.invoke(app, ["witness", "add", "guarantor", public, "-d", db])
    assert added.exit_code == 0, added.output
    log_key = runner.invoke(app, ["checkpoint", "public-key", "-d", db]).output.strip()
    started = runner.invoke(app, ["witness", "init", "--log-key", log_key, "--state", str(state)])
    assert started.exit_code == 0, started.output
    signed = grow_and_sign(api.system, "op")
    token = api.tokens[Role.MONITOR]
    args = ["witness", "run", "--url", url, "--token", token, "--key", str(key_file)]
    result = runner.invoke(app, [*args, "--state", str(state)])
    assert result.exit_code == 0, result.output
    assert f"Cosigned the checkpoint of {signed.size} events" in result.output
    assert json.loads(state.read_text())["size"] == signed.size
    shown = runner.invoke(app, ["checkpoint", "show", "-d", db]).output
    assert "— guarantor.example/w " in shown
