"""Reference checks shared by the negotiation, agreement, ceasefire and guarantee commands."""

from __future__ import annotations

from collections.abc import Iterable

from mamar.domain.errors import DomainError
from mamar.domain.model import Context
from mamar.domain.visibility import Role

#: Who may see and set a side's bottom lines, red lines and ceiling.
NEGOTIATORS = frozenset({Role.NEGOTIATOR, Role.COORDINATOR, Role.ADMIN})


def require_each(ctx: Context, kind: str, ids: Iterable[str], field: str) -> None:
    """Every id names an existing ``kind`` the actor may see; none is listed twice."""
    seen: set[str] = set()
    for entity_id in ids:
        if entity_id in seen:
            raise DomainError("duplicate", f"'{entity_id}' is listed more than once", field=field)
        seen.add(entity_id)
        ctx.require(kind, entity_id, field)


def require_optional(ctx: Context, kind: str, entity_id: str | None, field: str) -> None:
    if entity_id is not None:
        ctx.require(kind, entity_id, field)
