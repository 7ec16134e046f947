"""The medical page: batches of wounded in the order they leave in (the next one first),
and each receiving facility's capacity; triage of a person on a manifest, hand-over to
a facility, a batch's priority, facilities registered."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar import reads
from mamar.access.rules import RouteRule, RuleBook, command_rule
from mamar.audit.access import VAULT_READERS
from mamar.domain.ids import new_id
from mamar.facilities.model import FacilityState
from mamar.manifests.triage import CATEGORIES, batches, facility_load
from mamar.reads import people
from mamar.web import forms
from mamar.web.i18n import N_
from mamar.web.page import NavItem, View, add_nav, add_page, op_view
from mamar.web.pages._formkit import either, name_pair
from mamar.web.pages._people_words import medical_words
from mamar.web.pages._shared import may
from mamar.web.pages.manifests import run_on_vehicle

RULE = RouteRule(roles=VAULT_READERS, compartmented=True)
add_nav(NavItem("medical", N_("Wounded"), "medical", roles=VAULT_READERS, order=53))

TRIAGE = "vehicle.triage"
HAND_OVER = "vehicle.hand_over"
PRIORITY = "vehicle.set_priority"
FACILITY = "facility.register"


def facilities(v: View, op: str) -> list[FacilityState]:
    with v.system.reading() as conn:
        found = reads.visible_states(
            conn, viewer=v.actor, operation=op, kinds=["facility"], at_utc=v.at_utc()
        )
    return [f for f in found if isinstance(f, FacilityState)]


def facility_options(v: View, op: str) -> list[tuple[str, str]]:
    return [(f.id, f.name.display(v.lang)) for f in facilities(v, op)]


def _page(v: View, op: str, status: int = 200, errors: dict[str, str] | None = None) -> Response:
    with v.system.reading() as conn:
        seen = people.vehicles(conn, viewer=v.actor, operation=op, at_utc=v.at_utc())
    found = facilities(v, op)
    data: dict[str, Any] = {
        "batches": batches(seen),
        "facilities": facility_load(found, seen),
        "categories": list(CATEGORIES),
    }
    return v.render(
        "medical.html",
        data,
        title=v.t("Wounded"),
        status=status,
        errors=errors,
        words=medical_words(v),
        can_priority=may(v, PRIORITY),
        can_facility=may(v, FACILITY),
        name_pair=name_pair(v),
        form_lists=v.form_lists,
        live=True,
    )


def _error_page(v: View, op: str, errors: dict[str, str]) -> Response:
    if v.wants_json():
        return v.render("", forms.field_errors_json(errors), title="", status=422)
    return _page(v, op, 422, errors)


def triage_data(v: View, vehicle: str) -> dict[str, Any]:
    f = v.form
    injuries = [
        {"region": region, "kind": kind}
        for region, kind in zip(
            v.form_lists.get("region", []), v.form_lists.get("injury", []), strict=False
        )
        if region or kind
    ]
    number = f.get("number", "")
    data: dict[str, Any] = {
        "id": vehicle,
        "number": int(number) if number.isdigit() else number or None,
        "category": f.get("category") or None,
        "injuries": injuries,
        "facility": f.get("facility") or None,
    }
    return {k: x for k, x in data.items() if x is not None}


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def medical(request: Request, op: str) -> Response:
        return _page(await op_view(request, RULE, op), op)

    add_page(app, book, "/ops/{op}/medical", medical, RULE)

    facility_rule = command_rule(FACILITY)

    async def register_facility(request: Request, op: str) -> Response:
        v = await op_view(request, facility_rule, op)
        capacity = v.form.get("capacity", "").strip()
        data: dict[str, Any] = {
            "id": new_id(),
            "operation": op,
            "name": forms.unflatten(
                {"ar": v.form.get("name.ar", ""), "en": v.form.get("name.en", "")}
            ),
            "capacity": int(capacity) if capacity.isdigit() else capacity or None,
            "visibility": v.form.get("visibility") or None,
        }
        try:
            forms.run(
                v,
                FACILITY,
                {k: x for k, x in data.items() if x not in (None, {})},
                either=either([name_pair(v)]),
            )
        except forms.FormErrors as exc:
            return _error_page(v, op, exc.errors)
        return v.redirect(f"/ops/{op}/medical")

    add_page(app, book, "/ops/{op}/medical", register_facility, facility_rule, methods=("POST",))

    priority_rule = command_rule(PRIORITY)

    async def set_priority(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, priority_rule, op)
        text = v.form.get("priority", "").strip()
        data: dict[str, Any] = {"id": id}
        if text:
            data["priority"] = int(text) if text.isdigit() else text
        try:
            forms.run(v, PRIORITY, data)
        except forms.FormErrors as exc:
            return _error_page(v, op, exc.errors)
        return v.redirect(f"/ops/{op}/medical")

    add_page(
        app,
        book,
        "/ops/{op}/vehicles/{id}/priority",
        set_priority,
        priority_rule,
        methods=("POST",),
    )

    triage_rule = command_rule(TRIAGE)

    async def triage(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, triage_rule, op)
        return run_on_vehicle(v, op, id, TRIAGE, triage_data(v, id))

    add_page(app, book, "/ops/{op}/vehicles/{id}/triage", triage, triage_rule, methods=("POST",))

    hand_rule = command_rule(HAND_OVER)

    async def hand_over(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, hand_rule, op)
        number = v.form.get("number", "")
        data = {
            "id": id,
            "number": int(number) if number.isdigit() else None,
            "facility": v.form.get("facility") or None,
        }
        return run_on_vehicle(v, op, id, HAND_OVER, data)

    add_page(
        app, book, "/ops/{op}/vehicles/{id}/hand-over", hand_over, hand_rule, methods=("POST",)
    )
