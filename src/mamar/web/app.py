"""The web application: the API under /api/v1, plus server-rendered pages, static files and live updates."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from mamar.api.app import create_app as create_api
from mamar.system import Mamar
from mamar.web import errors
from mamar.web.assets import default_assets
from mamar.web.limits import accept_forms
from mamar.web.pages import install_pages
from mamar.web.render import Renderer


def create_app(system: Mamar) -> FastAPI:
    """The API app, extended with every page; each page route has its access rule."""
    app = create_api(system)
    app.state.assets = default_assets()
    app.state.renderer = Renderer()
    app.state.live_seconds = 300.0
    errors.install(app)
    install_pages(app, app.state.access)
    accept_forms(app)
    app.add_middleware(GZipMiddleware, minimum_size=500)
    return app
