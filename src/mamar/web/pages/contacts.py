"""Contacts log and channel map: "how do we reach X?" — the chain of intermediaries, each channel's status."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.access.rules import READ_ANY, RuleBook
from mamar.channels.events import Medium
from mamar.contacts.events import Direction
from mamar.web import forms
from mamar.web.i18n import N_
from mamar.web.page import NavItem, View, add_nav, add_page, op_view
from mamar.web.pages._formkit import (
    F,
    Form,
    Item,
    add_form,
    chosen,
    creating,
    enum_options,
    local_lines,
    local_text,
    moment,
    options,
    text,
    who,
    who_options,
)
from mamar.web.pages._shared import entities, entity, may, names_of
from mamar.web.render import called

add_nav(NavItem("contacts", N_("Contacts"), "contacts", order=20))


def reach(channels: list[dict[str, Any]], target: str) -> list[dict[str, Any]]:
    """The channels that end at ``target``: each with its chain source → via… → target."""
    routes = []
    for c in channels:
        if c["target"]["id"] != target:
            continue
        chain = [c["source"], *c.get("via", []), c["target"]]
        routes.append(
            {"channel": c["id"], "status": c["status"], "medium": c["medium"], "chain": chain}
        )
    return sorted(routes, key=lambda r: (r["status"] != "active", len(r["chain"])))


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def contacts(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        channels = entities(v, "channel", op)
        log = sorted(
            entities(v, "contact", op),
            key=lambda c: c.get("held_at") or c.get("created_at") or "",
            reverse=True,
        )
        target = request.query_params.get("to") or None
        data = {
            "contacts": log,
            "channels": channels,
            "to": target,
            "reach": reach(channels, target) if target else [],
        }
        parties = names_of(entities(v, "party", op), v.lang)
        people = names_of(entities(v, "person", op), v.lang)
        targets = sorted({c["target"]["id"] for c in channels})
        return v.render(
            "contacts.html",
            data,
            title=v.t("Contacts and channels"),
            targets=[(t, parties.get(t) or people.get(t) or v.t("Not visible")) for t in targets],
            can_log=may(v, "contact.log"),
            can_schedule=may(v, "contact.schedule"),
            can_translate=may(v, "contact.translate"),
        )

    add_page(app, book, "/ops/{op}/contacts", contacts, READ_ANY)
    add_forms(app, book)


# --- forms: log, schedule, and what became of a scheduled contact ---------------------------


def _contact_fields(v: View, op: str) -> list[Item]:
    people = who_options(v, op)
    return [
        *creating(v),
        F("direction", v.t("Direction"), "select", enum_options(v, Direction), required=True),
        F("medium", v.t("Means"), "select", enum_options(v, Medium), value="phone"),
        F("channel", v.t("Channel used"), "select", options(v, op, "channel")),
        F("source", v.t("From"), "select", people),
        F("target", v.t("To"), "select", people),
        F(
            "via",
            v.t("Through whom (intermediaries, in order)"),
            "multi",
            people,
            hint=v.t("Hold Ctrl (or long-press) to choose several"),
        ),
        F("participants", v.t("Others taking part"), "multi", people),
    ]


def _summary_fields(v: View) -> list[Item]:
    return [
        F("summary", v.t("Summary, in the words used"), "prose"),
        F("summary.translation", v.t("Translation of the summary"), "textarea"),
        F("offers", v.t("Offers made (one per line)"), "prose"),
    ]


def _log_form(v: View, op: str, _id: str | None) -> Form:
    return Form(
        v.t("Log a contact"),
        [*_contact_fields(v, op), *_summary_fields(v)],
        v.t("Log the contact"),
    )


def _schedule_form(v: View, op: str, _id: str | None) -> Form:
    return Form(
        v.t("Schedule a contact"),
        [
            *_contact_fields(v, op),
            F(
                "scheduled_for",
                v.t("Planned for (operation's time zone)"),
                "datetime",
                required=True,
            ),
        ],
        v.t("Schedule"),
        occurred=False,
    )


def _common(v: View, op: str) -> dict[str, Any]:
    return {
        "operation": op,
        "visibility": text(v, "visibility"),
        "direction": text(v, "direction"),
        "medium": text(v, "medium"),
        "channel": text(v, "channel"),
        "source": who(text(v, "source")),
        "target": who(text(v, "target")),
        "via": [who(x) for x in chosen(v, "via")],
        "participants": [who(x) for x in chosen(v, "participants")],
    }


def _log_data(v: View, op: str, _id: str | None) -> dict[str, Any]:
    return {
        **_common(v, op),
        "summary": local_text(v, "summary"),
        "offers": local_lines(v, "offers"),
    }


def _schedule_data(v: View, op: str, _id: str | None) -> dict[str, Any]:
    return {**_common(v, op), "scheduled_for": moment(v, "scheduled_for")}


_OUTCOMES = {
    "held": "contact.mark_held",
    "missed": "contact.mark_missed",
    "cancelled": "contact.cancel",
}


def _outcome_form(v: View, op: str, contact_id: str | None) -> Form:
    record = entity(v, "contact", contact_id or "")
    buttons = [("outcome", "held", v.t("It was held")), ("outcome", "missed", v.t("It was missed"))]
    if may(v, "contact.cancel"):
        buttons.append(("outcome", "cancelled", v.t("It was cancelled")))
    return Form(
        v.t("What became of contact: %(name)s", name=called(record, v.lang)),
        [*_summary_fields(v), F("reason", v.t("Reason (missed or cancelled)"), "prose")],
        "",
        facts=[
            (v.t("Status"), v.t(str(record.get("status")))),
            (
                v.t("Planned for"),
                v.t("(not scheduled)")
                if not record.get("scheduled_for")
                else v.when(record["scheduled_for"]),
            ),
        ],
        buttons=buttons,
    )


def _outcome_command(v: View) -> str:
    return _OUTCOMES.get(v.form.get("outcome", ""), "contact.mark_held")


def _outcome_data(v: View, op: str, contact_id: str | None) -> dict[str, Any]:
    if v.form.get("outcome") not in _OUTCOMES:
        raise forms.FormErrors({"outcome": v.t("Choose what became of the contact")})
    if v.form["outcome"] == "held":
        return {
            "id": contact_id,
            "summary": local_text(v, "summary"),
            "offers": local_lines(v, "offers"),
        }
    return {"id": contact_id, "reason": local_text(v, "reason")}


def add_forms(app: FastAPI, book: RuleBook) -> None:
    add_form(app, book, "/ops/{op}/contacts/log", "contact.log", _log_form, _log_data, _to_log)
    add_form(
        app,
        book,
        "/ops/{op}/contacts/schedule",
        "contact.schedule",
        _schedule_form,
        _schedule_data,
        _to_log,
    )
    add_form(
        app,
        book,
        "/ops/{op}/contacts/{id}/outcome",
        _outcome_command,
        _outcome_form,
        _outcome_data,
        _to_log,
        roles_of="contact.mark_held",
    )


def _to_log(v: View, op: str, _id: str | None) -> str:
    return f"/ops/{op}/contacts"
