"""A status machine as a table: which status may follow which, and the refusal when none may."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from mamar.domain.errors import IllegalTransition

S = TypeVar("S", bound=StrEnum)


class Transitions(Mapping[S, frozenset[S]], Generic[S]):
    """The statuses a ``kind`` of entity may move to from each status; read-only.

    ``table[status]`` is the set of legal next statuses (empty for a final one). Every
    status a move may lead to must have a row of its own.
    """

    __slots__ = ("_table", "kind")

    def __init__(self, kind: str, table: Mapping[S, frozenset[S]]) -> None:
        unlisted = sorted({s.value for nexts in table.values() for s in nexts} - set(table))
        if unlisted:
            raise ValueError(f"{kind} transitions lead to statuses with no row: {unlisted}")
        self.kind = kind
        self._table: dict[S, frozenset[S]] = dict(table)

    def __getitem__(self, status: S) -> frozenset[S]:
        return self._table[status]

    def __iter__(self) -> Iterator[S]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        return f"Transitions({self.kind!r}, {self._table!r})"

    def allowed_next(self, current: S) -> list[str]:
        """The values of the statuses that may follow ``current``, sorted."""
        return sorted(s.value for s in self._table[current])

    def require(self, current: S, wanted: S) -> None:
        """Refuse (``IllegalTransition``) a move from ``current`` to ``wanted`` the table lacks."""
        if wanted not in self._table[current]:
            raise IllegalTransition(
                self.kind, current.value, wanted.value, self.allowed_next(current)
            )
