"""The operation overview at a moment: ceasefire, convoys, escalations, guarantees, incidents, totals.

Pure: it takes the states a viewer may see (already filtered by compartment) and
the moment, and returns plain data for the CLI, the API and the pages alike.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mamar.ceasefires.model import CeasefireState
from mamar.convoys.model import ConvoyState
from mamar.domain.model import EntityState
from mamar.escalations.model import (
    EscalationState,
    EscalationStatus,
    seconds_waiting,
    time_to_respond_seconds,
)
from mamar.guarantees.model import GuaranteeState
from mamar.incidents.model import IncidentState
from mamar.manifests.counts import manifest_counts
from mamar.manifests.model import VehicleState


def _ceasefire(c: CeasefireState) -> dict[str, Any]:
    return {
        "id": c.id,
        "status": c.status.value,
        "agreement": c.agreement,
        "agreement_version": c.agreement_version,
        "since": c.history[-1].at if c.history else c.created_at,
        "violations": len(c.violations),
    }


def _guarantee(g: GuaranteeState) -> dict[str, Any]:
    return {
        "id": g.id,
        "guarantor": g.guarantor,
        "given_to": g.given_to,
        "what": g.what.model_dump(),
        "outcome": g.outcome.value,
    }


_CLOSED = (EscalationStatus.RESOLVED, EscalationStatus.UNRESOLVED)


def _escalations(states: Sequence[EntityState], at: datetime) -> list[dict[str, Any]]:
    rows = [
        {
            "id": e.id,
            "to": e.to_party or e.to_person,
            "status": e.status.value,
            "raised_at": e.raised_at,
            "awaiting_since": e.awaiting_since,
            "waiting_seconds": seconds_waiting(e, at),
            "answered_after_seconds": time_to_respond_seconds(e),
        }
        for e in states
        if isinstance(e, EscalationState) and e.status not in _CLOSED
    ]
    return sorted(rows, key=lambda row: row["raised_at"])


Totals = tuple[int, int, int]  # planned, boarded, arrived


@dataclass(frozen=True)
class Part:
    """What one state gives a summary, worked out from that state alone: a summary is
    folded from its states' parts (:func:`fold`), so an overview kept up to date works
    out again only the parts of the records that changed (``reads.overviews``)."""

    kind: str  # ceasefire, convoy, vehicle, escalation, guarantee, incident
    value: Any


def part_of(state: EntityState) -> Part | None:
    """``state``'s part of a summary (None: it gives none)."""
    if isinstance(state, CeasefireState):
        return Part("ceasefire", _ceasefire(state))
    if isinstance(state, ConvoyState):
        item = {"id": state.id, "name": state.name.model_dump(), "since": state.history[-1].at}
        counted = state.counts
        totals = (counted.planned or 0, counted.boarded or 0, counted.arrived or 0)
        return Part("convoy", (state.status.value, item, totals))
    if isinstance(state, VehicleState):
        # Where the viewer sees a convoy's manifests, its people are counted from them;
        # elsewhere the counted totals stand (names are not always taken).
        listed = manifest_counts([state]).get(state.convoy)
        if listed is None:
            return None
        return Part("vehicle", (state.convoy, (listed.planned, listed.boarded, listed.arrived)))
    if isinstance(state, EscalationState):
        return Part("escalation", state)
    if isinstance(state, GuaranteeState):
        return Part("guarantee", _guarantee(state))
    if isinstance(state, IncidentState):
        if state.verification.value == "retracted":
            return None
        sub = state.sub_event_type.value if state.sub_event_type else "unspecified"
        killed = state.casualties.killed.total if state.casualties.killed is not None else 0
        injured = state.casualties.injured.total if state.casualties.injured is not None else 0
        category = f"{state.event_type.value}/{sub}"
        return Part("incident", (category, state.alleged_perpetrator or "unknown", killed, injured))
    return None


@dataclass(frozen=True)
class Summary:
    """What an overview says that does not depend on the moment it is read at.

    The one part that does (how long each open escalation has waited) is kept as
    the escalations' states and worked out by :meth:`at`.
    """

    ceasefires: list[dict[str, Any]]
    convoys_by_status: dict[str, list[dict[str, Any]]]
    guarantees: list[dict[str, Any]]
    guarantee_outcomes: dict[str, int]
    incidents: dict[str, Any]
    evacuated: dict[str, int]
    escalations: tuple[EscalationState, ...]

    def at(self, moment: datetime) -> dict[str, Any]:
        """The overview as read at ``moment``."""
        return {
            "at": moment.isoformat(),
            "ceasefires": self.ceasefires,
            "convoys_by_status": self.convoys_by_status,
            "open_escalations": _escalations(self.escalations, moment),
            "guarantees": self.guarantees,
            "guarantee_outcomes": self.guarantee_outcomes,
            "incidents": self.incidents,
            "evacuated": self.evacuated,
        }


#: The kinds of state :func:`summarise` reads (it passes over any other it is given).
SUMMARISED: tuple[type[EntityState], ...] = (
    CeasefireState,
    ConvoyState,
    EscalationState,
    GuaranteeState,
    IncidentState,
    VehicleState,
)


def summarise(states: Sequence[EntityState]) -> Summary:
    """Summarise an operation's states (already filtered by compartment)."""
    return fold(p for p in map(part_of, states) if p is not None)


def fold(parts: Iterable[Part]) -> Summary:
    """The summary of the states whose parts are ``parts`` (in the states' order)."""
    ceasefires: list[dict[str, Any]] = []
    convoys: list[tuple[str, dict[str, Any], Totals]] = []
    listed: dict[str, list[int]] = {}
    guarantees: list[dict[str, Any]] = []
    escalations: list[EscalationState] = []
    by_category: Counter[str] = Counter()
    by_perpetrator: Counter[str] = Counter()
    killed = injured = 0
    for part in parts:
        kind, value = part.kind, part.value
        if kind == "vehicle":
            convoy, counted = value
            sums = listed.setdefault(convoy, [0, 0, 0])
            for i, n in enumerate(counted):
                sums[i] += n
        elif kind == "convoy":
            convoys.append(value)
        elif kind == "incident":
            category, perpetrator, k, i = value
            by_category[category] += 1
            by_perpetrator[perpetrator] += 1
            killed += k
            injured += i
        elif kind == "ceasefire":
            ceasefires.append(value)
        elif kind == "guarantee":
            guarantees.append(value)
        elif kind == "escalation":
            escalations.append(value)
    by_status: dict[str, list[dict[str, Any]]] = defaultdict(list)
    totals = [0, 0, 0]
    for status, item, counted in convoys:
        by_status[status].append(item)
        for i, n in enumerate(listed.get(item["id"]) or counted):
            totals[i] += n
    return Summary(
        ceasefires=ceasefires,
        convoys_by_status=dict(sorted(by_status.items())),
        guarantees=guarantees,
        guarantee_outcomes=dict(sorted(Counter(g["outcome"] for g in guarantees).items())),
        incidents={
            "by_category": dict(sorted(by_category.items())),
            "by_alleged_perpetrator": dict(sorted(by_perpetrator.items())),
            "killed": killed,
            "injured": injured,
        },
        evacuated=dict(zip(("planned", "boarded", "arrived"), totals, strict=True)),
        escalations=tuple(escalations),
    )


def build_overview(states: Sequence[EntityState], *, at: datetime) -> dict[str, Any]:
    """Summarise an operation's states as of ``at``."""
    return summarise(states).at(at)
