"""Linked movements: a convoy that waits for another (a simultaneous two-way evacuation,
an exchange, one movement after another), and what it is waiting for now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from mamar.convoys.events import ConvoyStatus
from mamar.domain.model import Value
from mamar.domain.text import Prose
from mamar.journal.registry import EventData, event_type


class LinkKind(StrEnum):
    SIMULTANEOUS = "simultaneous"  # both move together (two-way evacuations)
    EXCHANGE = "exchange"  # one group for another
    SEQUENCE = "sequence"  # one after the other


#: What a convoy may wait for the other to reach, in the order a movement goes.
PROGRESS = (ConvoyStatus.STAGED, ConvoyStatus.DEPARTED, ConvoyStatus.ARRIVED)


@event_type
class ConvoyWaitRecorded(EventData):
    type_name = "convoy.wait_recorded"

    waits_for: str  # the other convoy
    until: ConvoyStatus  # staged, departed or arrived
    link: LinkKind = LinkKind.SIMULTANEOUS
    note: Prose | None = None


@event_type
class ConvoyWaitEnded(EventData):
    """The convoy no longer waits for the other (it went anyway, or the link was dropped)."""

    type_name = "convoy.wait_ended"

    waits_for: str
    reason: Prose | None = None


class Wait(Value):
    waits_for: str
    until: ConvoyStatus
    link: LinkKind
    since: str
    note: Prose | None = None


def reached(history: Iterable[Any], until: str) -> bool:
    """Whether a convoy's history shows ``until`` or a later step of a movement."""
    wanted = {s.value for s in PROGRESS[[s.value for s in PROGRESS].index(until) :]}
    for entry in history:
        status = entry["status"] if isinstance(entry, Mapping) else entry.status
        if str(status) in wanted:
            return True
    return False


def waiting(convoys: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """For each convoy (as read), what it waits for: the other convoy, the step awaited,
    and whether the other has reached it. Convoys the reader cannot see are left out."""
    by_id = {c["id"]: c for c in convoys}
    out: dict[str, list[dict[str, Any]]] = {}
    for convoy in by_id.values():
        for wait in convoy.get("waits_for") or ():
            other = by_id.get(wait["waits_for"])
            if other is None:
                continue
            out.setdefault(convoy["id"], []).append(
                {
                    **wait,
                    "done": reached(other.get("history") or (), str(wait["until"])),
                    "other_status": other.get("status"),
                }
            )
    return out
