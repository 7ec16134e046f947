"""Request limits before any route runs: body size (413) and JSON content type (415)."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mamar.api.errors import api_error_response

_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class RequestLimits:
    """Reads a request's body up to ``max_bytes`` (then 413), and refuses non-JSON bodies (415)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WITH_BODY:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        language = headers.get("accept-language")
        declared = headers.get("content-length")
        limit = self.limit(scope, headers.get("content-type", ""))
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse_size(scope, receive, send, language)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse_size(scope, receive, send, language)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if body and not self.accepts(scope, headers.get("content-type", "")):
            response = api_error_response(language, 415, "unsupported_media_type", field="body")
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def limit(self, scope: Scope, content_type: str) -> int:
        """The largest body accepted for this request (here: ``max_bytes``)."""
        return self.max_bytes

    def accepts(self, scope: Scope, content_type: str) -> bool:
        """Whether a body of this type may reach the routes (here: JSON only)."""
        return _is_json(content_type)

    async def _refuse_size(
        self, scope: Scope, receive: Receive, send: Send, language: str | None
    ) -> None:
        response = api_error_response(
            language, 413, "body_too_large", field="body", limit=self.max_bytes
        )
        await response(scope, receive, send)
