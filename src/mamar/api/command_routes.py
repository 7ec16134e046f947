"""Every registered command as a route, without per-command code.

Creation: ``POST /api/v1/{kind}/{verb}`` (e.g. ``/api/v1/convoy/plan``); the new record's
id is generated and given back in the receipt (a client creating records offline may
give a UUID of its own). Accounts and organisations are named by whoever creates them.
Others: ``POST /api/v1/{kind}/{id}/{verb}`` (e.g. ``/api/v1/convoy/batch-1/change_status``).
The body is the command's fields plus an optional ``occurred`` {at, precision, phrase}.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from fastapi import Depends, FastAPI, Path, Request
from pydantic import BaseModel, ConfigDict, Field, create_model
from starlette.responses import Response

from mamar.access.door import Principal, guard, require
from mamar.access.rules import RouteRule, RuleBook, command_rule
from mamar.api.responses import WRITE_ERRORS, CommandResult, events_out, respond
from mamar.domain.ids import ClientId
from mamar.domain.model import Command, commands, generates_id
from mamar.domain.time import OccurredAt
from mamar.system import Mamar

PREFIX = "/api/v1"


def _title(command_name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[._]", command_name)) + "Request"


def body_model(cmd_type: type[Command]) -> type[BaseModel]:
    """The request body: the command's fields (less the id when it is in the path), plus ``occurred``."""
    fields: dict[str, Any] = {
        name: (info.annotation, info)
        for name, info in cmd_type.model_fields.items()
        if cmd_type.creates or name != "id"
    }
    # A vault reference is set by the services when they seal personal data, never by a caller.
    if cmd_type.personal_field is not None:
        fields.pop("vault_ref", None)
    if generates_id(cmd_type):
        # Ids are generated: a caller never picks one that might be another's, hidden.
        fields["id"] = (
            ClientId | None,
            Field(
                default=None,
                description="Leave out: the id is generated and given back. A client that "
                "creates records offline may give a UUID it generated itself.",
            ),
        )
    fields["occurred"] = (
        OccurredAt | None,
        Field(default=None, description="When it happened (default: now), and how precisely"),
    )
    model: type[BaseModel] = create_model(
        _title(cmd_type.command_name),
        __config__=ConfigDict(extra="forbid"),
        __doc__=(cmd_type.__doc__ or cmd_type.command_name).strip(),
        **fields,
    )
    return model


def _endpoint(cmd_type: type[Command], model: type[BaseModel], rule: RouteRule) -> Any:
    def endpoint(request: Request, body: Any, principal: Any, id: str | None = None) -> Response:
        who: Principal = require(principal)
        data = body.model_dump(exclude_unset=True, exclude={"occurred"})
        if data.get("id", "") is None:
            del data["id"]
        if not cmd_type.creates:
            data["id"] = id
        command = cmd_type.model_validate(data)
        system: Mamar = request.app.state.system
        recorded = system.execute(command, actor=who.actor, occurred=body.occurred)
        return respond(
            events_out(recorded, who.viewer, system.cursors), 201 if cmd_type.creates else 200
        )

    params = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        inspect.Parameter("body", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=model),
        inspect.Parameter(
            "principal",
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=Principal | None,
            default=Depends(guard(rule)),
        ),
    ]
    if not cmd_type.creates:
        params.append(
            inspect.Parameter(
                "id",
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=str,
                default=Path(description=f"The {cmd_type.kind}'s id", max_length=200),
            )
        )
    endpoint.__signature__ = inspect.Signature(params, return_annotation=Response)  # type: ignore[attr-defined]
    endpoint.__name__ = cmd_type.command_name.replace(".", "_")
    return endpoint


def command_path(cmd_type: type[Command]) -> str:
    verb = cmd_type.command_name.split(".", 1)[1]
    if cmd_type.creates:
        return f"{PREFIX}/{cmd_type.kind}/{verb}"
    return f"{PREFIX}/{cmd_type.kind}/{{id}}/{verb}"


def add_command_routes(app: FastAPI, book: RuleBook) -> None:
    for name, cmd_type in sorted(commands().items()):
        rule = command_rule(cmd_type.command_name)
        path = command_path(cmd_type)
        model = body_model(cmd_type)
        book.set("POST", path, rule)
        app.add_api_route(
            path,
            _endpoint(cmd_type, model, rule),
            methods=["POST"],
            operation_id=name,
            summary=name,
            description=(cmd_type.__doc__ or "").strip(),
            tags=[cmd_type.kind],
            status_code=201 if cmd_type.creates else 200,
            response_model=CommandResult,
            responses=WRITE_ERRORS,
        )
