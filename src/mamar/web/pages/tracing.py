"""Family links: the search for a person across every manifest the caller may see, people
reported missing by a relative, their possible matches and the reunification.

Names are searched by POST (they never reach a URL, a browser's history or an access
log); each search and each read is journalled (:mod:`mamar.reads.people`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.access.rules import RouteRule, RuleBook, command_rule
from mamar.accounts.tokens import Scope
from mamar.audit.access import VAULT_READERS
from mamar.domain.ids import new_id
from mamar.reads import people
from mamar.tracing.model import TracingState
from mamar.web import forms
from mamar.web.page import View, add_page, op_view
from mamar.web.pages._formkit import local_text
from mamar.web.pages._people_words import words
from mamar.web.pages._shared import may

RULE = RouteRule(roles=VAULT_READERS, compartmented=True)
SEARCH = RouteRule(roles=VAULT_READERS, scope=Scope.WRITE, compartmented=True)
REPORT = "tracing.report"
REUNIFY = "tracing.reunify"


def _year(text: str) -> int | None:
    digits = text.strip().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    return int(digits) if digits.isdigit() and len(digits) == 4 else None


def _search_page(v: View, op: str, status: int = 200) -> Response:
    name = v.form.get("name", "").strip()
    year_text = v.form.get("year", "").strip()
    origin = v.form.get("origin", "").strip() or None
    errors: dict[str, str] = {}
    found: list[dict[str, Any]] = []
    searched = v.request.method == "POST"
    if searched and not name:
        errors["name"] = v.t("Type a name to search for")
    elif searched and year_text and _year(year_text) is None:
        errors["year"] = v.t("Give the year of birth as four digits")
    elif searched:
        with v.system.writing() as conn:
            found = [
                p.as_json()
                for p in people.search(
                    conn,
                    v.system.vault,
                    viewer=v.actor,
                    operation=op,
                    name=name,
                    year_of_birth=_year(year_text),
                    origin=origin,
                )
            ]
    return v.render(
        "people_search.html",
        {"found": found, "searched": searched and not errors},
        title=v.t("Find a person"),
        status=422 if errors else status,
        errors=errors,
        words=words(v),
    )


def _list_page(
    v: View, op: str, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    from mamar import reads

    with v.system.reading() as conn:
        states = reads.visible_states(
            conn, viewer=v.actor, operation=op, kinds=["tracing"], at_utc=v.at_utc()
        )
    items = [
        {
            "id": s.id,
            "status": s.status.value,
            "child": s.child,
            "reported_at": s.created_at,
            "erased": s.erased,
        }
        for s in states
        if isinstance(s, TracingState)
    ]
    items.sort(key=lambda x: (x["status"] != "open", not x["child"], x["reported_at"]))
    return v.render(
        "tracing.html",
        {"items": items},
        title=v.t("Missing persons reported by relatives"),
        status=status,
        errors=errors,
        words=words(v),
        can_report=may(v, REPORT),
    )


def report_data(v: View, op: str, tracing: str) -> dict[str, Any]:
    f = v.form
    sought: dict[str, Any] = {"full_name": f.get("sought.full_name", "").strip()}
    year = f.get("sought.year_of_birth", "").strip()
    if year:
        sought["year_of_birth"] = year.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    origin = local_text(v, "sought.origin")  # in the language chosen beside it
    if origin is not None:
        sought["origin"] = origin
    relative: dict[str, Any] = {"full_name": f.get("relative.full_name", "").strip()}
    relation = local_text(v, "relative.relation")  # in the language chosen beside it
    if relation is not None:
        relative["relation"] = relation
    where = local_text(v, "relative.where")  # in the language chosen beside it
    if where is not None:
        relative["where"] = where
    if f.get("relative.phone", "").strip():
        relative["phones"] = [f["relative.phone"].strip()]
    return {
        "id": tracing,
        "operation": op,
        "sought": {"details": sought},
        "relative": {"details": relative},
        "child": f.get("child") == "yes",
    }


def _report_errors(errors: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, message in errors.items():
        parts = key.split(".")
        if parts[0] in ("sought", "relative") and len(parts) >= 3:
            leaf = "phone" if parts[2] == "phones" else parts[2]
            if parts[-1] == "language" and len(parts) > 3:  # said beside the language select
                leaf += ".language"
            out.setdefault(f"{parts[0]}.{leaf}", message)
        else:
            out.setdefault(key, message)
    return out


def _one_page(
    v: View, op: str, tracing: str, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    at = v.at_utc()
    with v.system.writing() as conn:
        state, sought, relative, found = people.tracing_matches(
            conn, v.system.vault, viewer=v.actor, tracing=tracing, purpose="tracing", at_utc=at
        )
    data = {
        "id": state.id,
        "status": state.status.value,
        "child": state.child,
        "sought": sought,
        "relative": relative,
        "found_vehicle": state.found_vehicle,
        "found_number": state.found_number,
        "reunified_at": state.reunified_at,
        "matches": [p.as_json() for p in found],
    }
    return v.render(
        "tracing_one.html",
        data,
        title=v.t("Tracing request"),
        status=status,
        errors=errors,
        words=words(v),
        can_reunify=may(v, REUNIFY) and state.status.value == "open",
    )


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def search_form(request: Request, op: str) -> Response:
        return _search_page(await op_view(request, RULE, op), op)

    add_page(app, book, "/ops/{op}/people-search", search_form, RULE)

    async def search(request: Request, op: str) -> Response:
        return _search_page(await op_view(request, SEARCH, op), op)

    add_page(app, book, "/ops/{op}/people-search", search, SEARCH, methods=("POST",))

    async def tracing_list(request: Request, op: str) -> Response:
        return _list_page(await op_view(request, RULE, op), op)

    add_page(app, book, "/ops/{op}/tracing", tracing_list, RULE)

    report_rule = command_rule(REPORT)

    async def report(request: Request, op: str) -> Response:
        v = await op_view(request, report_rule, op)
        tracing = new_id()
        try:
            forms.run(v, REPORT, report_data(v, op, tracing))
        except forms.FormErrors as exc:
            errors = _report_errors(exc.errors)
            if v.wants_json():
                return v.render("", forms.field_errors_json(errors), title="", status=422)
            return _list_page(v, op, 422, errors)
        return v.redirect(f"/ops/{op}/tracing/{tracing}")

    add_page(app, book, "/ops/{op}/tracing", report, report_rule, methods=("POST",))

    async def tracing_one(request: Request, op: str, id: str) -> Response:
        return _one_page(await op_view(request, RULE, op), op, id)

    add_page(app, book, "/ops/{op}/tracing/{id}", tracing_one, RULE)

    reunify_rule = command_rule(REUNIFY)

    async def reunify(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, reunify_rule, op)
        number = v.form.get("number", "")
        data = {
            "id": id,
            "vehicle": v.form.get("vehicle") or None,
            "number": int(number) if number.isdigit() else None,
        }
        try:
            forms.run(v, REUNIFY, {k: x for k, x in data.items() if x is not None})
        except forms.FormErrors as exc:
            if v.wants_json():
                return v.render("", forms.field_errors_json(exc.errors), title="", status=422)
            return _one_page(v, op, id, 422, exc.errors)
        return v.redirect(f"/ops/{op}/tracing/{id}")

    add_page(app, book, "/ops/{op}/tracing/{id}/reunify", reunify, reunify_rule, methods=("POST",))
