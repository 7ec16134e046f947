"""Task state, its status machine and history."""

from __future__ import annotations

from datetime import datetime

from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import LocalName, LocalText, Prose
from mamar.domain.transitions import Transitions
from mamar.journal.registry import EventData
from mamar.parties.refs import EntityRef
from mamar.tasks.events import TaskAssigned, TaskStatus, TaskStatusChanged

S = TaskStatus

# assigned → acknowledged → in_progress → done; work can be blocked and resumed;
# anything unfinished can be cancelled. "done" and "cancelled" are final.
TRANSITIONS = Transitions(
    "task",
    {
        S.ASSIGNED: frozenset({S.ACKNOWLEDGED, S.CANCELLED}),
        S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, S.BLOCKED, S.CANCELLED}),
        S.IN_PROGRESS: frozenset({S.DONE, S.BLOCKED, S.CANCELLED}),
        S.BLOCKED: frozenset({S.IN_PROGRESS, S.CANCELLED}),
        S.DONE: frozenset(),
        S.CANCELLED: frozenset(),
    },
)


class TaskStatusEntry(Value):
    status: TaskStatus
    at: str
    by: str
    reason: Prose | None = None


class TaskState(EntityState):
    assignee: str
    title: LocalName
    description: LocalText | None = None
    due: datetime | None = None
    related: tuple[EntityRef, ...] = ()
    status: TaskStatus = S.ASSIGNED
    history: tuple[TaskStatusEntry, ...] = ()


@aggregate("task", TaskState)
def evolve(state: TaskState | None, event: EventData, meta: EventMeta) -> TaskState:
    if isinstance(event, TaskAssigned):
        return TaskState(
            **base_fields(meta),
            assignee=event.assignee,
            title=event.title,
            description=event.description,
            due=event.due,
            related=event.related,
            history=(TaskStatusEntry(status=S.ASSIGNED, at=meta.occurred_at, by=meta.actor),),
        )
    assert state is not None
    if isinstance(event, TaskStatusChanged):
        entry = TaskStatusEntry(
            status=event.status, at=meta.occurred_at, by=meta.actor, reason=event.reason
        )
        return touched(state, meta, status=event.status, history=(*state.history, entry))
    return state
