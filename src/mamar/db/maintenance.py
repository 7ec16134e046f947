"""The planner's view of the tables after a bulk write.

A bulk write (a synthetic operation, a large import, a rebuild of the read models)
changes the tables' make-up at once. Until their statistics are refreshed the
planner plans for the tables as they were (PostgreSQL: as empty, right after a
load), and until PostgreSQL has vacuumed them its index-only scans still read
every heap page the load wrote, to check each row's visibility (bench/README.md:
635,702 heap fetches for one overview as of a moment, at 1,000,000 events).
Autovacuum gets there eventually, if it is on and when it is due; a bulk writer
does it at once.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

from mamar.db.tables import (
    entities,
    entity_history,
    entity_members,
    journal,
    merkle_nodes,
    vault_entries,
    vault_terms,
)

#: From this many records written at once (people imported, incidents imported), a
#: writer calls ``Mamar.after_bulk_write`` once it has committed.
BULK_RECORDS = 1000

# What a bulk write fills: the journal and its tree, the read models, the vault.
BULK_TABLES = tuple(
    t.name
    for t in (
        journal,
        merkle_nodes,
        entities,
        entity_history,
        entity_members,
        vault_entries,
        vault_terms,
    )
)


def vacuum_analyze_postgres(engine: Engine) -> None:
    """``VACUUM (ANALYZE)`` the bulk-written tables: each page's rows marked visible
    to every transaction (index-only scans stop reading the heap), statistics
    refreshed. ``VACUUM`` cannot run in a transaction: this takes a connection of
    its own, in autocommit, and should run after the bulk write has committed."""
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text(f"VACUUM (ANALYZE) {', '.join(BULK_TABLES)}"))


def analyze_sqlite(conn: Connection) -> None:
    """SQLite's statistics of the bulk-written tables (``sqlite_stat1``), by a bounded
    ``ANALYZE`` (at most 1,000 rows of each index: seconds, not minutes, at a million
    events), in the writer's transaction ``conn``."""
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA analysis_limit=1000")
    for name in BULK_TABLES:
        driver.execute(f"ANALYZE {name}")
