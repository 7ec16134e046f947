"""The running system: database, vault and the application services bound together."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

import mamar.features  # noqa: F401  (registers every feature)
from mamar.config import Settings
from mamar.db.engine import make_engine
from mamar.db.migrate import upgrade
from mamar.domain.errors import DomainError, NotPermitted
from mamar.domain.ids import stream_name
from mamar.domain.model import Actor, Command
from mamar.domain.time import OccurredAt
from mamar.journal.envelope import RecordedEvent
from mamar.projections.entities import current
from mamar.services import commands
from mamar.services.commands import SYSTEM
from mamar.vault.store import Vault, parse_key


class Mamar:
    """One instance per process: use :meth:`execute` for changes, :meth:`reading` for reads."""

    def __init__(
        self, settings: Settings | None = None, *, database_url: str | None = None
    ) -> None:
        self.settings = settings or Settings()
        if database_url is not None:
            self.settings = self.settings.model_copy(update={"database_url": database_url})
        self.engine: Engine = make_engine(self.settings.database_url)
        key = self.settings.resolve_vault_key()
        self.vault: Vault | None = Vault(parse_key(key)) if key else None

    def init(self) -> None:
        """Create or upgrade the schema."""
        upgrade(self.engine)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.execution_options(readonly=True).begin():
            yield conn

    def actor(self, username: str) -> Actor:
        """The account ``username`` as an actor; disabled or unknown accounts are refused."""
        if username == SYSTEM.username:
            return SYSTEM
        with self.reading() as conn:
            found = current(conn, stream_name("account", username))
        if found is None:
            raise DomainError("unknown_account", f"no account '{username}'", field="actor")
        state = found[0]
        if getattr(state, "disabled", False):
            raise NotPermitted(f"the account '{username}' is disabled")
        return Actor(username=username, role=state.role, party=state.party)  # type: ignore[attr-defined]

    def execute(
        self, command: Command, *, actor: Actor, occurred: OccurredAt | None = None
    ) -> list[RecordedEvent]:
        with self.writing() as conn:
            return commands.execute(conn, command, actor=actor, occurred=occurred, vault=self.vault)

    def dispose(self) -> None:
        self.engine.dispose()
