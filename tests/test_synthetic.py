"""The synthetic operation (``scenarios.synthetic``, ``mamar demo --synthetic N``, bench/scale.py)."""

from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import func, select
from typer.testing import CliRunner

from mamar.cli import app
from mamar.db.tables import entities, vault_entries
from mamar.journal import store
from mamar.journal.verify import verify
from mamar.projections.entities import dump, rebuild
from mamar.scenarios.synthetic import OPERATION, Shape, generate
from mamar.system import Mamar


def kinds(system: Mamar) -> dict[str, int]:
    with system.reading() as conn:
        rows = conn.execute(select(entities.c.kind, func.count()).group_by(entities.c.kind))
        return {kind: count for kind, count in rows}


def test_a_synthetic_operation_has_its_size_and_shape_and_replays(system: Mamar) -> None:
    written = generate(system, 2_000)
    shape = Shape.of(2_000)
    assert written == 2_000
    assert kinds(system) == {
        "operation": 1,
        "person": shape.persons,
        "convoy": shape.convoys,
        "incident": shape.incidents,
    }
    assert (shape.persons, shape.convoys, shape.incidents) == (700, 2, 10)
    with system.reading() as conn:
        assert store.count(conn) == 2_000
        result = verify(conn)
        assert result.ok, result.describe()
        # Every person's name went to the vault, none into an event.
        assert conn.execute(select(func.count()).select_from(vault_entries)).scalar() == 700
        convoys = [
            orjson.loads(state)
            for state in conn.execute(
                select(entities.c.state).where(entities.c.kind == "convoy")
            ).scalars()
        ]
        assert {c["status"] for c in convoys} == {"arrived"}
        # Everyone is on exactly one manifest.
        assert sorted(p for c in convoys for p in c["manifest"]) == sorted(
            f"p{n}" for n in range(700)
        )
        before = dump(conn)
    with system.writing() as conn:
        assert rebuild(conn) == 2_000
    with system.reading() as conn:
        assert dump(conn) == before


def test_demo_loads_a_synthetic_operation(tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    result = CliRunner().invoke(
        app,
        ["demo", "-d", str(database), "--synthetic", "300", "--no-serve"],
        env={"COLUMNS": "1000", "MAMAR_LANG": "en"},  # a path is never wrapped mid-word
    )
    assert result.exit_code == 0, result.output
    assert f"loaded {OPERATION} into {database}: 300 events" in result.output
    assert "coordinator" in result.output
