"""Administration: accounts (list, create with a password, disable) and API tokens (create, revoke)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy import Connection
from starlette.responses import Response

from mamar import reads
from mamar.access.rules import RouteRule, RuleBook
from mamar.access.viewer import viewer_of
from mamar.accounts.credentials import set_password
from mamar.accounts.tokens import Scope, create_token, list_tokens, revoke_token
from mamar.domain.errors import DomainError
from mamar.domain.visibility import Role
from mamar.web import forms
from mamar.web.page import View, add_page, view
from mamar.web.pages._formkit import local_text
from mamar.web.render import Called, called_text, local

ADMIN = RouteRule(roles=frozenset({Role.ADMIN}))
ADMIN_WRITE = RouteRule(roles=frozenset({Role.ADMIN}), scope=Scope.WRITE)


def _administered(v: View, conn: Connection) -> list[dict[str, Any]]:
    """The accounts this administrator administers: those its viewer sees (its own
    organisation's; every organisation's for the installation's administrators)."""
    return reads.list_entities(conn, viewer=v.actor, operation=None, kind="account", limit=10000)


def _data(v: View) -> dict[str, Any]:
    with v.system.reading() as conn:
        accounts = _administered(v, conn)
        mine = {a["id"]: a.get("display_name") or a["id"] for a in accounts}
        tokens = [
            {
                "id": t.id,
                "username": t.username,
                "account_name": mine[t.username],
                "scope": t.scope.value,
                "expires_at": t.expires_at,
            }
            for t in list_tokens(conn)
            if t.username in mine
        ]
        organisations = reads.list_entities(
            conn, viewer=v.actor, operation=None, kind="organisation", limit=10000
        )
    names = {o["id"]: o["name"] for o in organisations}
    for account in accounts:
        account["organisation_name"] = names.get(account.get("organisation", ""))
    return {"accounts": accounts, "tokens": tokens, "organisations": organisations}


def _party_options(v: View) -> list[tuple[str, Called]]:
    """The parties an account may speak for: those of every operation the administrator
    sees, by name (with their operation's when there are several), sorted by name."""
    with v.system.reading() as conn:
        parties = reads.list_entities(
            conn, viewer=v.actor, operation=None, kind="party", limit=10000
        )
        operations = reads.list_entities(
            conn, viewer=v.actor, operation=None, kind="operation", limit=10000
        )
    called = {o["id"]: called_text(o, v.lang) for o in operations}
    several = len({p.get("operation") for p in parties}) > 1
    found = []
    for party in parties:
        name = called_text(party, v.lang)
        if several and party.get("operation") in called:
            name = name.saying(f"{name} — {called[party['operation']]}")
        found.append((party["id"], name))
    return sorted(found, key=lambda x: str(x[1]))


def _account_options(accounts: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The accounts administered and not disabled, by name (their user name beside a name
    two share)."""
    active = [a for a in accounts if not a.get("disabled")]
    names = [a.get("display_name") or a["id"] for a in active]
    labelled = [
        (a["id"], f"{name} ({a['id']})" if names.count(name) > 1 else name)
        for a, name in zip(active, names, strict=True)
    ]
    return sorted(labelled, key=lambda x: x[1])


def _render(
    v: View, status: int = 200, errors: dict[str, str] | None = None, new_token: str | None = None
) -> Response:
    data = _data(v)
    if new_token is not None:
        data["new_token"] = new_token
    return v.render(
        "admin.html",
        data,
        title=v.t("Administration"),
        status=status,
        errors=errors,
        roles=[(r.value, v.t(r.value)) for r in Role],
        chooses_organisation=viewer_of(v.actor).administers_installation,
        organisation_options=[(o["id"], local(o["name"], v.lang)) for o in data["organisations"]],
        party_options=_party_options(v),
        account_options=_account_options(data["accounts"]),
    )


def _refused(v: View, errors: dict[str, str]) -> Response:
    if v.wants_json():
        return v.render("", forms.field_errors_json(errors), title="", status=422)
    return _render(v, 422, errors)


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def admin(request: Request) -> Response:
        return _render(await view(request, ADMIN))

    add_page(app, book, "/admin", admin, ADMIN)

    async def create_account(request: Request) -> Response:
        v = await view(request, ADMIN_WRITE)
        f = v.form
        username = f.get("username", "").strip()
        password = f.get("password", "")

        def with_password(conn: Connection) -> None:
            set_password(conn, username, password)

        data = {
            "id": username,
            "display_name": f.get("display_name", ""),
            "role": f.get("role") or None,
            "organisation": f.get("organisation") or None,
            "party": f.get("party") or None,
        }
        try:
            forms.run(
                v,
                "account.create",
                {k: x for k, x in data.items() if x is not None},
                after=with_password,
                required=("username", "display_name", "role"),
            )
        except forms.FormErrors as exc:
            return _refused(v, {("username" if k == "id" else k): m for k, m in exc.errors.items()})
        return v.redirect("/admin")

    add_page(app, book, "/admin/accounts", create_account, ADMIN_WRITE, methods=("POST",))

    async def disable_account(request: Request, id: str) -> Response:
        v = await view(request, ADMIN_WRITE)
        try:
            forms.run(v, "account.disable", {"id": id, "reason": local_text(v, "reason")})
        except forms.FormErrors as exc:
            return _refused(v, exc.errors)
        return v.redirect("/admin")

    add_page(
        app, book, "/admin/accounts/{id}/disable", disable_account, ADMIN_WRITE, methods=("POST",)
    )

    async def new_token(request: Request) -> Response:
        v = await view(request, ADMIN_WRITE)
        username = v.form.get("token_username", "").strip()
        scope = Scope.WRITE if v.form.get("scope") == "write" else Scope.READ
        with v.system.reading() as conn:
            known = {a["id"] for a in _administered(v, conn)}
        if not username:  # marked required in the form: said the same way here
            return _refused(v, forms.missing_fields(v, ["token_username"]))
        if username not in known:
            return _refused(v, {"token_username": v.t("There is no account with this user name.")})
        with v.system.writing() as conn:
            token_id, token = create_token(conn, username, scope=scope)
        if v.wants_json():
            return v.render("", {"id": token_id, "token": token}, title="", status=201)
        # Shown once, on this page only: it is never stored in clear.
        return _render(v, 201, new_token=token)

    add_page(app, book, "/admin/tokens", new_token, ADMIN_WRITE, methods=("POST",))

    async def revoke(request: Request, id: str) -> Response:
        v = await view(request, ADMIN_WRITE)
        try:
            with v.system.writing() as conn:
                mine = {a["id"] for a in _administered(v, conn)}
                if not any(t.id == id and t.username in mine for t in list_tokens(conn)):
                    raise DomainError("not_found", "no such token")
                revoke_token(conn, id)
        except DomainError:
            return _refused(v, {"_general": v.t("There is no active token with this identifier.")})
        return v.redirect("/admin")

    add_page(app, book, "/admin/tokens/{id}/revoke", revoke, ADMIN_WRITE, methods=("POST",))
