"""Tasks given to teams, and their progress: only the legal next statuses are offered."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from markupsafe import Markup
from starlette.responses import Response

from mamar.access.rules import READ_ANY, RuleBook
from mamar.tasks.events import TaskStatus
from mamar.tasks.model import TRANSITIONS
from mamar.web.i18n import N_
from mamar.web.page import NavItem, View, add_nav, add_page, op_view
from mamar.web.pages._formkit import (
    F,
    Form,
    add_form,
    creating,
    local_name,
    local_text,
    moment,
    options,
    text,
    title_pair,
)
from mamar.web.pages._records import render_detail, render_list
from mamar.web.pages._shared import entities, entity, may, name_in, names_of
from mamar.web.render import called, local, marked

add_nav(NavItem("tasks", N_("Tasks"), "tasks", order=65))


def _assign_form(v: View, op: str, _id: str | None) -> Form:
    return Form(
        v.t("Assign a task"),
        [
            *creating(v),
            F(
                "assignee",
                v.t("Team (party) that is to do it"),
                "select",
                options(v, op, "party"),
                required=True,
            ),
            title_pair(v),
            F("description", v.t("Description, in the words used"), "prose"),
            F("description.translation", v.t("Translation"), "textarea"),
            F("due", v.t("Due (operation's time zone)"), "datetime"),
        ],
        v.t("Assign"),
    )


def _assign_data(v: View, op: str, _id: str | None) -> dict[str, Any]:
    return {
        "operation": op,
        "visibility": text(v, "visibility"),
        "assignee": text(v, "assignee"),
        "title": local_name(v, "title"),
        "description": local_text(v, "description"),
        "due": moment(v, "due"),
    }


def _status_form(v: View, op: str, task_id: str | None) -> Form:
    record = entity(v, "task", task_id or "")
    legal = TRANSITIONS[TaskStatus(record["status"])]
    return Form(
        v.t("Task: %(name)s: progress", name=called(record, v.lang)),
        [F("reason", v.t("Reason or note"), "prose")],
        "",
        facts=[
            (v.t("Task"), local(record["title"], v.lang)),
            (v.t("Status"), v.t(record["status"])),
        ],
        buttons=[("status", s.value, v.t(s.value)) for s in TaskStatus if s in legal],
    )


def _status_data(v: View, op: str, task_id: str | None) -> dict[str, Any]:
    return {"id": task_id, "status": text(v, "status"), "reason": local_text(v, "reason")}


def _detail_url(v: View, op: str, task_id: str | None) -> str:
    return f"/ops/{op}/tasks/{task_id}"


def _due(task: dict[str, Any]) -> str | None:
    """When the task is due (ISO 8601), if it is."""
    return task.get("due")


def _detail(v: View, team: Markup | str, due: str | None) -> Markup | str:
    """A task's line in the list: its team, and when it is due (with the zone)."""
    if not due:
        return team
    return v.t("%(team)s; due %(when)s", team=team, when=v.when(due))


def add_routes(app: FastAPI, book: RuleBook) -> None:
    add_form(
        app, book, "/ops/{op}/tasks/new", "task.assign", _assign_form, _assign_data, _detail_url
    )
    add_form(
        app,
        book,
        "/ops/{op}/tasks/{id}/status",
        "task.change_status",
        _status_form,
        _status_data,
        _detail_url,
    )

    async def tasks(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        items = entities(v, "task", op)
        parties = names_of(entities(v, "party", op), v.lang)
        rows = [
            {
                "href": f"/ops/{op}/tasks/{t['id']}",
                "title": local(t["title"], v.lang),
                "status": t["status"],
                "detail": _detail(v, name_in(v, parties, t["assignee"]), _due(t)),
            }
            for t in items
        ]
        actions = [(v.t("Assign a task"), f"/ops/{op}/tasks/new")] if may(v, "task.assign") else []
        return render_list(v, v.t("Tasks"), items, rows, actions)

    add_page(app, book, "/ops/{op}/tasks", tasks, READ_ANY)

    async def task(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        t = entity(v, "task", id)
        parties = names_of(entities(v, "party", op), v.lang)
        facts = [
            (v.t("Task"), local(t["title"], v.lang)),
            (v.t("Team (party) that is to do it"), name_in(v, parties, t["assignee"])),
            (v.t("Status"), v.t(t["status"])),
            (v.t("Due"), v.when(_due(t)) if _due(t) else "—"),
            (v.t("Description"), marked(t.get("description"), v.lang, v.name_of) or "—"),
        ]
        actions = []
        if may(v, "task.change_status") and TRANSITIONS[TaskStatus(t["status"])]:
            actions.append((v.t("Record progress"), f"/ops/{op}/tasks/{id}/status"))
        return render_detail(
            v, "task", t, v.t("Task: %(name)s", name=called(t, v.lang)), facts, actions
        )

    add_page(app, book, "/ops/{op}/tasks/{id}", task, READ_ANY)
