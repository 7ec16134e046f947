"""Routes: versions and their waypoints, approvals and rejections with reasons, exposure compared."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.accounts.tokens import Scope
from mamar.api.access import READ_ANY, RouteRule, RuleBook
from mamar.domain.errors import DomainError
from mamar.domain.model import command_type
from mamar.domain.time import now_utc
from mamar.geo.service import GeoView, assess
from mamar.services import queries
from mamar.web import forms
from mamar.web.i18n import N_
from mamar.web.page import NavItem, View, add_nav, add_page, op_view
from mamar.web.pages._shared import entities, entity, history, may, names_of

add_nav(NavItem("routes", N_("Routes"), "routes", order=60))


def exposure_by_version(v: View, op: str, route: dict[str, Any]) -> list[dict[str, Any]]:
    """Each version's exposure now (length, hostile length, front distance, incidents near)."""
    rows = []
    allowed = queries.allowed_for(v.actor)
    with v.system.reading() as conn:
        ground = GeoView.load(conn, allowed, operation=op)
        for version in route.get("versions", []):
            number = version["version"]
            try:
                found = assess(
                    conn, allowed, route["id"], number, now_utc(), view=ground, actor=v.actor
                )
            except (DomainError, ValueError):
                rows.append({"version": number, "available": False})
                continue
            e = found.exposure
            rows.append(
                {
                    "version": number,
                    "available": True,
                    "length_m": round(e.length_m),
                    "hostile_m": None if e.hostile_m is None else round(e.hostile_m),
                    "uncontrolled_m": round(e.uncontrolled_m),
                    "front_min_m": None if e.front_min_m is None else round(e.front_min_m),
                    "incidents_near": len(e.incidents),
                    "by_party": [
                        {
                            k: (round(x) if isinstance(x, float) else x)
                            for k, x in dataclasses.asdict(p).items()
                        }
                        for p in e.by_party
                    ]
                    if e.by_party and dataclasses.is_dataclass(e.by_party[0])
                    else [],
                }
            )
    return rows


def _render_detail(
    v: View, op: str, route_id: str, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    record = entity(v, "route", route_id)
    data = {
        "route": record,
        "exposure": exposure_by_version(v, op, record),
        "history": history(v, "route", route_id),
    }
    parties = names_of(entities(v, "party", op), v.lang)
    return v.render(
        "route.html",
        data,
        title=v.t("Route %(id)s", id=route_id),
        status=status,
        errors=errors,
        can_decide=may(v, "route.reject"),
        parties=sorted(parties.items(), key=lambda p: p[1]),
        party_names=parties,
    )


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def routes(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        return v.render("routes.html", {"items": entities(v, "route", op)}, title=v.t("Routes"))

    add_page(app, book, "/ops/{op}/routes", routes, READ_ANY)

    async def route(request: Request, op: str, id: str) -> Response:
        return _render_detail(await op_view(request, READ_ANY, op), op, id)

    add_page(app, book, "/ops/{op}/routes/{id}", route, READ_ANY)

    rule = RouteRule(roles=frozenset(command_type("route.reject").roles), scope=Scope.WRITE)

    async def decide(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, rule, op)
        f = v.form
        current = entity(v, "route", id)
        approve = f.get("decision") == "approve"
        data: dict[str, Any] = {
            "id": id,
            "version": current.get("current_version", 1),
            "party": f.get("party") or None,
        }
        if approve:
            data["note"] = f.get("reasons") or None
        else:
            data["reasons"] = [r.strip() for r in f.get("reasons", "").splitlines() if r.strip()]
        try:
            forms.run(
                v,
                "route.approve" if approve else "route.reject",
                {k: x for k, x in data.items() if x is not None},
            )
        except forms.FormErrors as exc:
            errors = {k.split(".")[0]: m for k, m in exc.errors.items()}
            if v.wants_json():
                return v.render("", forms.field_errors_json(errors), title="", status=422)
            return _render_detail(v, op, id, 422, errors)
        return v.redirect(f"/ops/{op}/routes/{id}")

    add_page(app, book, "/ops/{op}/routes/{id}/decide", decide, rule, methods=("POST",))
