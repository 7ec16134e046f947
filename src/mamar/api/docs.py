"""The interactive API documentation: Swagger UI from the pinned ``swagger-ui-bundle`` package.

FastAPI's own page loads Swagger UI from a public CDN (a floating version, no
integrity check, needs the internet) and starts it with an inline script, which
the Content-Security-Policy forbids. This page is served whole by the app: the
package's script and style, and a small starter script of our own.
"""

from __future__ import annotations

import mimetypes
from html import escape
from pathlib import Path

from fastapi import FastAPI
from starlette.responses import HTMLResponse, Response
from swagger_ui_bundle import swagger_ui_path

from mamar.api.access import PUBLIC, RuleBook

ASSETS_URL = "/api/v1/docs/assets"
_OWN = Path(__file__).parent / "docs_static"
#: Served files by name; nothing else under the assets address answers.
FILES: dict[str, Path] = {
    "swagger-ui-bundle.js": Path(str(swagger_ui_path)) / "swagger-ui-bundle.js",
    "swagger-ui.css": Path(str(swagger_ui_path)) / "swagger-ui.css",
    "swagger-init.js": _OWN / "swagger-init.js",
}
_CACHE = "public, max-age=86400"


def docs_page(title: str, openapi_url: str) -> str:
    return f"""<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="{escape(openapi_url)}"></div>
<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>
<script src="{ASSETS_URL}/swagger-init.js"></script>
</body>
</html>
"""


def add_docs_routes(app: FastAPI, book: RuleBook, *, docs_url: str, openapi_url: str) -> None:
    """``docs_url``: the page; ``ASSETS_URL/<name>``: its files, all public and offline."""
    page = docs_page(f"{app.title} — documentation", openapi_url)

    def docs() -> HTMLResponse:
        return HTMLResponse(page)

    def asset(name: str) -> Response:
        path = FILES.get(name)
        if path is None:
            return Response(status_code=404)
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Response(
            path.read_bytes(),
            media_type=f"{media}; charset=utf-8",
            headers={"Cache-Control": _CACHE},
        )

    book.set("GET", docs_url, PUBLIC)
    app.add_api_route(docs_url, docs, methods=["GET"], include_in_schema=False)
    book.set("GET", f"{ASSETS_URL}/{{name}}", PUBLIC)
    app.add_api_route(f"{ASSETS_URL}/{{name}}", asset, methods=["GET"], include_in_schema=False)
