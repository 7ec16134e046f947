"""Routes: versions and their waypoints, approvals and rejections with reasons, exposure compared."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import FastAPI, Request
from pydantic import TypeAdapter, ValidationError
from starlette.responses import Response

from mamar.access.rules import READ_ANY, RuleBook, command_rule
from mamar.access.viewer import viewer_of
from mamar.api.messages import validation_message
from mamar.domain.errors import DomainError
from mamar.domain.text import Prose
from mamar.domain.time import now_utc
from mamar.geodata.service import GeoView, assess
from mamar.web import forms, i18n
from mamar.web.i18n import N_
from mamar.web.page import NavItem, View, add_nav, add_page, op_view
from mamar.web.pages import _waypoints as waypoints
from mamar.web.pages._formkit import (
    GROW,
    OCCURRED,
    F,
    Form,
    Group,
    Item,
    add_form,
    creating,
    group_errors,
    language_of,
    local_lines,
    local_name,
    local_text,
    name_pair,
    options,
    text,
)
from mamar.web.pages._shared import entities, entity, history, may, names_in, names_of
from mamar.web.render import called

add_nav(NavItem("routes", N_("Routes"), "routes", order=60))


def exposure_by_version(v: View, op: str, route: dict[str, Any]) -> list[dict[str, Any]]:
    """Each version's exposure now (length, hostile length, front distance, incidents near)."""
    rows = []
    seer = viewer_of(v.actor)
    with v.system.reading() as conn:
        ground = GeoView.load(conn, seer, operation=op)
        for version in route.get("versions", []):
            number = version["version"]
            try:
                found = assess(
                    conn,
                    seer,
                    route["id"],
                    number,
                    v.moment() or now_utc(),
                    view=ground,
                    actor=v.actor,
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
        title=v.t("Route: %(name)s", name=called(record, v.lang)),
        status=status,
        errors=errors,
        can_decide=may(v, "route.reject"),
        can_revise=may(v, "route.revise"),
        can_translate=may(v, "route.translate"),
        parties=sorted(parties.items(), key=lambda p: p[1]),
        party_names=parties,
    )


def add_routes(app: FastAPI, book: RuleBook) -> None:
    add_forms(app, book)  # before /routes/{id}: "new" is not a route's id

    async def routes(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        return v.render(
            "routes.html",
            {"items": entities(v, "route", op)},
            title=v.t("Routes"),
            can_propose=may(v, "route.propose"),
        )

    add_page(app, book, "/ops/{op}/routes", routes, READ_ANY)

    async def route(request: Request, op: str, id: str) -> Response:
        return _render_detail(await op_view(request, READ_ANY, op), op, id)

    add_page(app, book, "/ops/{op}/routes/{id}", route, READ_ANY)

    rule = command_rule("route.reject")

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
            data["note"] = local_text(v, "reasons")
        else:
            data["reasons"] = local_lines(v, "reasons")
        try:
            forms.run(
                v,
                "route.approve" if approve else "route.reject",
                {k: x for k, x in data.items() if x is not None},
                required=("party",),
            )
        except forms.FormErrors as exc:
            # An approval's note is typed in the reasons: its refusal is said there.
            shown = ("party", "reasons", "version", *OCCURRED)
            errors = group_errors(exc.errors, shown, {"note": "reasons"})
            if v.wants_json():
                return v.render("", forms.field_errors_json(errors), title="", status=422)
            return _render_detail(v, op, id, 422, errors)
        return v.redirect(f"/ops/{op}/routes/{id}")

    add_page(app, book, "/ops/{op}/routes/{id}/decide", decide, rule, methods=("POST",))


# --- forms: propose a route, revise it (a new version voids earlier approvals) ------------


#: What a waypoint row's problem says, by its kind (see ``_waypoints.Read``).
_PROBLEMS = {
    "point": N_("Give the point as latitude,longitude, e.g. %(example)s"),
    "range": N_(
        "Latitude goes from %(south)s to %(north)s and longitude from %(west)s to %(east)s, "
        "e.g. %(example)s"
    ),
    "unknown": N_("Choose a place from the list, or give a point"),
    "pointless": N_("This place has no point on the map: give its latitude,longitude instead"),
    "both": N_("Choose a place or give a point, not both"),
    "neither": N_("Choose a place from the list, or give a point"),
    "required": N_(
        "Required: a route has two waypoints at least, where it starts and where it ends"
    ),
}


def _places(v: View, op: str) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in entities(v, "place", op)}


def _waypoint_rows(
    v: View, op: str, current: list[dict[str, Any]] | None = None, *, heading: str
) -> list[Item]:
    """A row per waypoint, in order: a place picked by its name (places with a point on the
    map), or a point; a label beside, in its language. The current waypoints first (a new
    version), or as typed (a refused or grown form); then an empty row, and a button that
    shows the form again with one more."""
    # Only places with a point on the map are listed (a waypoint at a place without one is
    # shown as its point, so that a new version keeps it).
    places = {k: p for k, p in _places(v, op).items() if p.get("point")}
    picked = tuple((k, name) for k, name in options(v, op, "place") if k in places)
    given = waypoints.shown(current or [], places, v.lang)
    count = waypoints.row_count(v.form, len(given), waypoints.ROWS.grows(v.form))
    rows: list[Item] = []
    for n in range(count):
        was = given[n] if n < len(given) else waypoints.Shown()
        fields = (
            F(
                waypoints.field(n, "place"),
                v.t("Place"),
                "select",
                picked,
                hint=v.t("In order, from where the route starts to where it ends: two at least")
                if n == 0
                else None,
                value=was.place,
            ),
            F(
                waypoints.field(n, "point"),
                v.t("Or a point not on the list: latitude,longitude"),
                "point",
                value=was.point,
            ),
            F(
                waypoints.field(n, "label"),
                v.t("Name used on the ground (optional)"),
                "line",
                value=was.label,
                language=was.language,
            ),
        )
        legend = v.t("Waypoint %(n)s", n=i18n.number(n + 1, v.lang))
        if n == 0:
            legend = f"{heading}: {legend}"
        # The first rows are required (a place or a point each): the list's own messages
        # (too few waypoints) are said on its first row (``waypoints`` → ``waypoints.0``).
        needed = n < waypoints.FEWEST
        rows.append(
            Group(
                legend,
                fields,
                name=waypoints.row_name(n) if needed else "",
                required=needed,
                need=v.t("Required: a place or a point") if needed else "",
            )
        )
    rows.append(F(GROW, "", "buttons", ((waypoints.MORE, v.t("Add another waypoint")),)))
    return rows


def _read(v: View, op: str, kept: dict[str, dict[str, Any]] | None = None) -> waypoints.Read:
    """The waypoints of the rows typed. The labels are in the language chosen beside them,
    except one shown unchanged from the version revised (``kept``: the words shown → the
    label as recorded)."""
    rows = waypoints.row_count(v.form, 0, False)
    return waypoints.read(
        v.form, rows, _places(v, op), kept or {}, lambda name: language_of(v, name)
    )


def _waypoints(
    v: View, op: str, kept: dict[str, dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """The waypoints of the rows (:func:`_read`); each row's problem is noted beside its
    field (said with the form's other problems)."""
    read = _read(v, op, kept)
    for (row, part), kind in read.problems.items():
        v.field_errors[waypoints.problem_key(row, part)] = v.t(
            _PROBLEMS[kind], **waypoints.point_words(v.lang)
        )
        _check_label(v, row)
    return read.waypoints


_LABEL = TypeAdapter(Prose)


def _check_label(v: View, row: int) -> None:
    """The label of a row refused for its place or point, checked all the same: every
    problem of the form is said at once (the label's is otherwise said only once the
    point is corrected)."""
    name = waypoints.field(row, "label")
    words = v.form.get(name, "").strip()
    if not words:
        return
    try:
        _LABEL.validate_python({"original": words, "language": forms.language_of(v, name)})
    except ValidationError as exc:
        first = exc.errors()[0]
        message = validation_message(str(first["type"]), "", v.lang, first.get("ctx"), in_form=True)
        v.field_errors[waypoints.problem_key(row, "label")] = message


def _current(record: dict[str, Any]) -> dict[str, Any]:
    return next((x for x in record["versions"] if x["version"] == record["current_version"]), {})


def _propose_form(v: View, op: str, _id: str | None) -> Form:
    own = viewer_of(v.actor).speaks_for
    return Form(
        v.t("Propose a route"),
        [
            *creating(v),
            name_pair(v),
            F("proposed_by", v.t("Proposed by"), "select", options(v, op, "party"), value=own),
            *_waypoint_rows(v, op, heading=v.t("Waypoints")),
            F("note", v.t("Note"), "prose"),
        ],
        v.t("Propose the route"),
        given_by=_read(v, op).given_by(),
    )


def _propose_data(v: View, op: str, _id: str | None) -> dict[str, Any]:
    return {
        "operation": op,
        "visibility": text(v, "visibility"),
        "name": local_name(v, "name"),
        "proposed_by": text(v, "proposed_by"),
        "waypoints": _waypoints(v, op),
        "note": local_text(v, "note"),
    }


def _revise_form(v: View, op: str, route_id: str | None) -> Form:
    record = entity(v, "route", route_id or "")
    current = _current(record)
    approving = [s["party"] for s in record.get("standing", []) if s["decision"] == "approved"]
    names = names_of(entities(v, "party", op), v.lang)
    own = viewer_of(v.actor).speaks_for
    return Form(
        v.t("Revise route: %(name)s", name=called(record, v.lang)),
        [
            F("proposed_by", v.t("Proposed by"), "select", options(v, op, "party"), value=own),
            *_waypoint_rows(
                v, op, current.get("waypoints", []), heading=v.t("Waypoints of the new version")
            ),
            F("note", v.t("What changed and why"), "prose"),
        ],
        v.t("Record the new version"),
        intro=v.t(
            "A new version voids the approvals given to earlier versions: "
            "every party must decide again."
        ),
        facts=[
            (v.t("Current version"), i18n.number(record["current_version"], v.lang)),
            (
                v.t("Approvals that this revision voids"),
                names_in(v, names, approving),
            ),
        ],
        given_by=_read(v, op).given_by(),
    )


def _revise_data(v: View, op: str, route_id: str | None) -> dict[str, Any]:
    kept = waypoints.labels(_current(entity(v, "route", route_id or "")), v.lang)
    return {
        "id": route_id,
        "proposed_by": text(v, "proposed_by"),
        "waypoints": _waypoints(v, op, kept),
        "note": local_text(v, "note"),
    }


def _detail_url(v: View, op: str, route_id: str | None) -> str:
    return f"/ops/{op}/routes/{route_id}"


def add_forms(app: FastAPI, book: RuleBook) -> None:
    add_form(
        app,
        book,
        "/ops/{op}/routes/new",
        "route.propose",
        _propose_form,
        _propose_data,
        _detail_url,
    )
    add_form(
        app,
        book,
        "/ops/{op}/routes/{id}/revise",
        "route.revise",
        _revise_form,
        _revise_data,
        _detail_url,
    )
