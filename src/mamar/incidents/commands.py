"""Commands on incidents and the decisions that accept or refuse them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, ClassVar

from pydantic import Field

from mamar.domain.errors import DomainError
from mamar.domain.ids import EntityId, Reference, RefersTo
from mamar.domain.model import Command, Context, CreateCommand, decides
from mamar.domain.text import LocalText, Prose
from mamar.domain.visibility import Visibility
from mamar.incidents.categories import (
    SUB_EVENT_TYPES,
    EventType,
    HumanitarianImpact,
    SubEventType,
    Weapon,
)
from mamar.incidents.events import (
    Allegation,
    Breach,
    Casualties,
    Confidence,
    EvidenceHash,
    IncidentAllegationAdded,
    IncidentBreachLinked,
    IncidentCorrected,
    IncidentEvidenceAdded,
    IncidentReported,
    IncidentVerificationChanged,
    Point,
    Source,
    VerificationStatus,
)
from mamar.incidents.model import CORRECTABLE, TRANSITIONS, IncidentState
from mamar.journal.registry import EventData


class ReportIncident(CreateCommand):
    command_name: ClassVar[str] = "incident.report"
    kind: ClassVar[str] = "incident"
    default_visibility: ClassVar[Visibility] = Visibility.SHARED

    event_type: EventType
    sub_event_type: SubEventType | None = None
    weapon: Weapon | None = None
    weapon_detail: Prose | None = None
    place: Annotated[Reference, RefersTo("place")] | None = None
    point: Point | None = None
    description: LocalText
    alleged_perpetrator: Annotated[Reference, RefersTo("party")] | None = None
    perpetrator_confidence: Confidence = Confidence.UNKNOWN
    casualties: Casualties = Casualties()
    source: Source
    evidence: tuple[EvidenceHash, ...] = ()
    convoy: Annotated[Reference, RefersTo("convoy")] | None = None
    # Actions by one's own side (returning fire) are recorded like anyone else's.
    own_side: bool = False
    # Several parties alleged, each with its confidence and who alleges it (mutual blame).
    allegations: tuple[Allegation, ...] = ()
    humanitarian: tuple[HumanitarianImpact, ...] = ()


class ChangeIncidentVerification(Command):
    command_name: ClassVar[str] = "incident.change_verification"
    kind: ClassVar[str] = "incident"

    status: VerificationStatus
    reason: Prose | None = None


class AddIncidentEvidence(Command):
    command_name: ClassVar[str] = "incident.add_evidence"
    kind: ClassVar[str] = "incident"

    hashes: tuple[EvidenceHash, ...] = Field(min_length=1)
    note: Prose | None = None


class CorrectIncident(Command):
    """Replace some facts; only the fields given are corrected (give ``null`` to clear one)."""

    command_name: ClassVar[str] = "incident.correct"
    kind: ClassVar[str] = "incident"

    reason: Prose
    event_type: EventType | None = None
    sub_event_type: SubEventType | None = None
    weapon: Weapon | None = None
    weapon_detail: Prose | None = None
    place: Annotated[Reference, RefersTo("place")] | None = None
    point: Point | None = None
    description: LocalText | None = None
    alleged_perpetrator: Annotated[Reference, RefersTo("party")] | None = None
    perpetrator_confidence: Confidence | None = None
    casualties: Casualties | None = None
    source: Source | None = None
    convoy: Annotated[Reference, RefersTo("convoy")] | None = None
    own_side: bool | None = None
    allegations: tuple[Allegation, ...] | None = None
    humanitarian: tuple[HumanitarianImpact, ...] | None = None


class AddIncidentAllegation(Command):
    """Another party is alleged to be the perpetrator, by someone, with some confidence."""

    command_name: ClassVar[str] = "incident.add_allegation"
    kind: ClassVar[str] = "incident"

    allegation: Allegation


class LinkIncidentBreach(Command):
    command_name: ClassVar[str] = "incident.link_breach"
    kind: ClassVar[str] = "incident"

    agreement: Annotated[EntityId, RefersTo("agreement")]
    agreement_version: int | None = None  # default: the agreement's current version
    term: int = Field(ge=0)
    note: Prose | None = None


# Facts every incident has; a correction may change them but not clear them.
_REQUIRED = frozenset(
    {
        "event_type",
        "description",
        "perpetrator_confidence",
        "casualties",
        "source",
        "own_side",
        "allegations",
        "humanitarian",
    }
)


def _check_allegations(ctx: Context, allegations: Sequence[Allegation], field: str) -> None:
    seen: set[tuple[str, str | None]] = set()
    for allegation in allegations:
        ctx.require("party", allegation.party, field)
        if allegation.alleged_by is not None:
            ctx.require("party", allegation.alleged_by, field)
        key = (allegation.party, allegation.alleged_by)
        if key in seen:
            raise DomainError(
                "allegation_twice",
                f"'{allegation.party}' is already alleged by the same party",
                field=field,
            )
        seen.add(key)


def _check_facts(facts: dict[str, Any], ctx: Context, changed: Sequence[str]) -> None:
    """Rules across fields, and references (only for ``changed`` fields)."""
    event_type, sub = facts["event_type"], facts["sub_event_type"]
    if sub is not None and sub not in SUB_EVENT_TYPES[event_type]:
        allowed = ", ".join(sorted(s.value for s in SUB_EVENT_TYPES[event_type]))
        raise DomainError(
            "wrong_sub_event_type",
            f"'{sub.value}' is not a kind of '{event_type.value}'; choose one of: {allowed}",
            field="sub_event_type",
        )
    detail = facts["weapon_detail"]
    if facts["weapon"] is Weapon.OTHER and not (detail and detail.original):
        raise DomainError(
            "weapon_detail_required",
            "describe the weapon when its kind is 'other'",
            field="weapon_detail",
        )
    if facts["alleged_perpetrator"] is None and facts["perpetrator_confidence"] not in (
        Confidence.UNKNOWN,
        None,
    ):
        raise DomainError(
            "perpetrator_required",
            "a confidence needs an alleged perpetrator; otherwise leave it 'unknown'",
            field="perpetrator_confidence",
        )
    references = {"place": "place", "alleged_perpetrator": "party", "convoy": "convoy"}
    for field, kind in references.items():
        if field in changed and facts[field] is not None:
            ctx.require(kind, facts[field], field)
    if "allegations" in changed and facts["allegations"]:
        _check_allegations(ctx, facts["allegations"], "allegations")
    if len(set(facts["humanitarian"] or ())) != len(facts["humanitarian"] or ()):
        raise DomainError(
            "duplicate_category", "a humanitarian category is given twice", field="humanitarian"
        )


def _not_retracted(state: IncidentState) -> None:
    if state.verification is VerificationStatus.RETRACTED:
        raise DomainError(
            "incident_retracted",
            "the incident was retracted; its record is closed",
            field="id",
        )


@decides(ReportIncident)
def report(state: None, cmd: ReportIncident, ctx: Context) -> list[EventData]:
    facts = {f: getattr(cmd, f) for f in CORRECTABLE}
    _check_facts(facts, ctx, CORRECTABLE)
    if len(set(cmd.evidence)) != len(cmd.evidence):
        raise DomainError(
            "duplicate_evidence", "an evidence hash is listed twice", field="evidence"
        )
    return [
        IncidentReported(
            event_type=cmd.event_type,
            sub_event_type=cmd.sub_event_type,
            weapon=cmd.weapon,
            weapon_detail=cmd.weapon_detail,
            place=cmd.place,
            point=cmd.point,
            description=cmd.description,
            alleged_perpetrator=cmd.alleged_perpetrator,
            perpetrator_confidence=cmd.perpetrator_confidence,
            casualties=cmd.casualties,
            source=cmd.source,
            evidence=cmd.evidence,
            convoy=cmd.convoy,
            own_side=cmd.own_side,
            allegations=cmd.allegations,
            humanitarian=cmd.humanitarian,
        )
    ]


@decides(ChangeIncidentVerification)
def change_verification(
    state: IncidentState, cmd: ChangeIncidentVerification, ctx: Context
) -> list[EventData]:
    TRANSITIONS.require(state.verification, cmd.status)
    return [
        IncidentVerificationChanged(
            status=cmd.status, previous=state.verification, reason=cmd.reason
        )
    ]


@decides(AddIncidentEvidence)
def add_evidence(state: IncidentState, cmd: AddIncidentEvidence, ctx: Context) -> list[EventData]:
    _not_retracted(state)
    if len(set(cmd.hashes)) != len(cmd.hashes):
        raise DomainError("duplicate_evidence", "an evidence hash is listed twice", field="hashes")
    known = [h for h in cmd.hashes if h in state.evidence]
    if known:
        raise DomainError(
            "evidence_already_recorded",
            f"already recorded for this incident: {', '.join(known)}",
            field="hashes",
        )
    return [IncidentEvidenceAdded(hashes=cmd.hashes, note=cmd.note)]


@decides(CorrectIncident)
def correct(state: IncidentState, cmd: CorrectIncident, ctx: Context) -> list[EventData]:
    _not_retracted(state)
    if not cmd.reason.original:
        raise DomainError("reason_required", "say why the record is corrected", field="reason")
    given = [f for f in CORRECTABLE if f in cmd.model_fields_set]
    for field in given:
        if field in _REQUIRED and getattr(cmd, field) is None:
            raise DomainError("required", "this fact can be corrected but not cleared", field=field)
    changed = [f for f in given if getattr(cmd, f) != getattr(state, f)]
    if not changed:
        raise DomainError(
            "unchanged", "nothing to correct: give at least one fact with a new value"
        )
    facts = {f: getattr(state, f) for f in CORRECTABLE}
    facts.update({f: getattr(cmd, f) for f in changed})
    _check_facts(facts, ctx, changed)
    updated = state.model_copy(update={f: getattr(cmd, f) for f in changed})
    return [
        IncidentCorrected(
            changes=updated.model_dump(mode="json", include=set(changed)),
            previous=state.model_dump(mode="json", include=set(changed)),
            reason=cmd.reason,
        )
    ]


def _agreement_terms(
    agreement: Any, wanted: int | None
) -> tuple[int | None, Sequence[object] | None]:
    """The agreement version meant (default: current) and its terms, as far as known."""
    current = getattr(agreement, "current_version", None) or None
    version = wanted if wanted is not None else current
    find = getattr(agreement, "version", None)
    if version is None or not callable(find):
        terms = getattr(agreement, "terms", None)
        return version, terms if isinstance(terms, Sequence) else None
    held = find(version)
    if held is None:
        raise DomainError(
            "unknown_version",
            f"the agreement has no version {version}",
            field="agreement_version",
        )
    return version, held.terms


@decides(LinkIncidentBreach)
def link_breach(state: IncidentState, cmd: LinkIncidentBreach, ctx: Context) -> list[EventData]:
    _not_retracted(state)
    agreement = ctx.require("agreement", cmd.agreement, "agreement")
    version, terms = _agreement_terms(agreement, cmd.agreement_version)
    if terms is not None and cmd.term >= len(terms):
        raise DomainError(
            "unknown_term",
            f"agreement '{cmd.agreement}' has {len(terms)} terms; there is no term {cmd.term}"
            " (terms are counted from 0)",
            field="term",
        )
    breach = Breach(agreement=cmd.agreement, agreement_version=version, term=cmd.term)
    if breach in state.breaches:
        raise DomainError(
            "breach_already_linked",
            "this incident is already linked to that term",
            field="term",
        )
    return [IncidentBreachLinked(breach=breach, note=cmd.note)]


@decides(AddIncidentAllegation)
def add_allegation(
    state: IncidentState, cmd: AddIncidentAllegation, ctx: Context
) -> list[EventData]:
    _not_retracted(state)
    _check_allegations(ctx, (*state.allegations, cmd.allegation), "allegation")
    return [IncidentAllegationAdded(allegation=cmd.allegation)]
