"""Property tests of the journal's core invariants, on a real SQLite file.

Random sequences of operation and convoy commands, legal and illegal, run by
accounts of different roles. A small model predicts which ones must be refused;
after every sequence the journal replays to the same read models, has no gaps,
and verifies.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, ClassVar

import pytest
import rfc8785
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Connection, select

from mamar.config import Settings
from mamar.convoys.commands import (
    AddConvoyEscort,
    AddConvoyVehicles,
    ChangeConvoyStatus,
    PlanConvoy,
    RecordConvoyCounts,
)
from mamar.convoys.events import ConvoyStatus, Counts, Escort, Vehicles
from mamar.convoys.model import TRANSITIONS
from mamar.db.tables import entities
from mamar.domain.errors import DomainError
from mamar.domain.ids import split_stream, stream_name
from mamar.domain.model import Actor, Command, EntityState, aggregate_for
from mamar.domain.time import OccurredAt, Precision
from mamar.domain.visibility import Role, Visibility, visible_to
from mamar.journal import store
from mamar.journal.canonical import canonical_bytes, canonical_envelope
from mamar.journal.verify import verify
from mamar.operations.model import CloseOperation, OpenOperation
from mamar.projections.entities import current, dump, meta_of, projected_position, rebuild
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from mamar.vault.store import generate_key
from tests.conftest import make_system

OPERATIONS = ("east-aleppo", "al-waer")
CONVOYS = ("first-wounded", "second-batch", "civilians-3")
MISSING_PARTY = "no-such-party"
OPERATOR = Actor(username="ops-officer", role=Role.OPERATIONS)
LIAISON = Actor(username="guarantor-liaison", role=Role.LIAISON, organisation="guarantor")
NAMES = ({"en": "First wounded"}, {"ar": "الدفعة الأولى"}, {"ar": "حافلات", "en": "Buses"})

# Bounded so the file runs in well under a minute; each example is a fresh database.
PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# --- A fresh database per example: a copy of one migrated, empty file. ---


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "empty.db"
    make_system(f"sqlite:///{path}").dispose()
    return path


@contextmanager
def fresh_system(template: Path) -> Iterator[Mamar]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "mamar.db"
        shutil.copyfile(template, path)
        system = Mamar(Settings(database_url=f"sqlite:///{path}", vault_key=generate_key()))
        try:
            yield system
        finally:
            system.dispose()


# --- What a correct system must accept or refuse. ---


@dataclass
class ModelConvoy:
    status: ConvoyStatus
    visibility: Visibility
    boarded: int | None


@dataclass
class Model:
    """The expected state, as little of it as decides legality."""

    operations: dict[str, bool] = field(default_factory=dict)  # id -> closed
    convoys: dict[str, ModelConvoy] = field(default_factory=dict)

    def allows(self, actor: Actor, cmd: Command) -> bool:
        if actor.role not in cmd.roles:
            return False
        allowed = visible_to(actor.role)
        match cmd:
            case OpenOperation():
                return cmd.id not in self.operations
            case CloseOperation():
                return self.operations.get(cmd.id) is False
            case PlanConvoy():
                visibility = cmd.visibility or Visibility.INTERNAL
                arrived, boarded = cmd.counts.arrived, cmd.counts.boarded
                return (
                    cmd.id not in self.convoys
                    and cmd.operation in self.operations
                    and visibility in allowed
                    and (arrived is None or boarded is None or arrived <= boarded)
                    and (cmd.origin is None or cmd.origin != cmd.destination)
                )
        convoy = self.convoys.get(cmd.id)
        if convoy is None or convoy.visibility not in allowed:
            return False
        match cmd:
            case ChangeConvoyStatus():
                return cmd.status in TRANSITIONS[convoy.status]
            case RecordConvoyCounts():
                arrived = cmd.counts.arrived
                boarded = cmd.counts.boarded if cmd.counts.boarded is not None else convoy.boarded
                if arrived is None:
                    return True
                return convoy.status is ConvoyStatus.ARRIVED and (
                    boarded is None or arrived <= boarded
                )
            case AddConvoyEscort():
                return False  # no party exists, so every escort names an unknown one
            case AddConvoyVehicles():
                return cmd.vehicles.party is None
        raise AssertionError(f"unexpected command {cmd!r}")

    def apply(self, cmd: Command) -> None:
        match cmd:
            case OpenOperation():
                self.operations[cmd.id] = False
            case CloseOperation():
                self.operations[cmd.id] = True
            case PlanConvoy():
                self.convoys[cmd.id] = ModelConvoy(
                    ConvoyStatus.PLANNED, cmd.visibility or Visibility.INTERNAL, cmd.counts.boarded
                )
            case ChangeConvoyStatus():
                self.convoys[cmd.id].status = cmd.status
            case RecordConvoyCounts() if cmd.counts.boarded is not None:
                self.convoys[cmd.id].boarded = cmd.counts.boarded


# --- Strategies: commands that are sometimes legal, often not. ---

counts = st.builds(
    Counts,
    planned=st.none() | st.integers(0, 500),
    boarded=st.none() | st.integers(0, 500),
    arrived=st.none() | st.integers(0, 500),
)
convoy_ids = st.sampled_from(CONVOYS)
operation_ids = st.sampled_from(OPERATIONS)

commands: st.SearchStrategy[Command] = st.one_of(
    st.builds(
        OpenOperation,
        id=operation_ids,
        name=st.sampled_from(NAMES),
        timezone=st.just("Asia/Damascus"),
    ),
    st.builds(CloseOperation, id=operation_ids),
    st.builds(
        PlanConvoy,
        id=convoy_ids,
        operation=st.sampled_from((*OPERATIONS, "unknown-operation")),
        name=st.sampled_from(NAMES),
        visibility=st.sampled_from((None, Visibility.SHARED, Visibility.MEDICAL)),
        counts=counts,
    ),
    st.builds(
        ChangeConvoyStatus,
        id=convoy_ids,
        status=st.sampled_from(ConvoyStatus),
        reason=st.none() | st.just("rain and snow"),
    ),
    st.builds(RecordConvoyCounts, id=convoy_ids, counts=counts),
    st.builds(AddConvoyEscort, id=convoy_ids, escort=st.just(Escort(party=MISSING_PARTY))),
    st.builds(
        AddConvoyVehicles,
        id=convoy_ids,
        vehicles=st.builds(
            Vehicles,
            kind=st.sampled_from(("ambulance", "bus", "حافلة")),
            count=st.integers(1, 40),
            party=st.sampled_from((None, MISSING_PARTY)),
        ),
    ),
)
actors = st.sampled_from((SYSTEM, SYSTEM, OPERATOR, LIAISON))
moments = st.builds(
    OccurredAt,
    at=st.datetimes(datetime(2016, 12, 12), datetime(2016, 12, 22)).map(
        lambda d: d.replace(tzinfo=timezone(timedelta(hours=2)))
    ),
    precision=st.sampled_from(Precision),
    phrase=st.none() | st.just({"original": "after sunset", "language": "en"}),
)
plans = st.builds(
    PlanConvoy,
    id=convoy_ids,
    operation=st.just(OPERATIONS[0]),
    name=st.sampled_from(NAMES),
    visibility=st.sampled_from((None, Visibility.SHARED, Visibility.MEDICAL)),
    counts=counts,
)


def likely_legal(model: Model) -> st.SearchStrategy[Command]:
    """Status changes the model allows, so that walks through the machine get long."""
    options = sorted(
        (convoy, status)
        for convoy, state in model.convoys.items()
        for status in TRANSITIONS[state.status]
    )
    if not options:
        return st.nothing()
    return st.sampled_from(options).map(lambda o: ChangeConvoyStatus(id=o[0], status=o[1]))


def next_step(model: Model) -> st.SearchStrategy[tuple[Actor, Command, OccurredAt]]:
    return st.tuples(actors, st.one_of(likely_legal(model), commands), moments)


# --- Checks. ---


def snapshot(conn: Connection) -> tuple[int, tuple[int, bytes], dict[str, list[tuple[Any, ...]]]]:
    return store.count(conn), store.head(conn), dump(conn)


def run_step(system: Mamar, model: Model, actor: Actor, cmd: Command, when: OccurredAt) -> bool:
    """Run one command; check it was accepted or refused as the model says, and its effect."""
    with system.reading() as conn:
        before = snapshot(conn)
        version = (current(conn, stream_name(cmd.kind, cmd.id)) or (None, 0))[1]
    expected = model.allows(actor, cmd)
    try:
        recorded = system.execute(cmd, actor=actor, occurred=when)
    except DomainError as refusal:
        assert not expected, f"{cmd!r} by {actor.role} was refused: {refusal}"
        with system.reading() as conn:
            assert snapshot(conn) == before, "a refused command changed the record"
        return False
    assert expected, f"{cmd!r} by {actor.role} should have been refused"
    model.apply(cmd)
    head = before[1][0]
    assert recorded, "an accepted command recorded no event"
    assert [e.position for e in recorded] == list(range(head + 1, head + 1 + len(recorded)))
    assert [e.version for e in recorded] == list(range(version + 1, version + 1 + len(recorded)))
    return True


def check_invariants(conn: Connection) -> None:
    """(a) replay gives the same state; (b) no gaps; (c) the chain verifies."""
    events = list(store.read_all(conn))
    position, _ = store.head(conn)
    assert [e.position for e in events] == list(range(1, len(events) + 1))
    assert position == len(events) == projected_position(conn)

    result = verify(conn)
    assert result.ok, result.describe()
    assert result.count == len(events)

    for stream in conn.execute(select(entities.c.stream)).scalars():
        kind, _ = split_stream(stream)
        evolve = aggregate_for(kind).evolve
        folded: EntityState | None = None
        history = store.read_stream(conn, stream)
        assert [e.version for e in history] == list(range(1, len(history) + 1))
        for recorded in history:
            folded = evolve(folded, recorded.decoded(), meta_of(recorded))
        projected = current(conn, stream)
        assert projected is not None
        # A short reference ("قافلة ٣") is the projection's own numbering, not in the journal.
        state, version = projected
        assert (state.model_copy(update={"ref": None}), version) == (folded, len(history))

    before = dump(conn)
    rebuild(conn)
    assert dump(conn) == before


@PROPERTY_SETTINGS
@given(data=st.data())
def test_any_command_sequence_keeps_the_journal_whole(template: Path, data: st.DataObject) -> None:
    model = Model()
    with fresh_system(template) as system:
        # Start from something that exists; everything after is random, legal or not.
        opening = OpenOperation(id=OPERATIONS[0], name=NAMES[0], timezone="Asia/Damascus")
        run_step(system, model, SYSTEM, opening, data.draw(moments))
        for plan in data.draw(st.lists(plans, min_size=1, max_size=3)):
            run_step(system, model, SYSTEM, plan, data.draw(moments))
        accepted = 0
        for _ in range(data.draw(st.integers(5, 40), label="steps")):
            actor, cmd, when = data.draw(next_step(model))
            accepted += run_step(system, model, actor, cmd, when)
        event(f"accepted commands: {min(accepted, 20) // 5 * 5}+")
        with system.writing() as conn:
            check_invariants(conn)


def convoy_lives(draw: st.DrawFn) -> list[ConvoyStatus]:
    """A walk through the status machine that only takes allowed transitions."""
    status = ConvoyStatus.PLANNED
    walk: list[ConvoyStatus] = []
    for _ in range(draw(st.integers(0, 12))):
        options = sorted(TRANSITIONS[status])
        if not options:
            break
        status = draw(st.sampled_from(options))
        walk.append(status)
    return walk


@settings(PROPERTY_SETTINGS, max_examples=30)
@given(walk=st.composite(convoy_lives)(), illegal=st.sampled_from(ConvoyStatus))
def test_legal_walks_are_accepted_and_an_illegal_step_changes_nothing(
    template: Path, walk: list[ConvoyStatus], illegal: ConvoyStatus
) -> None:
    with fresh_system(template) as system:
        system.execute(
            OpenOperation(id="op", name={"en": "Test"}, timezone="Asia/Damascus"), actor=SYSTEM
        )
        system.execute(PlanConvoy(id="c", operation="op", name={"en": "Batch"}), actor=SYSTEM)
        for status in walk:
            system.execute(ChangeConvoyStatus(id="c", status=status), actor=SYSTEM)
        last = walk[-1] if walk else ConvoyStatus.PLANNED
        with system.reading() as conn:
            before = snapshot(conn)
        if illegal in TRANSITIONS[last]:
            system.execute(ChangeConvoyStatus(id="c", status=illegal), actor=SYSTEM)
        else:
            with pytest.raises(DomainError) as refused:
                system.execute(ChangeConvoyStatus(id="c", status=illegal), actor=SYSTEM)
            assert refused.value.code == "illegal_transition"
            with system.reading() as conn:
                assert snapshot(conn) == before
        with system.writing() as conn:
            check_invariants(conn)
            state = current(conn, "convoy:c")
        assert state is not None
        statuses = [entry.status for entry in state[0].history]  # type: ignore[attr-defined]
        expected = [ConvoyStatus.PLANNED, *walk]
        if illegal in TRANSITIONS[last]:
            expected.append(illegal)
        assert statuses == expected


# --- The convoy status machine against a model of its transitions. ---


class ConvoyStatusMachine(RuleBasedStateMachine):
    """One convoy, driven with any status; the model is the transition table itself."""

    template: ClassVar[Path]

    def __init__(self) -> None:
        super().__init__()
        self._stack = ExitStack()
        self.system = self._stack.enter_context(fresh_system(self.template))
        self.status = ConvoyStatus.PLANNED
        self.accepted = 0

    @initialize()
    def plan(self) -> None:
        self.system.execute(
            OpenOperation(id="op", name={"en": "Test"}, timezone="Asia/Damascus"), actor=SYSTEM
        )
        self.system.execute(PlanConvoy(id="c", operation="op", name={"ar": "قافلة"}), actor=SYSTEM)

    @rule(status=st.sampled_from(ConvoyStatus))
    def change_status(self, status: ConvoyStatus) -> None:
        if status in TRANSITIONS[self.status]:
            self.system.execute(ChangeConvoyStatus(id="c", status=status), actor=SYSTEM)
            self.status = status
            self.accepted += 1
        else:
            with pytest.raises(DomainError) as refused:
                self.system.execute(ChangeConvoyStatus(id="c", status=status), actor=SYSTEM)
            assert refused.value.code == "illegal_transition"

    @invariant()
    def matches_model(self) -> None:
        with self.system.reading() as conn:
            found = current(conn, "convoy:c")
            if found is None:
                return  # before initialize
            state, version = found
            assert state.status == self.status  # type: ignore[attr-defined]
            assert version == 1 + self.accepted
            assert store.count(conn) == 2 + self.accepted

    def teardown(self) -> None:
        with self.system.writing() as conn:
            check_invariants(conn)
        self._stack.close()


def test_convoy_status_machine(template: Path) -> None:
    ConvoyStatusMachine.template = template
    run_state_machine_as_test(
        ConvoyStatusMachine,
        settings=settings(max_examples=15, stateful_step_count=25, deadline=None),
    )


def test_final_statuses_have_no_way_out() -> None:
    assert TRANSITIONS[ConvoyStatus.ARRIVED] == frozenset()
    assert TRANSITIONS[ConvoyStatus.CANCELLED] == frozenset()
    assert ConvoyStatus.ARRIVED not in TRANSITIONS[ConvoyStatus.PLANNED]
    assert all(status in TRANSITIONS for status in ConvoyStatus)


# --- The canonical form: the fast path writes exactly what RFC 8785 prescribes. ---

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_canonical_bytes_are_rfc8785(value: Any) -> None:
    try:
        expected = bytes(rfc8785.dumps(value))
    except Exception as error:
        with pytest.raises(type(error)):
            canonical_bytes(value)
        return
    assert canonical_bytes(value) == expected


#: An event's envelope as ``journal.store`` builds one, any field possibly replaced by
#: any JSON value, and possibly a field more under any name.
envelopes = st.fixed_dictionaries(
    {
        "position": st.integers(1, 2**40),
        "event_id": st.uuids().map(str),
        "stream": st.text(max_size=20),
        "version": st.integers(1, 10_000),
        "type": st.text(max_size=20),
        "schema_version": st.integers(1, 9),
        "operation": st.none() | st.text(max_size=10),
        "occurred_at": st.text(max_size=30),
        "phrase": st.none()
        | st.text(max_size=10)
        | st.fixed_dictionaries(
            {"original": st.text(max_size=10), "language": st.sampled_from(["ar", "en", "und"])},
            optional={"translations": st.lists(json_values, max_size=2)},
        ),
        "visibility": st.sampled_from(["shared", "internal", "medical"]),
        "data": json_values,
    }
).flatmap(
    lambda envelope: st.fixed_dictionaries(
        {k: st.just(v) | json_values for k, v in envelope.items()},
        optional={"": json_values, "é": json_values, "\U0001f600": json_values},
    )
)


@settings(max_examples=300, deadline=None)
@given(envelope=envelopes)
def test_an_envelopes_canonical_bytes_are_rfc8785(envelope: dict[str, Any]) -> None:
    try:
        expected = bytes(rfc8785.dumps(envelope))
    except Exception as error:
        with pytest.raises(type(error)):
            canonical_envelope(envelope)
        return
    assert canonical_envelope(envelope) == expected


def test_event_ids_are_version_7_uuids_in_the_order_they_were_made() -> None:
    import time
    import uuid

    from mamar.domain.ids import new_id

    before = time.time_ns() // 1_000_000
    made = [new_id() for _ in range(5000)]
    assert made == sorted(made) and len(set(made)) == len(made)
    for text in made[:50]:
        parsed = uuid.UUID(text)
        assert (str(parsed), parsed.version, parsed.variant) == (text, 7, uuid.RFC_4122)
    # The first 48 bits are the milliseconds since 1970 it was made at (or just after).
    assert before <= int(made[0].replace("-", "")[:12], 16) <= time.time_ns() // 1_000_000 + 5000
