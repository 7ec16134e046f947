"""Appends events until it is killed; used by ``test_crash_safety.py``.

Writes ``ready``, then ``<position> <event_id>`` for every event, only after its
transaction has committed: a written event is an acknowledged one. Run by hand
as ``python tests/crash_writer.py DATABASE_URL RUN [MODE]`` (lines go to stdout).

Modes: ``serial`` (one command after another, and batches), ``concurrent``
(``WRITERS`` threads sending commands at once, so they share commits), and
``group`` (a group of commands queued together is stopped between being decided
and being committed: it writes ``decided <convoys>`` and waits to be killed).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Sequence
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


WRITERS = 8


def convoy_life(system: Mamar, convoy: str, sink: BinaryIO, lock: threading.Lock) -> None:
    commands = [
        PlanConvoy(id=convoy, operation=OPERATION, name={"ar": "قافلة"}),
        *(ChangeConvoyStatus(id=convoy, status=s) for s in ("preparing", "staged", "departed")),
    ]
    for command in commands:
        recorded = system.execute(command, actor=SYSTEM, occurred=WHEN)
        # Answered: the command's group has committed.
        with lock:
            acknowledge(sink, recorded)


def concurrent_until_killed(url: str, run: str, sink: BinaryIO) -> None:
    """``WRITERS`` threads each run convoys through their life, all at once."""
    system = Mamar(Settings(database_url=url, vault_key=generate_key()))
    lock = threading.Lock()

    def writer(n: int) -> None:
        for k in range(1_000_000):
            convoy_life(system, f"r{run}-{n}-{k}", sink, lock)

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
    sink.write(b"ready\n")
    sink.flush()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def group_until_killed(url: str, run: str, sink: BinaryIO) -> None:
    """Queue ``WRITERS`` new convoys as one group and stop it before it commits."""
    system = Mamar(Settings(database_url=url, vault_key=generate_key()))
    convoys = [f"g{run}-{n}" for n in range(WRITERS)]

    def stop(size: int) -> None:
        if size > 1:
            sink.write(f"decided {' '.join(convoys)}\n".encode())
            sink.flush()
            time.sleep(3600)

    system.group.decided = stop
    sink.write(b"ready\n")
    sink.flush()
    lock = threading.Lock()
    threads = [
        threading.Thread(
            target=lambda c=convoy: acknowledge_one(system, c, sink, lock), daemon=True
        )
        for convoy in convoys
    ]
    # Hold the writer until every command is queued, so they make one group.
    with system.writing() as conn:
        store.lock_head(conn)
        threads[0].start()
        while not system.group.leading:
            time.sleep(0.001)
        for thread in threads[1:]:
            thread.start()
        while system.group.waiting < WRITERS - 1:
            time.sleep(0.001)
    for thread in threads:
        thread.join()


def acknowledge_one(system: Mamar, convoy: str, sink: BinaryIO, lock: threading.Lock) -> None:
    command = PlanConvoy(id=convoy, operation=OPERATION, name={"ar": "قافلة"})
    recorded = system.execute(command, actor=SYSTEM, occurred=WHEN)
    with lock:
        acknowledge(sink, recorded)


MODES: dict[str, Callable[[str, str, BinaryIO], None]] = {
    "serial": append_until_killed,
    "concurrent": concurrent_until_killed,
    "group": group_until_killed,
}


def write_to_file(url: str, run: str, path: str, mode: str = "serial") -> None:
    """The crash test's entry point (started in a process forked from a preloaded server)."""
    with open(path, "wb", buffering=0) as sink:
        MODES[mode](url, run, sink)


if __name__ == "__main__":
    MODES[sys.argv[3] if len(sys.argv) > 3 else "serial"](
        sys.argv[1], sys.argv[2], sys.stdout.buffer
    )
