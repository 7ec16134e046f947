"""Manifests: each convoy's vehicles and the people on them; registering a family from the
keyboard; statuses at each stop; registration lists imported; the QR of each vehicle.

Names are read from the vault and every read is journalled (:mod:`mamar.reads.people`).
Only the roles that read personal records see these pages; which vehicles they see is
their organisation's (and what others share with it).
"""

from __future__ import annotations

import base64
import io
from typing import Any

import segno
from fastapi import FastAPI, Request
from markupsafe import Markup
from starlette.background import BackgroundTask
from starlette.responses import Response

from mamar.access.rules import RouteRule, RuleBook, command_rule
from mamar.api.messages import validation_message
from mamar.audit.access import VAULT_READERS
from mamar.db.maintenance import BULK_RECORDS
from mamar.domain.errors import NotFound
from mamar.domain.ids import new_id
from mamar.domain.time import now_utc
from mamar.manifests.counts import manifest_counts
from mamar.manifests.lists import ImportRefused, families, read_rows
from mamar.manifests.model import VehicleState
from mamar.manifests.photos import MAX_BYTES as MAX_PHOTO_BYTES
from mamar.manifests.stops import stops_of
from mamar.reads import people
from mamar.reads.states import get_state
from mamar.services.people_import import record
from mamar.web import forms, i18n
from mamar.web.i18n import N_
from mamar.web.limits import size_words, upload_limit
from mamar.web.page import NavItem, View, add_nav, add_page, op_view
from mamar.web.pages._formkit import local_text
from mamar.web.pages._people_words import medical_words, problem_message, words
from mamar.web.pages._shared import entities, may
from mamar.web.render import called_text, marked

RULE = RouteRule(roles=VAULT_READERS, compartmented=True)
add_nav(NavItem("manifests", N_("Manifests"), "manifests", roles=VAULT_READERS, order=52))

REGISTER = "vehicle.register"
LIST = "vehicle.list_group"
STATUS = "vehicle.record_status"
#: Rows of the family form (a larger family is registered in two goes).
FAMILY_ROWS = 8


def _convoys(v: View, op: str) -> list[dict[str, Any]]:
    with v.system.reading() as conn:
        seen = people.vehicles(conn, viewer=v.actor, operation=op, at_utc=v.at_utc())
    counts = manifest_counts(seen)
    out = []
    for convoy in entities(v, "convoy", op):
        mine = [x for x in seen if x.convoy == convoy["id"]]
        listed = counts.get(convoy["id"])
        out.append(
            {
                "id": convoy["id"],
                "name": convoy["name"],
                "status": convoy["status"],
                "vehicles": [
                    {"id": x.id, "label": x.label.model_dump(mode="json"), "people": len(x.entries)}
                    for x in mine
                ],
                "counts": listed.as_json() if listed else convoy["counts"],
                "from_manifests": listed is not None,
            }
        )
    return out


def _render_list(
    v: View, op: str, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    convoys = _convoys(v, op)
    return v.render(
        "manifests.html",
        {"convoys": convoys},
        title=v.t("Manifests"),
        status=status,
        errors=errors,
        can_register=may(v, REGISTER),
        convoy_options=[(c["id"], called_text(c, v.lang)) for c in convoys],
    )


def vehicle_page(
    v: View, op: str, vehicle: str, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    at = v.at_utc()
    with v.system.writing() as conn:
        state, listed = people.manifest(
            conn, v.system.vault, viewer=v.actor, vehicle=vehicle, purpose="web", at_utc=at
        )
        convoy = get_state(conn, viewer=v.actor, kind="convoy", entity_id=state.convoy, at_utc=at)
    from mamar.web.pages.medical import facility_options

    data = {
        "vehicle": {
            "id": state.id,
            "label": state.label.model_dump(mode="json"),
            "convoy": state.convoy,
            "priority": state.priority,
        },
        "convoy_name": called_text({"name": convoy.name}, v.lang),  # type: ignore[attr-defined]
        "people": [p.as_json() for p in listed],
        "stops": list(stops_of(convoy)),
    }
    return v.render(
        "vehicle.html",
        data,
        title=v.t("Vehicle %(label)s", label=marked(state.label, v.lang)),
        status=status,
        errors=errors,
        words=medical_words(v),
        can_list=may(v, LIST),
        can_status=may(v, STATUS),
        can_triage=may(v, "vehicle.triage"),
        facilities=dict(facility_options(v, op)),
        live=True,
    )


#: A photo is shown as an image and nothing else: no script, no style, no frame, never
#: sniffed as another type, never kept by a shared cache or the browser's.
PHOTO_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Content-Disposition": 'inline; filename="photo.jpg"',
}


def person_page(
    v: View,
    op: str,
    vehicle: str,
    number: int,
    status: int = 200,
    errors: dict[str, str] | None = None,
) -> Response:
    """One person of a manifest: what the vault holds of them, their photo, their journey;
    for who may, the form that erases their personal data (``errors``: it was refused)."""
    with v.system.writing() as conn:
        state = get_state(
            conn, viewer=v.actor, kind="vehicle", entity_id=vehicle, at_utc=v.at_utc()
        )
        entry = state.entry(number) if isinstance(state, VehicleState) else None
        if not isinstance(state, VehicleState) or entry is None:
            raise NotFound("vehicle", vehicle)
        found = people.named(
            conn, v.system.vault, viewer=v.actor, people=[(state, entry)], purpose="web"
        )
    if not found:
        raise NotFound("vehicle", vehicle)
    from mamar.web.pages.medical import facility_options

    person = found[0].as_json()
    name = person["details"]["full_name"] if person["details"] else v.t("erased")
    return v.render(
        "manifest_person.html",
        {
            "person": person,
            "vehicle": {"id": state.id, "label": state.label.model_dump(mode="json")},
        },
        title=v.t("No. %(n)s on %(label)s", n=number, label=marked(state.label, v.lang))
        + Markup(" — {}").format(name),
        status=status,
        errors=errors,
        words=medical_words(v),
        facilities=dict(facility_options(v, op)),
        can_erase=may(v, "vehicle.erase_person"),
    )


def run_on_vehicle(v: View, op: str, vehicle: str, command: str, data: dict[str, Any]) -> Response:
    """Carry out ``command`` on the vehicle from a form: back to the reception page it came
    from, or to the manifest; a refusal shows the manifest with the reason."""
    back = v.form.get("back", "")
    try:
        forms.run(v, command, {k: x for k, x in data.items() if x is not None and x != []})
    except forms.FormErrors as exc:
        if v.wants_json():
            return v.render("", forms.field_errors_json(exc.errors), title="", status=422)
        return vehicle_page(v, op, vehicle, 422, exc.errors)
    if back.startswith(f"/ops/{op}/reception"):
        return v.redirect(back)
    return v.redirect(f"/ops/{op}/vehicles/{vehicle}")


def family_data(v: View, vehicle: str) -> tuple[dict[str, Any], list[int]]:
    """The command's data from the family form, and the form row of each person."""
    f = v.form
    origin = local_text(v, "origin")  # in the language chosen beside it
    phone = f.get("phone", "").strip()
    listed: list[dict[str, Any]] = []
    rows: list[int] = []
    for i in range(FAMILY_ROWS):
        name = f.get(f"name.{i}", "").strip()
        year = f.get(f"year.{i}", "").strip()
        relation = f.get(f"relation.{i}", "").strip()
        child = f.get(f"child.{i}", "").strip()
        if not (name or year or relation or child or _photo_sent(v, i)):
            continue
        details: dict[str, Any] = {"full_name": name}
        if year:
            digits = year.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
            details["year_of_birth"] = digits
        if relation:  # in the language chosen beside it
            details["relation"] = {"original": relation, "language": _relation_language(v, i)}
        if origin:
            details["origin"] = origin
        if phone and not rows:
            details["phones"] = [phone]
        person: dict[str, Any] = {"details": details}
        if child:
            person["child"] = child
        photo = _photo_sent(v, i)
        if photo is not None:
            person["photo"] = photo
        listed.append(person)
        rows.append(i)
    data: dict[str, Any] = {"id": vehicle, "group_kind": f.get("group_kind") or "family"}
    if listed:
        data["people"] = listed
    return data, rows


def _relation_language(v: View, row: int) -> str:
    """The language of the relation of form row ``row``: chosen beside it, or (a form from
    before each row had its own) in the one select of every row's relation."""
    name = f"relation.{row}"
    if not (v.form.get(f"{name}.language") or v.form.get(f"{name}.language_other")):
        name = "relation"
    return forms.language_of(v, name)


def _photo_sent(v: View, row: int) -> bytes | str | None:
    """The photo of a form row: a file chosen now, or the one kept (base64) from a form
    refused for another reason; either is checked again when the command is built."""
    chosen = v.files.get(f"photo.{row}")
    if chosen is not None and chosen[1]:
        return chosen[1]
    kept = v.form.get(f"photo_kept.{row}", "").strip()
    return kept or None


def kept_photos(v: View, rows: list[int], errors: dict[str, str]) -> dict[str, str]:
    """Photos of a refused form that are good, as base64 to send back with the form (a
    browser cannot refill a file field): the person need not be photographed again."""
    from mamar.manifests.photos import PhotoRefused, clean

    kept: dict[str, str] = {}
    for row in rows:
        if f"photo.{row}" in errors:
            continue
        sent = _photo_sent(v, row)
        if sent is None:
            continue
        try:
            data = base64.b64decode(sent, validate=True) if isinstance(sent, str) else sent
            kept[str(row)] = base64.b64encode(clean(data)).decode()
        except (PhotoRefused, ValueError):
            continue
    return kept


_FIELD_OF_DETAIL = {"full_name": "name", "year_of_birth": "year", "relation": "relation"}


def family_errors(errors: dict[str, str], rows: list[int]) -> dict[str, str]:
    """Errors about ``people.<n>.…`` shown beside the field of the form row they concern."""
    out: dict[str, str] = {}
    per_row = any(k.startswith("people.") for k in errors)
    for key, message in errors.items():
        parts = key.split(".")
        if key == "people" and per_row:
            continue  # "at least one person": said because a row was refused, not empty
        if parts[0] == "people" and len(parts) >= 2 and parts[1].isdigit():
            row = rows[int(parts[1])] if int(parts[1]) < len(rows) else 0
            leaf = parts[-1]
            if leaf == "phones" or (len(parts) > 4 and parts[-2] == "phones"):
                out.setdefault("phone", message)
            elif "origin" in parts:
                out.setdefault("origin.language" if leaf == "language" else "origin", message)
            elif "relation" in parts and leaf == "language":
                out.setdefault(f"relation.{row}.language", message)
            elif "relation" in parts:
                out.setdefault(f"relation.{row}", message)
            elif leaf == "child":
                out.setdefault(f"child.{row}", message)
            elif leaf == "photo" or (len(parts) > 3 and parts[2] == "photo"):
                out.setdefault(f"photo.{row}", message)
            else:
                out.setdefault(f"{_FIELD_OF_DETAIL.get(leaf, 'name')}.{row}", message)
        elif parts[0] == "people":
            out.setdefault("name.0", message)
        else:
            out.setdefault(key, message)
    return out


def _family_page(
    v: View,
    op: str,
    vehicle: str,
    status: int = 200,
    errors: dict[str, str] | None = None,
    done: str | None = None,
    kept: dict[str, str] | None = None,
) -> Response:
    matches: list[dict[str, Any]] = []
    with v.system.writing() as conn:
        state = get_state(
            conn, viewer=v.actor, kind="vehicle", entity_id=vehicle, at_utc=v.at_utc()
        )
        numbers = numbers_of(done)
        if numbers and isinstance(state, VehicleState):
            # The family just registered, checked against open missing-person reports.
            added = [(state, e) for e in state.entries if e.number in numbers]
            matches = [
                m.as_json()
                for m in people.missing_matches(
                    conn, v.system.vault, viewer=v.actor, operation=op, people=added
                )
            ]
    label: Any = state.label.model_dump(mode="json") if isinstance(state, VehicleState) else None
    return v.render(
        "family.html",
        {
            "vehicle": {"id": vehicle, "label": label},
            "rows": FAMILY_ROWS,
            # The numbers just given, in the reader's digits ("٤–٧"); none if not numbers.
            "done": "–".join(
                dict.fromkeys(i18n.number(n, v.lang) for n in (min(numbers), max(numbers)))
            )
            if numbers
            else None,
            "photo_limit": MAX_PHOTO_BYTES // 1_000_000,
            "matches": matches,
        },
        title=v.t("Register a family on %(label)s", label=marked(label, v.lang) if label else "—"),
        status=status,
        errors=errors,
        words=words(v),
        kept=kept or {},
        upload=upload_check(v),
    )


#: Files chosen that a page would refuse whole (web/limits.py), said before they are sent.
FILES_TOO_LARGE = N_(
    "The files chosen are larger than %(size)s together: choose smaller photos or fewer at "
    "once, or split the list."
)


def upload_check(v: View) -> dict[str, Any]:
    """What the browser checks of the files chosen before sending them (``static/forms.js``):
    a photo's own limit and the form's, each with its words in the page's language."""
    limit = upload_limit(v.system.settings.max_body_bytes)
    photo_limit = MAX_PHOTO_BYTES // 1_000_000
    return {
        "max": limit,
        "too_large": v.t(FILES_TOO_LARGE, size=size_words(limit, v.lang)),
        "photo_max": MAX_PHOTO_BYTES,
        "photo_too_large": validation_message(
            "photo_too_large", "", v.lang, {"limit": photo_limit}
        ),
    }


def numbers_of(done: str | None) -> set[int]:
    """The numbers a registration gave ("4-7"), as the family page's address says them."""
    first, _, last = (done or "").partition("-")
    if not (first.isdigit() and (last or first).isdigit()):
        return set()
    low, high = int(first), int(last or first)
    return set(range(low, high + 1)) if 0 < low <= high <= low + 60 else set()


def new_entries(
    before: dict[str, int], after: list[VehicleState]
) -> list[tuple[VehicleState, Any]]:
    """The people added to the vehicles since each had ``before[id]`` people."""
    return [(x, e) for x in after for e in x.entries[before.get(x.id, 0) :]]


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def manifests(request: Request, op: str) -> Response:
        return _render_list(await op_view(request, RULE, op), op)

    add_page(app, book, "/ops/{op}/manifests", manifests, RULE)

    register_rule = command_rule(REGISTER)

    async def register_vehicle(request: Request, op: str) -> Response:
        v = await op_view(request, register_rule, op)
        vehicle = new_id()
        data = {
            "id": vehicle,
            "operation": op,
            "convoy": v.form.get("convoy") or None,
            "label": local_text(v, "label"),
            "vehicle_kind": local_text(v, "vehicle_kind"),
        }
        try:
            forms.run(v, REGISTER, {k: x for k, x in data.items() if x is not None})
        except forms.FormErrors as exc:
            if v.wants_json():
                return v.render("", forms.field_errors_json(exc.errors), title="", status=422)
            return _render_list(v, op, 422, exc.errors)
        return v.redirect(f"/ops/{op}/vehicles/{vehicle}")

    add_page(app, book, "/ops/{op}/manifests", register_vehicle, register_rule, methods=("POST",))

    async def vehicle(request: Request, op: str, id: str) -> Response:
        return vehicle_page(await op_view(request, RULE, op), op, id)

    add_page(app, book, "/ops/{op}/vehicles/{id}", vehicle, RULE)

    async def qr(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, RULE, op)
        with v.system.reading() as conn:
            # NotFound if unseen, or not yet registered at the page's moment (?at=)
            get_state(conn, viewer=v.actor, kind="vehicle", entity_id=id, at_utc=v.at_utc())
        link = f"{request.base_url}ops/{op}/vehicles/{id}"
        out = io.BytesIO()
        segno.make(link, error="m").save(out, kind="svg", scale=4, xmldecl=False)
        return Response(out.getvalue(), media_type="image/svg+xml")

    add_page(app, book, "/ops/{op}/vehicles/{id}/qr.svg", qr, RULE)

    async def vehicle_pdf(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, RULE, op)
        at = v.at_utc()
        with v.system.writing() as conn:
            state, listed = people.manifest(
                conn, v.system.vault, viewer=v.actor, vehicle=id, purpose="print", at_utc=at
            )
        return _pdf(v, request, op, state.convoy, [(state, listed)], f"manifest-{id}")

    add_page(app, book, "/ops/{op}/vehicles/{id}/manifest.pdf", vehicle_pdf, RULE)

    async def convoy_pdf(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, RULE, op)
        at = v.at_utc()
        with v.system.writing() as conn:
            get_state(conn, viewer=v.actor, kind="convoy", entity_id=id, at_utc=at)
            seen = people.vehicles(conn, viewer=v.actor, operation=op, convoy=id, at_utc=at)
            listed = people.named(
                conn,
                v.system.vault,
                viewer=v.actor,
                people=[(x, e) for x in seen for e in x.entries],
                purpose="print",
            )
        by_vehicle = [(x, [p for p in listed if p.vehicle == x.id]) for x in seen]
        return _pdf(v, request, op, id, by_vehicle, f"manifests-{id}")

    add_page(app, book, "/ops/{op}/convoys/{id}/manifests.pdf", convoy_pdf, RULE)

    async def person(request: Request, op: str, id: str, number: int) -> Response:
        return person_page(await op_view(request, RULE, op), op, id, number)

    add_page(app, book, "/ops/{op}/vehicles/{id}/people/{number}", person, RULE)

    async def photo(request: Request, op: str, id: str, number: int) -> Response:
        v = await op_view(request, RULE, op)
        with v.system.writing() as conn:
            image, media_type = people.photo(
                conn, v.system.vault, viewer=v.actor, vehicle=id, number=number, at_utc=v.at_utc()
            )
        return Response(image, media_type=media_type, headers=PHOTO_HEADERS)

    add_page(app, book, "/ops/{op}/vehicles/{id}/people/{number}/photo", photo, RULE)

    status_rule = command_rule(STATUS)

    async def record_status(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, status_rule, op)
        numbers = [int(n) for n in v.form_lists.get("number", []) if n.isdigit()]
        data = {
            "id": id,
            "people": numbers,
            "stop": v.form.get("stop") or None,
            "status": v.form.get("status") or None,
            "on_vehicle": v.form.get("on_vehicle") or None,
        }
        return run_on_vehicle(v, op, id, STATUS, data)

    add_page(
        app, book, "/ops/{op}/vehicles/{id}/status", record_status, status_rule, methods=("POST",)
    )

    list_rule = command_rule(LIST)

    async def family_form(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, list_rule, op)
        return _family_page(v, op, id, done=request.query_params.get("done"))

    add_page(app, book, "/ops/{op}/vehicles/{id}/family", family_form, list_rule)

    async def register_family(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, list_rule, op)
        data, rows = family_data(v, id)
        if "people" not in data:
            errors = {"name.0": v.t("Type at least one name")}
            return _family_page(v, op, id, 422, errors)
        try:
            recorded = forms.run(v, LIST, data)
        except forms.FormErrors as exc:
            errors = family_errors(exc.errors, rows)
            if v.wants_json():
                return v.render("", forms.field_errors_json(errors), title="", status=422)
            return _family_page(v, op, id, 422, errors, kept=kept_photos(v, rows, errors))
        listed = recorded[-1].decoded().people  # type: ignore[attr-defined]
        done = f"{listed[0].number}-{listed[-1].number}"
        return v.redirect(f"/ops/{op}/vehicles/{id}/family?done={done}")

    add_page(
        app, book, "/ops/{op}/vehicles/{id}/family", register_family, list_rule, methods=("POST",)
    )

    async def import_form(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, list_rule, op)
        return _import_page(v, op, id)

    add_page(app, book, "/ops/{op}/convoys/{id}/import", import_form, list_rule)

    async def import_list(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, list_rule, op)
        upload = v.files.get("list")
        if upload is None or not upload[1]:
            return _import_page(v, op, id, 422, {"list": v.t("Choose a file to import")})
        vehicle = v.form.get("vehicle", "").strip() or None
        try:
            found = families(read_rows(upload[0], upload[1]), vehicle)
            with v.system.writing() as conn:
                get_state(conn, viewer=v.actor, kind="convoy", entity_id=id)
                existing = {
                    x.label.original: x
                    for x in people.vehicles(conn, viewer=v.actor, operation=op, convoy=id)
                }
                before = {x.id: len(x.entries) for x in existing.values()}
                done = record(
                    conn,
                    v.system.vault,
                    actor=v.actor,
                    operation=op,
                    convoy=id,
                    found=found,
                    existing=existing,
                )
                # The people imported, checked against open missing-person reports.
                after = people.vehicles(conn, viewer=v.actor, operation=op, convoy=id)
                matches = people.missing_matches(
                    conn,
                    v.system.vault,
                    viewer=v.actor,
                    operation=op,
                    people=new_entries(before, after),
                )
        except ImportRefused as refused:
            problems = [problem_message(v, p) for p in refused.problems[:200]]
            if v.wants_json():
                body = {"error": {"code": "invalid_input", "rows": problems}}
                return v.render("", body, title="", status=422)
            return _import_page(v, op, id, 422, {"list": v.t("Nothing was imported.")}, problems)
        page = v.render(
            "import.html",
            {
                "convoy": id,
                "imported": done.__dict__,
                "problems": [],
                "matches": [m.as_json() for m in matches],
            },
            title=v.t("Import a registration list"),
            words=words(v),
        )
        if done.people >= BULK_RECORDS:
            # After the answer is sent, in a worker thread: the planner's view of the
            # tables a large list changed (PostgreSQL: VACUUM (ANALYZE)).
            page.background = BackgroundTask(v.system.after_bulk_write)
        return page

    add_page(app, book, "/ops/{op}/convoys/{id}/import", import_list, list_rule, methods=("POST",))


def _pdf(
    v: View,
    request: Request,
    op: str,
    convoy: str,
    vehicles: list[tuple[VehicleState, list[people.Person]]],
    name: str,
) -> Response:
    """Printable manifests, one page per vehicle, each with the QR code of its page."""
    from mamar.reports.manifest import manifest_pdf

    with v.system.reading() as conn:
        state = get_state(conn, viewer=v.actor, kind="convoy", entity_id=convoy, at_utc=v.at_utc())
    pages = [
        {
            "label": x.label.model_dump(mode="json"),
            "link": f"{request.base_url}ops/{op}/vehicles/{x.id}",
            "people": [p.as_json() for p in listed],
        }
        for x, listed in vehicles
    ]
    pdf = manifest_pdf(
        pages,
        lang=v.lang,
        convoy_name=called_text({"name": state.name}, v.lang),  # type: ignore[attr-defined]
        timezone=v.timezone,
        made_at=now_utc(),
        words=medical_words(v),
        as_of=v.moment(),
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}-{v.lang}.pdf"'},
    )


def _import_page(
    v: View,
    op: str,
    convoy: str,
    status: int = 200,
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
) -> Response:
    with v.system.reading() as conn:
        get_state(conn, viewer=v.actor, kind="convoy", entity_id=convoy, at_utc=v.at_utc())
    return v.render(
        "import.html",
        {"convoy": convoy, "imported": None, "problems": problems or []},
        title=v.t("Import a registration list"),
        status=status,
        errors=errors,
        upload=upload_check(v),
    )
