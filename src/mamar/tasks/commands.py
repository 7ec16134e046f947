"""Assigning tasks to teams and recording their progress."""

from __future__ import annotations

from typing import Annotated, ClassVar

from mamar.domain.errors import NotPermitted
from mamar.domain.ids import EntityId, RefersTo
from mamar.domain.model import FIELD_TEAMS, Command, Context, CreateCommand, decides
from mamar.domain.text import LocalName, LocalText, Prose
from mamar.domain.time import AwareDatetime
from mamar.domain.visibility import Role
from mamar.journal.registry import EventData
from mamar.parties.refs import Related, refuse_duplicates, require_refs
from mamar.tasks.events import TaskAssigned, TaskStatus, TaskStatusChanged
from mamar.tasks.model import TRANSITIONS, TaskState


class AssignTask(CreateCommand):
    command_name: ClassVar[str] = "task.assign"
    kind: ClassVar[str] = "task"

    assignee: Annotated[EntityId, RefersTo("party")]  # the party (team) that is to do it
    title: LocalName
    description: LocalText | None = None
    due: AwareDatetime | None = None
    related: tuple[Related, ...] = ()


class ChangeTaskStatus(Command):
    """A liaison officer may report progress on tasks given to their own party."""

    command_name: ClassVar[str] = "task.change_status"
    kind: ClassVar[str] = "task"
    roles: ClassVar[frozenset[Role]] = FIELD_TEAMS | {Role.LIAISON}

    status: TaskStatus
    reason: Prose | None = None


@decides(AssignTask)
def assign(state: None, cmd: AssignTask, ctx: Context) -> list[EventData]:
    ctx.require("party", cmd.assignee, "assignee")
    refuse_duplicates(cmd.related, "related")
    require_refs(ctx, cmd.related, "related")
    return [
        TaskAssigned(
            assignee=cmd.assignee,
            title=cmd.title,
            description=cmd.description,
            due=cmd.due,
            related=cmd.related,
        )
    ]


@decides(ChangeTaskStatus)
def change_status(state: TaskState, cmd: ChangeTaskStatus, ctx: Context) -> list[EventData]:
    if ctx.actor.role is Role.LIAISON and ctx.actor.party != state.assignee:
        raise NotPermitted("a liaison officer may only report on tasks given to their own party")
    TRANSITIONS.require(state.status, cmd.status)
    return [TaskStatusChanged(status=cmd.status, previous=state.status, reason=cmd.reason)]
