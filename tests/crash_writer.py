"""Appends events until it is killed; used by ``test_crash_safety.py``.

Writes ``ready``, then ``<position> <event_id>`` for every event, only after its
transaction has committed: a written event is an acknowledged one. Run by hand
as ``python tests/crash_writer.py DATABASE_URL RUN`` (lines go to stdout).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from typing import BinaryIO

from mamar.config import Settings
from mamar.convoys.commands import ChangeConvoyStatus, PlanConvoy
from mamar.convoys.events import ConvoyCountsRecorded, ConvoyPlanned, Counts
from mamar.domain.time import OccurredAt, Precision
from mamar.domain.visibility import Visibility
from mamar.journal import store
from mamar.journal.envelope import PendingEvent, RecordedEvent
from mamar.projections.entities import Projector
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from mamar.vault.store import generate_key

OPERATION = "op"
WHEN = OccurredAt(at=datetime.fromisoformat("2016-12-15T11:00+02:00"), precision=Precision.MINUTE)
BATCH = 25


def acknowledge(sink: BinaryIO, events: Sequence[RecordedEvent]) -> None:
    sink.write("".join(f"{e.position} {e.event_id}\n" for e in events).encode())
    sink.flush()


def batch(convoy: str) -> list[PendingEvent]:
    """A new convoy and a run of head counts, appended in one transaction."""
    data = [
        ConvoyPlanned(name={"en": f"Batch {convoy}"}),
        *(ConvoyCountsRecorded(counts=Counts(boarded=n)) for n in range(1, BATCH)),
    ]
    return [
        PendingEvent(
            stream=f"convoy:{convoy}",
            version=version,
            data=item,
            occurred=WHEN,
            actor=SYSTEM.username,
            visibility=Visibility.INTERNAL,
            operation=OPERATION,
        )
        for version, item in enumerate(data, start=1)
    ]


def append_until_killed(url: str, run: str, sink: BinaryIO) -> None:
    system = Mamar(Settings(database_url=url, vault_key=generate_key()))
    sink.write(b"ready\n")
    sink.flush()
    n = 0
    while True:
        convoy = f"r{run}-{n}"
        acknowledge(
            sink,
            system.execute(
                PlanConvoy(id=convoy, operation=OPERATION, name={"ar": "قافلة"}),
                actor=SYSTEM,
                occurred=WHEN,
            ),
        )
        for status in ("preparing", "staged", "departed", "arrived"):
            acknowledge(
                sink, system.execute(ChangeConvoyStatus(id=convoy, status=status), actor=SYSTEM)
            )
        with system.writing() as conn:
            recorded = store.append(conn, batch(f"{convoy}-batch"))
            Projector(conn).apply(recorded)
        # The block above has committed: only now is the batch acknowledged.
        acknowledge(sink, recorded)
        n += 1


def write_to_file(url: str, run: str, path: str) -> None:
    """The crash test's entry point (started in a process forked from a preloaded server)."""
    with open(path, "wb", buffering=0) as sink:
        append_until_killed(url, run, sink)


if __name__ == "__main__":
    append_until_killed(sys.argv[1], sys.argv[2], sys.stdout.buffer)
