"""The operation overview at a moment: ceasefire, convoys, escalations, guarantees, incidents, totals.

Pure: it takes the states a viewer may see (already filtered by compartment) and
the moment, and returns plain data for the CLI, the API and the pages alike.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

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

T = TypeVar("T", bound=EntityState)


def _of(states: Sequence[EntityState], cls: type[T]) -> list[T]:
    return [s for s in states if isinstance(s, cls)]


def _ceasefires(states: Sequence[EntityState]) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "status": c.status.value,
            "agreement": c.agreement,
            "agreement_version": c.agreement_version,
            "since": c.history[-1].at if c.history else c.created_at,
            "violations": len(c.violations),
        }
        for c in _of(states, CeasefireState)
    ]


def _convoys(
    states: Sequence[EntityState],
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int]]:
    by_status: dict[str, list[dict[str, Any]]] = defaultdict(list)
    totals = {"planned": 0, "boarded": 0, "arrived": 0}
    # Where the viewer sees a convoy's manifests, its people are counted from them;
    # elsewhere the counted totals stand (names are not always taken).
    listed = manifest_counts(states)
    for convoy in _of(states, ConvoyState):
        by_status[convoy.status.value].append(
            {"id": convoy.id, "name": convoy.name.model_dump(), "since": convoy.history[-1].at}
        )
        counts = listed.get(convoy.id) or convoy.counts
        totals["planned"] += counts.planned or 0
        totals["boarded"] += counts.boarded or 0
        totals["arrived"] += counts.arrived or 0
    return dict(sorted(by_status.items())), totals


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
        for e in _of(states, EscalationState)
        if e.status not in _CLOSED
    ]
    return sorted(rows, key=lambda row: row["raised_at"])


def _guarantees(states: Sequence[EntityState]) -> list[dict[str, Any]]:
    return [
        {
            "id": g.id,
            "guarantor": g.guarantor,
            "given_to": g.given_to,
            "what": g.what.model_dump(),
            "outcome": g.outcome.value,
        }
        for g in _of(states, GuaranteeState)
    ]


def _incidents(states: Sequence[EntityState]) -> dict[str, Any]:
    by_category: Counter[str] = Counter()
    by_perpetrator: Counter[str] = Counter()
    killed = injured = 0
    for incident in _of(states, IncidentState):
        if incident.verification.value == "retracted":
            continue
        sub = incident.sub_event_type.value if incident.sub_event_type else "unspecified"
        by_category[f"{incident.event_type.value}/{sub}"] += 1
        by_perpetrator[incident.alleged_perpetrator or "unknown"] += 1
        if incident.casualties.killed is not None:
            killed += incident.casualties.killed.total
        if incident.casualties.injured is not None:
            injured += incident.casualties.injured.total
    return {
        "by_category": dict(sorted(by_category.items())),
        "by_alleged_perpetrator": dict(sorted(by_perpetrator.items())),
        "killed": killed,
        "injured": injured,
    }


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


def summarise(states: Sequence[EntityState]) -> Summary:
    """Summarise an operation's states (already filtered by compartment)."""
    convoys_by_status, totals = _convoys(states)
    guarantees = _guarantees(states)
    return Summary(
        ceasefires=_ceasefires(states),
        convoys_by_status=convoys_by_status,
        guarantees=guarantees,
        guarantee_outcomes=dict(sorted(Counter(g["outcome"] for g in guarantees).items())),
        incidents=_incidents(states),
        evacuated=totals,
        escalations=tuple(_of(states, EscalationState)),
    )


def build_overview(states: Sequence[EntityState], *, at: datetime) -> dict[str, Any]:
    """Summarise an operation's states as of ``at``."""
    return summarise(states).at(at)
