"""Security headers on every response, and the API documentation served with no internet."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from mamar.system import Mamar
from tests.web_support import make_web

HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
#: Attributes whose value a browser fetches or follows.
ADDRESS = re.compile(r"""\b(?:src|href|action)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def _assert_secured(response: object, where: str) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    policy = headers.get("content-security-policy", "")
    for directive in (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy, f"{where}: CSP {policy!r} lacks {directive!r}"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, where
    for name, value in HEADERS.items():
        assert headers.get(name) == value, f"{where}: {name} is {headers.get(name)!r}"


def test_every_route_answers_with_the_security_headers(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    admin = web.client("admin")
    anonymous = web.client()
    paths = sorted(
        {
            route.path.replace("{op}", "aleppo-2016").replace("{operation}", "aleppo-2016")
            for route in web.app.routes
            if isinstance(route, APIRoute) and "GET" in route.methods and route.path != "/live"
        }
    )
    assert len(paths) > 30
    for path in paths:
        # Path parameters left as they are: a 404 or 422 must carry the headers too.
        _assert_secured(admin.get(path), f"GET {path} (admin)")
    for path in ("/ops", "/login", "/api/v1/operations", "/no/such/page"):
        _assert_secured(anonymous.get(path), f"GET {path} (signed out)")
    _assert_secured(admin.post("/api/v1/health", json={}), "POST to a GET route (405)")
    _assert_secured(anonymous.post("/api/v1/auth/login", content=b"x" * 300_000), "too large")
    with admin.stream("GET", "/live?operation=aleppo-2016") as stream:
        _assert_secured(stream, "the live stream")


def test_the_api_documentation_needs_no_internet(sqlite_system: Mamar) -> None:
    web = make_web(sqlite_system)
    client = web.client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    _assert_secured(page, "/api/v1/docs")
    html = page.text
    assert "<script>" not in html and "onload=" not in html  # no inline script
    addresses = ADDRESS.findall(html)
    assert addresses, "the page loads nothing"
    for address in addresses:
        assert address.startswith("/") and not address.startswith("//"), address
        asset = client.get(address)
        assert asset.status_code == 200, address
        assert len(asset.content) > 100, address
    # Swagger UI itself, from the installed package, and our starter, which names no host.
    assert any(a.endswith("swagger-ui-bundle.js") for a in addresses)
    starter = next(a for a in addresses if a.endswith("swagger-init.js"))
    assert "http" not in client.get(starter).text
    assert client.get("/api/v1/docs/assets/../../app.py").status_code == 404
    assert client.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.parametrize("tile_url", ["http://tiles.local:8080/{z}/{x}/{y}.png"])
def test_the_deployments_tile_server_may_serve_images(tile_url: str) -> None:
    from mamar.api.headers import content_security_policy

    policy = content_security_policy(tile_url)
    assert "img-src 'self' data: http://tiles.local:8080" in policy
    assert "script-src 'self';" in policy
