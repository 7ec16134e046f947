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
from mamar.manifests.counts import ManifestCounts, manifest_counts
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
        return Part("convoy", (state.status.value, item, state))
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
        # An incident blamed on several parties counts once under each one alleged.
        alleged = tuple(sorted({a.party for a in state.perpetrators()} or {"unknown"}))
        impacts = tuple(impact.value for impact in state.humanitarian)
        return Part("incident", (category, alleged, impacts, killed, injured))
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
    tally = Tally()
    for index, part in enumerate(parts):
        tally.add(index, part)
    return tally.summary()


#: The kinds of part a summary lists one by one (in the states' order); the others
#: (incidents, vehicles) it only counts.
_LISTED = frozenset({"ceasefire", "convoy", "guarantee", "escalation"})


class Tally:
    """What :func:`fold` works out from parts, kept up to date one part at a time.

    A summary counts the incidents (by category, alleged perpetrator and impact;
    killed and injured) and adds up the vehicles' manifests by convoy; those sums
    are kept here, so a part added or taken away costs the same whatever the size
    of the operation (``reads.overviews`` keeps one per journal position). The
    parts a summary lists (ceasefires, convoys, guarantees, escalations; a few
    dozen, not thousands) are kept by key and listed in the keys' order: the
    states' streams, or their order in :func:`fold`.
    """

    def __init__(self) -> None:
        self.by_category: Counter[str] = Counter()
        self.by_perpetrator: Counter[str] = Counter()
        self.by_humanitarian: Counter[str] = Counter()
        self.killed = 0
        self.injured = 0
        # Convoy id: planned, boarded and arrived on its vehicles' manifests, and how
        # many of its vehicles give a part (a convoy with none is not counted from them).
        self.listed: dict[str, list[int]] = {}
        self.items: dict[Any, Part] = {}

    def copy(self) -> Tally:
        other = Tally()
        other.by_category = self.by_category.copy()
        other.by_perpetrator = self.by_perpetrator.copy()
        other.by_humanitarian = self.by_humanitarian.copy()
        other.killed, other.injured = self.killed, self.injured
        other.listed = {convoy: sums.copy() for convoy, sums in self.listed.items()}
        other.items = self.items.copy()
        return other

    def add(self, key: Any, part: Part) -> None:
        """Count ``part``, the part of the state ``key`` (which gives none so far)."""
        self._count(key, part, 1)

    def remove(self, key: Any, part: Part) -> None:
        """Stop counting ``part``, added before as ``key``'s."""
        self._count(key, part, -1)

    def _count(self, key: Any, part: Part, sign: int) -> None:
        kind, value = part.kind, part.value
        if kind == "incident":
            category, alleged, impacts, killed, injured = value
            _move(self.by_category, (category,), sign)
            _move(self.by_perpetrator, alleged, sign)
            _move(self.by_humanitarian, impacts, sign)
            self.killed += sign * killed
            self.injured += sign * injured
        elif kind == "vehicle":
            convoy, counted = value
            sums = self.listed.setdefault(convoy, [0, 0, 0, 0])
            for i, n in enumerate(counted):
                sums[i] += sign * n
            sums[3] += sign
            if sums[3] == 0:
                del self.listed[convoy]
        elif kind in _LISTED:
            if sign > 0:
                self.items[key] = part
            else:
                self.items.pop(key, None)

    def summary(self) -> Summary:
        ceasefires: list[dict[str, Any]] = []
        convoys: list[tuple[str, dict[str, Any], ConvoyState]] = []
        guarantees: list[dict[str, Any]] = []
        escalations: list[EscalationState] = []
        for key in sorted(self.items):
            part = self.items[key]
            if part.kind == "convoy":
                convoys.append(part.value)
            elif part.kind == "ceasefire":
                ceasefires.append(part.value)
            elif part.kind == "guarantee":
                guarantees.append(part.value)
            else:
                escalations.append(part.value)
        by_status: dict[str, list[dict[str, Any]]] = defaultdict(list)
        evacuated = {c.value: Total() for c in _TOTALLED}
        others: dict[str, dict[str, Total]] = {}
        for status, item, convoy in convoys:
            by_status[status].append(item)
            on_manifests = self.listed.get(convoy.id)
            # Where the viewer sees a convoy's manifests, its people are counted from them;
            # elsewhere the counted totals and figures stand (names are not always taken).
            on_lists = (
                None
                if on_manifests is None
                else ManifestCounts(
                    planned=on_manifests[0], boarded=on_manifests[1], arrived=on_manifests[2]
                )
            )
            for group in _groups_of(convoy):
                for count in _TOTALLED:
                    part_total = _convoy_total(convoy, count, group, on_lists)
                    if part_total is None:
                        continue
                    if group in EVACUATED:
                        evacuated[count.value].merge(part_total)
                    else:
                        moved = others.setdefault(
                            group.value, {c.value: Total() for c in _TOTALLED}
                        )
                        moved[count.value].merge(part_total)
        return Summary(
            ceasefires=ceasefires,
            convoys_by_status=dict(sorted(by_status.items())),
            guarantees=guarantees,
            guarantee_outcomes=dict(sorted(Counter(g["outcome"] for g in guarantees).items())),
            incidents={
                "by_category": dict(sorted(self.by_category.items())),
                "by_alleged_perpetrator": dict(sorted(self.by_perpetrator.items())),
                "by_humanitarian_impact": dict(sorted(self.by_humanitarian.items())),
                "killed": self.killed,
                "injured": self.injured,
            },
            evacuated={name: t.low for name, t in evacuated.items()},
            evacuated_figures={name: t.as_json() for name, t in evacuated.items()},
            not_evacuees={
                group: {name: t.as_json() for name, t in counts.items()}
                for group, counts in sorted(others.items())
            },
            escalations=tuple(escalations),
        )


def _move(counter: Counter[str], names: Iterable[str], sign: int) -> None:
    """Count each of ``names`` once more (``sign`` 1) or once less (-1); a name
    counted no more is left out, as a fold that never met it leaves it."""
    for name in names:
        left = counter[name] + sign
        if left:
            counter[name] = left
        else:
            del counter[name]


def build_overview(states: Sequence[EntityState], *, at: datetime) -> dict[str, Any]:
    """Summarise an operation's states as of ``at``."""
    return summarise(states).at(at)
