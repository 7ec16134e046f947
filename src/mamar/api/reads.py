"""Reading routes: entities (as of a moment), lists, overview, timeline, journal export, vault.

Every one goes through :mod:`mamar.reads`, through the caller's viewer.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, Path, Query, Request
from starlette.responses import Response, StreamingResponse

from mamar import reads
from mamar.access.door import Principal, authorize, guard, require
from mamar.access.rules import READ_ANY, RouteRule, RuleBook
from mamar.api.errors import ApiError
from mamar.api.responses import READ_ERRORS, EntityOut, OverviewOut, Page, Personal, respond
from mamar.audit.access import VAULT_READERS, read_personal
from mamar.domain.model import aggregates
from mamar.domain.time import utc_key
from mamar.system import Mamar

PREFIX = "/api/v1"
_UNSCOPED = frozenset({"account", "operation"})

Limit = Annotated[int, Query(ge=1, le=500, description="Items per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")]
After = Annotated[
    str | None,
    Query(
        max_length=200,
        description="The next page: the previous page's `next_after` (the id of its last "
        "record). Unlike `offset`, as quick deep in a list as at its start",
    ),
]
At = Annotated[
    datetime | None, Query(description="As of this moment (ISO 8601 with offset); default now")
]
EntityPath = Annotated[str, Path(max_length=200)]
ReadPrincipal = Annotated[Principal | None, Depends(guard(READ_ANY))]


def aware(moment: datetime | None, field: str) -> datetime | None:
    """``moment`` if it has an offset and a UTC equivalent; else a 422 naming ``field``."""
    if moment is None:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ApiError(422, "naive_time", field=field)
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise ApiError(422, "time_out_of_range", field=field) from None
    return moment


def _key(moment: datetime | None, field: str) -> str | None:
    checked = aware(moment, field)
    return utc_key(checked) if checked is not None else None


def _system(request: Request) -> Mamar:
    system: Mamar = request.app.state.system
    return system


def _page(
    items: list[dict[str, Any]], limit: int, offset: int, after_key: str | None = "id"
) -> dict[str, Any]:
    """A page of ``limit`` of ``items`` (one more was read, if there is a next page).
    ``next_after`` is the page's last item's ``after_key`` (None: there is no keyset)."""
    more = len(items) > limit
    return {
        "items": items[:limit],
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if more else None,
        "next_after": items[limit - 1][after_key] if more and after_key else None,
    }


def _entity_route(kind: str) -> Any:
    def read_entity(
        request: Request, id: EntityPath, principal: ReadPrincipal, at: At = None
    ) -> Response:
        viewer = require(principal).actor
        with _system(request).reading() as conn:
            data = reads.get_entity(
                conn, viewer=viewer, kind=kind, entity_id=id, at_utc=_key(at, "at")
            )
        return respond(data)

    read_entity.__name__ = f"read_{kind}"
    return read_entity


def _list_route(kind: str) -> Any:
    def list_kind(
        request: Request,
        op: EntityPath,
        principal: ReadPrincipal,
        at: At = None,
        limit: Limit = 50,
        offset: Offset = 0,
        after: After = None,
    ) -> Response:
        viewer = require(principal).actor
        at_utc = _key(at, "at")
        with _system(request).reading() as conn:
            # An operation the viewer cannot see answers like one that does not exist.
            reads.get_state(conn, viewer=viewer, kind="operation", entity_id=op, at_utc=at_utc)
            items = reads.list_entities(
                conn,
                viewer=viewer,
                operation=op,
                kind=kind,
                at_utc=at_utc,
                limit=limit + 1,
                offset=offset,
                after=after,
            )
        return respond(_page(items, limit, offset))

    list_kind.__name__ = f"list_{kind}"
    return list_kind


def _personal_route(kind: str) -> Any:
    def read_personal_record(request: Request, id: EntityPath, principal: Any) -> Response:
        viewer = require(principal).actor
        system = _system(request)
        with system.writing() as conn:
            record = read_personal(conn, system.vault, viewer=viewer, kind=kind, entity_id=id)
        return respond(record)

    read_personal_record.__name__ = f"read_{kind}_personal"
    return read_personal_record


def add_read_routes(app: FastAPI, book: RuleBook) -> None:
    def add(path: str, endpoint: Any, rule: RouteRule, **kwargs: Any) -> None:
        book.set("GET", path, rule)
        app.add_api_route(path, endpoint, methods=["GET"], responses=READ_ERRORS, **kwargs)

    def operation_status(request: Request, op: EntityPath, at: At = None) -> Response:
        # The most read route: its caller is checked on the connection the overview is
        # read from (the guard's own checks, see ``authorize``), one worker thread for both,
        # and the journal head is read in the same statement as the caller: when the
        # overview of that head is kept (``OverviewCache``), that one statement is all.
        # No snapshot is shared by the reads (the head is read before the states): on
        # PostgreSQL they need no transaction.
        with _system(request).looking_up() as conn:
            principal, head = authorize(conn, request, READ_ANY)
            data = reads.overview(
                conn,
                viewer=principal.actor,
                operation=op,
                at=aware(at, "at"),
                cache=request.app.state.overviews,
                head=head,
            )
        return respond(data)

    # Added first: a request is matched against the routes in the order they were added,
    # and the most read route was the 66th, after every record's read and list routes
    # (about 50 µs of matching a request; no other route matches its path).
    add(
        f"{PREFIX}/operations/{{op}}/status",
        operation_status,
        READ_ANY,
        response_model=OverviewOut,
        tags=["operation"],
        summary="The operation overview, now or as of a moment",
    )

    for kind, spec in sorted(aggregates().items()):
        add(
            f"{PREFIX}/{kind}/{{id}}",
            _entity_route(kind),
            READ_ANY,
            response_model=EntityOut,
            tags=[kind],
            operation_id=f"read_{kind}",
            summary=f"One {kind}, now or as of a moment",
        )
        if kind not in _UNSCOPED:
            add(
                f"{PREFIX}/operations/{{op}}/{kind}",
                _list_route(kind),
                READ_ANY,
                response_model=Page,
                tags=[kind],
                operation_id=f"list_{kind}",
                summary=f"The {kind} records of an operation, a page at a time",
            )
        if "vault_ref" in spec.state_type.model_fields:
            rule = RouteRule(roles=VAULT_READERS, compartmented=True)
            endpoint = _personal_route(kind)
            endpoint.__signature__ = _with_guard(endpoint, rule)
            add(
                f"{PREFIX}/{kind}/{{id}}/personal",
                endpoint,
                rule,
                response_model=Personal,
                tags=[kind],
                operation_id=f"read_{kind}_personal",
                summary=f"The {kind}'s personal record from the vault (the read is journalled)",
            )

    def list_operations(
        request: Request,
        principal: ReadPrincipal,
        limit: Limit = 50,
        offset: Offset = 0,
        after: After = None,
    ) -> Response:
        viewer = require(principal).actor
        with _system(request).reading() as conn:
            items = reads.list_entities(
                conn,
                viewer=viewer,
                operation=None,
                kind="operation",
                limit=limit + 1,
                offset=offset,
                after=after,
            )
        return respond(_page(items, limit, offset))

    add(f"{PREFIX}/operations", list_operations, READ_ANY, response_model=Page, tags=["operation"])

    def read_timeline(
        request: Request,
        principal: ReadPrincipal,
        operation: Annotated[str | None, Query(max_length=200)] = None,
        entity: Annotated[str | None, Query(max_length=200, description="kind:id")] = None,
        type: Annotated[
            list[str] | None, Query(description="Event type, or a prefix ending in '.'")
        ] = None,
        party: Annotated[str | None, Query(max_length=200)] = None,
        since: At = None,
        until: At = None,
        order: Annotated[str, Query(pattern="^(occurred|recorded)$")] = "occurred",
        after: Annotated[
            str | None,
            Query(
                max_length=200,
                description="Only events recorded after the one with this cursor "
                "(each entry's `cursor`; for clients that catch up). With "
                "`order=recorded`, the next page is the previous page's `next_after`",
            ),
        ] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> Response:
        viewer = require(principal).actor
        system = _system(request)
        with system.reading() as conn:
            entries = reads.timeline(
                conn,
                viewer=viewer,
                operation=operation,
                entity=entity,
                types=type,
                party=party,
                since_utc=_key(since, "since"),
                until_utc=_key(until, "until"),
                order=order,
                cursors=system.cursors,
                after=after,
            )
            items = [e.as_dict() for e in itertools.islice(entries, offset, offset + limit + 1)]
        # In journal order, "after this cursor" is the next page (keyset, no offset walked).
        return respond(_page(items, limit, offset, "cursor" if order == "recorded" else None))

    add(f"{PREFIX}/timeline", read_timeline, READ_ANY, response_model=Page, tags=["record"])

    def export_journal(
        request: Request,
        principal: ReadPrincipal,
        operation: Annotated[str | None, Query(max_length=200)] = None,
    ) -> Response:
        viewer = require(principal).actor
        system = _system(request)

        def lines() -> Iterator[bytes]:
            with system.reading() as conn:
                for event in reads.visible_events(conn, viewer=viewer, operation=operation):
                    yield orjson.dumps(event.exported()) + b"\n"

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    book.set("GET", f"{PREFIX}/export/journal", READ_ANY)
    app.add_api_route(
        f"{PREFIX}/export/journal",
        export_journal,
        methods=["GET"],
        tags=["record"],
        summary="The journal events the viewer may see, as JSON Lines with their hashes",
        response_class=StreamingResponse,
        responses={
            200: {"content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
            **READ_ERRORS,
        },
    )


def _with_guard(endpoint: Any, rule: RouteRule) -> Any:
    import inspect

    signature = inspect.signature(endpoint)
    params = [
        p.replace(annotation=Principal | None, default=Depends(guard(rule)))
        if p.name == "principal"
        else p
        for p in signature.parameters.values()
    ]
    return signature.replace(parameters=params)
