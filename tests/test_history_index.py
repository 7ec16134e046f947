"""Records as of a past moment are found through the history index, not by walking history.

Each record's last version at or before a moment is looked up in the index
``entity_history (stream, occurred_utc, version)`` alone (``projections.entities.
last_version_at``); the history rows, large for a convoy with a long manifest, are read
only for the version found. Events recorded out of the order they happened in (a report
that comes in late) are found as the replay finds them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mamar import reads
from mamar.access.viewer import viewer_of
from mamar.convoys.commands import ChangeConvoyStatus, PlanConvoy, RecordConvoyCounts
from mamar.convoys.events import Counts
from mamar.domain.time import OccurredAt, Precision, utc_key
from mamar.projections.entities import states_as_of
from mamar.reads.overviews import overview_kinds
from mamar.reads.states import _visible_query
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import open_operation

START = datetime.fromisoformat("2016-12-13T08:00+02:00")


def occurred(hours: float) -> OccurredAt:
    return OccurredAt(at=START + timedelta(hours=hours), precision=Precision.MINUTE)


def test_records_as_of_a_moment_are_those_the_replay_gives(system: Mamar) -> None:
    op = open_operation(system)
    for n in range(3):
        system.execute(
            PlanConvoy(id=f"c{n}", operation=op, name={"en": f"Convoy {n}"}),
            actor=SYSTEM,
            occurred=occurred(n),
        )
    # Counts recorded in turn, some of them late: told after later ones, happened before.
    for step, hours in enumerate([5, 9, 6, 12, 7, 3.5, 10]):
        system.execute(
            RecordConvoyCounts(id=f"c{step % 3}", counts=Counts(boarded=10 * (step + 1))),
            actor=SYSTEM,
            occurred=occurred(hours),
        )
    system.execute(
        ChangeConvoyStatus(id="c1", status="preparing"), actor=SYSTEM, occurred=occurred(8)
    )
    checked = 0
    with system.reading() as conn:
        for hours in [h / 2 for h in range(0, 28)]:
            moment = utc_key(START + timedelta(hours=hours))
            # The replay's answer: a GROUP BY over the whole history (independent SQL).
            replayed = states_as_of(conn, operation=op, at_utc=moment, kinds=["convoy"])
            listed = reads.visible_states(
                conn, viewer=SYSTEM, operation=op, at_utc=moment, kinds=["convoy"]
            )
            assert [s.model_dump() for s in listed] == [s.model_dump() for s in replayed], hours
            for state in replayed:
                one = reads.get_state(
                    conn, viewer=SYSTEM, kind="convoy", entity_id=state.id, at_utc=moment
                )
                assert one.model_dump() == state.model_dump(), (hours, state.id)
                checked += 1
    assert checked > 40


def test_the_as_of_lookup_reads_the_index_alone(sqlite_system: Mamar) -> None:
    """On SQLite, the plan of a list as of a moment finds each record's version in the
    covering index, then reads one history row by its key."""
    op = open_operation(sqlite_system)
    sqlite_system.execute(
        PlanConvoy(id="c", operation=op, name={"en": "Convoy"}), actor=SYSTEM, occurred=occurred(1)
    )
    query = _visible_query(viewer_of(SYSTEM), op, utc_key(START), overview_kinds())
    with sqlite_system.reading() as conn:
        compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
        plan = [
            str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
        ]
    history = [step for step in plan if "entity_history" in step or " v " in f" {step} "]
    assert any("COVERING INDEX ix_history_stream_occurred" in step for step in plan), plan
    # The history table itself is only ever searched by its full key (stream, version).
    assert all("(stream=? AND version=?)" in s for s in history if "COVERING" not in s), plan
