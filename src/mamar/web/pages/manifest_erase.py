"""Erasing a person on a manifest, from their page: the page asks when it is done, the
confirmation (:mod:`mamar.web.confirm`) names the person, says what erasing does for good
and asks why; nothing is erased before it is confirmed."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.access.rules import RuleBook, command_rule
from mamar.domain.errors import NotFound
from mamar.domain.model import Command
from mamar.i18n.labels import field_label
from mamar.manifests.commands import ErasePersonal
from mamar.manifests.model import VehicleState
from mamar.reads import people
from mamar.reads.states import get_state
from mamar.web import confirm, forms, i18n
from mamar.web.page import View, add_page, op_view
from mamar.web.pages.manifests import person_page

ERASE = ErasePersonal.command_name


@confirm.names(ERASE)
def erased_person(v: View, command: Command) -> list[tuple[str, str]]:
    """Who is erased, by name (read from the vault, the read journalled as on their page),
    and their number on the vehicle's manifest: the command carries only the number."""
    assert isinstance(command, ErasePersonal)
    number = (
        field_label("number", v.lang, ErasePersonal.kind) or "",
        i18n.number(command.number, v.lang),
    )
    with v.system.writing() as conn:
        state = get_state(conn, viewer=v.actor, kind="vehicle", entity_id=command.id)
        entry = state.entry(command.number) if isinstance(state, VehicleState) else None
        if not isinstance(state, VehicleState) or entry is None:
            return [number]
        found = people.named(
            conn, v.system.vault, viewer=v.actor, people=[(state, entry)], purpose="web"
        )
    details = found[0].as_json()["details"] if found else None
    name = str(details["full_name"]) if details else v.t("erased")
    return [(v.t("Person"), name), number]


def add_routes(app: FastAPI, book: RuleBook) -> None:
    rule = command_rule(ERASE)

    # The number is read after the door has answered: whoever may not erase is told so,
    # whatever the address says.
    async def erase(request: Request, op: str, id: str, number: str) -> Response:
        v = await op_view(request, rule, op)
        if not number.isdigit():
            raise NotFound("vehicle", id)
        return _erase(v, op, id, int(number))

    add_page(
        app, book, "/ops/{op}/vehicles/{id}/people/{number}/erase", erase, rule, methods=("POST",)
    )


def _erase(v: View, op: str, id: str, number: int) -> Response:
    """Ask first (the confirmation), then erase; refused: the person's page says why."""
    reason = v.form.get("reason", "").strip()
    data = {"id": id, "number": number, **({"reason": reason} if reason else {})}
    try:
        forms.run(v, ERASE, data)
    except forms.FormErrors as exc:
        if v.wants_json():
            return v.render("", forms.field_errors_json(exc.errors), title="", status=422)
        return person_page(v, op, id, number, exc.status, exc.errors)
    return v.redirect(f"/ops/{op}/vehicles/{id}/people/{number}")
