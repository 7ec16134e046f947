"""Statements run on the driver connection itself, for the append path.

SQLAlchemy's execution machinery costs more per statement than SQLite takes to
run it; an append runs about eight. These run in the same transaction as the
SQLAlchemy connection they come from. SQL is written with ``:name`` parameters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

_NAMED = re.compile(r"(?<!:):(\w+)")


class Statement:
    def __init__(self, sql: str, *, postgres: str | None = None) -> None:
        self.sqlite = sql
        self.postgres = _NAMED.sub(r"%(\1)s", postgres or sql)

    def _text(self, conn: Connection) -> str:
        return self.postgres if conn.dialect.name == "postgresql" else self.sqlite

    def run(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Any:
        """Execute once; returns the driver's cursor (fetchone, rowcount)."""
        driver: Any = conn.connection.driver_connection
        # Both drivers' connections execute on a cursor of their own and return it.
        return driver.execute(self._text(conn), params or {})

    def many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        if len(rows) == 1:
            # One row (a single-event append): execute costs the drivers less than executemany.
            cursor.execute(self._text(conn), rows[0])
        else:
            cursor.executemany(self._text(conn), rows)


def insert_statement(table: str, columns: Sequence[str]) -> Statement:
    names = ", ".join(columns)
    values = ", ".join(f":{c}" for c in columns)
    return Statement(f"INSERT INTO {table} ({names}) VALUES ({values})")
