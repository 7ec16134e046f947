"""The installation as a transparency log: its signing key, its signed checkpoints.

The key is a C2SP signed-note private key in a file only the service account may
read (0600), like the vault key; its name is the log's origin. Checkpoints are
signed on demand (``mamar checkpoint sign``) and on a schedule while serving, kept
in ``signed_checkpoints``, and served with the witnesses' cosignatures appended.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select

from mamar.config import Settings
from mamar.db.tables import cosignatures, signed_checkpoints
from mamar.domain.time import now_utc, utc_key
from mamar.evidence.checkpoint import Checkpoint, sign_checkpoint
from mamar.evidence.note import ED25519, NoteError, Signer, parse_note, parse_signer
from mamar.i18n.said import Said
from mamar.journal import store, tree
from mamar.system import Mamar
from mamar.web.i18n import N_

_log = logging.getLogger("mamar.evidence")


class NoSigningKey(RuntimeError):
    """No checkpoint signing key is configured (see docs/evidence.md); ``said`` says it in
    any language."""

    def __init__(self, message: str, **params: object) -> None:
        self.said = Said(message, params)
        super().__init__(str(self.said))


def create_key(path: Path, origin: str, kind: int = ED25519) -> Signer:
    """A new Ed25519 key named ``origin``, written to ``path`` (0600); never overwrites."""
    signer = Signer.generate(origin, kind)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(signer.encode() + "\n")
    return signer


def load_signer(settings: Settings) -> Signer:
    """The installation's signing key; in development one is made beside the database."""
    path = settings.resolve_log_key_file()
    if path is None:
        raise NoSigningKey(
            N_(
                "no checkpoint signing key: set MAMAR_LOG_KEY_FILE "
                "(`mamar checkpoint new-key ORIGIN -o FILE` makes one)"
            )
        )
    if not path.exists():
        if settings.log_key_file is not None:
            raise NoSigningKey(
                N_("the checkpoint signing key file %(path)s does not exist"), path=path
            )
        try:
            return create_key(path, f"mamar.local/{secrets.token_hex(4)}")
        except FileExistsError:
            pass  # another process made it first
    if not settings.is_development and path.stat().st_mode & 0o077:
        raise NoSigningKey(
            N_(
                "refusing the checkpoint signing key file %(path)s: others than its owner may "
                "read it (chmod 600 %(path)s)"
            ),
            path=path,
        )
    return parse_signer(path.read_text(encoding="utf-8", errors="replace"))  # not text: no key


@dataclass(frozen=True)
class StoredCheckpoint:
    size: int
    root: bytes
    note: str  # the log's signed note, without cosignatures
    signed_at: str


def _stored(row: Any) -> StoredCheckpoint:
    return StoredCheckpoint(int(row.size), bytes(row.root), str(row.note), str(row.signed_at))


def latest(conn: Connection) -> StoredCheckpoint | None:
    row = conn.execute(
        select(signed_checkpoints).order_by(signed_checkpoints.c.size.desc()).limit(1)
    ).first()
    return _stored(row) if row is not None else None


def at_size(conn: Connection, size: int) -> StoredCheckpoint | None:
    row = conn.execute(select(signed_checkpoints).where(signed_checkpoints.c.size == size)).first()
    return _stored(row) if row is not None else None


def sign_now(conn: Connection, signer: Signer) -> StoredCheckpoint:
    """Sign the tree as it stands (in the caller's writing transaction); keep and return it.

    Refuses if the tree no longer extends the last checkpoint signed: a log must never
    sign two inconsistent checkpoints, and this one would mean its nodes were changed.
    """
    store.lock_head(conn)  # the tree holds every event, and stands still until commit
    head = tree.tree_head(conn)
    previous = latest(conn)
    if previous is not None:
        if previous.size == head.size:
            return previous
        if previous.size > head.size or tree.root_at(conn, previous.size) != previous.root:
            raise NoteError(
                "inconsistent_tree",
                N_(
                    "the journal's tree no longer extends the checkpoint of size %(size)s: "
                    "run `mamar verify`"
                ),
                size=previous.size,
            )
    origin = signer.name
    note = sign_checkpoint(Checkpoint(origin, head.size, head.root), signer).encode()
    stored = StoredCheckpoint(head.size, head.root, note, utc_key(now_utc()))
    conn.execute(
        insert(signed_checkpoints).values(
            size=stored.size, root=stored.root, note=stored.note, signed_at=stored.signed_at
        )
    )
    return stored


def with_cosignatures(conn: Connection, stored: StoredCheckpoint) -> str:
    """The checkpoint's note with every cosignature received for it."""
    lines = conn.execute(
        select(cosignatures.c.line)
        .where(cosignatures.c.size == stored.size)
        .order_by(cosignatures.c.witness)
    ).scalars()
    note = parse_note(stored.note)
    extra = [s for line in lines for s in parse_note(f"{note.text}\n{line}\n").signatures]
    return note.with_signatures(extra).encode()


class Checkpointer:
    """Signs a checkpoint every ``interval`` seconds while serving, when the tree grew."""

    def __init__(self, system: Mamar, interval: float) -> None:
        self.system = system
        self.interval = interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="checkpoints", daemon=True)

    def start(self) -> Checkpointer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()

    def tick(self) -> None:
        signer = load_signer(self.system.settings)
        with self.system.reading() as conn:
            size = tree.tree_head(conn).size
            last = latest(conn)
        if last is None or last.size < size:
            with self.system.writing() as conn:
                sign_now(conn, signer)

    def _run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.tick()
            except Exception as error:  # a failed round must not stop serving
                _log.warning("checkpoint not signed: %s", error)
