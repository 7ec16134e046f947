"""Static files (long-cached, content-hashed) and the front door."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response

from mamar.access.rules import PUBLIC, RuleBook
from mamar.web.page import add_page


def add_routes(app: FastAPI, book: RuleBook) -> None:
    def static_file(request: Request, digest: str, name: str) -> Response:
        response: Response = request.app.state.assets.response(digest, name)
        return response

    add_page(app, book, "/static/{digest}/{name:path}", static_file, PUBLIC)

    def front_door() -> Response:
        return RedirectResponse("/ops", status_code=303)

    add_page(app, book, "/", front_door, PUBLIC)
