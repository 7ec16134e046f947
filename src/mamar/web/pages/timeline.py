"""The timeline: filterable by record, event type and party; occurred vs recorded, precision."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy import Connection
from starlette.responses import Response

from mamar import reads
from mamar.access.rules import READ_ANY, RuleBook
from mamar.i18n.labels import EVENT_LABELS, event_label, kind_label
from mamar.web.i18n import N_
from mamar.web.page import NavItem, View, add_nav, add_page, op_view
from mamar.web.pages._shared import entities, names_of

add_nav(NavItem("timeline", N_("Timeline"), "timeline", order=80))
LIMIT = 500


def _names(conn: Connection, v: View, op: str) -> dict[str, Any]:
    """``kind:id`` → the record's name or title as the viewer may read it (marked with its
    language), for the timeline's "record" column."""
    from mamar.domain.model import kind_of
    from mamar.web.render import marked

    found: dict[str, Any] = {}
    for state in reads.visible_states(conn, viewer=v.actor, operation=op):
        name = getattr(state, "name", None) or getattr(state, "title", None)
        if name is not None:
            value = name.model_dump(mode="json") if hasattr(name, "model_dump") else name
            found[f"{kind_of(state)}:{state.id}"] = marked(value, v.lang)
    return found


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def timeline(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        q = request.query_params
        entity = q.get("entity") or None
        kind = q.get("type") or None
        party = q.get("party") or None
        order = "recorded" if q.get("order") == "recorded" else "occurred"
        with v.system.reading() as conn:
            entries = reads.timeline(
                conn,
                viewer=v.actor,
                operation=op,
                entity=entity,
                types=[kind] if kind else None,
                party=party,
                order=order,
                cursors=v.system.cursors,
            )
            items = [e.as_dict() for e in itertools.islice(entries, LIMIT)]
            record_names = _names(conn, v, op)
        data = {
            "filters": {"entity": entity, "type": kind, "party": party, "order": order},
            "items": items,
        }
        prefixes = sorted({t.split(".")[0] + "." for t in EVENT_LABELS})
        parties = names_of(entities(v, "party", op), v.lang)
        return v.render(
            "timeline.html",
            data,
            title=v.t("Timeline"),
            type_options=[(p, kind_label(p.rstrip("."), v.lang)) for p in prefixes]
            + [(t, event_label(t, v.lang)) for t in sorted(EVENT_LABELS)],
            parties=sorted(parties.items(), key=lambda p: p[1]),
            record_names=record_names,
        )

    add_page(app, book, "/ops/{op}/timeline", timeline, READ_ANY)
