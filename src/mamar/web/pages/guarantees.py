"""Guarantees: who guaranteed what to whom, through which channel, and whether it was honoured."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from markupsafe import Markup
from starlette.responses import Response

from mamar.access.rules import READ_ANY, RuleBook
from mamar.access.viewer import viewer_of
from mamar.domain.visibility import Visibility
from mamar.guarantees.events import GuaranteeOutcome
from mamar.guarantees.model import TRANSITIONS
from mamar.web.i18n import N_
from mamar.web.page import NavItem, View, add_nav, add_page, op_view
from mamar.web.pages._formkit import F, Form, add_form, chosen, creating, local_text, options, text
from mamar.web.pages._records import render_detail, render_list
from mamar.web.pages._shared import entities, entity, may, name_in, names_of
from mamar.web.render import called, evidence_url, local, marked

add_nav(NavItem("guarantees", N_("Guarantees"), "guarantees", order=35))

_SUBJECT_KINDS = ("agreement", "convoy", "route", "ceasefire")
_OUTCOMES = {"honoured": "guarantee.mark_honoured", "broken": "guarantee.mark_broken"}


def _record_form(v: View, op: str, _id: str | None) -> Form:
    parties = options(v, op, "party")
    subjects = tuple(
        (f"{kind}:{ident}", name.saying(f"{v.t(kind)}: {name}"))
        for kind in _SUBJECT_KINDS
        for ident, name in options(v, op, kind)
    )
    own = viewer_of(v.actor).speaks_for
    return Form(
        v.t("Record a guarantee"),
        [
            *creating(v),
            F("guarantor", v.t("Guarantor"), "select", parties, required=True, value=own),
            F("given_to", v.t("Given to"), "select", parties, required=True),
            F("what", v.t("What was guaranteed, in the words used"), "prose", required=True),
            F("what.translation", v.t("Translation"), "textarea"),
            F("via_channel", v.t("Through the channel"), "select", options(v, op, "channel")),
            F("via_persons", v.t("Through persons"), "multi", options(v, op, "person")),
            F("subject", v.t("What it covers"), "multi", subjects),
        ],
        v.t("Record the guarantee"),
        intro=v.t("A liaison officer records only the guarantees their own party gives.")
        if own
        else None,
    )


def _record_data(v: View, op: str, _id: str | None) -> dict[str, Any]:
    subject = []
    for value in chosen(v, "subject"):
        kind, _, ident = value.partition(":")
        subject.append({"kind": kind, "id": ident})
    return {
        "operation": op,
        "visibility": text(v, "visibility") or Visibility.SHARED.value,
        "guarantor": text(v, "guarantor"),
        "given_to": text(v, "given_to"),
        "what": local_text(v, "what"),
        "via_channel": text(v, "via_channel"),
        "via_persons": chosen(v, "via_persons"),
        "subject": subject,
    }


def _outcome_form(v: View, op: str, guarantee_id: str | None) -> Form:
    record = entity(v, "guarantee", guarantee_id or "")
    legal = TRANSITIONS[GuaranteeOutcome(record["outcome"])]
    return Form(
        v.t("Outcome of guarantee: %(name)s", name=called(record, v.lang, v.name_of)),
        [
            F("incidents", v.t("Incidents that broke it"), "multi", options(v, op, "incident")),
            F("note", v.t("Note"), "prose"),
        ],
        "",
        facts=[(v.t("What was guaranteed"), marked(record["what"], v.lang, v.name_of))],
        buttons=[("outcome", o.value, v.t(o.value)) for o in GuaranteeOutcome if o in legal],
    )


def _outcome_data(v: View, op: str, guarantee_id: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {"id": guarantee_id, "note": local_text(v, "note")}
    if v.form.get("outcome") == "broken":
        data["incidents"] = chosen(v, "incidents")
    return data


def _detail_url(v: View, op: str, guarantee_id: str | None) -> str:
    return f"/ops/{op}/guarantees/{guarantee_id}"


def add_routes(app: FastAPI, book: RuleBook) -> None:
    add_form(
        app,
        book,
        "/ops/{op}/guarantees/new",
        "guarantee.record",
        _record_form,
        _record_data,
        _detail_url,
    )
    add_form(
        app,
        book,
        "/ops/{op}/guarantees/{id}/outcome",
        lambda v: _OUTCOMES.get(v.form.get("outcome", ""), "guarantee.mark_honoured"),
        _outcome_form,
        _outcome_data,
        _detail_url,
        roles_of="guarantee.mark_honoured",
    )

    async def guarantees(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        items = entities(v, "guarantee", op)
        parties = names_of(entities(v, "party", op), v.lang)
        rows = [
            {
                "href": f"/ops/{op}/guarantees/{g['id']}",
                "title": Markup("{} → {}: {}").format(
                    name_in(v, parties, g["guarantor"]),
                    name_in(v, parties, g["given_to"]),
                    local(g["what"], v.lang),
                ),
                "status": g["outcome"],
                "detail": "",
            }
            for g in items
        ]
        actions = (
            [(v.t("Record a guarantee"), f"/ops/{op}/guarantees/new")]
            if may(v, "guarantee.record")
            else []
        )
        return render_list(v, v.t("Guarantees"), items, rows, actions)

    add_page(app, book, "/ops/{op}/guarantees", guarantees, READ_ANY)

    async def guarantee(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        g = entity(v, "guarantee", id)
        parties = names_of(entities(v, "party", op), v.lang)
        facts = [
            (v.t("Guarantor"), name_in(v, parties, g["guarantor"])),
            (v.t("Given to"), name_in(v, parties, g["given_to"])),
            (v.t("What was guaranteed"), marked(g["what"], v.lang, v.name_of)),
            (v.t("Outcome"), v.t(g["outcome"])),
            (
                v.t("Incidents"),
                Markup(v.t(", ")).join(v.name_of("incident", i) for i in g.get("incidents") or ())
                or "—",
            ),
        ]
        actions = []
        if may(v, "guarantee.mark_honoured") and TRANSITIONS[GuaranteeOutcome(g["outcome"])]:
            actions.append((v.t("Record the outcome"), f"/ops/{op}/guarantees/{id}/outcome"))
        actions.append((v.t("Evidence bundle"), evidence_url("guarantee", id)))
        return render_detail(
            v, "guarantee", g, v.t("Guarantee: %(name)s", name=called(g, v.lang)), facts, actions
        )

    add_page(app, book, "/ops/{op}/guarantees/{id}", guarantee, READ_ANY)
