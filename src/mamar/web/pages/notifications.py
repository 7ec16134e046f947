"""Notifications: notice of a movement sent to parties, and each party's acknowledgement
(receipt, not consent: a party's liaison records it for their own party)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.access.rules import READ_ANY, RuleBook
from mamar.access.viewer import viewer_of
from mamar.web.i18n import N_
from mamar.web.page import NavItem, View, add_nav, add_page, op_view
from mamar.web.pages._formkit import (
    F,
    Form,
    add_form,
    chosen,
    creating,
    local_text,
    moment,
    options,
    text,
    version,
)
from mamar.web.pages._records import render_detail, render_list
from mamar.web.pages._shared import entities, entity, may, names_in, names_of
from mamar.web.render import called, local, marked

add_nav(NavItem("notifications", N_("Notifications"), "notifications", order=55))


def _send_form(v: View, op: str, _id: str | None) -> Form:
    return Form(
        v.t("Send a movement notice"),
        [
            *creating(v),
            F("parties", v.t("Parties notified"), "multi", options(v, op, "party"), required=True),
            F("message", v.t("Message, in the words sent"), "prose", required=True),
            F("message.translation", v.t("Translation"), "textarea"),
            F("convoy", v.t("Convoy"), "select", options(v, op, "convoy")),
            F("route", v.t("Route"), "select", options(v, op, "route")),
            F("route_version", v.t("Route version"), "number"),
            F("window_from", v.t("Movement from (operation's time zone)"), "datetime"),
            F("window_until", v.t("Movement until"), "datetime"),
        ],
        v.t("Send the notice"),
        intro=v.t("A notice informs the parties; it does not ask their permission."),
    )


def _send_data(v: View, op: str, _id: str | None) -> dict[str, Any]:
    return {
        "operation": op,
        "visibility": text(v, "visibility"),
        "parties": chosen(v, "parties"),
        "message": local_text(v, "message"),
        "convoy": text(v, "convoy"),
        "route": text(v, "route"),
        "route_version": version(v, "route_version", "route", text(v, "route")),
        "window_from": moment(v, "window_from"),
        "window_until": moment(v, "window_until"),
    }


def _waiting(record: dict[str, Any]) -> list[str]:
    done = {a["party"] for a in record.get("acknowledgements") or ()}
    return [p for p in record["parties"] if p not in done]


def _ack_form(v: View, op: str, notification_id: str | None) -> Form:
    record = entity(v, "notification", notification_id or "")
    parties = names_of(entities(v, "party", op), v.lang)
    waiting = _waiting(record)
    viewer = viewer_of(v.actor)
    if viewer.speaks_only_for_own_party:
        waiting = [p for p in waiting if p == viewer.party]
    return Form(
        v.t("Acknowledge notice: %(name)s", name=called(record, v.lang)),
        [
            F(
                "party",
                v.t("Party acknowledging receipt"),
                "select",
                tuple((p, parties.get(p, p)) for p in waiting),
                required=True,
                value=waiting[0] if len(waiting) == 1 else None,
            ),
            F("note", v.t("Note"), "prose"),
        ],
        v.t("Record the acknowledgement"),
        facts=[(v.t("Message"), marked(record["message"], v.lang, v.name_of))],
    )


def _ack_data(v: View, op: str, notification_id: str | None) -> dict[str, Any]:
    return {"id": notification_id, "party": text(v, "party"), "note": local_text(v, "note")}


def _detail_url(v: View, op: str, notification_id: str | None) -> str:
    return f"/ops/{op}/notifications/{notification_id}"


def add_routes(app: FastAPI, book: RuleBook) -> None:
    add_form(
        app,
        book,
        "/ops/{op}/notifications/new",
        "notification.send",
        _send_form,
        _send_data,
        _detail_url,
    )
    add_form(
        app,
        book,
        "/ops/{op}/notifications/{id}/acknowledge",
        "notification.acknowledge",
        _ack_form,
        _ack_data,
        _detail_url,
    )

    async def notifications(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        items = entities(v, "notification", op)
        parties = names_of(entities(v, "party", op), v.lang)
        rows = [
            {
                "href": f"/ops/{op}/notifications/{n['id']}",
                "title": local(n["message"], v.lang),
                "status": n.get("status"),
                "detail": v.t(
                    "Waiting for: %(who)s",
                    who=names_in(v, parties, _waiting(n)),
                ),
            }
            for n in items
        ]
        actions = (
            [(v.t("Send a movement notice"), f"/ops/{op}/notifications/new")]
            if may(v, "notification.send")
            else []
        )
        return render_list(v, v.t("Notifications"), items, rows, actions)

    add_page(app, book, "/ops/{op}/notifications", notifications, READ_ANY)

    async def notification(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        n = entity(v, "notification", id)
        parties = names_of(entities(v, "party", op), v.lang)
        facts = [
            (v.t("Message"), marked(n["message"], v.lang, v.name_of)),
            (v.t("Parties notified"), names_in(v, parties, n["parties"])),
            (
                v.t("Acknowledged by"),
                names_in(v, parties, [a["party"] for a in n.get("acknowledgements") or ()]),
            ),
        ]
        actions = []
        if may(v, "notification.acknowledge") and _waiting(n):
            actions.append(
                (v.t("Acknowledge receipt"), f"/ops/{op}/notifications/{id}/acknowledge")
            )
        return render_detail(
            v, "notification", n, v.t("Notice: %(name)s", name=called(n, v.lang)), facts, actions
        )

    add_page(app, book, "/ops/{op}/notifications/{id}", notification, READ_ANY)
