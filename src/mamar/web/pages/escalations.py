"""An escalation: its message, how long it waited, the answers; recording an answer."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar import reads
from mamar.access.rules import READ_ANY, RuleBook, command_rule
from mamar.domain.time import now_utc
from mamar.escalations.model import EscalationState, seconds_waiting, time_to_respond_seconds
from mamar.web import forms
from mamar.web.forms import language_of
from mamar.web.page import View, add_page, op_view
from mamar.web.pages._shared import entities, history, may, names_of, precision_of
from mamar.web.pages.translations import translate_form
from mamar.web.render import called

RESPOND = "escalation.record_response"


def _render(
    v: View, op: str, esc_id: str, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    with v.system.reading() as conn:
        at = v.at_utc()
        state = reads.get_state(
            conn, viewer=v.actor, kind="escalation", entity_id=esc_id, at_utc=at
        )
        record = reads.get_entity(
            conn, viewer=v.actor, kind="escalation", entity_id=esc_id, at_utc=at
        )
    assert isinstance(state, EscalationState)
    events = history(v, "escalation", esc_id)
    data: dict[str, Any] = {
        "escalation": record,
        "waiting_seconds": (
            seconds_waiting(state, v.moment() or now_utc()) if state.awaiting_since else None
        ),
        "answered_after_seconds": time_to_respond_seconds(state),
        "history": events,
        # How precisely it is known to have been raised.
        "precision": precision_of(events, "escalation.raised"),
    }
    return v.render(
        "escalation.html",
        data,
        title=v.t("Escalation: %(name)s", name=called(record, v.lang)),
        status=status,
        errors=errors,
        can_respond=may(v, RESPOND),
        parties=sorted(names_of(entities(v, "party", op), v.lang).items(), key=lambda p: p[1]),
        translation=translate_form(v, "escalation", record),
    )


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def escalation(request: Request, op: str, id: str) -> Response:
        return _render(await op_view(request, READ_ANY, op), op, id)

    add_page(app, book, "/ops/{op}/escalations/{id}", escalation, READ_ANY)

    rule = command_rule(RESPOND)

    async def respond(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, rule, op)
        f = v.form
        data = {
            "id": id,
            "text": {"original": f.get("text", ""), "language": language_of(v, "text")},
            "by": f.get("by") or None,
            "commitment": (
                {"original": f["commitment"], "language": language_of(v, "commitment")}
                if f.get("commitment")
                else None
            ),
        }
        try:
            forms.run(
                v, RESPOND, {k: x for k, x in data.items() if x is not None}, required=("text",)
            )
        except forms.FormErrors as exc:
            errors = {k.split(".")[0]: m for k, m in exc.errors.items()}
            if v.wants_json():
                return v.render("", forms.field_errors_json(errors), title="", status=422)
            return _render(v, op, id, 422, errors)
        return v.redirect(f"/ops/{op}/escalations/{id}")

    add_page(app, book, "/ops/{op}/escalations/{id}/respond", respond, rule, methods=("POST",))
