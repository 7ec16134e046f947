"""The situation report: an operation as of a moment, or over a period, as one reader may see it.

Everything here is read through the reader's viewer (:mod:`mamar.reads`): the states as
they stood at the moment, and the events of the period. What the report says of the
journal itself (its provenance) is what any signed-in account may read anyway: the
latest signed checkpoint, and how many of the events the reader sees it covers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any, TypeVar

from sqlalchemy import Connection

from mamar import reads
from mamar.access.viewer import Viewer, viewer_of
from mamar.agreements.compare import Change, compare_versions
from mamar.agreements.model import AgreementState
from mamar.ceasefires.model import CeasefireState
from mamar.control.model import ControlAreaState, FrontLineState
from mamar.convoys.model import ConvoyState
from mamar.domain.errors import NotFound
from mamar.domain.model import Actor, EntityState
from mamar.domain.subjects import EVACUATED
from mamar.domain.text import Translation
from mamar.domain.time import utc_key
from mamar.escalations.model import EscalationState, seconds_waiting, time_to_respond_seconds
from mamar.evidence import log
from mamar.guarantees.model import GuaranteeState
from mamar.incidents.model import IncidentState
from mamar.manifests.counts import manifest_counts
from mamar.manifests.reception import reception_summary
from mamar.parties.model import PartyState
from mamar.places.model import PlaceState
from mamar.reports.figures import LANE_TYPES, MapFigure, TimelineChart, map_figure, timeline_chart
from mamar.reports.overview import convoy_figures, known_number, summarise
from mamar.routes.model import RouteState
from mamar.tasks.model import TaskState
from mamar.translating.model import translations_in

T = TypeVar("T", bound=EntityState)

#: The kinds of record a situation report reads (not, say, every person registered).
REPORTED_KINDS = (
    "party",
    "place",
    "control_area",
    "front_line",
    "route",
    "ceasefire",
    "agreement",
    "incident",
    "escalation",
    "guarantee",
    "convoy",
    "task",
    # Manifests (a vehicle each, its people as numbers) and receiving facilities: the
    # reception summary, counted from what the reader may see; never a name.
    "vehicle",
    "facility",
)
#: At most this many rows of each list are printed, the latest (all are counted, and the
#: report says how many are left out): a situation report is read, not searched; the
#: exports (HXL, ACLED) carry every record.
LISTED = 100
_OPEN_TASKS = frozenset({"assigned", "acknowledged", "in_progress", "blocked"})
_LIVE_AGREEMENTS = frozenset({"preliminary", "in_force", "suspended", "breached"})
_FINISHED_CONVOYS = frozenset({"arrived", "cancelled", "turned_back"})


@dataclass(frozen=True)
class Period:
    """The report's moment ``at``, and the start of the period it covers (None: from the start)."""

    at: datetime
    since: datetime | None = None


def _of(states: Sequence[EntityState], cls: type[T]) -> list[T]:
    return [s for s in states if isinstance(s, cls)]


def _in_period(moment: str | None, since: str | None) -> bool:
    return since is None or (moment is not None and utc_key(_aware(moment)) >= since)


def _aware(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _ceasefires(states: Sequence[EntityState]) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "area": c.area.model_dump(mode="json"),
            "status": c.status.value,
            "starts_at": c.starts_at.isoformat() if c.starts_at else None,
            "ends_at": c.ends_at.isoformat() if c.ends_at else None,
            "agreement": c.agreement,
            "agreement_version": c.agreement_version,
            "history": [h.model_dump(mode="json") for h in c.history],
            "violations": len(c.violations),
        }
        for c in _of(states, CeasefireState)
    ]


def _agreements(states: Sequence[EntityState]) -> list[dict[str, Any]]:
    out = []
    for a in _of(states, AgreementState):
        if a.status.value not in _LIVE_AGREEMENTS:
            continue
        numbers = [v.version for v in a.versions]
        changes = []
        for before, after in pairwise(numbers):
            comparison = compare_versions(a, before, after)
            changes.append(
                {
                    "from": before,
                    "to": after,
                    "rows": [
                        {
                            "change": row.change.value,
                            "before": row.before.model_dump(mode="json") if row.before else None,
                            "after": row.after.model_dump(mode="json") if row.after else None,
                            "fields": list(row.fields),
                        }
                        for row in comparison.rows
                        if row.change is not Change.UNCHANGED
                    ],
                    "text_changed": comparison.text_changed,
                }
            )
        out.append(
            {
                "id": a.id,
                "title": a.title.model_dump(),
                "status": a.status.value,
                "parties": list(a.parties),
                "guarantors": list(a.guarantors),
                "version": a.current_version,
                "concluded_at": a.concluded_at,
                "terms": [t.model_dump(mode="json") for t in a.terms],
                "changes": changes,
            }
        )
    return out


def _incident(i: IncidentState, precision: str) -> dict[str, Any]:
    main = i.main_allegation()
    killed = i.casualties.killed.total if i.casualties.killed else None
    injured = i.casualties.injured.total if i.casualties.injured else None
    sub = i.sub_event_type.value if i.sub_event_type else "unspecified"
    return {
        "id": i.id,
        "occurred_at": i.occurred_at,
        "precision": precision,
        "category": f"{i.event_type.value}/{sub}",
        "place": i.place,
        "alleged_perpetrator": i.main_perpetrator,
        "confidence": main.confidence.value if main else i.perpetrator_confidence.value,
        # Every other party alleged (mutual blame), most confident first.
        "also_alleged": [a.party for a in i.perpetrators()[1:]],
        "killed": killed,
        "injured": injured,
        "verification": i.verification.value,
        "description": i.description.model_dump(),
    }


def _incidents(
    states: Sequence[EntityState], since: str | None, precisions: dict[str, str]
) -> dict[str, Any]:
    """The incidents of the period; ``precisions``: how precisely each is known to have
    happened (its report's precision, by incident id)."""
    chosen = [
        i
        for i in _of(states, IncidentState)
        if i.verification.value != "retracted" and _in_period(i.occurred_at, since)
    ]
    chosen.sort(key=lambda i: (utc_key(_aware(i.occurred_at)), i.id))
    summary = summarise(chosen).incidents
    listed = chosen[-LISTED:]
    return {
        **summary,
        "count": len(chosen),
        "listed": [_incident(i, precisions.get(i.id, "exact")) for i in listed],
        "not_listed": len(chosen) - len(listed),
    }


def _escalations(states: Sequence[EntityState], at: datetime) -> list[dict[str, Any]]:
    rows = [
        {
            "id": e.id,
            "to": e.to_party,
            "status": e.status.value,
            "raised_at": e.raised_at,
            "first_response_at": e.first_response_at,
            "answered_after_seconds": time_to_respond_seconds(e),
            "waiting_seconds": seconds_waiting(e, at),
            "message": e.message.model_dump(),
        }
        for e in _of(states, EscalationState)
    ]
    return sorted(rows, key=lambda row: (utc_key(_aware(row["raised_at"])), row["id"]))


def _guarantees(states: Sequence[EntityState]) -> list[dict[str, Any]]:
    rows = [
        {
            "id": g.id,
            "guarantor": g.guarantor,
            "given_to": g.given_to,
            "what": g.what.model_dump(),
            "given_at": g.given_at,
            "outcome": g.outcome.value,
            "decided_at": g.history[-1].at if g.history else None,
            "incidents": len(g.incidents),
        }
        for g in _of(states, GuaranteeState)
    ]
    return sorted(rows, key=lambda row: (row["given_at"], row["id"]))


def _convoys(states: Sequence[EntityState]) -> dict[str, Any]:
    rows = []
    totals = {"planned": 0, "boarded": 0, "arrived": 0, "unknown": 0}
    # Counted from the manifests where the reader sees them, the counted totals elsewhere;
    # figures from several sources give their lowest; a figure not known is left empty.
    listed = manifest_counts(states)
    for c in sorted(_of(states, ConvoyState), key=lambda c: (c.created_at, c.id)):
        figures = convoy_figures(c, listed.get(c.id))
        counts = {key: known_number(total) for key, total in figures.items()}
        # Boarded but not (yet) counted on arrival: where they are is not known from the record.
        unknown = None
        if counts["boarded"] is not None:
            unknown = max(0, counts["boarded"] - (counts["arrived"] or 0))
        rows.append(
            {
                "id": c.id,
                "name": c.name.model_dump(),
                "status": c.status.value,
                "group": c.group.value,
                "since": c.history[-1].at if c.history else c.created_at,
                **counts,
                "approximate": sorted(k for k, t in figures.items() if t and t.approximate),
                "unknown": unknown,
            }
        )
        if c.group not in EVACUATED:
            continue  # detainees, prisoners, hostages, bodies: not people evacuated
        for key in ("planned", "boarded", "arrived"):
            totals[key] += counts[key] or 0
        totals["unknown"] += unknown or 0
    return {"rows": rows[-LISTED:], "totals": totals, "not_listed": max(0, len(rows) - LISTED)}


def _tasks(states: Sequence[EntityState]) -> list[dict[str, Any]]:
    return [
        {
            "id": t.id,
            "title": t.title.model_dump(),
            "assignee": t.assignee,
            "status": t.status.value,
            "due": t.due.isoformat() if t.due else None,
        }
        for t in sorted(_of(states, TaskState), key=lambda t: (t.created_at, t.id))
        if t.status.value in _OPEN_TASKS
    ]


def _provenance(conn: Connection, seen: int, last_seen_position: int) -> dict[str, Any]:
    """The latest signed checkpoint (the journal's size then, which any signed-in account
    may read), how many events the report draws on, and whether some came after the
    checkpoint; never the journal's head, which would count what the reader may not see."""
    checkpoint = log.latest(conn)
    if checkpoint is None:
        return {"events_seen": seen, "checkpoint": None, "after_checkpoint": seen > 0}
    return {
        "events_seen": seen,
        "checkpoint": {
            "size": checkpoint.size,
            "root": checkpoint.root.hex(),
            "signed_at": checkpoint.signed_at,
        },
        "after_checkpoint": last_seen_position > checkpoint.size,
    }


def _translators(conn: Connection, seer: Viewer, states: Sequence[EntityState]) -> dict[str, Any]:
    """The names of the organisations that translated the report's texts, as the reader may
    read them (one it may not see is left out, and its translations say only that)."""
    found: set[Translation] = set()
    for state in states:
        translations_in(state, found)
    names: dict[str, Any] = {}
    for organisation in sorted({t.translated_by for t in found if t.translated_by}):
        try:
            org = reads.get_state(conn, viewer=seer, kind="organisation", entity_id=organisation)
        except NotFound:
            continue
        if hasattr(org, "name"):
            names[organisation] = org.name.model_dump()
    return names


def _reader(conn: Connection, seer: Viewer) -> dict[str, Any]:
    """Who the report is for, by name: the account's name and its organisation's."""
    name: str = seer.username
    organisation: dict[str, Any] | None = None
    try:
        account = reads.get_state(conn, viewer=seer, kind="account", entity_id=seer.username)
        name = str(getattr(account, "display_name", name))
        org = reads.get_state(conn, viewer=seer, kind="organisation", entity_id=seer.organisation)
        organisation = org.name.model_dump() if hasattr(org, "name") else None
    except NotFound:
        pass
    return {"name": name, "organisation": organisation}


@dataclass(frozen=True)
class Figures:
    map: MapFigure
    timeline: TimelineChart


def situation_report(
    conn: Connection,
    *,
    viewer: Actor | Viewer,
    operation: str,
    period: Period,
) -> dict[str, Any]:
    """The report's content as plain data (JSON-able), with its two figures."""
    seer = viewer_of(viewer)
    at_utc = utc_key(period.at)
    since_utc = utc_key(period.since) if period.since is not None else None
    op = reads.get_state(conn, viewer=seer, kind="operation", entity_id=operation, at_utc=at_utc)
    states = reads.visible_states(
        conn, viewer=seer, operation=operation, at_utc=at_utc, kinds=REPORTED_KINDS
    )
    # The events of the kinds a situation report follows (not, say, every person
    # registered): the timeline chart's, and what the provenance counts.
    entries = list(
        reads.timeline(
            conn,
            viewer=seer,
            operation=operation,
            types=[t for types in LANE_TYPES.values() for t in types],
            since_utc=since_utc,
            until_utc=at_utc,
        )
    )
    last_position = max((e.position for e in entries), default=0)
    kinds = Counter(e.kind for e in entries)
    start = period.since or (_aware(entries[0].occurred_utc) if entries else _aware(op.created_at))
    figures = Figures(
        map=map_figure(
            areas=_of(states, ControlAreaState),
            fronts=_of(states, FrontLineState),
            routes=_of(states, RouteState),
            incidents=_of(states, IncidentState),
            places=_of(states, PlaceState),
            at=period.at,
        ),
        timeline=timeline_chart(entries, start=start, end=period.at),
    )
    return {
        "operation": {"id": op.id, **seer.redact(op)},
        "reader": _reader(conn, seer),
        "at": period.at.isoformat(),
        "since": period.since.isoformat() if period.since is not None else None,
        "party_names": {s.id: s.name.model_dump() for s in _of(states, PartyState)},
        "translators": _translators(conn, seer, states),
        "place_names": {s.id: s.name.model_dump() for s in _of(states, PlaceState)},
        "ceasefires": _ceasefires(states),
        "agreements": _agreements(states),
        "incidents": _incidents(
            states,
            since_utc,
            {e.entity_id: e.precision for e in entries if e.type == "incident.reported"},
        ),
        "escalations": _escalations(states, period.at),
        "guarantees": _guarantees(states),
        "convoys": _convoys(states),
        "reception": reception_summary(states),
        "tasks": _tasks(states),
        "events_in_period": len(entries),
        "events_by_kind": dict(sorted(kinds.items())),
        "provenance": _provenance(conn, len(entries), last_position),
        "figures": figures,
    }
