"""One error shape everywhere: ``{"error": {"code", "message", "field"}}``, in Arabic or English."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from mamar.access.door import Refused
from mamar.api.language import choose_language
from mamar.api.messages import api_message, domain_message, validation_message
from mamar.domain.errors import DomainError, SaidIn

log = logging.getLogger("mamar.api")
security_log = logging.getLogger("mamar.security")


class ErrorDetail(BaseModel):
    """A refusal: ``code`` is the API's own (``unauthenticated``, ``body_too_large``, …),
    the domain's (``not_found``, ``conflict``, …), ``text_script_mismatch`` for words not
    in the script of the language given for them, or ``invalid_input`` for any other
    body that is not valid; ``message`` says it in the client's language."""

    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    """An error of the API itself (not a domain refusal)."""

    def __init__(
        self,
        status: int,
        code: str,
        *,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
        **params: object,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.field = field
        self.headers = dict(headers or {})
        self.params = params


DOMAIN_STATUS = {
    "not_permitted": 403,
    "already_exists": 409,
    "conflict": 409,
    "illegal_transition": 409,
    "erased": 410,
}


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body = {"error": {"code": code, "message": message, "field": field}}
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type="application/json",
        headers=dict(headers or {}),
    )


def api_error_response(
    accept_language: str | None,
    status: int,
    code: str,
    *,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
    **params: object,
) -> Response:
    lang = choose_language(accept_language)
    return error_response(status, code, api_message(code, lang, **params), field, headers)


def field_of(loc: Sequence[Any]) -> str | None:
    parts = list(loc)
    if parts == ["body"]:
        return "body"
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    # Pydantic adds the validator's name to the location for some types; it is not a field.
    parts = [p for p in parts if not (isinstance(p, str) and p.startswith("function-"))]
    return ".".join(str(p) for p in parts) or None


def _english(error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


#: Validation errors with a code of their own in the API's answer (a client can act on
#: them: choose the language the words are written in); every other is ``invalid_input``.
OWN_CODES = frozenset({"text_script_mismatch"})


def validation_code(kind: str) -> str:
    """The API's error code for a validation error of type ``kind``."""
    return kind if kind in OWN_CODES else "invalid_input"


def validation_response(request: Request, errors: Sequence[Mapping[str, Any]]) -> Response:
    lang = choose_language(request.headers.get("accept-language"))
    first = errors[0] if errors else {"type": "value_error", "loc": (), "msg": "invalid"}
    kind = str(first.get("type", "value_error"))
    field = field_of(first.get("loc", ()))
    if kind == "json_invalid":
        return error_response(400, "malformed_json", api_message("malformed_json", lang), "body")
    if kind == "missing" and field is None:
        field = "body"
    context = first.get("ctx")
    message = validation_message(
        kind, _english(first), lang, context if isinstance(context, Mapping) else None, field
    )
    return error_response(422, validation_code(kind), message, field)


def domain_response(request: Request, exc: DomainError) -> Response:
    status = DOMAIN_STATUS.get(exc.code, 422)
    if exc.code == "not_found":
        # The addressed record itself is missing (or not visible): 404. A reference
        # to another record that does not exist is bad input: 422.
        status = 404 if exc.field in (None, "id") else 422
    lang = choose_language(request.headers.get("accept-language"))
    if status == 403:
        security_log.warning("denied: %s on %s %s", exc.code, request.method, request.url.path)
    said_in = exc.language if isinstance(exc, SaidIn) else None
    message = exc.message if said_in == lang else domain_message(exc, lang)
    return error_response(status, exc.code, message, exc.field)


def install(app: FastAPI) -> None:
    """Route every kind of failure to the common error shape."""

    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return api_error_response(
            request.headers.get("accept-language"),
            exc.status,
            exc.code,
            field=exc.field,
            headers=exc.headers,
            **exc.params,
        )

    async def on_refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refused)
        return api_error_response(
            request.headers.get("accept-language"),
            exc.status,
            exc.code,
            field=exc.field if exc.code == "csrf_failed" else None,
            headers={"WWW-Authenticate": "Bearer"} if exc.status == 401 else None,
        )

    async def on_domain_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DomainError)
        return domain_response(request, exc)

    async def on_request_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return validation_response(request, list(exc.errors()))

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ValidationError)
        return validation_response(request, list(exc.errors()))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = {404: "route_not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "bad_request"
        )
        return api_error_response(
            request.headers.get("accept-language"),
            exc.status_code,
            code,
            headers=getattr(exc, "headers", None),
        )

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return api_error_response(request.headers.get("accept-language"), 500, "internal_error")

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(Refused, on_refused)
    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_request_validation)
    app.add_exception_handler(ValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
