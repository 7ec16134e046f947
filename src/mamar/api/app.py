"""The API application: ``create_app(system)``; a web layer may add its pages to it."""

from __future__ import annotations

from fastapi import FastAPI

from mamar.access.rules import PUBLIC, RuleBook
from mamar.api import errors
from mamar.api.command_routes import add_command_routes
from mamar.api.docs import add_docs_routes
from mamar.api.evidence import add_evidence_routes
from mamar.api.exchange import add_exchange_routes
from mamar.api.geo import add_geo_routes
from mamar.api.headers import SecurityHeaders
from mamar.api.limits import RequestLimits
from mamar.api.reads import add_read_routes
from mamar.api.reports import add_report_routes
from mamar.api.sessions import add_session_routes
from mamar.reads import OverviewCache
from mamar.system import Mamar

OPENAPI_URL = "/api/v1/openapi.json"
DOCS_URL = "/api/v1/docs"


def create_app(system: Mamar) -> FastAPI:
    """Every command and query of the system as JSON under ``/api/v1``.

    ``app.state.access`` holds the rule of every route; routes added later
    (pages) must add theirs, or the authorisation matrix test fails.
    """
    app = FastAPI(
        title="Mamar API",
        version="1",
        description=(
            "Coordination and evidence record for negotiated ceasefires and evacuations. "
            "Errors have one shape: {error: {code, message, field}}, in Arabic or English "
            "by Accept-Language."
        ),
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    book = RuleBook()
    book.set("GET", OPENAPI_URL, PUBLIC)
    app.state.system = system
    app.state.access = book
    app.state.secret_key = system.settings.resolve_secret_key()
    # Overviews computed once per journal head and compartment set (see OverviewCache).
    app.state.overviews = OverviewCache()
    errors.install(app)
    add_session_routes(app, book)
    add_read_routes(app, book)
    add_geo_routes(app, book)
    add_evidence_routes(app, book)
    add_report_routes(app, book)
    add_exchange_routes(app, book)
    add_command_routes(app, book)
    add_docs_routes(app, book, docs_url=DOCS_URL, openapi_url=OPENAPI_URL)
    app.add_middleware(RequestLimits, max_bytes=system.settings.max_body_bytes)
    # Outermost: every response gets the headers, the limits' refusals included.
    app.add_middleware(SecurityHeaders, tile_url=system.settings.tile_url)
    return app
