"""Convoys: plan (vehicles, teams, escorts, counts), list by status, status buttons, and
vehicles and escorts added to a convoy planned (rows that grow, see ``_convoy_rows``).

The buttons offer only the transitions :data:`mamar.convoys.model.TRANSITIONS` allows.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.access.rules import READ_ANY, RouteRule, RuleBook, command_rule
from mamar.convoys.events import ConvoyStatus, CountOf, Leg, StopKind
from mamar.convoys.model import TRANSITIONS
from mamar.domain.figures import Certainty
from mamar.domain.subjects import Group
from mamar.manifests.counts import manifest_counts
from mamar.reads.people import vehicles
from mamar.web import forms
from mamar.web.i18n import N_
from mamar.web.page import NavItem, View, add_nav, add_page, op_view
from mamar.web.pages import _convoy_rows as rows
from mamar.web.pages._formkit import (
    GROW,
    Item,
    either,
    enum_options,
    local_text,
    name_pair,
    options,
)
from mamar.web.pages._rows import Rows
from mamar.web.pages._shared import entities, entity, history, may, number, visibility_options
from mamar.web.pages.convoy_links import waits_of
from mamar.web.pages.translations import translate_form
from mamar.web.render import called

add_nav(NavItem("convoys", N_("Convoys"), "convoys", order=50))

PLAN = "convoy.plan"
CHANGE = "convoy.change_status"
ADD_STOP = "convoy.add_stop"
REACH = "convoy.reach_stop"
LEAVE = "convoy.leave_stop"
FIGURE = "convoy.report_figure"
CARGO = "convoy.record_cargo"
#: The form on a convoy's page adding vehicles and escorts (its path after the convoy's).
ADDED = "vehicles"
#: What the form adding vehicles and escorts says when it is sent with no row filled in.
NOTHING_ADDED = N_("Give the vehicles or the escort to add")


CHOOSE_STATUS = N_("Choose the new status with one of the buttons below")


def _rule(name: str) -> RouteRule:
    return command_rule(name)


def legal_next(status: str) -> list[str]:
    return TRANSITIONS.allowed_next(ConvoyStatus(status))


def with_listed_counts(v: View, op: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Convoys' people counted from the manifests the viewer sees, where there are some
    (``counts_from_manifests``); the counted totals stand elsewhere."""
    with v.system.reading() as conn:
        listed = manifest_counts(vehicles(conn, viewer=v.actor, operation=op, at_utc=v.at_utc()))
    out = []
    for item in items:
        found = listed.get(item["id"])
        if found is not None:
            counts = {k: getattr(found, k) for k in ("planned", "boarded", "arrived")}
            item = {**item, "counts": counts, "counts_from_manifests": True}
        out.append(item)
    return out


def _render_list(
    v: View, op: str, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    items = with_listed_counts(v, op, entities(v, "convoy", op))
    return v.render(
        "convoys.html",
        {"items": items},
        title=v.t("Convoys"),
        status=status,
        errors=errors,
        live=True,
        can_plan=may(v, PLAN),
        name_pair=name_pair(v),
        visibilities=visibility_options(v),
        places=options(v, op, "place"),
        routes=options(v, op, "route"),
        parties=options(v, op, "party"),
        form_lists=v.form_lists,
        **_row_items(v, op, v.form, rows.VEHICLES),
    )


def _row_items(v: View, op: str, form: dict[str, str], vehicles: Rows) -> dict[str, Any]:
    """The vehicles and escort rows of a form (as typed in ``form``) and its buttons that
    add one: ``vehicle_rows``, ``escort_rows``, ``more_rows``."""
    parties = options(v, op, "party")
    return {
        "vehicle_rows": rows.row_items(v, form, vehicles, parties),
        "escort_rows": rows.row_items(v, form, rows.ESCORTS, parties),
        "more_rows": [rows.grow_buttons(v)],
    }


def _typed_rows(v: View, op: str, vehicles: Rows) -> list[Item]:
    """A form's rows as typed: where its messages about them are said."""
    shown = _row_items(v, op, v.form, vehicles)
    return [*shown["vehicle_rows"], *shown["escort_rows"]]


def plan_data(v: View, op: str, typed: rows.Read) -> dict[str, Any]:
    """The plan as typed; its vehicles and escorts are the rows ``typed``."""
    f = v.form
    counts = {k: number(f.get(f"counts.{k}")) for k in ("planned", "boarded", "arrived")}
    name = {k: f.get(f"name.{k}", "").strip() for k in ("ar", "en")}
    data: dict[str, Any] = {
        "operation": op,
        "visibility": f.get("visibility") or None,
        "name": {k: x for k, x in name.items() if x},
        "batch_of": local_text(v, "batch_of"),
        "origin": f.get("origin") or None,
        "destination": f.get("destination") or None,
        "route": f.get("route") or None,
        "vehicles": typed.vehicles,
        "teams": [t for t in v.form_lists.get("teams", []) if t.strip()],
        "escorts": typed.escorts,
        "counts": {k: x for k, x in counts.items() if x is not None},
    }
    return {k: x for k, x in data.items() if x is not None}


def figure_data(v: View, prefix: str) -> dict[str, Any]:
    """A figure from its form fields (``prefix.certainty``, ``.value``, ``.high``, ``.source``)."""
    f = v.form
    data = {
        "certainty": f.get(f"{prefix}.certainty") or "exact",
        "value": number(f.get(f"{prefix}.value")),
        "high": number(f.get(f"{prefix}.high")),
        "source": local_text(v, f"{prefix}.source"),
    }
    return {k: x for k, x in data.items() if x is not None}


def _stop_data(v: View, convoy_id: str) -> dict[str, Any]:
    f = v.form
    stop = {
        "place": f.get("stop.place") or None,
        "kind": f.get("stop.kind") or None,
        "leg": f.get("stop.leg") or None,
        "note": local_text(v, "stop.note"),
    }
    return {"id": convoy_id, "stop": {k: x for k, x in stop.items() if x is not None}}


def _report_data(v: View, convoy_id: str) -> dict[str, Any]:
    f = v.form
    data = {
        "id": convoy_id,
        "count": f.get("count") or None,
        "group": f.get("group") or None,
        "stop": f.get("stop") or None,
        "figure": figure_data(v, "figure"),
    }
    return {k: x for k, x in data.items() if x is not None}


def _cargo_data(v: View, convoy_id: str) -> dict[str, Any]:
    f = v.form
    cargo = {
        "kind": local_text(v, "cargo.kind"),
        "quantity": figure_data(v, "cargo.quantity"),
        "unit": local_text(v, "cargo.unit"),
        "delivered_at": f.get("cargo.delivered_at") or None,
    }
    return {"id": convoy_id, "cargo": {k: x for k, x in cargo.items() if x is not None}}


def _stop_choices(v: View, op: str, record: dict[str, Any]) -> list[tuple[str, str]]:
    """The convoy's stops of the way out (and its destination), by their place's name."""
    names = dict(options(v, op, "place"))
    places = [s["place"] for s in record.get("stops", []) if s.get("leg") != "in"]
    if record.get("destination"):
        places.append(record["destination"])
    return [(p, names.get(p, v.t("Place not visible"))) for p in dict.fromkeys(places)]


def _render_detail(
    v: View,
    op: str,
    convoy_id: str,
    status: int = 200,
    errors: dict[str, str] | None = None,
    posted: str = "",
) -> Response:
    """The convoy's page; ``posted`` names the form sent (its path after the convoy's), the
    only one shown again as typed and with the refusal's messages beside its fields."""
    record = with_listed_counts(v, op, [entity(v, "convoy", convoy_id)])[0]
    data = {
        "convoy": record,
        "next_statuses": legal_next(record["status"]),
        "history": history(v, "convoy", convoy_id),
    }
    return v.render(
        "convoy.html",
        data,
        title=v.t("Convoy: %(name)s", name=called(record, v.lang)),
        status=status,
        errors=errors,
        posted=posted,
        live=True,
        can_change=may(v, CHANGE),
        can_add_stop=may(v, ADD_STOP),
        can_time_stop=may(v, REACH),
        can_report=may(v, FIGURE),
        can_cargo=may(v, CARGO),
        can_wait=may(v, "convoy.wait_for"),
        can_stop_waiting=may(v, "convoy.stop_waiting"),
        waits=waits_of(v, record),
        places=options(v, op, "place"),
        incidents=options(v, op, "incident") if may(v, CHANGE) else (),
        stops=_stop_choices(v, op, record),
        stop_kinds=enum_options(v, StopKind),
        legs=enum_options(v, Leg),
        counts=enum_options(v, CountOf),
        groups=enum_options(v, Group),
        certainties=enum_options(v, Certainty),
        translation=translate_form(v, "convoy", record),
        can_add=may(v, rows.ADD_VEHICLES) and may(v, rows.ADD_ESCORT),
        form_lists=v.form_lists,
        **_row_items(v, op, v.form if posted == ADDED else {}, rows.ADDED_VEHICLES),
    )


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def convoys(request: Request, op: str) -> Response:
        return _render_list(await op_view(request, READ_ANY, op), op)

    add_page(app, book, "/ops/{op}/convoys", convoys, READ_ANY)

    plan_rule = _rule(PLAN)

    async def plan(request: Request, op: str) -> Response:
        v = await op_view(request, plan_rule, op)
        if v.form.get(GROW):  # one more row: the form again, as typed, nothing recorded
            return _render_list(v, op)
        typed = rows.read(v)
        try:
            recorded = forms.run(v, PLAN, plan_data(v, op, typed), either=either([name_pair(v)]))
        except forms.FormErrors as exc:
            errors = rows.placed(exc.errors, _typed_rows(v, op, rows.VEHICLES), typed.given_by)
            if v.wants_json():
                return v.render("", forms.field_errors_json(errors), title="", status=422)
            return _render_list(v, op, 422, errors)
        return v.redirect(f"/ops/{op}/convoys/{forms.record_of(recorded)}")

    add_page(app, book, "/ops/{op}/convoys", plan, plan_rule, methods=("POST",))

    async def convoy(request: Request, op: str, id: str) -> Response:
        return _render_detail(await op_view(request, READ_ANY, op), op, id)

    add_page(app, book, "/ops/{op}/convoys/{id}", convoy, READ_ANY)

    change_rule = _rule(CHANGE)

    async def change_status(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, change_rule, op)
        f = v.form
        if not f.get("status"):  # Enter in a field: no button chosen (never the first one's)
            v.field_errors["status"] = v.t(CHOOSE_STATUS)
        data = {
            "id": id,
            "status": f.get("status") or None,
            "reason": local_text(v, "reason"),
            "place": f.get("place") or None,
            "incident": f.get("incident") or None,
        }
        try:
            forms.run(v, CHANGE, {k: x for k, x in data.items() if x is not None})
        except forms.FormErrors as exc:
            if v.wants_json():
                return v.render("", forms.field_errors_json(exc.errors), title="", status=422)
            return _render_detail(v, op, id, 422, exc.errors, "status")
        return v.redirect(f"/ops/{op}/convoys/{id}")

    add_page(
        app, book, "/ops/{op}/convoys/{id}/status", change_status, change_rule, methods=("POST",)
    )

    def detail_form(command: str, path: str, make: Any) -> None:
        """A form on the convoy's page that runs ``command`` with the data ``make`` reads."""
        rule = _rule(command)

        async def post(request: Request, op: str, id: str) -> Response:
            v = await op_view(request, rule, op)
            try:
                forms.run(v, command, make(v, id))
            except forms.FormErrors as exc:
                # A refusal about the convoy itself (it has arrived) is said above the page.
                errors = {("_general" if k == "id" else k): m for k, m in exc.errors.items()}
                if v.wants_json():
                    return v.render("", forms.field_errors_json(errors), title="", status=422)
                return _render_detail(v, op, id, 422, errors, path)
            return v.redirect(f"/ops/{op}/convoys/{id}")

        add_page(app, book, f"/ops/{{op}}/convoys/{{id}}/{path}", post, rule, methods=("POST",))

    def stop_time(v: View, convoy_id: str) -> dict[str, Any]:
        f = v.form
        return {"id": convoy_id, "place": f.get("place") or None, "leg": f.get("leg") or "out"}

    add_rule = _rule(rows.ADD_VEHICLES)

    async def add_rows(request: Request, op: str, id: str) -> Response:
        """Vehicles and escorts added to the convoy: every row or none."""
        v = await op_view(request, add_rule, op)
        if v.form.get(GROW):  # one more row: the page again, the form as typed
            return _render_detail(v, op, id, posted=ADDED)
        typed = rows.read(v)
        if not typed.vehicles and not typed.escorts:
            v.field_errors[rows.VEHICLES.row(0)] = v.t(NOTHING_ADDED)
        try:
            forms.run_all(v, rows.additions(id, typed), where=rows.where(typed))
        except forms.FormErrors as exc:
            items = _typed_rows(v, op, rows.ADDED_VEHICLES)
            errors = rows.placed(exc.errors, items, typed.given_by)
            if v.wants_json():
                return v.render("", forms.field_errors_json(errors), title="", status=422)
            return _render_detail(v, op, id, exc.status, errors, ADDED)
        return v.redirect(f"/ops/{op}/convoys/{id}")

    add_page(
        app, book, f"/ops/{{op}}/convoys/{{id}}/{ADDED}", add_rows, add_rule, methods=("POST",)
    )
    detail_form(ADD_STOP, "stops", _stop_data)
    detail_form(REACH, "stops/reached", stop_time)
    detail_form(LEAVE, "stops/left", stop_time)
    detail_form(FIGURE, "figures", _report_data)
    detail_form(CARGO, "cargo", _cargo_data)
