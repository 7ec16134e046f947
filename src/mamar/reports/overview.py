"""The operation overview at a moment: ceasefire, convoys, escalations, guarantees, incidents, totals.

Pure: it takes the states a viewer may see (already filtered by compartment) and
the moment, and returns plain data for the CLI, the API and the pages alike.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from mamar.domain.model import EntityState
from mamar.domain.time import seconds_between


def _value(obj: Any, name: str, default: Any = None) -> Any:
    value = getattr(obj, name, default)
    return getattr(value, "value", value)


def _name(state: Any) -> Any:
    name: Any = getattr(state, "name", None)
    return name.model_dump() if name is not None and hasattr(name, "model_dump") else name


def build_overview(states_by_kind: dict[str, list[EntityState]], *, at: datetime) -> dict[str, Any]:
    """Summarise an operation's states as of ``at``."""
    ceasefires = [
        {
            "id": s.id,
            "status": _value(s, "status"),
            "agreement": _value(s, "agreement"),
            "since": s.updated_at,
        }
        for s in states_by_kind.get("ceasefire", [])
    ]

    convoys_by_status: dict[str, list[dict[str, Any]]] = defaultdict(list)
    totals = {"planned": 0, "boarded": 0, "arrived": 0}
    for convoy in states_by_kind.get("convoy", []):
        convoys_by_status[_value(convoy, "status")].append({"id": convoy.id, "name": _name(convoy)})
        counts = getattr(convoy, "counts", None)
        for field in totals:
            totals[field] += int(getattr(counts, field, None) or 0)

    escalations = []
    for esc in states_by_kind.get("escalation", []):
        status = _value(esc, "status")
        if status in ("resolved", "unresolved"):
            continue
        raised = datetime.fromisoformat(esc.created_at)
        first = getattr(esc, "first_response_at", None)
        escalations.append(
            {
                "id": esc.id,
                "to": _value(esc, "to_party") or _value(esc, "to_person"),
                "status": status,
                "raised_at": esc.created_at,
                "waiting_seconds": None if first else max(0.0, seconds_between(raised, at)),
                "answered_after_seconds": (
                    seconds_between(raised, datetime.fromisoformat(first)) if first else None
                ),
            }
        )

    guarantees = [
        {
            "id": g.id,
            "guarantor": _value(g, "guarantor"),
            "outcome": _value(g, "outcome"),
        }
        for g in states_by_kind.get("guarantee", [])
    ]

    by_category: Counter[str] = Counter()
    by_perpetrator: Counter[str] = Counter()
    killed = injured = 0
    for incident in states_by_kind.get("incident", []):
        if _value(incident, "verification") == "retracted":
            continue
        by_category[f"{_value(incident, 'event_type')}/{_value(incident, 'sub_event_type')}"] += 1
        by_perpetrator[_value(incident, "alleged_perpetrator") or "unknown"] += 1
        casualties = getattr(incident, "casualties", None)
        killed += int(getattr(casualties, "killed", 0) or 0)
        injured += int(getattr(casualties, "injured", 0) or 0)

    return {
        "at": at.isoformat(),
        "ceasefires": ceasefires,
        "convoys_by_status": {k: v for k, v in sorted(convoys_by_status.items())},
        "open_escalations": sorted(escalations, key=lambda e: e["raised_at"]),
        "guarantees": guarantees,
        "guarantee_outcomes": dict(Counter(g["outcome"] for g in guarantees)),
        "incidents": {
            "by_category": dict(sorted(by_category.items())),
            "by_alleged_perpetrator": dict(sorted(by_perpetrator.items())),
            "killed": killed,
            "injured": injured,
        },
        "evacuated": totals,
    }
