"""Group commit (``services.group_commit``): concurrent commands share one durable commit.

Groups are formed on purpose: the test holds the writer (on SQLite the process's
writer connection, on PostgreSQL the chain head's row lock) while callers queue
up behind the first, who waits for the writer; once the test lets go, the first
takes everyone who queued meanwhile into its group, and all are carried together.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection, func, select

from mamar.convoys.commands import ChangeConvoyStatus, PlanConvoy
from mamar.db.tables import journal, vault_entries
from mamar.domain.errors import DomainError
from mamar.domain.model import Command
from mamar.domain.visibility import Visibility
from mamar.journal import store
from mamar.journal.envelope import RecordedEvent
from mamar.journal.verify import verify
from mamar.persons.commands import RegisterPerson
from mamar.persons.personal import PersonalRecord
from mamar.projections.entities import current, projected_position
from mamar.services import commands
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import at, open_operation

WHEN = at("2016-12-15T11:00+02:00")


class Caller(threading.Thread):
    """One client sending one command and waiting for its answer."""

    def __init__(self, system: Mamar, command: Command) -> None:
        super().__init__(daemon=True)
        self.system = system
        self.command = command
        self.recorded: list[RecordedEvent] | None = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            self.recorded = self.system.execute(self.command, actor=SYSTEM, occurred=WHEN)
        except Exception as error:
            self.error = error

    def answer(self) -> list[RecordedEvent]:
        self.join(30)
        assert not self.is_alive(), "the caller was never answered"
        if self.error is not None:
            raise self.error
        assert self.recorded is not None
        return self.recorded


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


@contextmanager
def writer_held(system: Mamar) -> Iterator[None]:
    """Keep every other writer waiting until the block ends."""
    with system.writing() as conn:
        store.lock_head(conn)
        yield


class RefusedLate(Caller):
    """A caller whose command is carried out, its events chained, and then refused."""

    def run(self) -> None:
        def work(conn: Connection) -> list[RecordedEvent]:
            commands.execute(conn, self.command, actor=SYSTEM, occurred=WHEN)
            raise DomainError("refused_late", "refused once its events were chained")

        try:
            self.recorded = self.system.group.submit(work)
        except Exception as error:
            self.error = error


def queue_group(
    system: Mamar, first: Command, rest: list[Command | Caller]
) -> tuple[Caller, list[Caller]]:
    """``first`` leads and waits for the writer; ``rest`` queue behind it; once the
    writer is free, all of them are carried as one group, ``first`` first."""
    with writer_held(system):
        leader = Caller(system, first)
        leader.start()
        wait_for(lambda: system.group.leading and system.group.waiting == 0)
        callers: list[Caller] = []
        for command in rest:
            caller = command if isinstance(command, Caller) else Caller(system, command)
            caller.start()
            callers.append(caller)
            wait_for(lambda: system.group.waiting == len(callers))
    return leader, callers


def plan(convoy: str) -> PlanConvoy:
    return PlanConvoy(id=convoy, operation="op", name={"ar": "قافلة"})


def shared_plan(convoy: str) -> PlanConvoy:
    """A convoy shared with every organisation: it is given a short reference."""
    return plan(convoy).model_copy(update={"visibility": Visibility.SHARED})


def status(convoy: str, value: str) -> ChangeConvoyStatus:
    return ChangeConvoyStatus(id=convoy, status=value)


def journal_size(system: Mamar) -> int:
    with system.reading() as conn:
        return store.count(conn)


def test_a_refused_command_in_a_group_is_refused_alone_and_changes_nothing(
    system: Mamar,
) -> None:
    open_operation(system)
    system.execute(plan("c1"), actor=SYSTEM, occurred=WHEN)
    with system.reading() as conn:
        vault_before = conn.execute(select(func.count()).select_from(vault_entries)).scalar()
    commits = system.group.commits
    # The person is sealed into the vault, then refused (no such party): its
    # savepoint must take the vault entry back with it.
    refused = RegisterPerson(
        id="p1", operation="op", personal=PersonalRecord(full_name="سعاد"), party="nobody"
    )
    leader, (before, middle, after) = queue_group(
        system, status("c1", "preparing"), [plan("c2"), refused, status("c1", "staged")]
    )

    leader.answer()
    first, last = before.answer(), after.answer()
    with pytest.raises(DomainError) as refusal:
        middle.answer()
    assert refusal.value.field == "party"
    assert system.group.commits == commits + 1, (
        "the leader and the three that queued while it waited for the writer share one commit"
    )
    # The refused command took no position: the chain goes on from the one before it.
    assert last[0].position == first[-1].position + 1
    assert last[0].prev_hash == first[-1].hash
    with system.reading() as conn:
        assert conn.execute(select(func.count()).select_from(vault_entries)).scalar() == (
            vault_before
        )
        assert current(conn, "person:p1") is None
        found = current(conn, "convoy:c1")
        assert found is not None
        assert found[1] == 3
        assert found[0].status == "staged"  # type: ignore[attr-defined]
        assert current(conn, "convoy:c2") is not None
        assert verify(conn).ok
        assert projected_position(conn) == store.head(conn)[0] == last[-1].position


def test_a_command_refused_after_its_events_were_chained_takes_no_position(
    system: Mamar,
) -> None:
    """A group's events are chained in memory and written once, before the commit: a
    command refused after its own were chained leaves none of them, and the next
    command's events take the positions and the links its would have taken."""
    open_operation(system)
    system.execute(plan("c1"), actor=SYSTEM, occurred=WHEN)
    late = RefusedLate(system, status("c1", "preparing"))
    late_plan = RefusedLate(system, shared_plan("c4"))
    leader, (first, _, last, _, planned) = queue_group(
        system,
        plan("c2"),
        [shared_plan("c3"), late, status("c1", "preparing"), late_plan, shared_plan("c5")],
    )
    chained = [leader.answer(), first.answer(), last.answer(), planned.answer()]
    for refused in (late, late_plan):
        with pytest.raises(DomainError, match="refused once"):
            refused.answer()
    positions = [e.position for recorded in chained for e in recorded]
    assert positions == list(range(positions[0], positions[0] + 4))
    assert chained[2][0].prev_hash == chained[1][-1].hash
    assert chained[2][0].version == 2, "the refused change of c1 took no version either"
    with system.reading() as conn:
        assert store.head(conn) == (chained[3][-1].position, chained[3][-1].hash)
        found = current(conn, "convoy:c1")
        assert found is not None
        assert found[1] == 2
        assert current(conn, "convoy:c4") is None
        refs = [current(conn, f"convoy:c{n}")[0].ref for n in (3, 5)]  # type: ignore[index]
        assert refs[1] == refs[0] + 1, "c5 has the short reference the refused c4 took"
        result = verify(conn)
        assert result.ok, result.describe()
        assert projected_position(conn) == store.head(conn)[0]


def test_commands_on_one_entity_in_one_group_see_each_other(system: Mamar) -> None:
    """Each command decides on the state the one before it left, as it would alone."""
    open_operation(system)
    system.execute(plan("c1"), actor=SYSTEM, occurred=WHEN)
    leader, callers = queue_group(
        system,
        plan("c0"),
        [status("c1", "preparing"), status("c1", "preparing"), status("c1", "staged")],
    )
    leader.answer()
    assert [e.version for e in callers[0].answer()] == [2]
    with pytest.raises(DomainError, match="allowed next"):
        callers[1].answer()
    assert [e.version for e in callers[2].answer()] == [3]


def test_a_failure_between_decide_and_commit_keeps_nothing_and_answers_everyone(
    system: Mamar,
) -> None:
    open_operation(system)
    size = journal_size(system)

    def fail(group: int) -> None:
        if group > 1:
            raise OSError("the disk went away")

    system.group.decided = fail
    leader, callers = queue_group(system, plan("first"), [plan("a"), plan("b"), plan("c")])
    for caller in [leader, *callers]:
        with pytest.raises(OSError, match="disk went away"):
            caller.answer()
    system.group.decided = None
    assert journal_size(system) == size
    with system.reading() as conn:
        assert current(conn, "convoy:first") is None
        assert current(conn, "convoy:a") is None
    # The writer is usable again, and the refused commands can be sent again.
    system.execute(plan("a"), actor=SYSTEM, occurred=WHEN)
    with system.reading() as conn:
        assert verify(conn).ok
        assert current(conn, "convoy:a") is not None


def test_a_reader_during_a_group_sees_none_of_it_until_the_commit(system: Mamar) -> None:
    open_operation(system)
    inside, go_on = threading.Event(), threading.Event()

    def pause(group: int) -> None:
        if group > 1:
            inside.set()
            go_on.wait(30)

    system.group.decided = pause
    with system.reading() as conn:
        head = store.head(conn)[0]
    leader, callers = queue_group(system, plan("first"), [plan("a"), plan("b")])
    assert inside.wait(30)
    with system.reading() as conn:
        assert store.head(conn)[0] == head
        assert current(conn, "convoy:first") is None
        assert current(conn, "convoy:a") is None
        assert current(conn, "convoy:b") is None
        assert conn.execute(select(func.max(journal.c.position))).scalar() == head
    go_on.set()
    recorded = [caller.answer() for caller in [leader, *callers]]
    with system.reading() as conn:
        assert store.head(conn)[0] == recorded[-1][-1].position == head + 3
        assert current(conn, "convoy:a") is not None


def test_many_concurrent_writers_share_commits_and_keep_the_chain(system: Mamar) -> None:
    open_operation(system)
    writers, each = 12, 5

    def life(n: int) -> list[Command]:
        convoy = f"w{n}"
        return [plan(convoy), *(status(convoy, s) for s in ("preparing", "staged", "departed"))][
            :each
        ]

    answers: dict[int, list[list[RecordedEvent]]] = {}

    def run(n: int) -> None:
        answers[n] = [system.execute(c, actor=SYSTEM, occurred=WHEN) for c in life(n)]

    commits = system.group.commits
    threads = [threading.Thread(target=run, args=(n,)) for n in range(writers)]
    with writer_held(system):
        for thread in threads:
            thread.start()
        wait_for(lambda: system.group.waiting >= writers - 1)
    for thread in threads:
        thread.join(60)
    assert len(answers) == writers
    total = writers * len(life(0))
    assert system.group.commits - commits < total, "no two commands shared a commit"
    positions = sorted(e.position for runs in answers.values() for r in runs for e in r)
    assert positions == list(range(2, 2 + total))
    with system.reading() as conn:
        result = verify(conn)
        assert result.ok, result.describe()
        for n in range(writers):
            found = current(conn, f"convoy:w{n}")
            assert found is not None
            assert found[0].status == "departed"  # type: ignore[attr-defined]
