"""The map page and its GeoJSON twins, all from :class:`mamar.web.map_layers.MapLayers`.

- ``/ops/{op}/map``: the page (``?at=`` ISO moment, or ``?t=`` seconds from the
  slider's form when scripts are off; ``?format=json``: every layer as data);
- ``/api/v1/operations/{op}/map``: every layer at ``at`` with the slider's range
  (what the page's script fetches when the slider moves);
- ``/api/v1/operations/{op}/map/{layer}``: one layer as a GeoJSON FeatureCollection;
- ``/api/v1/basemap?bbox=&zoom=``: the offline base map (the imported OpenStreetMap
  extracts' roads and named places within the box, simplified for the zoom), for any
  signed-in account: public geography, served by Mamar itself, no tile server.

Leaflet is served by the app itself from the ``xstatic-leaflet`` package.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path as FsPath
from typing import Annotated, Any

import orjson
import xstatic.pkg.leaflet as leaflet
from fastapi import Depends, FastAPI, Path, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from mamar import reads
from mamar.access.door import Principal, guard, require
from mamar.access.rules import READ_ANY, SIGNED_IN, RuleBook
from mamar.api.errors import ApiError
from mamar.api.language import choose_language
from mamar.api.reads import PREFIX, aware
from mamar.api.responses import READ_ERRORS, respond
from mamar.system import Mamar
from mamar.web.i18n import N_
from mamar.web.map_layers import LAYERS, MapLayers
from mamar.web.page import NavItem, PageError, View, add_nav, add_page, op_view
from mamar.web.pages.incidents import report_precisions

add_nav(NavItem("map", N_("Map"), "map", order=70))

SLIDER_STEP = 900
BASE_MAP = f"{PREFIX}/basemap"
ReadPrincipal = Annotated[Principal | None, Depends(guard(READ_ANY))]
SignedInPrincipal = Annotated[Principal | None, Depends(guard(SIGNED_IN))]
_NUMBER = r"-?\d{1,3}(\.\d{1,9})?"
BBoxQuery = Annotated[
    str,
    Query(
        pattern=f"^{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$",
        description="The box shown: min_lon,min_lat,max_lon,max_lat",
    ),
]
ZoomQuery = Annotated[int, Query(ge=0, le=19, description="The map's zoom level (0 to 19)")]
Op = Annotated[str, Path(max_length=200)]
At = Annotated[
    datetime | None, Query(description="As of this moment (ISO 8601 with offset); default now")
]
Lang = Annotated[
    str | None,
    Query(pattern="^(ar|en)$", description="Labels' language; default by Accept-Language"),
]


def add_leaflet(app: FastAPI) -> None:
    """Leaflet's script and style as content-hashed static files (``leaflet/leaflet.js``)."""
    app.state.assets.add_dir(FsPath(leaflet.BASE_DIR), "leaflet/")


def tile_url(system: Mamar) -> str | None:
    """The basemap's tile URL template (``MAMAR_TILE_URL``); None: no basemap."""
    return system.settings.tile_url or None


def _slider_moment(layers: MapLayers, v: View) -> datetime | None:
    """The moment asked for: ``at`` (ISO 8601; without an offset, in the operation's zone,
    as every page reads it) or ``t`` (seconds since the epoch)."""
    t_text = v.request.query_params.get("t")
    try:
        if v.request.query_params.get("at"):
            moment = v.moment()
        elif t_text:
            moment = datetime.fromtimestamp(int(t_text), UTC)
        else:
            return None
    except (ValueError, OverflowError, OSError):
        raise PageError(400, "bad_request", field="at") from None
    return layers.moment(moment)


def embedded_json(data: Any) -> Markup:
    """``data`` as JSON safe inside a ``<script>`` element, in UTF-8 (Arabic stays short)."""
    text = orjson.dumps(data).decode()
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(raw, escaped)
    return Markup(text)


def slider(layers: MapLayers, at: str | None) -> dict[str, int] | None:
    """The time slider in seconds since the epoch, in 15-minute steps from the start.

    Its last step is at or after the range's end, so the present can be chosen.
    """
    if layers.range is None:
        return None
    start = int(layers.range.start.timestamp())
    steps = -(-(int(layers.range.end.timestamp()) - start) // SLIDER_STEP)
    end = start + max(steps, 1) * SLIDER_STEP
    value = end if at is None else int(datetime.fromisoformat(at).timestamp())
    return {"min": start, "max": end, "step": SLIDER_STEP, "value": value}


def add_routes(app: FastAPI, book: RuleBook) -> None:
    add_leaflet(app)

    async def map_page(request: Request, op: str) -> Response:
        v = await op_view(request, READ_ANY, op)
        with v.system.reading() as conn:
            layers = MapLayers(conn, v.actor, op, v.lang)
            data = layers.all(_slider_moment(layers, v))
        return v.render(
            "map.html",
            data,
            title=v.t("Map"),
            tile_url=tile_url(v.system),
            base_url=BASE_MAP,
            slider=slider(layers, data["at"]),
            embedded=embedded_json(data),
            live=True,
            precision=report_precisions(v, op),
        )

    add_page(app, book, "/ops/{op}/map", map_page, READ_ANY)

    def _language(request: Request, lang: str | None) -> str:
        return lang or choose_language(request.headers.get("accept-language"))

    def map_layers(
        request: Request, op: Op, principal: ReadPrincipal, at: At = None, lang: Lang = None
    ) -> Response:
        viewer = require(principal).actor
        system: Mamar = request.app.state.system
        with system.reading() as conn:
            data = MapLayers(conn, viewer, op, _language(request, lang)).all(aware(at, "at"))
        return respond(data)

    book.set("GET", f"{PREFIX}/operations/{{op}}/map", READ_ANY)
    app.add_api_route(
        f"{PREFIX}/operations/{{op}}/map",
        map_layers,
        methods=["GET"],
        responses=READ_ERRORS,
        tags=["map"],
        summary="Every map layer of the operation at a moment, and the moments it spans",
    )

    for name in LAYERS:
        _add_layer_route(app, book, name, _language)

    def base_map(
        request: Request,
        principal: SignedInPrincipal,
        bbox: BBoxQuery,
        zoom: ZoomQuery,
        lang: Lang = None,
    ) -> Response:
        viewer = require(principal).actor
        west, south, east, north = (float(v) for v in bbox.split(","))
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise ApiError(422, "bad_request", field="bbox")
        system: Mamar = request.app.state.system
        with system.reading() as conn:
            data = reads.base_map(
                conn,
                viewer=viewer,
                bbox=(west, south, east, north),
                zoom=zoom,
                lang=_language(request, lang),
            )
        return respond(data)

    book.set("GET", BASE_MAP, SIGNED_IN)
    app.add_api_route(
        BASE_MAP,
        base_map,
        methods=["GET"],
        responses=READ_ERRORS,
        tags=["map"],
        summary="The offline base map: imported roads and named places in a box, for a zoom",
    )


def _add_layer_route(app: FastAPI, book: RuleBook, name: str, language: Any) -> None:
    def one_layer(
        request: Request, op: Op, principal: ReadPrincipal, at: At = None, lang: Lang = None
    ) -> Response:
        viewer = require(principal).actor
        system: Mamar = request.app.state.system
        with system.reading() as conn:
            layers = MapLayers(conn, viewer, op, language(request, lang))
            data = layers.layer(name, layers.moment(aware(at, "at")))
        return respond(data)

    one_layer.__name__ = f"map_{name}"
    path = f"{PREFIX}/operations/{{op}}/map/{name}"
    book.set("GET", path, READ_ANY)
    app.add_api_route(
        path,
        one_layer,
        methods=["GET"],
        responses=READ_ERRORS,
        tags=["map"],
        summary=f"The map's {name} layer at a moment, as GeoJSON",
    )
