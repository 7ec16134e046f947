"""Contacts log and channel map: "how do we reach X?" — the chain of intermediaries, each channel's status."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.api.access import READ_ANY, RuleBook
from mamar.web.i18n import N_
from mamar.web.page import NavItem, add_nav, add_page, op_view
from mamar.web.pages._shared import entities, names_of

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
        people = {p["id"]: p["id"] for p in entities(v, "person", op)}
        targets = sorted({c["target"]["id"] for c in channels})
        return v.render(
            "contacts.html",
            data,
            title=v.t("Contacts and channels"),
            names={**people, **parties},
            targets=[(t, parties.get(t, t)) for t in targets],
        )

    add_page(app, book, "/ops/{op}/contacts", contacts, READ_ANY)
