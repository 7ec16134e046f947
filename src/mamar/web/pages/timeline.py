"""The timeline: what happened, told in sentences, filterable by party, convoy, place and
kind of record; as it happened (occurred time) or as it was known then (recorded time)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar import reads
from mamar.access.rules import READ_ANY, RuleBook
from mamar.domain.time import utc_key
from mamar.i18n.labels import KIND_LABELS, kind_label
from mamar.i18n.sentences import Speaker, day_heading, offset, speaker_for, told, when_happened
from mamar.reads.timeline import mentions
from mamar.web.i18n import N_
from mamar.web.page import RECORD_PAGES, NavItem, add_nav, add_page, op_view, user_words
from mamar.web.pages._shared import entities, names_of

add_nav(NavItem("timeline", N_("Timeline"), "timeline", order=80))
LIMIT = 500
FILTERS = ("party", "convoy", "place")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def timeline(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        q = request.query_params
        chosen = {f: q.get(f) or None for f in FILTERS}
        kind = q.get("kind") if q.get("kind") in KIND_LABELS else None
        entity = q.get("entity") or None
        order = "recorded" if q.get("order") == "recorded" else "occurred"
        moment = v.moment()
        items: list[Any] = []
        with v.system.reading() as conn:
            entries = reads.timeline(
                conn,
                viewer=v.actor,
                operation=op,
                entity=entity,
                types=[q["type"]] if q.get("type") else None,  # an event type, or "convoy."
                party=chosen["party"],
                until_utc=utc_key(moment) if moment and order == "occurred" else None,
                order=order,
                cursors=v.system.cursors,
            )
            for e in entries:
                if kind and e.kind != kind:
                    continue
                if chosen["convoy"] and not (
                    e.stream == f"convoy:{chosen['convoy']}" or mentions(e.data, chosen["convoy"])
                ):
                    continue
                if chosen["place"] and not mentions(e.data, chosen["place"]):
                    continue
                if moment is not None and order == "recorded" and _moment(e.recorded_at) > moment:
                    continue
                items.append(e)
                if len(items) >= LIMIT:
                    break
            speaker = speaker_for(conn, v.actor, v.lang, v.timezone, user_words, v.at_utc())
            days = _days(op, order, items, speaker)
        lists = {f: names_of(entities(v, f, op), v.lang) for f in FILTERS}
        data = {
            "filters": {**chosen, "kind": kind, "entity": entity, "order": order},
            "items": [e.as_dict() for e in items],
        }
        at = q.get("at")
        shown_filters = [
            (label, lists[f].get(chosen[f] or "", "—"))
            for f, label in (
                ("party", N_("Party")),
                ("convoy", N_("Convoy")),
                ("place", N_("Place")),
            )
            if chosen[f]
        ]
        if kind:
            shown_filters.append((N_("Kind of record"), kind_label(kind, v.lang)))
        return v.render(
            "timeline.html",
            data,
            title=v.t("Timeline"),
            days=days,
            kinds=sorted(((k, kind_label(k, v.lang)) for k in KIND_LABELS), key=lambda p: p[1]),
            pick={f: sorted(lists[f].items(), key=lambda p: p[1]) for f in FILTERS},
            shown_filters=shown_filters,
            at=at,
        )

    add_page(app, book, "/ops/{op}/timeline", timeline, READ_ANY)


def _days(op: str, order: str, items: list[Any], speaker: Speaker) -> list[dict[str, Any]]:
    """The entries by day (the day they happened, or were recorded), each day headed with
    the zone its times are in; a time in another offset (the day summer time begins or
    ends) says its own."""
    days: list[dict[str, Any]] = []
    recorded = order == "recorded"
    for e in items:
        key = e.recorded_at if recorded else e.occurred_at
        heading = day_heading(key, speaker)
        if not days or days[-1]["day"] != heading:
            days.append({"day": heading, "offset": offset(key, speaker), "entries": []})
        path = RECORD_PAGES.get(e.kind)
        days[-1]["entries"].append(
            {
                "said": told(e, speaker, order, zoned=offset(key, speaker) != days[-1]["offset"]),
                "href": f"/ops/{op}/{path}/{e.entity_id}" if path else None,  # keeps ?at=
                "happened": when_happened(e, speaker) if recorded else None,
                "precision": e.precision,
                "phrase": e.phrase,
            }
        )
    return days
