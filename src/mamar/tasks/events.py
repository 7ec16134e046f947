"""Events of a task."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from mamar.domain.text import LocalName, LocalText, Prose
from mamar.journal.registry import EventData, event_type
from mamar.parties.refs import EntityRef


class TaskStatus(StrEnum):
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    CANCELLED = "cancelled"


@event_type
class TaskAssigned(EventData):
    type_name = "task.assigned"

    assignee: str
    title: LocalName
    description: LocalText | None = None
    due: datetime | None = None
    related: tuple[EntityRef, ...] = ()


@event_type
class TaskStatusChanged(EventData):
    type_name = "task.status_changed"

    status: TaskStatus
    previous: TaskStatus
    reason: Prose | None = None
