"""A witness run by an organisation against a remote Mamar, over HTTP, with its own state.

One round: fetch the log's latest checkpoint, check the log's signature with the
log key the witness trusts, check a consistency proof from the last checkpoint this
witness cosigned, record the new size and root in the state file, then cosign and
send the cosignature. The state file is written (atomically) before the signature
leaves, so a witness never signs two different roots for one size, nor a smaller
size, whatever the log or the network does. A log that rolls back or forks is
refused with the evidence of it left in the state file.

No database; the HTTP client is the standard library's.
"""

from __future__ import annotations

import base64
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mamar.evidence.checkpoint import cosign, open_checkpoint
from mamar.evidence.note import NoteError, Signer, Verifier, parse_verifier
from mamar.i18n.said import Said
from mamar.journal import merkle
from mamar.web.i18n import N_


class WitnessRefusal(Exception):
    """The log showed something a witness must not sign; ``code`` names what, ``said`` says
    it in any language (a catalogue message with its particulars; ``str`` is its English)."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        self.said = Said(message, params)
        super().__init__(str(self.said))
        self.code = code


@dataclass(frozen=True)
class WitnessState:
    """What the witness last cosigned, and which log it watches."""

    log_key: str
    size: int = 0
    root: str = base64.b64encode(merkle.EMPTY_ROOT).decode()

    def save(self, path: Path) -> None:
        text = json.dumps(self.__dict__, indent=2) + "\n"
        temporary = path.with_name(path.name + ".new")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> WitnessState:
        return cls(**json.loads(path.read_text()))


Fetch = Callable[[str, str, dict[str, Any] | None], tuple[int, bytes]]


def http(base_url: str, token: str, lang: str = "en") -> Fetch:
    """Requests to a Mamar API at ``base_url`` with a bearer token; its refusals are said in
    ``lang``."""

    def fetch(method: str, path: str, body: dict[str, Any] | None) -> tuple[int, bytes]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            base_url.rstrip("/") + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept-Language": lang,
                **({"Content-Type": "application/json"} if data is not None else {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    return fetch


@dataclass(frozen=True)
class Round:
    size: int
    previous: int
    cosigned: bool


def _server_says(body: bytes) -> str:
    """The server's own words for its refusal (in the language asked of it), if any."""
    try:
        return str(json.loads(body)["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return ""


def _get(fetch: Fetch, path: str) -> bytes:
    status, body = fetch("GET", path, None)
    if status != 200:
        raise WitnessRefusal(
            "log_unreachable",
            N_("the server answered %(path)s with the status %(status)s"),
            path=path,
            status=status,
        )
    return body


def witness_once(fetch: Fetch, signer: Signer, state_path: Path, now: int | None = None) -> Round:
    """One round of witnessing (see the module's docstring)."""
    state = WitnessState.load(state_path)
    log_key: Verifier = parse_verifier(state.log_key)
    try:
        checkpoint, note = open_checkpoint(_get(fetch, "/api/v1/checkpoint").decode(), log_key)
    except NoteError as error:
        raise WitnessRefusal(
            "bad_checkpoint", N_("the log's checkpoint is refused: %(reason)s"), reason=error.said
        ) from None
    old_root = base64.b64decode(state.root)
    if checkpoint.size < state.size:
        raise WitnessRefusal(
            "rolled_back",
            N_(
                "the log went back: its size is %(size)s, but this witness cosigned size %(cosigned)s"
            ),
            size=checkpoint.size,
            cosigned=state.size,
        )
    if checkpoint.size == state.size and checkpoint.root != old_root:
        raise WitnessRefusal(
            "forked",
            N_("the log shows another root for size %(size)s than the one this witness cosigned"),
            size=state.size,
        )
    if checkpoint.size > state.size:
        answer = json.loads(
            _get(fetch, f"/api/v1/proof/consistency?first={state.size}&second={checkpoint.size}")
        )
        proof = [base64.b64decode(h) for h in answer["hashes"]]
        try:
            merkle.verify_consistency(state.size, checkpoint.size, old_root, checkpoint.root, proof)
        except merkle.ProofError:
            raise WitnessRefusal(
                "inconsistent",
                N_("the log's checkpoint does not extend the one this witness cosigned"),
            ) from None
    # Remember before signing: the signature never leaves ahead of the state.
    WitnessState(state.log_key, checkpoint.size, base64.b64encode(checkpoint.root).decode()).save(
        state_path
    )
    signature = cosign(note.text, signer, int(time.time()) if now is None else now)
    status, answered = fetch(
        "POST",
        "/api/v1/witness/cosignature",
        {"size": checkpoint.size, "cosignature": signature.line().rstrip("\n")},
    )
    if status != 200:
        reason = _server_says(answered)
        if reason:
            raise WitnessRefusal(
                "not_accepted", N_("the log refused the cosignature: %(reason)s"), reason=reason
            )
        raise WitnessRefusal(
            "not_accepted", N_("the log refused the cosignature (status %(status)s)"), status=status
        )
    return Round(checkpoint.size, state.size, True)
