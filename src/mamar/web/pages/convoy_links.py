"""Linked movements on a convoy's page: wait for another convoy (a simultaneous two-way
evacuation, an exchange, one after the other) or stop waiting; and what each convoy waits
for, in words, by name."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from mamar import reads
from mamar.access.rules import RuleBook
from mamar.convoys.links import PROGRESS, LinkKind, waiting
from mamar.domain.errors import NotFound
from mamar.i18n.labels import status_label
from mamar.web.page import View
from mamar.web.pages import _negotiationwords as nwords
from mamar.web.pages._formkit import F, Form, add_form, local_text, options, text
from mamar.web.pages._shared import entity
from mamar.web.render import called


def wait_rows(v: View, waits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a convoy waits for (as :func:`mamar.convoys.links.waiting` reads it), in words."""
    return [
        {
            "id": w["waits_for"],
            "other": v.name_of("convoy", w["waits_for"]),
            "until": status_label(str(w["until"]), v.lang),
            "link": v.t(nwords.LINKS.get(str(w["link"]), "")),
            "done": w["done"],
            "note": w.get("note"),
        }
        for w in waits
    ]


def waits_of(v: View, record: dict[str, Any]) -> list[dict[str, Any]]:
    """What one convoy (as read) waits for now, in words: only the convoys it waits for are
    read, and one the viewer may not see is left out (as on the dashboard)."""
    held = record.get("waits_for") or ()
    if not held:
        return []
    others = []
    with v.system.reading() as conn:
        for wait in held:
            try:
                others.append(
                    reads.get_entity(
                        conn, viewer=v.actor, kind="convoy", entity_id=wait["waits_for"]
                    )
                )
            except NotFound:
                continue
    return wait_rows(v, waiting([record, *others]).get(record["id"], []))


def _page(v: View, op: str, convoy_id: str | None) -> str:
    return f"/ops/{op}/convoys/{convoy_id}"


def _wait_form(v: View, op: str, convoy_id: str | None) -> Form:
    record = entity(v, "convoy", convoy_id or "")
    waited = {w["waits_for"] for w in record.get("waits_for") or ()}
    others = tuple(
        (key, name)
        for key, name in options(v, op, "convoy")
        if key != record["id"] and key not in waited
    )
    steps = tuple((s.value, status_label(s.value, v.lang)) for s in PROGRESS)
    links = tuple((k.value, v.t(nwords.LINKS[k.value])) for k in LinkKind)
    return Form(
        v.t("Convoy %(name)s waits for another", name=called(record, v.lang)),
        [
            F("waits_for", v.t("The convoy it waits for"), "select", others, required=True),
            F("until", v.t("Until that convoy is"), "select", steps, value="departed"),
            F("link", v.t("How the two are linked"), "select", links, value="simultaneous"),
            F("note", v.t("Note"), "prose"),
        ],
        v.t("Record the wait"),
        intro=v.t("In a two-way evacuation each convoy waits for the other: record it on both."),
    )


def _wait_data(v: View, op: str, convoy_id: str | None) -> dict[str, Any]:
    return {
        "id": convoy_id,
        "waits_for": text(v, "waits_for"),
        "until": text(v, "until"),
        "link": text(v, "link"),
        "note": local_text(v, "note"),
    }


def _stop_form(v: View, op: str, convoy_id: str | None) -> Form:
    record = entity(v, "convoy", convoy_id or "")
    waited = tuple(
        (w["waits_for"], v.name_of("convoy", w["waits_for"])) for w in record.get("waits_for") or ()
    )
    return Form(
        v.t("Convoy %(name)s stops waiting", name=called(record, v.lang)),
        [
            F(
                "waits_for",
                v.t("The convoy it no longer waits for"),
                "select",
                waited,
                required=True,
            ),
            F("reason", v.t("Why (it went anyway, the link was dropped …)"), "prose"),
        ],
        v.t("Record that it no longer waits"),
    )


def _stop_data(v: View, op: str, convoy_id: str | None) -> dict[str, Any]:
    return {"id": convoy_id, "waits_for": text(v, "waits_for"), "reason": local_text(v, "reason")}


def add_routes(app: FastAPI, book: RuleBook) -> None:
    base = "/ops/{op}/convoys/{id}"
    add_form(app, book, f"{base}/wait", "convoy.wait_for", _wait_form, _wait_data, _page)
    add_form(
        app, book, f"{base}/stop-waiting", "convoy.stop_waiting", _stop_form, _stop_data, _page
    )
