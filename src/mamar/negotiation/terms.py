"""Typed terms of proposals and agreements: what is offered, asked or agreed.

A term is one of a closed set of shapes, told apart by ``type``. Each may carry a
``label`` in the words the parties used, and a ``key`` naming it across versions
of an agreement so that a comparison can say "this term changed" rather than
"one term removed, another added".
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from mamar.domain.errors import DomainError
from mamar.domain.ids import EntityId, RefersTo
from mamar.domain.model import Context, Value
from mamar.domain.text import LocalText, Name, Prose
from mamar.domain.time import AwareDatetime

#: Bounds that keep numbers sensible (and exactly representable in JSON).
MAX_COUNT = 10_000_000
MAX_PHASE = 100


class ConditionKind(StrEnum):
    """What a term or a phase waits for."""

    PHASE_COMPLETED = "phase_completed"  # "phase 2 starts when phase 1 is completed"
    CONVOYS_ARRIVED = "convoys_arrived"  # "when phase 1's convoys arrived" (or named ones)
    TERM_FULFILLED = "term_fulfilled"  # "once the release is carried out"
    IN_EXCHANGE = "in_exchange"  # "in exchange for" another term, carried out together
    OTHER = "other"  # in words only: the system cannot tell whether it holds


class Condition(Value):
    """When a term applies or a phase starts. ``term`` names another term of the same set
    by its key (see :func:`term_keys`); ``convoys`` are convoy ids."""

    kind: ConditionKind
    phase: int | None = Field(default=None, ge=1, le=MAX_PHASE)
    term: Name | None = None
    convoys: tuple[Annotated[EntityId, RefersTo("convoy")], ...] = ()
    description: Prose | None = None

    @model_validator(mode="after")
    def _what_it_names(self) -> Condition:
        needs = {
            ConditionKind.PHASE_COMPLETED: ("phase", self.phase is not None),
            # the convoys named, or those carrying out the phase named (see mamar.links)
            ConditionKind.CONVOYS_ARRIVED: (
                "convoys or phase",
                bool(self.convoys) or self.phase is not None,
            ),
            ConditionKind.TERM_FULFILLED: ("term", self.term is not None),
            ConditionKind.IN_EXCHANGE: ("term", self.term is not None),
            ConditionKind.OTHER: ("description", self.description is not None),
        }
        field, given = needs[self.kind]
        if not given:
            raise PydanticCustomError(
                "condition_incomplete",
                "a condition of kind '{kind}' names its {field}",
                {"kind": self.kind.value, "field": field},
            )
        return self


class TermBase(Value):
    label: Prose | None = None
    key: EntityId | None = None  # stable across agreement versions; see term_key
    # Added later; absent from older journals (defaults keep them readable).
    phase: int | None = Field(default=None, ge=1, le=MAX_PHASE)  # its phase (a PhaseTerm)
    condition: Condition | None = None  # when it applies
    # The proposal it came from.
    proposal: Annotated[EntityId, RefersTo("proposal")] | None = None


class CeasefireTerm(TermBase):
    type: Literal["ceasefire"] = "ceasefire"

    area: Prose
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None

    @field_validator("ends_at")
    @classmethod
    def _ends_after_start(cls, ends_at: datetime | None, info: ValidationInfo) -> datetime | None:
        """Refused on the end (said beside the field where the end is typed)."""
        starts_at = info.data.get("starts_at")
        if starts_at and ends_at and ends_at <= starts_at:
            raise PydanticCustomError("ends_before_start", "ends_at must be after starts_at")
        return ends_at


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
    description: Prose | None = None
    arms: Arms | None = None
    belongings: Prose | None = None  # "personal belongings"
    destination: Annotated[EntityId, RefersTo("place")] | None = None
    destination_text: Prose | None = None  # when the place is not in the gazetteer
    route: Annotated[EntityId, RefersTo("route")] | None = None
    count: int | None = Field(default=None, ge=0, le=MAX_COUNT)  # how many, if the term says


class NonDetentionTerm(TermBase):
    type: Literal["non_detention"] = "non_detention"

    beneficiaries: Prose
    exception: Prose | None = None  # "those involved in blood"


class WeaponsHandoverTerm(TermBase):
    type: Literal["weapons_handover"] = "weapons_handover"

    description: Prose


class PassageTerm(TermBase):
    type: Literal["passage"] = "passage"

    route: Annotated[EntityId, RefersTo("route")] | None = None
    vehicles: Prose | None = None  # "Red Crescent ambulances"


class HumanitarianAccessTerm(TermBase):
    type: Literal["humanitarian_access"] = "humanitarian_access"

    # The parties (organisations) given access.
    organisations: tuple[Annotated[EntityId, RefersTo("party")], ...] = Field(min_length=1)
    description: Prose | None = None


class Released(StrEnum):
    DETAINEES = "detainees"
    PRISONERS_OF_WAR = "prisoners_of_war"
    HOSTAGES = "hostages"
    BODIES = "bodies"
    OTHER = "other"


class ReleaseTerm(TermBase):
    """A release of people held (or the return of bodies), often in exchange for another term."""

    type: Literal["release"] = "release"

    subjects: Released
    count: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    by_party: Annotated[EntityId, RefersTo("party")] | None = None  # who releases
    description: Prose | None = None


class PhaseTerm(TermBase):
    """A phase of the agreement; other terms name it by ``phase``. Its ``condition`` says
    when it starts ("when phase 1's convoys arrived")."""

    type: Literal["phase"] = "phase"

    number: int = Field(ge=1, le=MAX_PHASE)
    description: Prose | None = None


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
    | ReleaseTerm
    | PhaseTerm
    | OtherTerm,
    Field(discriminator="type"),
]

Terms = Annotated[tuple[Term, ...], Field(max_length=200)]


def check_terms(ctx: Context, terms: tuple[Term, ...], field: str = "terms") -> None:
    """Refuse terms that name places, routes, organisations, proposals or convoys the system
    does not know, phases not defined, or conditions on terms not in the set."""
    keys: set[str] = set()
    phases = [t.number for t in terms if isinstance(t, PhaseTerm)]
    named = set(term_keys(terms))
    for index, term in enumerate(terms):
        where = f"{field}[{index}]"
        if isinstance(term, PhaseTerm) and phases.count(term.number) > 1:
            raise DomainError(
                "duplicate_phase", f"phase {term.number} is defined twice", field=f"{where}.number"
            )
        if term.phase is not None and term.phase not in phases:
            raise DomainError(
                "unknown_phase",
                f"there is no phase {term.phase} among these terms (add a phase term)",
                field=f"{where}.phase",
            )
        if term.proposal is not None:
            ctx.require("proposal", term.proposal, f"{where}.proposal")
        if term.condition is not None:
            _check_condition(ctx, term.condition, phases, named, f"{where}.condition")
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
            case ReleaseTerm():
                if term.by_party is not None:
                    ctx.require("party", term.by_party, f"{where}.by_party")
            case _:
                pass


def _check_condition(
    ctx: Context, condition: Condition, phases: list[int], named: set[str], field: str
) -> None:
    if condition.phase is not None and condition.phase not in phases:
        raise DomainError(
            "unknown_phase", f"there is no phase {condition.phase} among these terms", field=field
        )
    if condition.term is not None and condition.term not in named:
        known = ", ".join(sorted(named)) or "none"
        raise DomainError(
            "unknown_term", f"no term has the key '{condition.term}' (keys: {known})", field=field
        )
    seen: set[str] = set()
    for convoy in condition.convoys:
        if convoy in seen:
            raise DomainError("duplicate", f"'{convoy}' is listed more than once", field=field)
        seen.add(convoy)
        ctx.require("convoy", convoy, f"{field}.convoys")


def _natural_key(term: Term) -> str:
    match term:
        case EvacuationTerm():
            return f"evacuation:{term.who.value}"
        case PassageTerm():
            return f"passage:{term.route or ''}"
        case ReleaseTerm():
            return f"release:{term.subjects.value}"
        case PhaseTerm():
            return f"phase:{term.number}"
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


def _words(value: Any) -> Any:
    """A term's value as what it says: a text (``{original, language, translations}``) by
    its words and their translations' words, not by the language it was said to be in, nor
    who translated it. An old term's plain words (read as language ``und``) and the same
    words given now with their language are the same words: a change of words is a change
    of what the parties read."""
    if isinstance(value, dict):
        if "original" in value and set(value) <= {"original", "language", "translations"}:
            translations = value.get("translations") or ()
            return (
                "words",
                value.get("original"),
                tuple(sorted((t.get("text"), t.get("language")) for t in translations)),
            )
        return {key: _words(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_words(item) for item in value]
    return value


def what_it_says(term: Term) -> dict[str, Any]:
    """A term as what it says (see :func:`_words`): two terms saying the same thing are
    equal so, whether recorded before their words kept a language or after."""
    said: dict[str, Any] = _words(term.model_dump(mode="json"))
    return said
