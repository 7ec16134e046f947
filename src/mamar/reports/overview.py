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
from mamar.convoys.events import ConvoyStatus, CountOf
from mamar.convoys.model import ConvoyState
from mamar.domain.figures import Figure, Total, exact
from mamar.domain.model import EntityState
from mamar.domain.subjects import EVACUATED, Group
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


S = ConvoyStatus
_NOT_YET_BOARDED = frozenset({S.PLANNED, S.PREPARING, S.STAGED, S.POSTPONED, S.CANCELLED})
_TOTALLED = (CountOf.PLANNED, CountOf.BOARDED, CountOf.ARRIVED)


def _expected(convoy: ConvoyState, count: CountOf) -> bool:
    """Whether a figure should be known by now (else a missing one adds 0, rightly)."""
    if count is CountOf.PLANNED:
        return convoy.status is not S.CANCELLED
    if count is CountOf.BOARDED:
        return convoy.status not in _NOT_YET_BOARDED
    return convoy.status is S.ARRIVED


def _convoy_total(
    convoy: ConvoyState, count: CountOf, group: Group, listed: Any | None
) -> Total | None:
    """What one convoy's figures say of ``count`` people of ``group`` (None: nothing to add).

    The manifests the viewer sees count first; then the figures given for the whole
    convoy (every source kept: they make a range), with the recorded count as one more
    source; then the figures given per stop, added up; else, where the figure should be
    known by now, it is unknown (not 0).
    """
    total = Total()
    if group is convoy.group and listed is not None:
        total.add([exact(getattr(listed, count.value))])
        return total
    whole = [f.figure for f in convoy.figures if (f.count, f.group, f.stop) == (count, group, None)]
    recorded = getattr(convoy.counts, count.value, None) if group is convoy.group else None
    if recorded is not None:
        whole.insert(0, exact(recorded))
    if whole:
        total.add(whole)
        return total
    by_stop: dict[str, list[Figure]] = defaultdict(list)
    for f in convoy.figures:
        if (f.count, f.group) == (count, group) and f.stop is not None:
            by_stop[f.stop].append(f.figure)
    if by_stop:
        for figures in by_stop.values():
            total.add(figures)
        return total
    if group is convoy.group and _expected(convoy, count):
        total.add([])
        return total
    return None


def convoy_figures(convoy: ConvoyState, listed: Any | None) -> dict[str, Total | None]:
    """What one convoy's figures say of the people it carries (its own group), by count:
    planned, boarded, arrived (None: nothing to say yet). For exports and reports that
    give one number per convoy: ``Total.low`` where ``Total.unknown`` is 0."""
    return {c.value: _convoy_total(convoy, c, convoy.group, listed) for c in _TOTALLED}


def known_number(total: Total | None) -> int | None:
    """One number for a total, where every part of it is known (else None: not known)."""
    if total is None or total.unknown:
        return None
    return total.low


def _groups_of(convoy: ConvoyState) -> set[Group]:
    return {convoy.group, *(f.group for f in convoy.figures)}


def _convoys(
    states: Sequence[EntityState],
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int], dict[str, Any], dict[str, Any]]:
    """Convoys by status; people evacuated (the lower bounds, and the figures in full:
    ranges, sources, unknowns); and the people moved who are not evacuees, by group."""
    by_status: dict[str, list[dict[str, Any]]] = defaultdict(list)
    evacuated = {c.value: Total() for c in _TOTALLED}
    others: dict[str, dict[str, Total]] = {}
    # Where the viewer sees a convoy's manifests, its people are counted from them;
    # elsewhere the counted totals stand (names are not always taken).
    listed = manifest_counts(states)
    for convoy in _of(states, ConvoyState):
        by_status[convoy.status.value].append(
            {"id": convoy.id, "name": convoy.name.model_dump(), "since": convoy.history[-1].at}
        )
        for group in _groups_of(convoy):
            for count in _TOTALLED:
                part = _convoy_total(convoy, count, group, listed.get(convoy.id))
                if part is None:
                    continue
                if group in EVACUATED:
                    evacuated[count.value].merge(part)
                else:
                    moved = others.setdefault(group.value, {c.value: Total() for c in _TOTALLED})
                    moved[count.value].merge(part)
    totals = {name: t.low for name, t in evacuated.items()}
    figures = {name: t.as_json() for name, t in evacuated.items()}
    not_evacuees = {
        group: {name: t.as_json() for name, t in counts.items()}
        for group, counts in sorted(others.items())
    }
    return dict(sorted(by_status.items())), totals, figures, not_evacuees


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
    by_humanitarian: Counter[str] = Counter()
    killed = injured = 0
    for incident in _of(states, IncidentState):
        if incident.verification.value == "retracted":
            continue
        sub = incident.sub_event_type.value if incident.sub_event_type else "unspecified"
        by_category[f"{incident.event_type.value}/{sub}"] += 1
        # An incident blamed on several parties counts once under each one alleged.
        alleged = {a.party for a in incident.perpetrators()} or {"unknown"}
        for party in alleged:
            by_perpetrator[party] += 1
        for impact in incident.humanitarian:
            by_humanitarian[impact.value] += 1
        if incident.casualties.killed is not None:
            killed += incident.casualties.killed.total
        if incident.casualties.injured is not None:
            injured += incident.casualties.injured.total
    return {
        "by_category": dict(sorted(by_category.items())),
        "by_alleged_perpetrator": dict(sorted(by_perpetrator.items())),
        "by_humanitarian_impact": dict(sorted(by_humanitarian.items())),
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
    evacuated_figures: dict[str, Any]
    not_evacuees: dict[str, Any]
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
            "evacuated_figures": self.evacuated_figures,
            "not_evacuees": self.not_evacuees,
        }


def summarise(states: Sequence[EntityState]) -> Summary:
    """Summarise an operation's states (already filtered by compartment)."""
    convoys_by_status, totals, figures, not_evacuees = _convoys(states)
    guarantees = _guarantees(states)
    return Summary(
        ceasefires=_ceasefires(states),
        convoys_by_status=convoys_by_status,
        guarantees=guarantees,
        guarantee_outcomes=dict(sorted(Counter(g["outcome"] for g in guarantees).items())),
        incidents=_incidents(states),
        evacuated=totals,
        evacuated_figures=figures,
        not_evacuees=not_evacuees,
        escalations=tuple(_of(states, EscalationState)),
    )


def build_overview(states: Sequence[EntityState], *, at: datetime) -> dict[str, Any]:
    """Summarise an operation's states as of ``at``."""
    return summarise(states).at(at)
