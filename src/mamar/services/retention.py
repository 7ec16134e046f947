"""Retention: personal data of an operation's people erased once its period has run out.

An operation may set how many days personal data is kept (``operation.set_retention``).
:func:`erase_expired` finds, for every organisation, the people on its manifests and
its tracing requests recorded longer ago than that, and erases them through the
ordinary commands (crypto-shredding, journalled with the reason ``retention``),
acting for that organisation: each organisation's records are read through its own
viewer. ``mamar serve`` runs it on a timer (``MAMAR_RETENTION_INTERVAL``); ``mamar
retention apply`` runs it once.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from mamar.domain.errors import DomainError
from mamar.domain.model import Actor, Command
from mamar.domain.time import now_utc
from mamar.domain.visibility import Role
from mamar.manifests.commands import ErasePersonal
from mamar.manifests.model import VehicleState
from mamar.operations.model import OperationState
from mamar.organisations.model import OrganisationState
from mamar.reads.states import visible_states
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from mamar.tracing.commands import EraseTracing
from mamar.tracing.model import TracingState

_log = logging.getLogger("mamar.retention")
REASON = "retention"


def _keeper(organisation: str) -> Actor:
    """The local system acting for ``organisation`` on its own records."""
    return Actor(username=SYSTEM.username, role=Role.ADMIN, organisation=organisation)


def _older(at: str, cutoff: datetime) -> bool:
    return datetime.fromisoformat(at) < cutoff


def due(system: Mamar, now: datetime | None = None) -> list[tuple[Actor, Command]]:
    """The erasures retention calls for now, each with the actor that carries it out."""
    moment = now or now_utc()
    out: list[tuple[Actor, Command]] = []
    with system.reading() as conn:
        operations = [
            s
            for s in visible_states(conn, viewer=SYSTEM, operation=None, kinds=["operation"])
            if isinstance(s, OperationState) and s.retention_days
        ]
        organisations = [
            s.id
            for s in visible_states(conn, viewer=SYSTEM, operation=None, kinds=["organisation"])
            if isinstance(s, OrganisationState)
        ]
        for op in operations:
            assert op.retention_days is not None
            cutoff = moment - timedelta(days=op.retention_days)
            for org in sorted({*organisations, SYSTEM.organisation}):
                actor = _keeper(org)
                kinds = ["vehicle", "tracing"]
                for state in visible_states(conn, viewer=actor, operation=op.id, kinds=kinds):
                    if state.owner != org:
                        continue  # shared with this organisation: its owner erases it
                    if isinstance(state, VehicleState):
                        out.extend(
                            (actor, ErasePersonal(id=state.id, number=e.number, reason=REASON))
                            for e in state.entries
                            if not e.erased
                            and e.vault_ref is not None
                            and _older(e.statuses[0].at, cutoff)
                        )
                    elif (
                        isinstance(state, TracingState)
                        and (state.sought_ref or state.relative_ref)
                        and _older(state.created_at, cutoff)
                    ):
                        out.append((actor, EraseTracing(id=state.id, reason=REASON)))
    return out


def erase_expired(system: Mamar, now: datetime | None = None) -> int:
    """Erase what retention calls for; returns how many records were erased."""
    erased = 0
    for actor, command in due(system, now):
        try:
            system.execute(command, actor=actor)
        except DomainError as error:  # erased meanwhile (another server process)
            _log.info("retention: %s not erased: %s", command.id, error)
            continue
        erased += 1
    return erased


class RetentionKeeper:
    """Runs :func:`erase_expired` every ``interval`` seconds while serving."""

    def __init__(self, system: Mamar, interval: float) -> None:
        self.system = system
        self.interval = interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="retention", daemon=True)

    def start(self) -> RetentionKeeper:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()

    def _run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                erase_expired(self.system)
            except Exception as error:  # a failed round must not stop serving
                _log.warning("retention round failed: %s", error)
