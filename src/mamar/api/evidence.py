"""Checkpoints, proofs and witnesses over the API: what witnesses and outside checkers use.

A checkpoint is served as the C2SP signed note itself (``text/plain``), with every
cosignature received for it. Proofs are RFC 6962 hashes, base64, in JSON. They show
hashes and sizes only, never an event, so any signed-in account may read them.
Each route declares its access rule where it is defined (:func:`route`).
"""

from __future__ import annotations

import base64
import inspect
from collections.abc import Callable
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection
from starlette.responses import Response

from mamar.accounts.tokens import Scope
from mamar.api.access import ALL_ROLES, READ_ANY, SIGNED_IN, RouteRule, RuleBook
from mamar.api.auth import Principal, guard, require
from mamar.api.responses import READ_ERRORS, respond
from mamar.domain.errors import DomainError, NotFound
from mamar.domain.visibility import Role
from mamar.evidence import bundle, log, witnesses
from mamar.journal import tree
from mamar.system import Mamar

PREFIX = "/api/v1"
NOTE_TYPE = "text/plain; charset=utf-8"
router = APIRouter(prefix=PREFIX, tags=["evidence"], responses=READ_ERRORS)
Size = Annotated[int, Query(ge=0, le=2**62, description="Tree size (number of events)")]
_RULES: dict[tuple[str, str], RouteRule] = {}
COSIGNERS = RouteRule(roles=ALL_ROLES, scope=Scope.WRITE)
ADMINS = RouteRule(roles=frozenset({Role.ADMIN}), scope=Scope.WRITE)
_TEXT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/plain": {"schema": {"type": "string"}}}}
}


def route(method: str, path: str, rule: RouteRule, **options: Any) -> Callable[[Any], Any]:
    """Register an endpoint on the router with its access rule, enforced by the guard; an
    endpoint with a ``principal`` parameter receives the caller the guard identified."""

    def register(endpoint: Any) -> Any:
        _RULES[(method, PREFIX + path)] = rule
        signature = inspect.signature(endpoint)
        guards = [Depends(guard(rule))]
        if "principal" in signature.parameters:
            endpoint.__signature__ = signature.replace(
                parameters=[
                    p.replace(default=guards[0]) if p.name == "principal" else p
                    for p in signature.parameters.values()
                ]
            )
            guards = []
        router.add_api_route(path, endpoint, methods=[method], dependencies=guards, **options)
        return endpoint

    return register


def _system(request: Request) -> Mamar:
    system: Mamar = request.app.state.system
    return system


def _signed(request: Request, size: int | None) -> Response:
    with _system(request).reading() as conn:
        stored = log.latest(conn) if size is None else log.at_size(conn, size)
        if stored is None:
            raise NotFound("checkpoint", "latest" if size is None else str(size))
        note = log.with_cosignatures(conn, stored)
    return Response(note, media_type=NOTE_TYPE)


@route(
    "GET",
    "/checkpoint",
    SIGNED_IN,
    response_class=Response,
    responses=_TEXT,
    summary="The latest signed checkpoint (C2SP tlog-checkpoint) with its cosignatures",
)
def latest_checkpoint(request: Request) -> Response:
    return _signed(request, None)


@route(
    "GET",
    "/checkpoint/{id}",
    SIGNED_IN,
    response_class=Response,
    responses=_TEXT,
    summary="The signed checkpoint of a tree size, with its cosignatures",
)
def checkpoint_of_size(
    request: Request,
    id: Annotated[str, Path(max_length=20, description="Tree size")],
) -> Response:
    if not id.isascii() or not id.isdigit():
        raise NotFound("checkpoint", id)
    return _signed(request, int(id))


def _within(conn: Connection, size: int) -> None:
    held = tree.tree_head(conn).size
    if size > held:
        raise DomainError("beyond_tree", f"the log holds {held} events, not {size}", field="size")


def _hashes(values: list[bytes]) -> list[str]:
    return [base64.b64encode(v).decode() for v in values]


@route(
    "GET",
    "/proof/inclusion",
    SIGNED_IN,
    summary="RFC 6962 audit path of the event at position index + 1 in the tree of a size",
)
def inclusion(
    request: Request,
    index: Annotated[int, Query(ge=0, le=2**62, description="Leaf index (position - 1)")],
    size: Size,
) -> Response:
    if index >= size:
        raise DomainError("beyond_tree", f"leaf {index} is not in a tree of {size}", field="index")
    with _system(request).reading() as conn:
        _within(conn, size)
        proof = tree.inclusion_proof(conn, index, size)
        leaf = tree.leaf_at(conn, index)
    return respond(
        {"index": index, "size": size, "leaf_hash": _hashes([leaf])[0], "hashes": _hashes(proof)}
    )


@route(
    "GET",
    "/proof/consistency",
    SIGNED_IN,
    summary="RFC 6962 proof that the tree of the first size is a prefix of the second",
)
def consistency(request: Request, first: Size, second: Size) -> Response:
    if first > second:
        raise DomainError(
            "size_order", f"the first size ({first}) is larger than the second", field="first"
        )
    with _system(request).reading() as conn:
        _within(conn, second)
        proof = tree.consistency_proof(conn, first, second)
    return respond({"first": first, "second": second, "hashes": _hashes(proof)})


class CosignatureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    size: int = Field(ge=0, le=2**62, description="Tree size of the checkpoint cosigned")
    cosignature: str = Field(
        max_length=400, description="The witness's signature line: — <name> <base64>"
    )


@route(
    "POST",
    "/witness/cosignature",
    COSIGNERS,
    summary="A witness's cosignature (C2SP tlog-cosignature) of a checkpoint the log signed",
)
def add_cosignature(request: Request, body: CosignatureIn) -> Response:
    with _system(request).writing() as conn:
        witness = witnesses.accept(conn, size=body.size, line=body.cosignature)
    return respond(
        {"size": body.size, "witness": witness.name, "organisation": witness.organisation}
    )


def _witness_json(witness: witnesses.Witness) -> dict[str, str]:
    return {
        "name": witness.name,
        "organisation": witness.organisation,
        "key": witness.verifier.encode(),
        "added_at": witness.added_at,
    }


@route("GET", "/witnesses", SIGNED_IN, summary="The witnesses registered, with their keys")
def list_witnesses(request: Request) -> Response:
    with _system(request).reading() as conn:
        return respond({"items": [_witness_json(w) for w in witnesses.listed(conn)]})


class WitnessIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organisation: str = Field(min_length=1, max_length=120)
    key: str = Field(max_length=300, description="The witness's public key, <name>+<id>+<key>")


@route("POST", "/witnesses", ADMINS, summary="Register an organisation's witness key")
def add_witness(request: Request, body: WitnessIn) -> Response:
    with _system(request).writing() as conn:
        witness = witnesses.add(conn, organisation=body.organisation, key=body.key)
    return respond(_witness_json(witness))


@route(
    "GET",
    "/evidence",
    READ_ANY,
    summary="An evidence bundle of records (kind:id) and what they link to, for the caller: "
    "only what the caller may see, each event with its inclusion proof, the signed and "
    "cosigned checkpoint, and the keys; `mamar evidence verify` checks it offline",
)
def evidence_bundle(
    request: Request,
    entity: Annotated[
        list[str], Query(max_length=50, description="Records as kind:id, e.g. incident:shelling-1")
    ],
    principal: Principal | None = None,
) -> Response:
    viewer = require(principal).actor
    system = _system(request)
    refs = bundle.parse_refs(entity)
    try:
        signer = log.load_signer(system.settings)
    except log.NoSigningKey:
        raise DomainError("no_signing_key", "this installation has no checkpoint key") from None
    with system.writing() as conn:
        made = bundle.make(conn, viewer=viewer, refs=refs, signer=signer)
    name = "evidence-" + "-".join(r.replace(":", "-") for r in made["records"][:1]) + ".json"
    return Response(
        orjson.dumps(made, option=orjson.OPT_INDENT_2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def add_evidence_routes(app: FastAPI, book: RuleBook) -> None:
    for (method, path), rule in _RULES.items():
        book.set(method, path, rule)
    app.include_router(router)
