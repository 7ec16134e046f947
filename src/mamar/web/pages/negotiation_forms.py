"""Negotiation forms: issues, proposals and answers, positions (bottom lines only for those
who may see the negotiation compartment), agreements and their versions."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from mamar.access.rules import RuleBook
from mamar.access.viewer import viewer_of
from mamar.agreements.events import AgreementStatus, ConcludedAs
from mamar.domain.visibility import Visibility
from mamar.negotiation.events import ProposalOutcome
from mamar.web import i18n
from mamar.web.page import View
from mamar.web.pages._formkit import (
    F,
    Form,
    Item,
    add_form,
    chosen,
    creating,
    enum_options,
    local_lines,
    local_name,
    local_text,
    options,
    text,
    title_pair,
)
from mamar.web.pages._shared import called_as, entities, entity
from mamar.web.pages._terms import term_items, terms_from, terms_given_by
from mamar.web.render import called, called_text, marked


def sees_bottom_lines(v: View) -> bool:
    """Bottom lines, red lines and ceilings are shown only with the negotiation compartment."""
    return Visibility.NEGOTIATION in viewer_of(v.actor).compartments


def _board(v: View, op: str, _id: str | None = None) -> str:
    return f"/ops/{op}/negotiation"


def _text_items(v: View) -> list[Item]:
    return [
        F("text", v.t("Text, in the words used"), "prose"),
        F("text.translation", v.t("Translation of the text"), "textarea"),
    ]


# --- issues -------------------------------------------------------------------------------


def _issue_form(v: View, op: str, _id: str | None) -> Form:
    return Form(
        v.t("Raise an issue"),
        [
            *creating(v),
            title_pair(v),
            F("description", v.t("Description"), "prose"),
        ],
        v.t("Raise the issue"),
    )


def _issue_data(v: View, op: str, _id: str | None) -> dict[str, Any]:
    return {
        "operation": op,
        "visibility": text(v, "visibility"),
        "title": local_name(v, "title"),
        "description": local_text(v, "description"),
    }


# --- proposals ----------------------------------------------------------------------------


def _table_form(v: View, op: str, _id: str | None) -> Form:
    parties = options(v, op, "party")
    tabled = tuple(
        (p["id"], p["id"]) for p in entities(v, "proposal", op) if p.get("status") == "tabled"
    )
    counter_to = v.request.query_params.get("counter_to")
    return Form(
        v.t("Table a proposal") if not counter_to else v.t("Table a counter-proposal"),
        [
            *creating(v),
            F("from_party", v.t("From"), "select", parties, required=True),
            F("to_party", v.t("To"), "select", parties, required=True),
            F("via_parties", v.t("Through parties"), "multi", parties),
            F("via_persons", v.t("Through persons"), "multi", options(v, op, "person")),
            F("issues", v.t("Issues"), "multi", options(v, op, "issue")),
            F("counter_to", v.t("Counter-proposal to"), "select", tabled, value=counter_to),
            *_text_items(v),
            *term_items(
                v,
                options(v, op, "place"),
                routes=options(v, op, "route"),
                parties=options(v, op, "party"),
            ),
        ],
        v.t("Table the proposal"),
        given_by=terms_given_by(v),
    )


def _table_data(v: View, op: str, _id: str | None) -> dict[str, Any]:
    return {
        "operation": op,
        "visibility": text(v, "visibility"),
        "from_party": text(v, "from_party"),
        "to_party": text(v, "to_party"),
        "via_parties": chosen(v, "via_parties"),
        "via_persons": chosen(v, "via_persons"),
        "issues": chosen(v, "issues"),
        "counter_to": text(v, "counter_to"),
        "text": local_text(v, "text"),
        "terms": terms_from(v),
    }


def _answer_form(v: View, op: str, proposal_id: str | None) -> Form:
    record = entity(v, "proposal", proposal_id or "")
    counters = tuple(
        (p["id"], called_text(p, v.lang))
        for p in entities(v, "proposal", op)
        if p.get("counter_to") == record["id"]
    )
    return Form(
        v.t("Answer to proposal: %(name)s", name=called(record, v.lang)),
        [
            F("reasons", v.t("Reasons given (required in practice for a rejection)"), "prose"),
            F(
                "counter",
                v.t("The counter-proposal (table it first)"),
                "select",
                counters,
                hint=v.t("Only for the answer 'countered'"),
            ),
        ],
        "",
        facts=[
            (v.t("From"), v.name_of("party", record["from_party"])),
            (v.t("To"), v.name_of("party", record["to_party"])),
            (v.t("Status"), v.t(str(record["status"]))),
        ],
        buttons=[("outcome", o.value, v.t(o.value)) for o in ProposalOutcome],
    )


def _answer_data(v: View, op: str, proposal_id: str | None) -> dict[str, Any]:
    return {
        "id": proposal_id,
        "outcome": text(v, "outcome"),
        "reasons": local_text(v, "reasons"),
        "counter": text(v, "counter"),
    }


# --- positions ----------------------------------------------------------------------------


def _confidential_items(v: View) -> list[Item]:
    if not sees_bottom_lines(v):
        return []
    return [
        F("bottom_line", v.t("Bottom line (confidential)"), "prose"),
        F("red_lines", v.t("Red lines (confidential, one per line)"), "prose"),
        F("ceiling", v.t("Ceiling (confidential)"), "prose"),
        F("bottom_line_note", v.t("Note on the bottom line"), "prose"),
    ]


def _confidential_data(v: View, *, revising: bool) -> dict[str, Any]:
    if not sees_bottom_lines(v):
        return {}
    red = local_lines(v, "red_lines")
    return {
        "bottom_line": local_text(v, "bottom_line"),
        "red_lines": red if red or not revising else None,
        "ceiling": local_text(v, "ceiling"),
        "bottom_line_note": local_text(v, "bottom_line_note"),
    }


def _position_form(v: View, op: str, _id: str | None) -> Form:
    return Form(
        v.t("State a party's position"),
        [
            *creating(v),
            F("party", v.t("Party"), "select", options(v, op, "party"), required=True),
            F("issue", v.t("Issue"), "select", options(v, op, "issue"), required=True),
            F("stance", v.t("Stance"), "prose"),
            *_confidential_items(v),
        ],
        v.t("Record the position"),
    )


def _position_data(v: View, op: str, _id: str | None) -> dict[str, Any]:
    return {
        "operation": op,
        "visibility": text(v, "visibility"),
        "party": text(v, "party"),
        "issue": text(v, "issue"),
        "stance": local_text(v, "stance"),
        **_confidential_data(v, revising=False),
    }


def _revise_form(v: View, op: str, position_id: str | None) -> Form:
    record = entity(v, "position", position_id or "")
    return Form(
        v.t("Revise position: %(name)s", name=called_as(v, "position", record)),
        [
            F("stance", v.t("New stance"), "prose"),
            F("note", v.t("What changed and why"), "prose"),
            *_confidential_items(v),
        ],
        v.t("Record the revision"),
        facts=[
            (v.t("Party"), v.name_of("party", record["party"])),
            (v.t("Issue"), v.name_of("issue", record["issue"])),
            (v.t("Stance"), marked(record["stance"], v.lang) if record.get("stance") else "—"),
        ],
    )


def _revise_data(v: View, op: str, position_id: str | None) -> dict[str, Any]:
    return {
        "id": position_id,
        "stance": local_text(v, "stance"),
        "note": local_text(v, "note"),
        **_confidential_data(v, revising=True),
    }


# --- agreements ---------------------------------------------------------------------------


def _draft_form(v: View, op: str, _id: str | None) -> Form:
    parties = options(v, op, "party")
    return Form(
        v.t("Draft an agreement"),
        [
            *creating(v),
            title_pair(v),
            F("parties", v.t("Parties (at least two)"), "multi", parties, required=True),
            F("guarantors", v.t("Guarantors"), "multi", parties),
            F("issues", v.t("Issues"), "multi", options(v, op, "issue")),
            F("proposals", v.t("Proposals it comes from"), "multi", options(v, op, "proposal")),
            *_text_items(v),
            *term_items(
                v,
                options(v, op, "place"),
                routes=options(v, op, "route"),
                parties=options(v, op, "party"),
            ),
        ],
        v.t("Record the draft"),
        given_by=terms_given_by(v),
    )


def _draft_data(v: View, op: str, _id: str | None) -> dict[str, Any]:
    return {
        "operation": op,
        "visibility": text(v, "visibility"),
        "title": local_name(v, "title"),
        "parties": chosen(v, "parties"),
        "guarantors": chosen(v, "guarantors"),
        "issues": chosen(v, "issues"),
        "proposals": chosen(v, "proposals"),
        "text": local_text(v, "text"),
        "terms": terms_from(v),
    }


def _agreement_page(v: View, op: str, agreement_id: str | None) -> str:
    return f"/ops/{op}/agreements/{agreement_id}"


def _conclude_form(v: View, op: str, agreement_id: str | None) -> Form:
    record = entity(v, "agreement", agreement_id or "")
    return Form(
        v.t("Conclude agreement: %(name)s", name=called(record, v.lang)),
        [
            F(
                "status",
                v.t("Concluded as"),
                "select",
                enum_options(v, ConcludedAs),
                value="preliminary",
            ),
            F("note", v.t("Note"), "prose"),
        ],
        v.t("Conclude (version 1, on the draft's terms)"),
        facts=[(v.t("Status"), v.t(str(record["status"])))],
    )


def _conclude_data(v: View, op: str, agreement_id: str | None) -> dict[str, Any]:
    return {"id": agreement_id, "status": text(v, "status"), "note": local_text(v, "note")}


def _adopt_form(v: View, op: str, agreement_id: str | None) -> Form:
    record = entity(v, "agreement", agreement_id or "")
    return Form(
        v.t("Adopt a new version of agreement: %(name)s", name=called(record, v.lang)),
        [
            *_text_items(v),
            *term_items(
                v,
                options(v, op, "place"),
                record.get("terms") or (),
                routes=options(v, op, "route"),
                parties=options(v, op, "party"),
            ),
            F("note", v.t("What changed"), "prose"),
            F(
                "status",
                v.t("New status (if it changes)"),
                "select",
                enum_options(v, AgreementStatus),
            ),
            F("reason", v.t("Reason for the new status"), "prose"),
        ],
        v.t("Adopt the new version"),
        intro=v.t(
            "A version is complete: it replaces every term of the current one. "
            "The form starts from the current terms."
        ),
        facts=[
            (v.t("Status"), v.t(str(record["status"]))),
            (v.t("Current version"), i18n.number(record.get("current_version") or 0, v.lang)),
        ],
        given_by=terms_given_by(v),
    )


def _adopt_data(v: View, op: str, agreement_id: str | None) -> dict[str, Any]:
    return {
        "id": agreement_id,
        "terms": terms_from(v),
        "text": local_text(v, "text"),
        "note": local_text(v, "note"),
        "status": text(v, "status"),
        "reason": local_text(v, "reason"),
    }


def add_routes(app: FastAPI, book: RuleBook) -> None:
    base = "/ops/{op}/negotiation"
    add_form(app, book, f"{base}/issue", "issue.raise", _issue_form, _issue_data, _board)
    add_form(app, book, f"{base}/propose", "proposal.table", _table_form, _table_data, _board)
    add_form(
        app, book, f"{base}/position", "position.state", _position_form, _position_data, _board
    )
    add_form(
        app,
        book,
        "/ops/{op}/proposals/{id}/answer",
        "proposal.respond",
        _answer_form,
        _answer_data,
        _board,
    )
    add_form(
        app,
        book,
        "/ops/{op}/positions/{id}/revise",
        "position.revise",
        _revise_form,
        _revise_data,
        _board,
    )
    add_form(
        app,
        book,
        f"{base}/agreement",
        "agreement.draft",
        _draft_form,
        _draft_data,
        _board_agreement,
    )
    add_form(
        app,
        book,
        "/ops/{op}/agreements/{id}/conclude",
        "agreement.conclude",
        _conclude_form,
        _conclude_data,
        _agreement_page,
    )
    add_form(
        app,
        book,
        "/ops/{op}/agreements/{id}/adopt",
        "agreement.adopt_version",
        _adopt_form,
        _adopt_data,
        _agreement_page,
    )


def _board_agreement(v: View, op: str, agreement_id: str | None) -> str:
    return f"/ops/{op}/agreements/{agreement_id}"
