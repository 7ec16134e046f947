"""Tasks to teams and their status machine."""

from __future__ import annotations

import pytest

from mamar.convoys.commands import PlanConvoy
from mamar.domain.errors import IllegalTransition, NotFound, NotPermitted
from mamar.domain.model import Actor
from mamar.domain.visibility import Role
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from mamar.tasks.commands import AssignTask, ChangeTaskStatus
from mamar.tasks.model import TRANSITIONS
from tests.actor_builders import party, refused, state, types_of
from tests.helpers import at, open_operation

MEDICAL = Actor(username="medic", role=Role.MEDICAL)


def assign(system: Mamar, task_id: str = "prepare-wounded", **fields: object) -> None:
    system.execute(
        AssignTask(
            id=task_id,
            operation="op",
            assignee=fields.pop("assignee", "medical-team"),  # type: ignore[arg-type]
            title={"en": "Prepare a batch of wounded", "ar": "تجهيز دفعة من الجرحى"},
            **fields,  # type: ignore[arg-type]
        ),
        actor=SYSTEM,
        occurred=at("2016-12-13T08:00+02:00"),
    )


def setup(system: Mamar) -> None:
    open_operation(system)
    party(system, "medical-team", "medical")
    party(system, "civil-defence", "civil_defence")
    system.execute(
        PlanConvoy(id="batch-1", operation="op", name={"en": "First wounded"}), actor=SYSTEM
    )


def move(system: Mamar, status: str, actor: Actor = SYSTEM, task: str = "prepare-wounded") -> None:
    system.execute(ChangeTaskStatus(id=task, status=status), actor=actor)  # type: ignore[arg-type]


def test_a_task_goes_from_assigned_to_done_through_a_block(system: Mamar) -> None:
    setup(system)
    assign(
        system,
        related=({"kind": "convoy", "id": "batch-1"},),
        due="2016-12-13T12:00+02:00",
        description={"original": "Ambulances at the square", "language": "en"},
    )
    for status in ("acknowledged", "in_progress", "blocked", "in_progress", "done"):
        move(system, status, actor=MEDICAL)
    task = state(system, "task", "prepare-wounded")
    assert task.status == "done"
    assert [h.status for h in task.history] == [
        "assigned",
        "acknowledged",
        "in_progress",
        "blocked",
        "in_progress",
        "done",
    ]
    assert task.history[-1].by == "medic"
    assert [(r.kind, r.id) for r in task.related] == [("convoy", "batch-1")]
    assert task.due.isoformat() == "2016-12-13T12:00:00+02:00"
    assert types_of(system, "task:prepare-wounded")[0] == "task.assigned"


ALL = ("assigned", "acknowledged", "in_progress", "blocked", "done", "cancelled")
PATH_TO = {
    "assigned": (),
    "acknowledged": ("acknowledged",),
    "in_progress": ("acknowledged", "in_progress"),
    "blocked": ("acknowledged", "blocked"),
    "done": ("acknowledged", "in_progress", "done"),
    "cancelled": ("cancelled",),
}


@pytest.mark.parametrize("start", ALL)
def test_every_illegal_transition_is_refused_and_every_legal_one_accepted(
    system: Mamar, start: str
) -> None:
    setup(system)
    allowed = {s.value for s in TRANSITIONS[start]}  # type: ignore[index]
    for wanted in ALL:
        task = f"t-{wanted.replace('_', '-')}"
        assign(system, task)
        for step in PATH_TO[start]:
            move(system, step, task=task)
        if wanted in allowed:
            move(system, wanted, task=task)
            assert state(system, "task", task).status == wanted
        else:
            refused(
                system,
                ChangeTaskStatus(id=task, status=wanted),
                IllegalTransition,  # type: ignore[arg-type]
                field="status",
            )
            assert state(system, "task", task).status == start


def test_blocked_resumes_only_to_in_progress() -> None:
    assert {s.value for s in TRANSITIONS["blocked"]} == {"in_progress", "cancelled"}  # type: ignore[index]


def test_bad_tasks_are_refused_naming_the_field(system: Mamar) -> None:
    setup(system)
    refused(
        system,
        AssignTask(id="t", operation="op", assignee="ghost", title={"en": "T"}),
        NotFound,
        field="assignee",
    )
    refused(
        system,
        AssignTask(
            id="t",
            operation="op",
            assignee="medical-team",
            title={"en": "T"},
            related=({"kind": "convoy", "id": "ghost"},),
        ),  # type: ignore[arg-type]
        NotFound,
        field="related",
    )
    refused(system, ChangeTaskStatus(id="ghost", status="done"), NotFound, field="id")  # type: ignore[arg-type]


def test_a_liaison_reports_only_on_shared_tasks_of_its_own_party(system: Mamar) -> None:
    setup(system)
    party(system, "turkey", "guarantor_state")
    turkish = Actor(username="tr", role=Role.LIAISON, party="turkey", organisation="turkey")
    assign(system, "internal-task", assignee="turkey")
    assign(system, "shared-task", assignee="turkey", visibility="shared")
    assign(system, "other-party-task", assignee="civil-defence", visibility="shared")

    refused(
        system,
        ChangeTaskStatus(id="internal-task", status="acknowledged"),  # type: ignore[arg-type]
        NotFound,
        field="id",
        actor=turkish,
    )
    refused(
        system,
        ChangeTaskStatus(id="other-party-task", status="acknowledged"),  # type: ignore[arg-type]
        NotPermitted,
        actor=turkish,
    )
    refused(
        system,
        AssignTask(
            id="t", operation="op", assignee="turkey", title={"en": "T"}, visibility="shared"
        ),
        NotPermitted,
        actor=turkish,
    )
    move(system, "acknowledged", actor=turkish, task="shared-task")
    assert state(system, "task", "shared-task").history[-1].by == "tr"
