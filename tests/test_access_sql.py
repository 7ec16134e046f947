"""The viewer's rule decided in SQL (``Viewer.sees_rows``) is the rule decided in Python
(``Viewer.sees``), and lists page in the database exactly as the Python rule pages them.

Over aleppo-2016 with a marker in every compartment of every organisation, then
records re-shared at random (their compartment and their share list changed, shares
withdrawn), for every organisation × every role, the installation's administrator and
an organisation that owns nothing: the records each viewer is given, now and as of
past moments, are those the Python rule gives, in the same order; and every page
(limit, offset) of every kind is the same slice of them, so nothing a viewer may not
see moves what it observes (counts, page sizes, order). On SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Connection, select
from sqlalchemy.engine import make_url

from mamar import reads
from mamar.access.viewer import Viewer
from mamar.db.tables import entity_members
from mamar.domain.model import EntityState, command_type, kind_of
from mamar.domain.visibility import INSTALLATION, Role, Visibility, visible_to
from mamar.projections.entities import dump, rebuild, states_as_of
from mamar.reads.states import with_access_of
from tests.conftest import make_system, postgres_base_url
from tests.helpers import at
from tests.org_support import OP, World, account, build

MOMENTS = ("2016-12-14T00:00:00.000000Z", "2016-12-15T12:00:00.000000Z", None)


def _postgres_database() -> Iterator[str]:
    base = make_url(postgres_base_url())
    name = f"mamar_t_{uuid.uuid4().hex[:12]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reshare(world: World, rng: random.Random, rounds: int) -> None:
    """Change the compartment and share list of planted records at random."""
    orgs = world.organisations
    for n in range(rounds):
        convoy = rng.choice(world.convoys)
        owner = next(o for o in orgs if convoy.startswith(f"mk-{o}-"))
        others = [o for o in orgs if o != owner]
        fields: dict[str, Any] = {"id": convoy, "reason": f"round {n}"}
        if rng.random() < 0.6:
            fields["shared_with"] = rng.sample(others, rng.randint(0, len(others)))
        if rng.random() < 0.6 or "shared_with" not in fields:
            fields["visibility"] = rng.choice(list(Visibility)).value
        try:
            world.system.execute(
                command_type("convoy.share").model_validate(fields),
                actor=world.system.actor(account(owner, Role.COORDINATOR)),
                occurred=at(f"2016-12-17T{10 + n % 10}:{n % 60:02d}+02:00"),
            )
        except Exception as error:  # an unchanged share is refused, and changes nothing
            assert getattr(error, "code", None) == "unchanged", error


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    databases: Iterator[str]
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("sql-rule") / "mamar.db"
        databases = iter([f"sqlite:///{path}"])
    else:
        databases = _postgres_database()
    url = next(databases)
    system = make_system(url)
    try:
        found = build(system)
        _reshare(found, random.Random(17), 40)
        yield found
    finally:
        system.dispose()
        for _ in databases:  # drops the PostgreSQL database
            pass


def viewers(world: World, *, one_per_key: bool = False) -> list[Viewer]:
    """Every organisation × role; ``one_per_key``: one of each kind of viewer (equal
    :attr:`Viewer.key`, the same sight)."""
    orgs = [*world.organisations, INSTALLATION, "owns-nothing"]
    found = [
        Viewer(f"{org}--{role.value}", role, org, visible_to(role)) for org in orgs for role in Role
    ]
    if one_per_key:
        found = list({v.key: v for v in found}.values())
    return found


def _key(state: EntityState) -> tuple[str, str, str]:
    return (kind_of(state), state.id, state.model_dump_json())


def python_rule(conn: Connection, viewer: Viewer, at_utc: str | None) -> list[EntityState]:
    """What the Python rule gives: every record (unfiltered read model), then ``sees``."""
    now = states_as_of(conn, operation=None, at_utc=None)
    if at_utc is None:
        return [s for s in now if viewer.sees(s)]
    present = {(type(s), s.id): s for s in now}
    return [
        with_access_of(p, present[(type(p), p.id)])
        for p in states_as_of(conn, operation=None, at_utc=at_utc)
        if viewer.sees(present[(type(p), p.id)])
    ]


def test_the_sql_rule_gives_each_viewer_what_the_python_rule_gives(world: World) -> None:
    checked = 0
    with world.system.reading() as conn:
        for viewer in viewers(world):
            for moment in MOMENTS:
                expected = python_rule(conn, viewer, moment)
                found = reads.visible_states(conn, viewer=viewer, operation=None, at_utc=moment)
                assert [_key(s) for s in found] == [_key(s) for s in expected], (viewer, moment)
                checked += len(expected)
    # Not vacuous: viewers see different things, and some see much.
    assert checked > 1000


def test_every_page_of_every_kind_is_the_python_rules_slice(world: World) -> None:
    rng = random.Random(4)
    pages = 0
    with world.system.reading() as conn:
        all_kinds = sorted({kind_of(s) for s in states_as_of(conn, operation=None, at_utc=None)})
        for viewer in viewers(world, one_per_key=True):
            for moment in MOMENTS[1:]:
                expected = python_rule(conn, viewer, moment)
                for kind in all_kinds:
                    for operation in (OP, None):
                        mine = [
                            viewer.redact(s)
                            for s in expected
                            if kind_of(s) == kind
                            and (operation is None or s.operation == operation)
                        ]
                        for limit, offset in [
                            (100, 0),
                            (3, 0),
                            (rng.randint(1, 4), rng.randint(0, 8)),
                        ]:
                            page = reads.list_entities(
                                conn,
                                viewer=viewer,
                                operation=operation,
                                kind=kind,
                                at_utc=moment,
                                limit=limit,
                                offset=offset,
                            )
                            want = [{"entity": kind, **d} for d in mine[offset : offset + limit]]
                            assert page == want, (viewer, kind, operation, moment, limit, offset)
                            pages += 1
    assert pages > 500


def test_members_are_rebuilt_as_projected(world: World) -> None:
    """``entity_members`` (the records' owners and shares) is a read model like the others:
    a rebuild from the journal gives the rows the projection wrote, share changes included."""
    with world.system.reading() as conn:
        before = dump(conn)
        shared = conn.execute(select(entity_members)).all()
    assert len(shared) > len(before["entities"])  # shares add rows to the owners'
    with world.system.writing() as conn:
        rebuild(conn)
    with world.system.reading() as conn:
        assert dump(conn) == before


def test_pages_after_a_record_walk_the_python_rules_list(world: World) -> None:
    """Keyset pages (``after``: the id of the last record of the previous page) walk the
    same list as the Python rule, and a page after a record the viewer may not see holds
    exactly what the viewer sees after it in the order: it tells nothing of that record."""
    rng = random.Random(9)
    walked = 0
    with world.system.reading() as conn:
        everything = states_as_of(conn, operation=None, at_utc=None)
        all_kinds = sorted({kind_of(s) for s in everything})
        for viewer in viewers(world, one_per_key=True):
            for moment in MOMENTS[1:]:
                expected = python_rule(conn, viewer, moment)
                for kind in all_kinds:
                    # Every record of the kind, in the database's own order of streams.
                    order = [s.id for s in everything if kind_of(s) == kind]
                    mine = [
                        {"entity": kind, **viewer.redact(s)}
                        for s in expected
                        if kind_of(s) == kind and s.operation == OP
                    ]
                    pages: list[dict[str, Any]] = []
                    after: str | None = None
                    while True:
                        page = reads.list_entities(
                            conn,
                            viewer=viewer,
                            operation=OP,
                            kind=kind,
                            at_utc=moment,
                            limit=3,
                            after=after,
                        )
                        pages += page
                        walked += 1
                        if len(page) < 3:
                            break
                        after = page[-1]["id"]
                    assert pages == mine, (viewer, kind, moment)
                    for record in rng.sample(order, min(3, len(order))):
                        rank = {i: n for n, i in enumerate(order)}
                        want = [d for d in mine if rank[d["id"]] > rank[record]][:5]
                        page = reads.list_entities(
                            conn,
                            viewer=viewer,
                            operation=OP,
                            kind=kind,
                            at_utc=moment,
                            limit=5,
                            after=record,
                        )
                        assert page == want, (viewer, kind, moment, record)
    assert walked > 200
