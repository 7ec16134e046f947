"""The negotiation board: parties × issues positions, proposals and counter-proposals, agreements.

Bottom lines and red lines appear only for viewers with the negotiation compartment:
the records come redacted from ``queries``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar import reads
from mamar.access.rules import READ_ANY, RuleBook
from mamar.agreements.compare import compare_versions
from mamar.agreements.model import AgreementState
from mamar.domain.errors import DomainError
from mamar.web.i18n import N_
from mamar.web.page import NavItem, add_nav, add_page, op_view, query_int
from mamar.web.pages._shared import entities, may, names_of
from mamar.web.pages._termwords import comparison_rows
from mamar.web.render import called

add_nav(NavItem("negotiation", N_("Negotiation"), "negotiation", order=30))


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def board(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        positions = entities(v, "position", op)
        issues = entities(v, "issue", op)
        grid: dict[str, dict[str, Any]] = {}
        for p in positions:
            grid.setdefault(p["party"], {})[p["issue"]] = p
        data = {
            "issues": issues,
            "positions": grid,
            "proposals": sorted(
                entities(v, "proposal", op), key=lambda p: p.get("tabled_at") or ""
            ),
            "agreements": entities(v, "agreement", op),
        }
        parties = names_of(entities(v, "party", op), v.lang)
        return v.render(
            "negotiation.html",
            data,
            title=v.t("Negotiation"),
            party_names=parties,
            issue_names=names_of([{**i, "name": i["title"]} for i in issues], v.lang),
            can={
                n: may(v, n)
                for n in (
                    "issue.raise",
                    "proposal.table",
                    "proposal.respond",
                    "position.state",
                    "position.revise",
                    "agreement.draft",
                )
            },
        )

    add_page(app, book, "/ops/{op}/negotiation", board, READ_ANY)

    async def agreement(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        with v.system.reading() as conn:
            state = reads.get_state(conn, viewer=v.actor, kind="agreement", entity_id=id)
            record = reads.get_entity(conn, viewer=v.actor, kind="agreement", entity_id=id)
        assert isinstance(state, AgreementState)
        numbers = [ver.version for ver in state.versions]
        a = query_int(
            request, "a", numbers[-2] if len(numbers) > 1 else numbers[0] if numbers else 0
        )
        b = query_int(request, "b", numbers[-1] if numbers else 0)
        comparison = None
        if numbers:
            try:
                comparison = compare_versions(state, a, b).model_dump(mode="json")
            except DomainError:
                comparison = None
        data = {"agreement": record, "compare": comparison, "versions": numbers}
        parties = names_of(entities(v, "party", op), v.lang)
        names = {
            **parties,
            **names_of(entities(v, "place", op), v.lang),
            **names_of(entities(v, "route", op), v.lang),
        }
        return v.render(
            "agreement.html",
            data,
            title=v.t("Agreement: %(name)s", name=called(record, v.lang)),
            party_names=parties,
            rows=comparison_rows(v, comparison, names) if comparison else [],
            can_conclude=may(v, "agreement.conclude"),
            can_adopt=may(v, "agreement.adopt_version"),
        )

    add_page(app, book, "/ops/{op}/agreements/{id}", agreement, READ_ANY)
