"""A batch of commands (``services.commands.Batch``): each decided as if alone, written together.

The synthetic operation loads through it (tests/test_synthetic.py checks that what it
wrote replays to the same read models and verifies); here the same commands are run
one by one and as batches on two databases and must leave the same journal and read
models, and a refused command leaves nothing of its batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from itertools import islice
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from mamar.convoys.commands import ChangeConvoyStatus
from mamar.db.tables import journal
from mamar.domain.errors import NotFound
from mamar.domain.model import Command
from mamar.domain.time import OccurredAt, Precision
from mamar.journal import store
from mamar.journal.verify import verify
from mamar.persons.commands import RegisterPerson
from mamar.projections.entities import dump
from mamar.scenarios.synthetic import START, Shape, operation_commands
from mamar.services import commands
from mamar.services.commands import SYSTEM, Batch
from mamar.system import Mamar
from tests.conftest import make_system


def without_people(events: int) -> Iterator[Command]:
    """The synthetic operation's commands but the people (whose vault references differ
    from one database to another): the operation, convoys with their lives and counts,
    incidents (given short references in turn)."""
    for command in operation_commands(Shape.of(events)):
        if type(command).__name__ not in ("RegisterPerson", "AddManifestEntry"):
            yield command


def when(index: int) -> OccurredAt:
    return OccurredAt(at=START + timedelta(minutes=index), precision=Precision.MINUTE)


def journal_bodies(system: Mamar) -> list[dict[str, Any]]:
    """Each event's body but its random id and the moment it was recorded."""
    with system.reading() as conn:
        bodies = [orjson.loads(b) for b in conn.execute(select(journal.c.body)).scalars()]
    for body in bodies:
        del body["event_id"], body["recorded_at"]
    return bodies


def read_models(system: Mamar) -> dict[str, list[tuple[Any, ...]]]:
    with system.reading() as conn:
        return dump(conn)


def test_a_batch_writes_what_the_commands_one_by_one_write(tmp_path: Path) -> None:
    alone = make_system(f"sqlite:///{tmp_path / 'alone.db'}")
    batched = make_system(f"sqlite:///{tmp_path / 'batched.db'}")
    try:
        listed = list(without_people(3_000))
        for index, command in enumerate(listed):
            with alone.writing() as conn:
                commands.execute(conn, command, actor=SYSTEM, occurred=when(index))
        source = iter(enumerate(listed))
        while chunk := list(islice(source, 70)):
            with batched.writing() as conn:
                batch = Batch(conn, batched.vault)
                for index, command in chunk:
                    batch.execute(command, actor=SYSTEM, occurred=when(index))
                batch.write()
        assert journal_bodies(batched) == journal_bodies(alone)
        assert read_models(batched) == read_models(alone)
        with batched.reading() as conn:
            result = verify(conn)
            assert result.ok, result.describe()
    finally:
        batched.dispose()
        alone.dispose()


def test_a_batch_on_each_engine_verifies_and_reads_its_own_writes(system: Mamar) -> None:
    listed = list(operation_commands(Shape.of(400)))
    with system.writing() as conn:
        batch = Batch(conn, system.vault)
        written = sum(
            len(batch.execute(c, actor=SYSTEM, occurred=when(i))) for i, c in enumerate(listed)
        )
        batch.write()
    assert written == 400
    with system.reading() as conn:
        assert store.count(conn) == 400
        result = verify(conn)
        assert result.ok, result.describe()


def test_a_refused_command_leaves_nothing_of_its_batch(system: Mamar) -> None:
    listed = list(islice(operation_commands(Shape.of(200)), 12))
    with system.writing() as conn:
        batch = Batch(conn, system.vault)
        for index, command in enumerate(listed):
            batch.execute(command, actor=SYSTEM, occurred=when(index))
        batch.write()
    before = read_models(system)
    registered = RegisterPerson(id="late", operation="synthetic", personal=None)
    with pytest.raises(NotFound), system.writing() as conn:
        batch = Batch(conn, system.vault)
        batch.execute(registered, actor=SYSTEM, occurred=when(20))
        missing = ChangeConvoyStatus(id="no-such-convoy", status="staged")
        try:
            batch.execute(missing, actor=SYSTEM, occurred=when(21))
        finally:
            # Once refused, the batch takes nothing more and cannot be written.
            with pytest.raises(RuntimeError):
                batch.execute(registered, actor=SYSTEM, occurred=when(22))
            with pytest.raises(RuntimeError):
                batch.write()
    with system.reading() as conn:
        assert store.count(conn) == 12
    assert read_models(system) == before
