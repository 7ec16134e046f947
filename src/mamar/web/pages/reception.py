"""Reception at the destination: arrivals checked against the manifests (a name searched,
or a vehicle's QR opening its manifest), discrepancies listed as they happen, and a
summary by vehicle. Names come from the vault; each read is journalled."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.access.rules import RouteRule, RuleBook
from mamar.accounts.tokens import Scope
from mamar.audit.access import VAULT_READERS
from mamar.manifests.events import PersonStatus
from mamar.manifests.model import Entry
from mamar.manifests.reception import by_vehicle
from mamar.manifests.stops import DESTINATION
from mamar.manifests.triage import facility_load
from mamar.reads import people
from mamar.web.i18n import N_
from mamar.web.page import View, add_page, op_view
from mamar.web.pages._people_words import words
from mamar.web.pages._shared import entities, may
from mamar.web.pages.medical import facilities

RULE = RouteRule(roles=VAULT_READERS, compartmented=True)
#: A search by name is journalled (it reads the vault): sent by POST, with a writing scope.
SEARCH = RouteRule(roles=VAULT_READERS, scope=Scope.WRITE, compartmented=True)
P = PersonStatus

#: Discrepancies, by what the person's statuses say.
KINDS = {
    "not_arrived": N_("Boarded, not arrived"),
    "unlisted_arrival": N_("Arrived with no boarding recorded"),
    "missing": N_("Missing"),
    "died_on_the_way": N_("Died on the way"),
    "stayed_behind": N_("Stayed behind"),
}


def discrepancy(entry: Entry) -> str | None:
    """What is wrong with a person's journey, as reception sees it (None: nothing)."""
    status = entry.status
    if status is P.ARRIVED and not entry.ever(P.BOARDED):
        return "unlisted_arrival"
    if status in (P.MISSING, P.DIED_ON_THE_WAY, P.STAYED_BEHIND):
        return status.value
    if entry.ever(P.BOARDED) and not (
        status is P.ARRIVED and entry.statuses[-1].stop == DESTINATION
    ):
        return "not_arrived"
    return None


def _page(v: View, op: str) -> Response:
    convoy = v.request.query_params.get("convoy") or v.form.get("convoy") or None
    # Names are searched by POST: they never reach a URL (history, access logs).
    query = v.form.get("name", "").strip()
    convoys = entities(v, "convoy", op)
    data: dict[str, Any] = {
        "convoy": convoy,
        "convoys": [{"id": c["id"], "name": c["name"]} for c in convoys],
        "vehicles": [],
        "discrepancies": [],
        "found": [],
        "query": query,
        "facilities": [],
    }
    if convoy is not None:
        with v.system.writing() as conn:
            seen = people.vehicles(conn, viewer=v.actor, operation=op, convoy=convoy)
            wrong = [(x, e) for x in seen for e in x.entries if discrepancy(e) is not None]
            named = people.named(
                conn, v.system.vault, viewer=v.actor, people=wrong, purpose="reception"
            )
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
        data["vehicles"] = by_vehicle(seen)
        data["facilities"] = [
            f for f in facility_load(facilities(v, op), seen) if f["received"] or f["expected"]
        ]
        data["discrepancies"] = [{**p.as_json(), "kind": discrepancy(p.entry)} for p in named]
        data["found"] = [p.as_json() for p in found]
    return v.render(
        "reception.html",
        data,
        title=v.t("Reception"),
        words=words(v),
        kinds={k: v.t(m) for k, m in KINDS.items()},
        can_status=may(v, "vehicle.record_status"),
        back=f"/ops/{op}/reception?convoy={convoy or ''}",
        live=True,
    )


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def reception(request: Request, op: str) -> Response:
        return _page(await op_view(request, RULE, op), op)

    add_page(app, book, "/ops/{op}/reception", reception, RULE)

    async def search(request: Request, op: str) -> Response:
        return _page(await op_view(request, SEARCH, op), op)

    add_page(app, book, "/ops/{op}/reception", search, SEARCH, methods=("POST",))
