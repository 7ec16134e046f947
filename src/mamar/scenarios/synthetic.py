"""A synthetic operation of any size, written through the application services.

Shaped on December 2016's evacuation at ten times its size for a million events:
per 1,000,000 events, 350,000 people registered (their names sealed in the
vault) and put on the manifests of 1,000 convoys of 10 vehicles each, 5,000
incidents reported and verified, each convoy's life from planned to arrived, and
the field teams' head counts as people board (the rest of the events). Commands
run through the services (``services.commands.Batch``: each decided as alone,
written together) in transactions of :data:`BATCH`, in the order an operation
would record them, a week of occurred times spread over
them. The same size always gives the same commands.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from mamar.convoys.commands import (
    AddManifestEntry,
    ChangeConvoyStatus,
    PlanConvoy,
    RecordConvoyCounts,
)
from mamar.convoys.events import Counts, Vehicles
from mamar.domain.model import Command
from mamar.domain.time import OccurredAt, Precision
from mamar.incidents.commands import ChangeIncidentVerification, ReportIncident
from mamar.operations.model import OpenOperation
from mamar.persons.commands import RegisterPerson
from mamar.persons.personal import PersonalRecord
from mamar.services import commands
from mamar.services.commands import SYSTEM
from mamar.system import Mamar

OPERATION = "synthetic"
START = datetime.fromisoformat("2016-12-15T06:00+02:00")
WEEK = timedelta(days=7)
#: Commands per transaction.
BATCH = 500
VEHICLES_PER_CONVOY = 10
_LIFE = ("preparing", "staged", "departed", "arrived")
_GIVEN = ("أحمد", "فاطمة", "محمد", "زينب", "عمر", "مريم", "خالد", "سعاد", "يوسف", "هدى")
_FAMILY = ("الحلبي", "الشامي", "العلي", "الحسن", "النجار", "الخطيب", "الأحمد", "السيد")


@dataclass(frozen=True)
class Shape:
    """How many of each thing an operation of ``events`` events holds."""

    events: int
    persons: int
    convoys: int
    incidents: int

    @classmethod
    def of(cls, events: int) -> Shape:
        if events < 100:
            raise ValueError("a synthetic operation needs at least 100 events")
        return cls(
            events=events,
            persons=events * 35 // 100,
            convoys=max(1, events // (100 * VEHICLES_PER_CONVOY)),
            incidents=max(1, events // 200),
        )

    @property
    def fixed(self) -> int:
        """Events other than the head counts: the operation, people, convoys, incidents."""
        return 1 + 2 * self.persons + self.convoys * (1 + len(_LIFE)) + 2 * self.incidents


def operation_commands(shape: Shape) -> Iterator[Command]:
    """Every command of the operation, in the order it would be recorded."""
    rng = random.Random(shape.events)
    yield OpenOperation(
        id=OPERATION,
        name={"ar": "عملية تجريبية", "en": "Synthetic operation"},
        timezone="Asia/Damascus",
    )
    counts_left = max(0, shape.events - shape.fixed)
    incidents = iter(range(shape.incidents))
    person = 0
    for convoy in range(shape.convoys):
        cid = f"c{convoy}"
        share = shape.persons // shape.convoys + (convoy < shape.persons % shape.convoys)
        counts = counts_left // shape.convoys + (convoy < counts_left % shape.convoys)
        yield PlanConvoy(
            id=cid,
            operation=OPERATION,
            name={"ar": f"الدفعة {convoy + 1}"},
            vehicles=(Vehicles(kind="حافلة", count=8), Vehicles(kind="إسعاف", count=2)),
            counts=Counts(planned=share),
        )
        yield ChangeConvoyStatus(id=cid, status=_LIFE[0])
        # Boarding: each person registered and put on the manifest, head counts between.
        every = max(1, share // counts) if counts else 0
        for seat in range(share):
            pid = f"p{person}"
            person += 1
            yield RegisterPerson(
                id=pid,
                operation=OPERATION,
                personal=PersonalRecord(full_name=f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"),
            )
            yield AddManifestEntry(id=cid, person=pid)
            if counts and every and seat % every == 0:
                counts -= 1
                yield RecordConvoyCounts(id=cid, counts=Counts(boarded=seat + 1))
        for _ in range(counts):
            yield RecordConvoyCounts(id=cid, counts=Counts(boarded=share))
        for status in _LIFE[1:]:
            yield ChangeConvoyStatus(id=cid, status=status)
        # Incidents are reported along the way, about as many after each convoy.
        due = (convoy + 1) * shape.incidents // shape.convoys
        for number in incidents:
            yield from _incident(number, rng)
            if number + 1 >= due:
                break
    yield from (c for n in incidents for c in _incident(n, rng))


def _incident(number: int, rng: random.Random) -> Iterator[Command]:
    iid = f"i{number}"
    yield ReportIncident(
        id=iid,
        operation=OPERATION,
        event_type="explosions_remote_violence",
        description={"original": "قصف قرب نقطة العبور", "language": "ar"},
        source={"text": "فريق ميداني", "kind": "own_team"},
        point={"lat": 36.15 + rng.random() / 10, "lon": 37.10 + rng.random() / 10},
    )
    yield ChangeIncidentVerification(id=iid, status="corroborated")


def generate(system: Mamar, events: int, *, progress: Callable[[int], None] | None = None) -> int:
    """Write a synthetic operation of about ``events`` events; returns the events written."""
    shape = Shape.of(events)
    step = WEEK / max(1, shape.events)
    written = 0
    batch: list[Command] = []

    def flush() -> None:
        nonlocal written
        with system.writing() as conn:
            together = commands.Batch(conn, system.vault)
            for command in batch:
                occurred = OccurredAt(at=START + step * written, precision=Precision.MINUTE)
                written += len(together.execute(command, actor=SYSTEM, occurred=occurred))
            together.write()
        if progress is not None:
            progress(written)
        batch.clear()

    for command in operation_commands(shape):
        batch.append(command)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    # Written in bulk: the planner should see the tables as they now are.
    system.after_bulk_write()
    return written
