"""Serving the product over HTTP: the API, extended by the web pages when they are installed."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from mamar.cli.main import console
from mamar.system import Mamar


def build_app(system: Mamar) -> Any:
    """``mamar.web.app.create_app`` if this build has pages (it extends the API), else the API."""
    if importlib.util.find_spec("mamar.web") is not None and (
        importlib.util.find_spec("mamar.web.app") is not None
    ):
        return importlib.import_module("mamar.web.app").create_app(system)
    from mamar.api.app import create_app

    return create_app(system)


def serve_app(system: Mamar, *, host: str, port: int) -> None:
    """Serve with uvicorn until interrupted."""
    import uvicorn

    app = build_app(system)
    console.print(f"serving on http://{host}:{port}/ (API: /api/v1, documentation: /api/v1/docs)")
    uvicorn.run(app, host=host, port=port)
