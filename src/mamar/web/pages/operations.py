"""The list of operations and each operation's dashboard (from ``reads.overview``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar import reads
from mamar.access.rules import READ_ANY, RuleBook
from mamar.domain.time import utc_key
from mamar.reads import negotiation as reads_negotiation
from mamar.web.i18n import N_
from mamar.web.page import NavItem, add_nav, add_page, op_view, view
from mamar.web.pages import _negotiationwords as nwords
from mamar.web.pages.convoy_links import wait_rows

add_nav(NavItem("dashboard", N_("Dashboard"), "dashboard", order=10))


def _moment(at: str) -> datetime:
    return datetime.fromisoformat(at.replace("Z", "+00:00"))


def _seconds(start: str | None, end: datetime) -> float | None:
    if not start:
        return None
    return max(0.0, (end - _moment(start)).total_seconds())


def ceasefire_clock(
    summary: list[dict[str, Any]], states: list[dict[str, Any]], at: str
) -> list[dict[str, Any]]:
    """Each ceasefire's status, how long since it took that status, and since its last violation."""
    moment = datetime.fromisoformat(at)
    violations = {s["id"]: s.get("violations") or [] for s in states}
    rows = []
    for c in summary:
        known = [v["at"] for v in violations.get(c["id"], []) if _moment(v["at"]) <= moment]
        last = max(known, key=_moment, default=None)
        rows.append(
            {
                **c,
                "seconds_since": _seconds(c["since"], moment),
                "last_violation": last,
                "seconds_since_violation": _seconds(last, moment),
            }
        )
    return rows


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def operations(request: Request) -> Response:
        v = await view(request, READ_ANY)
        with v.system.reading() as conn:
            items = reads.list_entities(
                conn, viewer=v.actor, operation=None, kind="operation", limit=500
            )
        return v.render("operations.html", {"items": items}, title=v.t("Operations"))

    add_page(app, book, "/ops", operations, READ_ANY)

    async def dashboard(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        with v.system.reading() as conn:
            data = reads.overview(conn, viewer=v.actor, operation=op, at=v.moment())
            asked = v.moment()
            at_utc = utc_key(asked) if asked is not None else None
            ceasefires = reads.list_entities(  # as they were at the page's moment
                conn, viewer=v.actor, operation=op, kind="ceasefire", at_utc=at_utc, limit=500
            )
            state = reads_negotiation.negotiation_state(
                conn, viewer=v.actor, operation=op, at_utc=at_utc
            )
            waiting = reads_negotiation.convoys_waiting(
                conn, viewer=v.actor, operation=op, at_utc=at_utc
            )
        data["ceasefire_clock"] = ceasefire_clock(data["ceasefires"], ceasefires, data["at"])
        data["negotiation"] = nwords.state_rows(v, state)
        data["waiting"] = [
            {"id": row["convoy"], "name": row["name"], "waits": wait_rows(v, row["waits"])}
            for row in waiting
        ]
        return v.render("dashboard.html", data, title=v.t("Dashboard"), live=True)

    add_page(app, book, "/ops/{op}/dashboard", dashboard, READ_ANY)
