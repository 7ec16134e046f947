"""Reception at the destination: arrivals checked against the manifests (a name searched,
or a vehicle's QR opening its manifest), discrepancies listed as they happen, and a
summary by vehicle. Names come from the vault; each read is journalled.

The vehicle arriving may be chosen: a person found on another vehicle's manifest is
then recorded as arrived on this one (a discrepancy: vehicle mismatch), and someone on
no manifest at all is listed on it as arrived. The discrepancies are a live region:
when the journal moves with an event the reader may see (``/live``, through their
viewer), the page fetches itself again and replaces the list.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.access.rules import RouteRule, RuleBook, command_rule
from mamar.accounts.tokens import Scope
from mamar.audit.access import VAULT_READERS
from mamar.manifests.reception import by_vehicle, discrepancy
from mamar.manifests.stops import DESTINATION
from mamar.manifests.triage import facility_load
from mamar.reads import people
from mamar.web import forms
from mamar.web.i18n import N_
from mamar.web.page import View, add_page, op_view
from mamar.web.pages._people_words import words
from mamar.web.pages._shared import entities, may
from mamar.web.pages.manifests import family_data, family_errors, numbers_of
from mamar.web.pages.medical import facilities
from mamar.web.render import called_text

RULE = RouteRule(roles=VAULT_READERS, compartmented=True)
#: A search by name is journalled (it reads the vault): sent by POST, with a writing scope.
SEARCH = RouteRule(roles=VAULT_READERS, scope=Scope.WRITE, compartmented=True)
LIST = "vehicle.list_group"

#: Discrepancies, by what the person's statuses say (:func:`discrepancy`).
KINDS = {
    "not_arrived": N_("Boarded, not arrived"),
    "not_on_manifest": N_("Arrived, on no manifest"),
    "other_vehicle": N_("Arrived on another vehicle"),
    "unlisted_arrival": N_("Arrived with no boarding recorded"),
    "missing": N_("Missing"),
    "died_on_the_way": N_("Died on the way"),
    "stayed_behind": N_("Stayed behind"),
}


def _place(v: View) -> tuple[str | None, str | None]:
    """The convoy shown and the vehicle arriving (chosen in the address or the form)."""
    query = v.request.query_params
    convoy = query.get("convoy") or v.form.get("convoy") or None
    arriving = query.get("vehicle") or v.form.get("arriving") or None
    return convoy, arriving


def _page(v: View, op: str, status: int = 200, errors: dict[str, str] | None = None) -> Response:
    convoy, arriving = _place(v)
    # Names are searched by POST: they never reach a URL (history, access logs).
    query = v.form.get("name", "").strip() if v.request.url.path.endswith("/reception") else ""
    convoys = entities(v, "convoy", op)
    data: dict[str, Any] = {
        "convoy": convoy,
        "arriving": None,
        "convoys": [{"id": c["id"], "name": c["name"]} for c in convoys],
        "vehicles": [],
        "vehicle_options": [],
        "discrepancies": [],
        "found": [],
        "query": query,
        "facilities": [],
        "matches": [],
    }
    if convoy is not None:
        with v.system.writing() as conn:
            seen = people.vehicles(
                conn, viewer=v.actor, operation=op, convoy=convoy, at_utc=v.at_utc()
            )
            wrong = [(x, e) for x in seen for e in x.entries if discrepancy(e) is not None]
            named = people.named(
                conn, v.system.vault, viewer=v.actor, people=wrong, purpose="reception"
            )
            numbers = numbers_of(v.request.query_params.get("done"))
            just_listed = [
                (x, e) for x in seen if x.id == arriving for e in x.entries if e.number in numbers
            ]
            if just_listed:
                # Who was just listed on arrival, checked against open missing-person reports.
                data["matches"] = [
                    m.as_json()
                    for m in people.missing_matches(
                        conn, v.system.vault, viewer=v.actor, operation=op, people=just_listed
                    )
                ]
            found = []
            if query:
                found = [
                    p
                    for p in people.search(
                        conn,
                        v.system.vault,
                        viewer=v.actor,
                        operation=op,
                        name=query,
                        purpose="reception",
                    )
                    if p.convoy == convoy
                ]
        labels = {x.id: x.label.model_dump(mode="json") for x in seen}
        data["arriving"] = arriving if arriving in labels else None
        data["vehicle_options"] = [(x.id, called_text({"name": x.label}, v.lang)) for x in seen]
        data["vehicles"] = by_vehicle(seen)
        data["facilities"] = [
            f for f in facility_load(facilities(v, op), seen) if f["received"] or f["expected"]
        ]
        listed = []
        for p in named:
            last = p.entry.statuses[-1]
            listed.append(
                {
                    **p.as_json(),
                    "kind": discrepancy(p.entry),
                    "on_vehicle_label": labels.get(last.on_vehicle or "")
                    if last.on_vehicle
                    else None,
                }
            )
        # As they happen: the latest first.
        listed.sort(
            key=lambda p: (p["since"], p["vehicle_label"]["original"], p["number"]), reverse=True
        )
        data["discrepancies"] = listed
        data["found"] = [p.as_json() for p in found]
    return v.render(
        "reception.html",
        data,
        title=v.t("Reception"),
        status=status,
        errors=errors,
        words=words(v),
        kinds={k: v.t(m) for k, m in KINDS.items()},
        can_status=may(v, "vehicle.record_status"),
        can_list=may(v, LIST),
        back=_back(op, convoy, data["arriving"]),
        live=True,
    )


def _back(op: str, convoy: str | None, arriving: str | None) -> str:
    back = f"/ops/{op}/reception?convoy={convoy or ''}"
    return back + (f"&vehicle={arriving}" if arriving else "")


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def reception(request: Request, op: str) -> Response:
        return _page(await op_view(request, RULE, op), op)

    add_page(app, book, "/ops/{op}/reception", reception, RULE)

    async def search(request: Request, op: str) -> Response:
        return _page(await op_view(request, SEARCH, op), op)

    add_page(app, book, "/ops/{op}/reception", search, SEARCH, methods=("POST",))

    list_rule = command_rule(LIST)

    async def unlisted_arrival(request: Request, op: str) -> Response:
        """Someone arrived who is on no manifest: listed on the vehicle they came on."""
        v = await op_view(request, list_rule, op)
        convoy, _ = _place(v)
        vehicle = v.form.get("arriving", "").strip()
        data, rows = family_data(v, vehicle)
        errors: dict[str, str] = {}
        if not vehicle:
            errors["arriving"] = v.t("Choose the vehicle they arrived on")
        if "people" not in data:
            errors["name.0"] = v.t("Type at least one name")
        if errors:
            return _page(v, op, 422, errors)
        data.update(stop=DESTINATION, arrived=True)
        if len(data["people"]) == 1:
            data["group_kind"] = "alone"
        try:
            recorded = forms.run(v, LIST, data)
        except forms.FormErrors as exc:
            mapped = family_errors(exc.errors, rows)
            if "id" in mapped:
                mapped["arriving"] = mapped.pop("id")
            if v.wants_json():
                return v.render("", forms.field_errors_json(mapped), title="", status=422)
            return _page(v, op, 422, mapped)
        listed = recorded[-1].decoded().people  # type: ignore[attr-defined]
        done = f"{listed[0].number}-{listed[-1].number}"
        return v.redirect(_back(op, convoy, vehicle) + f"&done={done}")

    add_page(
        app, book, "/ops/{op}/reception/arrival", unlisted_arrival, list_rule, methods=("POST",)
    )
