"""Records as of a past moment are found through the history index, not by walking history.

Each record's last version at or before a moment is looked up in the index
``entity_history (stream, occurred_utc, version)`` alone (``projections.entities.
last_version_at``); the history rows, large for a convoy with a long manifest, are read
only for the version found. Events recorded out of the order they happened in (a report
that comes in late) are found as the replay finds them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from mamar import reads
from mamar.access.viewer import viewer_of
from mamar.convoys.commands import ChangeConvoyStatus, PlanConvoy, RecordConvoyCounts
from mamar.convoys.events import Counts
from mamar.domain.time import OccurredAt, Precision, utc_key
from mamar.operations.model import OperationState
from mamar.projections.entities import states_as_of
from mamar.reads.overviews import _summarised, overview_kinds
from mamar.reads.states import _visible_query
from mamar.scenarios.synthetic import OPERATION as SYNTHETIC
from mamar.scenarios.synthetic import START as SYNTHETIC_START
from mamar.scenarios.synthetic import WEEK as SYNTHETIC_WEEK
from mamar.scenarios.synthetic import generate
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.helpers import open_operation
from tests.movement_builders import run

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
    # Incidents, one told late and one verified before a later report.
    for n, hours in enumerate([2, 11, 4.5]):
        run(
            system,
            "incident.report",
            when=occurred(hours),
            id=f"i{n}",
            operation=op,
            event_type="explosions_remote_violence",
            description={"original": "shelling"},
            source={"text": "field team", "kind": "own_team"},
            casualties={"killed": {"total": n + 1}},
        )
    run(system, "incident.change_verification", when=occurred(6), id="i0", status="corroborated")
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


def test_the_overview_as_of_a_moment_is_the_one_the_replay_gives(system: Mamar) -> None:
    """The whole overview as of each moment (``reads.overview`` with ``at``, no cache)
    equals the one summarised from the replay's states (the ``GROUP BY`` above)."""
    test_records_as_of_a_moment_are_those_the_replay_gives(system)
    op = "op"
    seen: set[str] = set()
    with system.reading() as conn:
        for hours in [h / 2 for h in range(0, 28)]:
            moment = START + timedelta(hours=hours)
            replayed = states_as_of(
                conn, operation=op, at_utc=utc_key(moment), kinds=overview_kinds()
            )
            [operation] = [s for s in replayed if isinstance(s, OperationState)]
            expected = _summarised(operation, replayed, viewer_of(SYSTEM)).at(moment)
            found = reads.overview(conn, viewer=SYSTEM, operation=op, at=moment)
            assert found == expected, hours
            seen.add(repr({k: v for k, v in found.items() if k != "at"}))
    assert len(seen) > 5  # the moments do tell different overviews apart


def test_the_as_of_lookup_reads_the_index_alone(sqlite_system: Mamar) -> None:
    """On SQLite, the plan of a list as of a moment finds each record's version in the
    covering index, then reads one history row by its key."""
    op = open_operation(sqlite_system)
    sqlite_system.execute(
        PlanConvoy(id="c", operation=op, name={"en": "Convoy"}), actor=SYSTEM, occurred=occurred(1)
    )
    query = _visible_query(viewer_of(SYSTEM), op, utc_key(START), overview_kinds())
    with sqlite_system.reading() as conn:
        compiled = query.compile(conn, compile_kwargs={"render_postcompile": True})
        params = tuple(compiled.params[name] for name in compiled.positiontup or ())
        plan = [
            str(row[-1])
            for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params).all()
        ]
    history = [step for step in plan if "entity_history" in step or " v " in f" {step} "]
    assert any("COVERING INDEX ix_history_stream_occurred" in step for step in plan), plan
    # The history table itself is only ever searched by its full key (stream, version).
    assert all("(stream=? AND version=?)" in s for s in history if "COVERING" not in s), plan


def plan_nodes(plan: object) -> list[dict[str, object]]:
    """Every node of a plan in PostgreSQL's ``FORMAT JSON``."""
    if isinstance(plan, list):
        return [n for p in plan for n in plan_nodes(p)]
    if not isinstance(plan, dict):
        return []
    own = [plan] if "Node Type" in plan else []
    return own + [n for v in plan.values() for n in plan_nodes(v)]


@pytest.mark.postgres
def test_on_postgresql_the_overview_as_of_a_moment_looks_up_each_record(
    postgres_system: Mamar,
) -> None:
    """On PostgreSQL, analysed (as after any bulk write), the overview as of a moment finds
    each record's last version by the history index (never walking the primary key back
    from the newest version through the history rows), and checks each record's
    membership by its key (never reading every member row of the viewer's organisation,
    at 1,000,000 events 350,000 people's)."""
    generate(postgres_system, 2_000)  # vacuums and analyses at the end
    moment = utc_key(SYNTHETIC_START + SYNTHETIC_WEEK / 2)
    query = _visible_query(viewer_of(SYSTEM), SYNTHETIC, moment, overview_kinds())
    with postgres_system.reading() as conn:
        compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
        plan = conn.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}")).scalar()
    nodes = plan_nodes(plan)
    assert "hashed SubPlan" not in str(plan), plan
    assert not [n for n in nodes if n.get("Scan Direction") == "Backward"], plan
    history = [n for n in nodes if n.get("Relation Name") == "entity_history"]
    lookups = [n for n in history if n.get("Index Name") == "ix_history_stream_occurred"]
    assert lookups and all(n["Node Type"] == "Index Only Scan" for n in lookups), plan
    assert all(n.get("Heap Fetches", 0) == 0 for n in lookups), plan
    members = [n for n in nodes if n.get("Relation Name") == "entity_members"]
    assert members and all(n["Node Type"] != "Seq Scan" for n in members), plan
