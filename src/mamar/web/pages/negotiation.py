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
from mamar.negotiation.terms import term_keys
from mamar.parties.refs import PartyOrPerson, WhoKind
from mamar.reads import negotiation as reads_negotiation
from mamar.web.i18n import N_
from mamar.web.page import NavItem, add_nav, add_page, op_view, query_int
from mamar.web.pages import _agreementwords as words
from mamar.web.pages import _negotiationwords as nwords
from mamar.web.pages._shared import entities, may, names_of
from mamar.web.pages._termwords import comparison_rows
from mamar.web.pages.translations import translate_form
from mamar.web.render import called, marked

add_nav(NavItem("negotiation", N_("Negotiation"), "negotiation", order=30))


def _who(request: Request, name: str) -> PartyOrPerson | None:
    """A party or person picked on the page (``party:id``); None when not picked or not one."""
    kind, _sep, who = request.query_params.get(name, "").partition(":")
    try:
        return PartyOrPerson(kind=WhoKind(kind), id=who)
    except ValueError:
        return None


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def board(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        positions = entities(v, "position", op)
        issues = entities(v, "issue", op)
        grid: dict[str, dict[str, Any]] = {}
        for p in positions:
            grid.setdefault(p["party"], {})[p["issue"]] = p
        data: dict[str, Any] = {
            "issues": issues,
            "positions": grid,
            "proposals": sorted(
                entities(v, "proposal", op), key=lambda p: p.get("tabled_at") or ""
            ),
            "agreements": entities(v, "agreement", op),
        }
        parties = names_of(entities(v, "party", op), v.lang)
        with v.system.reading() as conn:
            state = reads_negotiation.negotiation_state(conn, viewer=v.actor, operation=op)
            combined = reads_negotiation.combined_positions(conn, viewer=v.actor, operation=op)
            became = reads_negotiation.proposal_outcomes(conn, viewer=v.actor, operation=op)
        people = names_of(entities(v, "person", op), v.lang)
        ends = [(f"party:{k}", name) for k, name in parties.items()] + [
            (f"person:{k}", name) for k, name in people.items()
        ]
        start, goal = _who(request, "reach_from"), _who(request, "reach_to")
        path: list[dict[str, Any]] | None = None
        if start is not None and goal is not None:
            with v.system.reading() as conn:
                path = reads_negotiation.reach_path(
                    conn, viewer=v.actor, operation=op, start=start, goal=goal
                )
        data["state"] = state
        data["combined"] = combined
        data["became"] = became
        data["reach"] = path
        return v.render(
            "negotiation.html",
            data,
            title=v.t("Negotiation"),
            state_rows=nwords.state_rows(v, state),
            combined_rows=nwords.combined_rows(v, combined),
            became_rows=nwords.became_rows(v, became),
            reach_ends=ends,
            reach_chosen=(
                request.query_params.get("reach_from", ""),
                request.query_params.get("reach_to", ""),
            ),
            reach_asked=start is not None and goal is not None,
            reach_rows=nwords.reach_rows(v, path),
            mandate_scopes={
                m["id"]: marked(m["scope"], v.lang) for m in entities(v, "mandate", op)
            },
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
                    "proposal.translate",
                )
            },
        )

    add_page(app, book, "/ops/{op}/negotiation", board, READ_ANY)

    async def agreement(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        with v.system.reading() as conn:
            at = v.at_utc()
            state = reads.get_state(conn, viewer=v.actor, kind="agreement", entity_id=id, at_utc=at)
            record = reads.get_entity(
                conn, viewer=v.actor, kind="agreement", entity_id=id, at_utc=at
            )
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
        with v.system.reading() as conn:
            detail = reads_negotiation.agreement_detail(conn, viewer=v.actor, agreement=state)
        terms = [t.model_dump(mode="json") for t in state.terms]
        keys = term_keys(state.terms)
        data = {
            "agreement": record,
            "compare": comparison,
            "versions": numbers,
            "phases": detail["phases"],
            "fulfilment": detail["fulfilment"],
        }
        parties = names_of(entities(v, "party", op), v.lang)
        names: dict[str, str] = {
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
            can={
                "roles": may(v, "agreement.name_roles"),
                "phase": may(v, "agreement.change_phase"),
                "fulfilment": may(v, "agreement.record_fulfilment"),
                "convoys": may(v, "agreement.assign_convoys"),
            },
            translation=translate_form(v, "agreement", record),
            roles=words.roles(v, record),
            version_rows=[
                {
                    "version": ver.version,
                    "at": v.when(ver.adopted_at, "short"),
                    "joined": words.party_list(v, ver.joined) if ver.joined else "",
                    "left": words.party_list(v, ver.left) if ver.left else "",
                    "guarantors": words.party_list(v, ver.guarantors) if ver.guarantors else "",
                    "note": ver.note,
                }
                for ver in state.versions
            ],
            phase_rows=words.phases(v, detail["phases"], terms, keys),
            fulfilment_rows=words.fulfilment(v, detail["fulfilment"], terms, keys),
        )

    add_page(app, book, "/ops/{op}/agreements/{id}", agreement, READ_ANY)
