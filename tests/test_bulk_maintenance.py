"""After a bulk write the planner sees the tables as they are (``db.maintenance``,
``Mamar.after_bulk_write``): PostgreSQL's tables vacuumed (every page all-visible, so
an index-only scan reads no heap) and analysed, SQLite's analysed (``sqlite_stat1``)."""

from __future__ import annotations

from sqlalchemy import Connection, text
from typer.testing import CliRunner

from mamar.cli import app
from mamar.db.maintenance import BULK_TABLES
from mamar.scenarios.synthetic import generate
from mamar.system import Mamar

READ_SIDE = ("journal", "entities", "entity_history", "entity_members")


def pg_rows(conn: Connection) -> dict[str, float]:
    """The planner's estimate of each table's rows (-1: never analysed)."""
    rows = conn.execute(
        text("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(:t)"),
        {"t": list(READ_SIDE)},
    )
    return {r.relname: r.reltuples for r in rows}


def heap_fetches(plan: object) -> int:
    if isinstance(plan, dict):
        own = int(plan.get("Heap Fetches", 0))
        return own + sum(heap_fetches(v) for v in plan.values())
    if isinstance(plan, list):
        return sum(heap_fetches(v) for v in plan)
    return 0


def pg_heap_fetches(conn: Connection, table: str, key: str) -> int:
    """Heap pages an index-only scan of ``table``'s primary key had to read to check
    rows' visibility: none once the table is vacuumed."""
    conn.execute(text("SET LOCAL enable_seqscan = off"))
    conn.execute(text("SET LOCAL enable_bitmapscan = off"))
    plan = conn.execute(
        text(f"EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM {table} WHERE {key} >= ''")
    ).scalar()
    assert "Index Only Scan" in str(plan)
    return heap_fetches(plan)


def sqlite_analysed(conn: Connection) -> set[str]:
    if not conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        return set()
    return {r[0] for r in conn.exec_driver_sql("SELECT tbl FROM sqlite_stat1")}


def settled(system: Mamar) -> bool:
    with system.reading() as conn:
        if conn.dialect.name == "sqlite":
            return set(READ_SIDE) <= sqlite_analysed(conn)
        rows = pg_rows(conn)
        fetches = pg_heap_fetches(conn, "entity_history", "stream") + pg_heap_fetches(
            conn, "entities", "stream"
        )
    return set(rows) == set(READ_SIDE) and min(rows.values()) > 0 and fetches == 0


def test_the_tables_a_bulk_write_fills_exist() -> None:
    from mamar.db.tables import metadata

    assert set(BULK_TABLES) <= set(metadata.tables)
    assert set(READ_SIDE) <= set(BULK_TABLES)


def test_a_synthetic_operation_leaves_the_tables_vacuumed_and_analysed(system: Mamar) -> None:
    assert not settled(system)  # a fresh database: nothing analysed yet
    generate(system, 1_000)
    assert settled(system)


def test_rebuild_leaves_the_read_models_vacuumed_and_analysed(
    system: Mamar, database_url: str
) -> None:
    generate(system, 500)
    with system.writing() as conn:  # the planner's view forgotten, pages written anew
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DELETE FROM sqlite_stat1")
        else:
            conn.execute(text("UPDATE entities SET position = position"))
            conn.execute(text("UPDATE entity_history SET version = version"))
    assert not settled(system)
    result = CliRunner().invoke(app, ["rebuild", "--database", database_url])
    assert result.exit_code == 0, result.output
    assert settled(system)
