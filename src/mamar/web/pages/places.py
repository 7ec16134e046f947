"""Places: the gazetteer, and a search tolerant of Arabic and Latin spellings
(الراموسة / الراموسه / Ramouseh / Ramousa find the same place)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.access.rules import READ_ANY, RuleBook
from mamar.access.viewer import viewer_of
from mamar.geo.search import search_places
from mamar.geodata.service import GeoView
from mamar.web.i18n import N_
from mamar.web.page import NavItem, add_nav, add_page, op_view
from mamar.web.pages._shared import entities
from mamar.web.render import called_text

add_nav(NavItem("places", N_("Places"), "places", order=75))


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def places(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        query = (request.query_params.get("q") or "").strip()[:200]
        hits = []
        if query:
            with v.system.reading() as conn:
                ground = GeoView.load(conn, viewer_of(v.actor), operation=op)
            hits = [h.as_json() for h in search_places(ground.places, query, lang=v.lang)]
        # In the order of their names as the reader reads them, not of their identifiers.
        items = sorted(
            entities(v, "place", op), key=lambda p: (str(called_text(p, v.lang)), p["id"])
        )
        data = {"q": query, "hits": hits, "items": items}
        return v.render("places.html", data, title=v.t("Places"))

    add_page(app, book, "/ops/{op}/places", places, READ_ANY)
