"""People: the register, and each person's personal record from the vault (the read is journalled).

Only medical staff, coordinators and administrators (``VAULT_READERS``), as in the API.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.access.rules import RouteRule, RuleBook
from mamar.audit.access import VAULT_READERS, read_personal
from mamar.domain.errors import DomainError
from mamar.web.i18n import N_
from mamar.web.page import NavItem, add_nav, add_page, op_view
from mamar.web.pages._shared import entities, entity
from mamar.web.render import called

RULE = RouteRule(roles=VAULT_READERS, compartmented=True)
add_nav(NavItem("people", N_("People"), "people", roles=VAULT_READERS, order=90))


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def people(request: Request, op: str) -> Response:
        v = await op_view(request, RULE, op)
        items = entities(v, "person", op)
        return v.render("people.html", {"items": items}, title=v.t("People"))

    add_page(app, book, "/ops/{op}/people", people, RULE)

    async def person(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, RULE, op)
        record = entity(v, "person", id)
        personal = None
        note = None
        if record.get("vault_ref"):
            try:
                with v.system.writing() as conn:
                    personal = read_personal(
                        conn,
                        v.system.vault,
                        viewer=v.actor,
                        kind="person",
                        entity_id=id,
                        purpose="web",
                    )
            except DomainError as exc:
                note = exc.code
        data = {"person": record, "personal": personal, "unavailable": note}
        return v.render(
            "person.html", data, title=v.t("Person: %(name)s", name=called(record, v.lang))
        )

    add_page(app, book, "/ops/{op}/people/{id}", person, RULE)
