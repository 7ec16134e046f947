"""Ceasefires: declare one, and record each change (in force, violated, suspended, restored,
expired); only the changes legal from the current status are offered."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from markupsafe import Markup
from starlette.responses import Response

from mamar import reads
from mamar.access.rules import READ_ANY, RuleBook
from mamar.ceasefires.events import CeasefireStatus
from mamar.ceasefires.model import TRANSITIONS, CeasefireState, outside_windows, overlaps, windows
from mamar.i18n.labels import precision_label
from mamar.web import i18n
from mamar.web.i18n import N_
from mamar.web.page import NavItem, View, add_nav, add_page, op_view
from mamar.web.pages._formkit import (
    F,
    Form,
    add_form,
    chosen,
    creating,
    local_text,
    moment,
    options,
    text,
    version,
)
from mamar.web.pages._records import render_detail, render_list
from mamar.web.pages._shared import entities, entity, may
from mamar.web.render import called, marked

add_nav(NavItem("ceasefires", N_("Ceasefires"), "ceasefires", order=15))

S = CeasefireStatus
#: A day, the language's way (CLDR pattern).
DAY = "d MMMM y"
#: Status reached → the command that records it.
ACTIONS = {
    S.IN_FORCE: "ceasefire.take_effect",
    S.VIOLATED: "ceasefire.record_violation",
    S.SUSPENDED: "ceasefire.suspend",
    S.RESTORED: "ceasefire.restore",
    S.EXPIRED: "ceasefire.expire",
}


def _declare_form(v: View, op: str, _id: str | None) -> Form:
    return Form(
        v.t("Declare a ceasefire"),
        [
            *creating(v),
            F("area", v.t("Area covered"), "prose", required=True),
            F("agreement", v.t("Agreement it comes from"), "select", options(v, op, "agreement")),
            F("agreement_version", v.t("Agreement version (default: the current one)"), "number"),
            F("parties", v.t("Parties bound"), "multi", options(v, op, "party")),
            F("starts_at", v.t("Starts (operation's time zone)"), "datetime"),
            F("ends_at", v.t("Ends"), "datetime"),
            F("note", v.t("Note"), "prose"),
        ],
        v.t("Declare"),
    )


def _declare_data(v: View, op: str, _id: str | None) -> dict[str, Any]:
    return {
        "operation": op,
        "visibility": text(v, "visibility"),
        "area": local_text(v, "area"),
        "agreement": text(v, "agreement"),
        "agreement_version": version(v, "agreement_version", "agreement", text(v, "agreement")),
        "parties": chosen(v, "parties"),
        "starts_at": moment(v, "starts_at"),
        "ends_at": moment(v, "ends_at"),
        "note": local_text(v, "note"),
    }


def _change_form(v: View, op: str, ceasefire_id: str | None) -> Form:
    record = entity(v, "ceasefire", ceasefire_id or "")
    legal = TRANSITIONS[S(record["status"])]
    return Form(
        v.t("Ceasefire: %(name)s: record a change", name=called(record, v.lang)),
        [
            F(
                "incident",
                v.t("The incident that violated it (for a violation)"),
                "select",
                options(v, op, "incident"),
            ),
            F("reason", v.t("Reason or note"), "prose"),
        ],
        "",
        facts=[
            (v.t("Area covered"), marked(record["area"], v.lang)),
            (v.t("Status"), v.t(record["status"])),
        ],
        buttons=[("status", s.value, v.t(s.value)) for s in S if s in legal],
        given_by={"note": "reason"},  # taking effect and a violation keep it as a note
    )


def _change_command(v: View) -> str:
    by_value = {s.value: command for s, command in ACTIONS.items()}
    return by_value.get(v.form.get("status", ""), "ceasefire.take_effect")


def _change_data(v: View, op: str, ceasefire_id: str | None) -> dict[str, Any]:
    wanted = v.form.get("status")
    note = local_text(v, "reason")
    if wanted == S.VIOLATED:
        return {"id": ceasefire_id, "incident": text(v, "incident"), "note": note}
    if wanted == S.IN_FORCE:
        return {"id": ceasefire_id, "note": note}
    return {"id": ceasefire_id, "reason": note}


def _detail_url(v: View, op: str, ceasefire_id: str | None) -> str:
    return f"/ops/{op}/ceasefires/{ceasefire_id}"


def add_routes(app: FastAPI, book: RuleBook) -> None:
    add_form(
        app,
        book,
        "/ops/{op}/ceasefires/new",
        "ceasefire.declare",
        _declare_form,
        _declare_data,
        _detail_url,
    )
    add_form(
        app,
        book,
        "/ops/{op}/ceasefires/{id}/change",
        _change_command,
        _change_form,
        _change_data,
        _detail_url,
        roles_of="ceasefire.suspend",
    )

    async def ceasefires(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        items = entities(v, "ceasefire", op)
        rows = [
            {
                "href": f"/ops/{op}/ceasefires/{c['id']}",
                "title": marked(c["area"], v.lang),
                "status": c["status"],
                "detail": v.t("%(n)s violations recorded", n=len(c.get("violations") or ())),
            }
            for c in items
        ]
        actions = (
            [(v.t("Declare a ceasefire"), f"/ops/{op}/ceasefires/new")]
            if may(v, "ceasefire.declare")
            else []
        )
        return render_list(v, v.t("Ceasefires"), items, rows, actions)

    add_page(app, book, "/ops/{op}/ceasefires", ceasefires, READ_ANY)

    async def ceasefire(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        with v.system.reading() as conn:
            at = v.at_utc()
            state = reads.get_state(conn, viewer=v.actor, kind="ceasefire", entity_id=id, at_utc=at)
            others = reads.visible_states(
                conn, viewer=v.actor, operation=op, kinds=["ceasefire"], at_utc=at
            )
        assert isinstance(state, CeasefireState)
        c = entity(v, "ceasefire", id)
        comma = Markup(v.t(", "))
        facts = [
            (v.t("Area covered"), marked(c["area"], v.lang)),
            (v.t("Status"), v.t(c["status"])),
            (
                v.t("Parties bound"),
                comma.join(v.name_of("party", p) for p in c.get("parties") or ()),
            ),
        ]
        if c.get("declared_by"):
            facts.append((v.t("Declared unilaterally by"), v.name_of("party", c["declared_by"])))
        if c.get("places"):
            facts.append((v.t("Places"), comma.join(v.name_of("place", p) for p in c["places"])))
        if c.get("agreement"):
            facts.append(
                (
                    v.t("Agreement"),
                    v.t(
                        "%(name)s (version %(n)s)",
                        name=v.name_of("agreement", c["agreement"]),
                        n=c.get("agreement_version") or "—",
                    ),
                )
            )
        daily = state.daily
        spans = windows(state)
        if daily is not None:
            # The hours are the same clock every day in the ceasefire's zone: said by its name
            # (its offset may change with summer time between the first day and the last).
            hours_zone = state.timezone or v.timezone
            hours = v.t(
                "%(opens)s to %(closes)s, from %(first)s to %(last)s",
                opens=i18n.when(spans[0].starts_at, v.lang, hours_zone, "clock"),
                closes=i18n.when(spans[0].ends_at, v.lang, hours_zone, "clock"),
                first=i18n.when(spans[0].starts_at, v.lang, hours_zone, DAY),
                last=i18n.when(spans[-1].starts_at, v.lang, hours_zone, DAY),
            )
            zone_words = i18n.zone_name(hours_zone, v.lang)
            facts.append(
                (v.t("Every day"), v.t("%(time)s (%(zone)s)", time=hours, zone=zone_words))
            )
        for label, at_time, precision in (
            (v.t("Starts"), c.get("starts_at"), c.get("starts_precision")),
            (v.t("Ends"), c.get("ends_at"), c.get("ends_precision")),
        ):
            if at_time:
                shown = v.when(at_time)
                if precision:
                    shown = f"{shown} ({precision_label(precision, v.lang)})"
                facts.append((label, shown))
        if daily is not None:
            for window in spans:
                facts.append(
                    (
                        v.t("Window of %(day)s", day=v.when(window.starts_at, DAY)),
                        v.t("%(n)s violations recorded", n=window.violations),
                    )
                )
            facts.append((v.t("Violations outside the hours"), str(outside_windows(state))))
        overlapping = [
            other
            for other in others
            if isinstance(other, CeasefireState) and other.id != id and overlaps(state, other)
        ]
        if overlapping:
            facts.append(
                (
                    v.t("Overlaps with"),
                    comma.join(v.name_of("ceasefire", other.id) for other in overlapping),
                )
            )
        facts.append(
            (
                v.t("Violations"),
                comma.join(v.name_of("incident", x["incident"]) for x in c.get("violations") or ())
                or "—",
            )
        )
        actions = []
        if may(v, "ceasefire.suspend") and TRANSITIONS[S(c["status"])]:
            actions.append((v.t("Record a change"), f"/ops/{op}/ceasefires/{id}/change"))
        return render_detail(
            v, "ceasefire", c, v.t("Ceasefire: %(name)s", name=called(c, v.lang)), facts, actions
        )

    add_page(app, book, "/ops/{op}/ceasefires/{id}", ceasefire, READ_ANY)
