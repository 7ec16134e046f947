"""The overview cache: keyed by journal head and compartments, equal to computing afresh."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from mamar import reads
from mamar.access.viewer import viewer_of
from mamar.accounts.tokens import Scope, create_token, revoke_token
from mamar.api.app import create_app
from mamar.domain.model import Actor
from mamar.domain.visibility import ROLE_VISIBILITY, Role, Visibility
from mamar.projections.entities import load_state
from mamar.reads import OverviewCache
from mamar.reads import overviews as overview_module
from mamar.reports.overview import Part, Tally, fold
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.api_support import (
    MARKERS,
    PASSWORD,
    load_compartments,
    make_api,
    post,
    record,
    username,
)
from tests.conftest import make_system
from tests.movement_builders import run, setup

STATUS = "/api/v1/operations/op/status"
T1 = datetime(2016, 12, 14, 14, 0, tzinfo=UTC)


def read(system: Mamar, cache: OverviewCache | None, **kwargs: Any) -> dict[str, Any]:
    with system.reading() as conn:
        return reads.overview(conn, viewer=SYSTEM, operation="op", cache=cache, **kwargs)


def report(system: Mamar, incident_id: str, when: str = "2016-12-14T12:00+02:00") -> None:
    run(
        system,
        "incident.report",
        when=when,
        id=incident_id,
        operation="op",
        event_type="explosions_remote_violence",
        description={"original": "shelling", "language": "en"},
        source={"text": "field team", "kind": "own_team"},
    )


def incidents(data: dict[str, Any]) -> int:
    return sum(data["incidents"]["by_category"].values())


def test_a_new_event_is_seen_on_the_next_read(system: Mamar) -> None:
    setup(system, "attackers")
    cache = OverviewCache()
    assert incidents(read(system, cache)) == 0
    assert incidents(read(system, cache)) == 0
    assert (cache.hits, cache.misses) == (1, 1)
    report(system, "i1")
    assert incidents(read(system, cache)) == 1
    assert cache.misses == 2
    # As of a past moment too: an event recorded now about an earlier time changes it.
    before = read(system, cache, at=T1)
    assert incidents(before) == 1
    report(system, "i2", when="2016-12-14T13:00+02:00")
    assert incidents(read(system, cache, at=T1)) == 2
    assert incidents(read(system, cache, at=datetime(2016, 12, 14, 9, 0, tzinfo=UTC))) == 0


def test_cached_reads_equal_fresh_ones_and_waiting_times_move_on(
    system: Mamar, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup(system, "attackers")
    run(
        system,
        "escalation.raise",
        when="2016-12-14T13:00+02:00",
        id="e1",
        operation="op",
        to_party="attackers",
        message={"original": "firing on the convoy", "language": "en"},
    )
    cache = OverviewCache()
    first = read(system, cache, at=T1)
    later = T1 + timedelta(minutes=10)
    monkeypatch.setattr(overview_module, "now_utc", lambda: later)
    cached = read(system, cache)
    fresh = read(system, None)
    assert cached == fresh
    assert cached["at"] == later.isoformat()
    waited = cached["open_escalations"][0]["waiting_seconds"]
    assert waited == first["open_escalations"][0]["waiting_seconds"] + 600
    monkeypatch.setattr(overview_module, "now_utc", lambda: later + timedelta(minutes=5))
    again = read(system, cache)
    assert cache.hits == 1
    assert again["open_escalations"][0]["waiting_seconds"] == waited + 300
    # Each reader gets its own copy: changing one does not change the next.
    again["incidents"]["killed"] = 99
    again["operation"]["id"] = "changed"
    assert read(system, cache) == read(system, None)
    assert read(system, cache)["operation"]["id"] == "op"


def _without_at(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "at"}


@pytest.mark.parametrize("order", ["most_first", "least_first"])
def test_viewers_who_see_different_compartments_never_share_an_entry(
    sqlite_system: Mamar, order: str
) -> None:
    api = make_api(sqlite_system)
    load_compartments(api)
    roles = sorted(Role, key=lambda r: len(ROLE_VISIBILITY[r]), reverse=order == "most_first")
    for role in roles:
        response = api.client.get(STATUS, headers=api.headers(role))
        assert response.status_code == 200, response.text
        lacking = [MARKERS[v] for v in Visibility if v not in ROLE_VISIBILITY[role]]
        assert not [m for m in lacking if m in response.text], role
        viewer = Actor(username=username(role), role=role)
        with sqlite_system.reading() as conn:
            fresh = reads.overview(conn, viewer=viewer, operation="op")
        assert _without_at(response.json()) == _without_at(fresh), role
    cache: OverviewCache = api.app.state.overviews
    # One computation per distinct viewer key; roles that see the same share it.
    keys = {viewer_of(Actor(username=username(r), role=r)).key for r in Role}
    assert cache.misses == len(keys)
    assert cache.hits == len(Role) - cache.misses


def test_the_same_position_in_another_database_is_another_overview(tmp_path: Path) -> None:
    cache = OverviewCache()
    names = []
    for name in ("first", "second"):
        system = make_system(f"sqlite:///{tmp_path / name}.db")
        try:
            run(
                system,
                "operation.open",
                id="op",
                name={"en": name},
                timezone="UTC",
            )
            names.append(read(system, cache)["operation"]["name"]["en"])
        finally:
            system.dispose()
    assert names == ["first", "second"]
    assert cache.hits == 0


def test_revoked_tokens_and_disabled_accounts_are_refused_at_once(system: Mamar) -> None:
    api = make_api(system)
    record(api, "/api/v1/operation/open", {"id": "op", "name": {"en": "Op"}, "timezone": "UTC"})
    with system.writing() as conn:
        token_id, token = create_token(conn, username(Role.OBSERVER), scope=Scope.READ)
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(2):
        assert api.client.get(STATUS, headers=headers).status_code == 200
    with system.writing() as conn:
        revoke_token(conn, token_id)
    assert api.client.get(STATUS, headers=headers).status_code == 401
    monitor = api.headers(Role.MONITOR)
    assert api.client.get(STATUS, headers=monitor).status_code == 200
    post(
        api,
        f"/api/v1/account/{username(Role.MONITOR)}/disable",
        {"reason": "left"},
        role=Role.ADMIN,
    )
    assert api.client.get(STATUS, headers=monitor).status_code == 401


def test_what_one_process_wrote_is_in_the_next_overview_another_serves(system: Mamar) -> None:
    """Read-your-writes across server processes (each with its own cache and pools): a
    write acknowledged by one is in the very next overview of the other, and a token
    revoked through one is refused by the other on its next request."""
    first = make_api(system)
    record(first, "/api/v1/operation/open", {"id": "op", "name": {"en": "Op"}, "timezone": "UTC"})
    other = Mamar(system.settings)
    try:
        second = TestClient(create_app(other), base_url="https://testserver")
        headers = first.headers(Role.COORDINATOR)
        assert incidents(second.get(STATUS, headers=headers).json()) == 0
        assert incidents(second.get(STATUS, headers=headers).json()) == 0  # kept
        for n in range(1, 4):
            body = {
                "id": str(uuid.uuid4()),
                "operation": "op",
                "event_type": "explosions_remote_violence",
                "description": {"original": "shelling", "language": "en"},
                "source": {"text": "field team", "kind": "own_team"},
            }
            record(first, "/api/v1/incident/report", body)
            assert incidents(second.get(STATUS, headers=headers).json()) == n
        with system.writing() as conn:
            token_id, token = create_token(conn, username(Role.OBSERVER), scope=Scope.READ)
        reader = {"Authorization": f"Bearer {token}"}
        assert second.get(STATUS, headers=reader).status_code == 200
        with system.writing() as conn:
            revoke_token(conn, token_id)
        assert second.get(STATUS, headers=reader).status_code == 401
    finally:
        other.dispose()


def test_a_kept_overview_costs_one_statement(sqlite_system: Mamar) -> None:
    """The caller's token, account and the journal's head are read in one statement, and
    an overview kept for that head needs nothing more (on PostgreSQL every statement is
    a round trip: an overview took three with its caller's check, five after a write)."""
    api = make_api(sqlite_system, passwords=True)
    record(api, "/api/v1/operation/open", {"id": "op", "name": {"en": "Op"}, "timezone": "UTC"})
    statements: list[str] = []

    def traced(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.set_trace_callback(statements.append)

    event.listen(sqlite_system.engine, "checkout", traced)
    headers = api.headers(Role.MONITOR)
    assert api.client.get(STATUS, headers=headers).status_code == 200
    worked_out = [s for s in statements if s.startswith("SELECT")]
    statements.clear()
    assert api.client.get(STATUS, headers=headers).status_code == 200
    kept = [s for s in statements if s.startswith("SELECT")]
    assert len(kept) == 1, kept
    assert "api_tokens" in kept[0] and "journal_head" in kept[0]
    assert len(worked_out) > 1  # the states, read when nothing was kept
    # Another token, or a session (its revocation read instead of the token): the same.
    statements.clear()
    assert api.client.get(STATUS, headers=api.headers(Role.MONITOR, write=False)).status_code == 200
    assert len([s for s in statements if s.startswith("SELECT")]) == 1
    signed_in = {"username": username(Role.MONITOR), "password": PASSWORD}
    assert api.client.post("/api/v1/auth/login", json=signed_in).status_code == 200
    statements.clear()
    assert api.client.get(STATUS).status_code == 200
    by_session = [s for s in statements if s.startswith("SELECT")]
    assert len(by_session) == 1 and "revoked_sessions" in by_session[0], by_session


def test_concurrent_readers_of_a_missing_entry_compute_it_once(sqlite_system: Mamar) -> None:
    setup(sqlite_system, "attackers")
    for n in range(120):
        report(sqlite_system, f"i{n}")
    cache = OverviewCache()
    start = threading.Barrier(8)

    def reader() -> int:
        start.wait()
        return incidents(read(sqlite_system, cache))

    with ThreadPoolExecutor(8) as pool:
        counts = list(pool.map(lambda _: reader(), range(8)))
    assert counts == [120] * 8
    assert (cache.misses, cache.hits) == (1, 7)


def test_the_next_overview_reads_only_what_changed_and_equals_a_fresh_one(
    sqlite_system: Mamar, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = make_api(sqlite_system)
    load_compartments(api)
    cache = OverviewCache()
    viewers = [Actor(username=username(r), role=r) for r in Role]
    loaded: list[str] = []

    def counting(kind: str, text: str) -> Any:
        loaded.append(kind)
        return load_state(kind, text)

    monkeypatch.setattr(overview_module, "load_state", counting)

    def check() -> None:
        for viewer in viewers:
            with sqlite_system.reading() as conn:
                cached = reads.overview(conn, viewer=viewer, operation="op", cache=cache)
                counted = len(loaded)
                fresh = reads.overview(conn, viewer=viewer, operation="op")
                del loaded[counted:]  # a fresh overview reads every entity
            assert _without_at(cached) == _without_at(fresh), viewer.role

    check()
    compartment_sets = len({viewer_of(v).key for v in viewers})
    assert len(cache._visible) == compartment_sets
    for change in (
        lambda: report(sqlite_system, "i-new"),
        lambda: run(sqlite_system, "incident.change_verification", id="i-new", status="retracted"),
    ):
        change()
        loaded.clear()
        check()
        # Each set of compartments read the one entity that changed, and nothing else.
        assert loaded == ["incident"] * compartment_sets, loaded


def test_a_reader_with_an_older_snapshot_gets_the_overview_of_its_snapshot(
    sqlite_system: Mamar,
) -> None:
    setup(sqlite_system, "attackers")
    report(sqlite_system, "i1")
    cache = OverviewCache()
    with sqlite_system.reading() as older:
        assert incidents(reads.overview(older, viewer=SYSTEM, operation="op", cache=cache)) == 1
        report(sqlite_system, "i2")
        assert incidents(read(sqlite_system, cache)) == 2
        # Same transaction, so the same snapshot: still one incident, read from the
        # states kept at its own position.
        assert incidents(reads.overview(older, viewer=SYSTEM, operation="op", cache=cache)) == 1
    assert incidents(read(sqlite_system, cache)) == 2


def test_a_reader_of_an_older_snapshot_leaves_the_newest_overview_kept(
    sqlite_system: Mamar,
) -> None:
    """Readers whose snapshots straddle a write (every write, under load) no longer
    make each other work the overview out again: the older one's is not kept, and
    the newest head's stays for the readers after it."""
    setup(sqlite_system, "attackers")
    report(sqlite_system, "i1")
    cache = OverviewCache()
    with sqlite_system.reading() as older:
        assert incidents(reads.overview(older, viewer=SYSTEM, operation="op", cache=cache)) == 1
        report(sqlite_system, "i2")
        assert incidents(read(sqlite_system, cache)) == 2
        assert incidents(reads.overview(older, viewer=SYSTEM, operation="op", cache=cache)) == 1
    hits = cache.hits
    assert incidents(read(sqlite_system, cache)) == 2
    assert cache.hits == hits + 1


def _incident(category: str, alleged: tuple[str, ...], impacts: tuple[str, ...], n: int) -> Part:
    return Part("incident", (category, alleged, impacts, n, 2 * n))


def test_a_tally_kept_part_by_part_equals_the_fold_of_the_parts_left() -> None:
    """What ``reads.overviews`` keeps per journal position: parts added, changed and
    taken away one at a time sum to what folding the parts left gives, counts that
    fall to nothing included (they are left out, as a fold that never met them)."""
    parts: dict[str, Part] = {
        "incident:a": _incident("shelling/unspecified", ("attackers",), ("shelter",), 1),
        "incident:b": _incident("shelling/unspecified", ("attackers", "defenders"), (), 0),
        "incident:c": _incident("riots/looting", ("unknown",), ("shelter", "shelter"), 3),
        "vehicle:1": Part("vehicle", ("c1", (10, 8, 0))),
        "vehicle:2": Part("vehicle", ("c1", (5, 5, 5))),
        "vehicle:3": Part("vehicle", ("c2", (0, 0, 0))),
        "guarantee:g2": Part("guarantee", {"id": "g2", "outcome": "honoured"}),
        "guarantee:g1": Part("guarantee", {"id": "g1", "outcome": "pending"}),
        "ceasefire:x": Part("ceasefire", {"id": "x"}),
    }
    tally = Tally()
    for key, part in parts.items():
        tally.add(key, part)
    assert tally.summary() == fold(parts[k] for k in sorted(parts))
    kept = tally.copy()
    changes: list[tuple[str, Part | None]] = [
        ("incident:c", None),
        ("incident:b", _incident("shelling/unspecified", ("defenders",), ("water",), 4)),
        ("vehicle:3", None),
        ("vehicle:1", Part("vehicle", ("c2", (1, 1, 1)))),
        ("guarantee:g1", None),
        ("incident:d", _incident("riots/looting", ("attackers",), (), 0)),
    ]
    for key, now in changes:
        before = parts.pop(key, None)
        if before is not None:
            tally.remove(key, before)
        if now is not None:
            parts[key] = now
            tally.add(key, now)
        assert tally.summary() == fold(parts[k] for k in sorted(parts)), key
    summary = tally.summary()
    assert summary.incidents["by_humanitarian_impact"] == {"shelter": 1, "water": 1}
    assert "unknown" not in summary.incidents["by_alleged_perpetrator"]
    # The copy taken before the changes did not move with them.
    assert kept.summary().incidents["killed"] == 4


def test_states_kept_from_another_database_are_not_built_on(tmp_path: Path) -> None:
    """The same operation in a database whose journal differs below the kept position
    (another database, or one restored from an older backup): every entity is read."""
    cache = OverviewCache()
    first = make_system(f"sqlite:///{tmp_path / 'first'}.db")
    second = make_system(f"sqlite:///{tmp_path / 'second'}.db")
    try:
        setup(first, "attackers")
        for n in range(3):
            report(first, f"first-{n}")
        assert incidents(read(first, cache)) == 3
        # Further on than the first, and different from its second event on.
        setup(second, "attackers", "defenders")
        for n in range(3):
            report(second, f"second-{n}")
        data = read(second, cache)
        assert incidents(data) == 3
        assert "defenders" in data["party_names"]
        assert data == {**read(second, None), "at": data["at"]}
    finally:
        first.dispose()
        second.dispose()
