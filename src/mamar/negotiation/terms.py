"""Typed terms of proposals and agreements: what is offered, asked or agreed.

A term is one of a closed set of shapes, told apart by ``type``. Each may carry a
``label`` in the words the parties used, and a ``key`` naming it across versions
of an agreement so that a comparison can say "this term changed" rather than
"one term removed, another added".
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from mamar.domain.errors import DomainError
from mamar.domain.ids import EntityId
from mamar.domain.model import Context, Value
from mamar.domain.text import FreeText, LocalText
from mamar.domain.time import AwareDatetime


class TermBase(Value):
    label: LocalText | None = None
    key: EntityId | None = None  # stable across agreement versions; see term_key


class CeasefireTerm(TermBase):
    type: Literal["ceasefire"] = "ceasefire"

    area: FreeText
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> CeasefireTerm:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise PydanticCustomError("ends_before_start", "ends_at must be after starts_at")
        return self


class Evacuees(StrEnum):
    WOUNDED = "wounded"
    CIVILIANS = "civilians"
    FIGHTERS = "fighters"
    EVERYONE = "everyone"
    OTHER = "other"


class Arms(StrEnum):
    NONE = "none"
    LIGHT = "light"
    PERSONAL = "personal"
    ALL = "all"


class EvacuationTerm(TermBase):
    type: Literal["evacuation"] = "evacuation"

    who: Evacuees
    description: FreeText | None = None
    arms: Arms | None = None
    belongings: FreeText | None = None  # "personal belongings"
    destination: EntityId | None = None  # a place id
    destination_text: FreeText | None = None  # when the place is not in the gazetteer
    route: EntityId | None = None


class NonDetentionTerm(TermBase):
    type: Literal["non_detention"] = "non_detention"

    beneficiaries: FreeText
    exception: FreeText | None = None  # "those involved in blood"


class WeaponsHandoverTerm(TermBase):
    type: Literal["weapons_handover"] = "weapons_handover"

    description: FreeText


class PassageTerm(TermBase):
    type: Literal["passage"] = "passage"

    route: EntityId | None = None
    vehicles: FreeText | None = None  # "Red Crescent ambulances"


class HumanitarianAccessTerm(TermBase):
    type: Literal["humanitarian_access"] = "humanitarian_access"

    organisations: tuple[EntityId, ...] = Field(min_length=1)  # party ids
    description: FreeText | None = None


class OtherTerm(TermBase):
    type: Literal["other"] = "other"

    text: LocalText


Term = Annotated[
    CeasefireTerm
    | EvacuationTerm
    | NonDetentionTerm
    | WeaponsHandoverTerm
    | PassageTerm
    | HumanitarianAccessTerm
    | OtherTerm,
    Field(discriminator="type"),
]

Terms = Annotated[tuple[Term, ...], Field(max_length=200)]


def check_terms(ctx: Context, terms: tuple[Term, ...], field: str = "terms") -> None:
    """Refuse terms that name places, routes or organisations the system does not know."""
    keys: set[str] = set()
    for index, term in enumerate(terms):
        where = f"{field}[{index}]"
        if term.key is not None:
            if term.key in keys:
                raise DomainError(
                    "duplicate_term_key",
                    f"two terms share the key '{term.key}'",
                    field=f"{where}.key",
                )
            keys.add(term.key)
        match term:
            case EvacuationTerm():
                if term.destination is not None:
                    ctx.require("place", term.destination, f"{where}.destination")
                if term.route is not None:
                    ctx.require("route", term.route, f"{where}.route")
            case PassageTerm():
                if term.route is not None:
                    ctx.require("route", term.route, f"{where}.route")
            case HumanitarianAccessTerm():
                for org in term.organisations:
                    ctx.require("party", org, f"{where}.organisations")
            case _:
                pass


def _natural_key(term: Term) -> str:
    match term:
        case EvacuationTerm():
            return f"evacuation:{term.who.value}"
        case PassageTerm():
            return f"passage:{term.route or ''}"
        case _:
            return term.type


def term_keys(terms: tuple[Term, ...]) -> list[str]:
    """One key per term, for matching terms across versions.

    The explicit ``key`` when given; otherwise the kind of term (and, for an
    evacuation, who leaves; for a passage, the route), numbered when repeated.
    """
    seen: dict[str, int] = {}
    out: list[str] = []
    for term in terms:
        base = term.key if term.key is not None else _natural_key(term)
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return out
