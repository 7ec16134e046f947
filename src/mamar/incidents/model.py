"""Incident state, the verification status machine, and how events change it."""

from __future__ import annotations

from pydantic import JsonValue

from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import RECORDED, LocalText, Prose
from mamar.domain.transitions import Transitions
from mamar.incidents.categories import EventType, HumanitarianImpact, SubEventType, Weapon
from mamar.incidents.events import (
    Allegation,
    Breach,
    Casualties,
    Confidence,
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
from mamar.journal.registry import EventData

V = VerificationStatus

# Verification moves forward step by step; anything may be disputed, and a dispute may be
# settled either way; "retracted" is final.
TRANSITIONS = Transitions(
    "incident",
    {
        V.UNVERIFIED: frozenset({V.CORROBORATED, V.DISPUTED, V.RETRACTED}),
        V.CORROBORATED: frozenset({V.VERIFIED, V.DISPUTED, V.RETRACTED}),
        V.VERIFIED: frozenset({V.DISPUTED, V.RETRACTED}),
        V.DISPUTED: frozenset({V.CORROBORATED, V.VERIFIED, V.RETRACTED}),
        V.RETRACTED: frozenset(),
    },
)


#: The facts of an incident that a correction may change.
CORRECTABLE: tuple[str, ...] = (
    "event_type",
    "sub_event_type",
    "weapon",
    "weapon_detail",
    "place",
    "point",
    "description",
    "alleged_perpetrator",
    "perpetrator_confidence",
    "casualties",
    "source",
    "convoy",
    "own_side",
    "allegations",
    "humanitarian",
)


class VerificationEntry(Value):
    status: VerificationStatus
    at: str
    by: str
    reason: Prose | None = None


class Correction(Value):
    """One correction: when, by whom, why, and the values it replaced (``replaced``)."""

    at: str
    by: str
    reason: Prose
    replaced: dict[str, JsonValue]
    changes: dict[str, JsonValue]


class IncidentState(EntityState):
    event_type: EventType
    sub_event_type: SubEventType | None = None
    weapon: Weapon | None = None
    weapon_detail: Prose | None = None
    place: str | None = None
    point: Point | None = None
    description: LocalText
    alleged_perpetrator: str | None = None
    perpetrator_confidence: Confidence = Confidence.UNKNOWN
    casualties: Casualties = Casualties()
    source: Source
    convoy: str | None = None
    own_side: bool = False
    allegations: tuple[Allegation, ...] = ()
    humanitarian: tuple[HumanitarianImpact, ...] = ()
    occurred_at: str  # when it happened, as reported (with the journal's precision)
    reported_by: str
    verification: VerificationStatus = V.UNVERIFIED
    verification_history: tuple[VerificationEntry, ...] = ()
    evidence: tuple[str, ...] = ()
    breaches: tuple[Breach, ...] = ()
    corrections: tuple[Correction, ...] = ()

    def perpetrators(self) -> tuple[Allegation, ...]:
        """Every party alleged to be the perpetrator: the one named on the report first
        (with its confidence), then each allegation, most confident first."""
        named: list[Allegation] = []
        if self.alleged_perpetrator is not None:
            named.append(
                Allegation(party=self.alleged_perpetrator, confidence=self.perpetrator_confidence)
            )
        rank = list(Confidence)
        named.extend(sorted(self.allegations, key=lambda a: rank.index(a.confidence)))
        return tuple(named)

    def main_allegation(self) -> Allegation | None:
        """The party named on the report, else the most confident allegation (exports
        with one perpetrator column give this one)."""
        found = self.perpetrators()
        return found[0] if found else None

    @property
    def main_perpetrator(self) -> str | None:
        main = self.main_allegation()
        return main.party if main else None


@aggregate("incident", IncidentState)
def evolve(state: IncidentState | None, event: EventData, meta: EventMeta) -> IncidentState:
    if isinstance(event, IncidentReported):
        facts = event.model_dump(exclude={"evidence"})
        return IncidentState(
            **base_fields(meta),
            **facts,
            evidence=event.evidence,
            occurred_at=meta.occurred_at,
            reported_by=meta.actor,
            verification_history=(
                VerificationEntry(status=V.UNVERIFIED, at=meta.occurred_at, by=meta.actor),
            ),
        )
    assert state is not None
    match event:
        case IncidentVerificationChanged():
            entry = VerificationEntry(
                status=event.status, at=meta.occurred_at, by=meta.actor, reason=event.reason
            )
            return touched(
                state,
                meta,
                verification=event.status,
                verification_history=(*state.verification_history, entry),
            )
        case IncidentEvidenceAdded():
            new = tuple(h for h in event.hashes if h not in state.evidence)
            return touched(state, meta, evidence=(*state.evidence, *new))
        case IncidentCorrected():
            correction = Correction(
                at=meta.occurred_at,
                by=meta.actor,
                reason=event.reason,
                replaced=event.previous,
                changes=event.changes,
            )
            # Re-read through the model so corrected values regain their types.
            data = {**state.model_dump(mode="json"), **event.changes}
            corrected = IncidentState.model_validate(data, context=RECORDED)
            return touched(corrected, meta, corrections=(*state.corrections, correction))
        case IncidentBreachLinked():
            return touched(state, meta, breaches=(*state.breaches, event.breach))
        case IncidentAllegationAdded():
            return touched(state, meta, allegations=(*state.allegations, event.allegation))
    return state
