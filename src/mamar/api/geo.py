"""Route exposure over the API: one or more versions of a route, assessed side by side."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from starlette.responses import Response

from mamar import reads
from mamar.access.door import require
from mamar.access.rules import READ_ANY, RuleBook
from mamar.access.viewer import viewer_of
from mamar.api.language import choose_language
from mamar.api.reads import At, EntityPath, ReadPrincipal, _system, aware
from mamar.api.responses import READ_ERRORS, respond
from mamar.domain.errors import DomainError
from mamar.domain.time import now_utc
from mamar.geo.wording import risk_statements
from mamar.geodata.service import GeoView, assess

PREFIX = "/api/v1"


def add_geo_routes(app: FastAPI, book: RuleBook) -> None:
    def route_exposure(
        request: Request,
        id: EntityPath,
        principal: ReadPrincipal,
        at: At = None,
        version: Annotated[
            list[int] | None,
            Query(description="Versions to compare (default: all)"),
        ] = None,
    ) -> Response:
        viewer = require(principal).actor
        seer = viewer_of(viewer)
        moment = aware(at, "at") or now_utc()
        lang = choose_language(request.headers.get("accept-language"))
        with _system(request).reading() as conn:
            route: Any = reads.get_state(conn, viewer=viewer, kind="route", entity_id=id)
            ground = GeoView.load(conn, seer, operation=route.operation)
            names = ground.party_names(lang)
            numbers = version or [v.version for v in route.versions]
            known = {v.version for v in route.versions}
            unknown = [n for n in numbers if n not in known]
            if unknown:
                raise DomainError(
                    "unknown_version", f"route '{id}' has no version {unknown[0]}", field="version"
                )
            versions = []
            for number in numbers:
                found = assess(conn, seer, id, number, moment, view=ground, actor=viewer)
                versions.append(
                    {
                        "version": number,
                        "label": found.label,
                        **found.exposure.as_json(),
                        "statements": risk_statements(found.exposure, lang, names),
                    }
                )
        return respond({"route": id, "at": moment.isoformat(), "versions": versions})

    path = f"{PREFIX}/route/{{id}}/exposure"
    book.set("GET", path, READ_ANY)
    app.add_api_route(
        path,
        route_exposure,
        methods=["GET"],
        tags=["route"],
        summary="Exposure of a route's versions at a moment, side by side (length in each "
        "party's control, distance to the front line, recent incidents nearby)",
        responses=READ_ERRORS,
    )
