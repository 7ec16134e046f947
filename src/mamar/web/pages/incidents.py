"""Incidents: report (with a point: inputs ``lat``/``lon``), list, detail with escalations."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from markupsafe import Markup, escape
from starlette.responses import Response

from mamar import reads
from mamar.access.rules import READ_ANY, RouteRule, RuleBook, command_rule
from mamar.i18n.labels import category_label
from mamar.incidents.categories import EventType, HumanitarianImpact, Weapon
from mamar.incidents.events import Confidence, SourceKind
from mamar.web import forms, i18n
from mamar.web.forms import language_of
from mamar.web.i18n import N_
from mamar.web.page import NavItem, View, add_nav, add_page, op_view
from mamar.web.pages._formkit import enum_options, group_errors, local_text, options
from mamar.web.pages._shared import (
    decimal,
    entities,
    entity,
    history,
    may,
    names_of,
    number,
    precision_of,
    visibility_options,
)
from mamar.web.pages.translations import translate_form
from mamar.web.render import called

add_nav(NavItem("incidents", N_("Incidents"), "incidents", order=40))


ALLEGE = "incident.add_allegation"
#: The inputs of the escalation form (incident.html).
ESCALATION_FIELDS = ("to_party", "message", "visibility")


def _rule(name: str) -> RouteRule:
    return command_rule(name)


#: The event that reports an incident: its time is the incident's, with its precision.
REPORTED = "incident.reported"


def report_precisions(v: View, op: str) -> dict[str, str]:
    """How precisely each incident the viewer sees is known to have happened, by its id
    (its report's precision), as of the page's moment."""
    with v.system.reading() as conn:
        reports = reads.timeline(
            conn, viewer=v.actor, operation=op, types=[REPORTED], until_utc=v.at_utc()
        )
        return {e.entity_id: e.precision for e in reports}


def _list_data(v: View, op: str) -> dict[str, Any]:
    items = entities(v, "incident", op)
    items.sort(key=lambda i: i.get("occurred_at") or "", reverse=True)
    return {"items": items, "precision": report_precisions(v, op)}


def _render_list(
    v: View, op: str, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    data = _list_data(v, op)
    parties = names_of(entities(v, "party", op), v.lang)
    return v.render(
        "incidents.html",
        data,
        title=v.t("Incidents"),
        status=status,
        errors=errors,
        live=True,
        can_report=may(v, "incident.report"),
        event_types=[(e.value, category_label(e.value, v.lang)) for e in EventType],
        weapons=enum_options(v, Weapon),
        impacts=enum_options(v, HumanitarianImpact),
        confidences=enum_options(v, Confidence),
        source_kinds=[(k.value, _kind_to_choose(v, k)) for k in SourceKind],
        visibilities=visibility_options(v),
        parties=sorted(parties.items(), key=lambda p: p[1]),
        places=options(v, op, "place"),
        convoys=options(v, op, "convoy"),
        form_lists=v.form_lists,
    )


#: Half a point typed: the other half is asked for, with an example in the reader's digits
#: (the fields read Arabic-Indic digits and decimal separator too).
LONGITUDE_TOO = N_("Give the longitude too: a point needs both, e.g. %(example)s")
LATITUDE_TOO = N_("Give the latitude too: a point needs both, e.g. %(example)s")


def report_data(v: View, op: str) -> dict[str, Any]:
    f = v.form
    lat, lon = decimal(f.get("lat")), decimal(f.get("lon"))
    data: dict[str, Any] = {
        "operation": op,
        "visibility": f.get("visibility") or None,
        "event_type": f.get("event_type") or None,
        "sub_event_type": f.get("sub_event_type") or None,
        "place": f.get("place") or None,
        "description": {
            "original": f.get("description", ""),
            "language": language_of(v, "description"),
        },
        "alleged_perpetrator": f.get("alleged_perpetrator") or None,
        "source": {
            "text": {
                "original": f.get("source.text", ""),
                "language": language_of(v, "source.text"),
            },
            "kind": f.get("source.kind") or None,
        },
        "convoy": f.get("convoy") or None,
    }
    typed = {name: f.get(name, "").strip() for name in ("lat", "lon")}
    if typed["lat"] and not typed["lon"]:  # half a point: the other half is asked for
        v.field_errors["lon"] = v.t(LONGITUDE_TOO, example=i18n.coordinate(37.13, v.lang))
    elif typed["lon"] and not typed["lat"]:
        v.field_errors["lat"] = v.t(LATITUDE_TOO, example=i18n.coordinate(36.17, v.lang))
    elif lat is not None or lon is not None:
        data["point"] = {"lat": lat, "lon": lon}
    casualties = {}
    for key in ("killed", "injured"):
        value = number(f.get(key))
        if value is not None:
            casualties[key] = {"total": value}
    if casualties:
        data["casualties"] = casualties
    data["weapon"] = f.get("weapon") or None
    detail = f.get("weapon_detail", "").strip()
    language = language_of(v, "weapon_detail")
    data["weapon_detail"] = {"original": detail, "language": language} if detail else None
    data["humanitarian"] = [h for h in v.form_lists.get("humanitarian", []) if h]
    data["allegations"] = allegations_of(v)
    return {k: val for k, val in data.items() if val is not None}


def allegations_of(v: View) -> list[dict[str, Any]]:
    """The other parties alleged (rows of party, confidence, alleged by; empty rows left out)."""
    lists = v.form_lists
    rows = zip(
        lists.get("allegation_party", []),
        lists.get("allegation_confidence", []),
        lists.get("allegation_by", []),
        strict=False,
    )
    out = []
    for party, confidence, by in rows:
        if party.strip():
            row = {"party": party, "confidence": confidence or None, "alleged_by": by or None}
            out.append({k: x for k, x in row.items() if x is not None})
    return out


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def incidents(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        return _render_list(v, op)

    add_page(app, book, "/ops/{op}/incidents", incidents, READ_ANY)

    report_rule = _rule("incident.report")

    async def report(request: Request, op: str) -> Response:
        v = await op_view(request, report_rule, op)
        try:
            recorded = forms.run(
                v,
                "incident.report",
                report_data(v, op),
                required=("event_type", "description", "source.text", "source.kind"),
            )
        except forms.FormErrors as exc:
            errors = _point_errors(exc.errors)
            if v.wants_json():
                return v.render("", forms.field_errors_json(errors), title="", status=422)
            return _render_list(v, op, 422, errors)
        return v.redirect(f"/ops/{op}/incidents/{forms.record_of(recorded)}")

    add_page(app, book, "/ops/{op}/incidents", report, report_rule, methods=("POST",))

    async def incident(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        return _render_detail(v, op, id)

    add_page(app, book, "/ops/{op}/incidents/{id}", incident, READ_ANY)

    raise_rule = _rule("escalation.raise")

    async def escalate(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, raise_rule, op)
        entity(v, "incident", id)
        f = v.form
        data: dict[str, Any] = {
            "operation": op,
            "visibility": f.get("visibility") or None,
            "to_party": f.get("to_party") or None,
            "about": [{"kind": "incident", "id": id}],
            "message": {"original": f.get("message", ""), "language": language_of(v, "message")},
        }
        try:
            forms.run(
                v,
                "escalation.raise",
                {k: x for k, x in data.items() if x is not None},
                required=("to_party", "message"),
            )
        except forms.FormErrors as exc:
            # Each beside its input: the message's text (``message.original``) beside it.
            errors = group_errors(exc.errors, ESCALATION_FIELDS)
            if v.wants_json():
                return v.render("", forms.field_errors_json(errors), title="", status=422)
            return _render_detail(v, op, id, 422, errors)
        return v.redirect(f"/ops/{op}/incidents/{id}")

    add_page(
        app, book, "/ops/{op}/incidents/{id}/escalate", escalate, raise_rule, methods=("POST",)
    )

    allege_rule = _rule(ALLEGE)

    async def allege(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, allege_rule, op)
        f = v.form
        allegation = {
            "party": f.get("allegation.party") or None,
            "confidence": f.get("allegation.confidence") or None,
            "alleged_by": f.get("allegation.alleged_by") or None,
            "note": local_text(v, "allegation.note"),
        }
        data = {"id": id, "allegation": {k: x for k, x in allegation.items() if x is not None}}
        try:
            forms.run(v, ALLEGE, data, required=("allegation.party",))
        except forms.FormErrors as exc:
            if v.wants_json():
                return v.render("", forms.field_errors_json(exc.errors), title="", status=422)
            return _render_detail(v, op, id, 422, exc.errors)
        return v.redirect(f"/ops/{op}/incidents/{id}")

    add_page(
        app, book, "/ops/{op}/incidents/{id}/allegations", allege, allege_rule, methods=("POST",)
    )


def _point_errors(errors: dict[str, str]) -> dict[str, str]:
    # The form has separate lat/lon inputs and a textarea for the description's text.
    renamed = {
        "point.lat": "lat",
        "point.lon": "lon",
        "point": "lat",
        "description.original": "description",
        "description": "description",
        "casualties.killed.total": "killed",
        "casualties.killed": "killed",
        "casualties.injured.total": "injured",
        "casualties.injured": "injured",
        "source": "source.text",
        "source.text.original": "source.text",
        "weapon_detail.original": "weapon_detail",
    }
    out = {}
    for key, message in errors.items():
        head = key.split(".")[0]
        out[head if head in ("allegations", "humanitarian") else renamed.get(key, key)] = message
    return out


def _kind_to_choose(v: View, kind: SourceKind) -> str:
    """A kind of source as the person reporting picks it: their own team is "our team"."""
    return v.t("our own team") if kind is SourceKind.OWN_TEAM else v.t(kind.value)


def source_kind(v: View, record: dict[str, Any]) -> Markup | str:
    """The kind of an incident's source as any reader reads it: a report of "own team" is
    the team of the organisation that recorded it, named (never "our team" to a reader of
    another organisation)."""
    kind = (record.get("source") or {}).get("kind")
    if not kind:
        return "—"
    words = v.t(kind)
    owner = record.get("owner")
    if kind != SourceKind.OWN_TEAM or not owner:
        return words
    organisation = v.name_of("organisation", owner)
    if organisation == "—":
        return words
    return v.t("%(kind)s: %(organisation)s", kind=words, organisation=escape(organisation))


def _render_detail(
    v: View, op: str, incident_id: str, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    record = entity(v, "incident", incident_id)
    escalations = [
        e
        for e in entities(v, "escalation", op)
        if any(
            s.get("kind") == "incident" and s.get("id") == incident_id for s in e.get("about", [])
        )
    ]
    events = history(v, "incident", incident_id)
    data = {
        "incident": record,
        "escalations": escalations,
        "history": events,
        # How precisely it is known to have happened: its report's precision.
        "precision": precision_of(events, REPORTED),
    }
    parties = names_of(entities(v, "party", op), v.lang)
    return v.render(
        "incident.html",
        data,
        title=v.t("Incident: %(what)s", what=called(record, v.lang)),
        status=status,
        errors=errors,
        can_escalate=may(v, "escalation.raise"),
        can_respond=may(v, "escalation.record_response"),
        can_allege=may(v, ALLEGE),
        confidences=enum_options(v, Confidence),
        parties=sorted(parties.items(), key=lambda p: p[1]),
        party_names=parties,
        visibilities=visibility_options(v),
        translation=translate_form(v, "incident", record),
        source_kind=source_kind(v, record),
    )
