"""References from one entity to others, checked against what the actor may see."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated

from mamar.domain.errors import DomainError
from mamar.domain.ids import EntityId, KindName, RefersTo
from mamar.domain.model import Context, Value, aggregates


class WhoKind(StrEnum):
    PARTY = "party"
    PERSON = "person"


class PartyOrPerson(Value):
    """Someone who acts: a party, or a person (ids of the two kinds may coincide)."""

    kind: WhoKind
    id: EntityId


class EntityRef(Value):
    """Any entity, named by its kind (``convoy``, ``place`` …) and id."""

    kind: KindName
    id: EntityId


#: Someone who acts, picked among the parties and the persons.
Who = Annotated[PartyOrPerson, RefersTo("party", "person")]

#: The kinds of record a note or a task is picked as being about.
RELATED_KINDS = (
    "convoy", "incident", "route", "place", "party", "agreement", "ceasefire", "guarantee",
    "escalation", "contact", "issue", "notification", "task",
)  # fmt: skip
#: A record a note or a task is about.
Related = Annotated[EntityRef, RefersTo(*RELATED_KINDS)]


def require_who(ctx: Context, who: PartyOrPerson | None, field: str) -> None:
    if who is not None:
        ctx.require(who.kind.value, who.id, field)


def require_all(ctx: Context, kind: str, ids: Iterable[str], field: str) -> None:
    for entity_id in ids:
        ctx.require(kind, entity_id, field)


def require_whos(ctx: Context, whos: Iterable[PartyOrPerson], field: str) -> None:
    for who in whos:
        require_who(ctx, who, field)


def require_refs(ctx: Context, refs: Iterable[EntityRef], field: str) -> None:
    known = aggregates()
    for ref in refs:
        if ref.kind not in known:
            raise DomainError(
                "unknown_kind", f"there are no records of kind '{ref.kind}'", field=field
            )
        ctx.require(ref.kind, ref.id, field)


def refuse_duplicates(values: Iterable[object], field: str) -> None:
    seen: list[object] = []
    for value in values:
        if value in seen:
            raise DomainError("duplicate", f"{value} is listed more than once", field=field)
        seen.append(value)
