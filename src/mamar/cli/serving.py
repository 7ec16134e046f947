"""Serving the product over HTTP, once the web application is installed."""

from __future__ import annotations

import importlib
import importlib.util

from mamar.cli.main import console
from mamar.system import Mamar


def serve_app(system: Mamar, *, host: str, port: int) -> None:
    """Serve the API and pages with uvicorn, if this build has them."""
    if importlib.util.find_spec("mamar.web.app") is None:
        console.print(
            "The web application is not part of this build yet; the demo data is loaded. "
            "Use `mamar status`, `mamar timeline` and `mamar show` on it."
        )
        return
    import uvicorn

    web = importlib.import_module("mamar.web.app")
    console.print(f"serving on http://{host}:{port}/")
    uvicorn.run(web.create_app(system), host=host, port=port)
