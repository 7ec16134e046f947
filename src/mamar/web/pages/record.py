"""Record anything: a form for every command the viewer's role may run, made from the
command's own model. The specific forms stay the primary path; this one makes sure no
command is without a form.

Simple fields are inputs (enumerations are lists to choose from); a free text is typed as
words and kept in the page's language; other nested values and lists
are JSON, with an example made from the command's schema.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from markupsafe import Markup
from starlette.responses import Response

from mamar.access.door import may_issue
from mamar.access.rules import RuleBook, command_rule
from mamar.domain.model import Command, commands, generates_id
from mamar.domain.visibility import Role
from mamar.web import forms
from mamar.web.errors import FORM_MESSAGES
from mamar.web.i18n import N_
from mamar.web.page import NavItem, PageError, View, add_nav, add_page, op_view
from mamar.web.pages._commandwords import command_words, field_words
from mamar.web.pages._formkit import (
    F,
    Form,
    Item,
    group_errors,
    local_text,
    moment,
    options,
    render_form,
    text,
)
from mamar.web.pages._valuewords import value_words

add_nav(
    NavItem("record", N_("Record"), "record", roles=frozenset(Role) - {Role.OBSERVER}, order=90)
)

_ANY_WRITER = command_rule(*commands())
_SIMPLE = {"string", "integer", "number", "boolean"}


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The field's own schema: references followed, ``X | None`` reduced to ``X``."""
    while True:
        if "$ref" in schema:
            schema = {
                **defs[schema["$ref"].rsplit("/", 1)[-1]],
                **{k: x for k, x in schema.items() if k != "$ref"},
            }
            continue
        options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
        if len(options) == 1:
            schema = {**options[0], **{k: x for k, x in schema.items() if k != "anyOf"}}
            continue
        return schema


def example(schema: dict[str, Any], defs: dict[str, Any], depth: int = 0) -> Any:
    """A small valid-looking value for ``schema`` (shown next to a JSON field)."""
    schema = _resolve(schema, defs)
    if depth > 4:
        return None
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return example(schema[key][0], defs, depth + 1)
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        wanted = schema.get("required") or list(props)[:2]
        return {name: example(props[name], defs, depth + 1) for name in wanted if name in props}
    if kind == "array":
        items = schema.get("prefixItems") or [schema.get("items", {"type": "string"})]
        return [example(items[0], defs, depth + 1)]
    if kind == "integer":
        return 1
    if kind == "number":
        return 36.2
    if kind == "boolean":
        return False
    if schema.get("format") == "date-time":
        return "2016-12-15T05:00:00+02:00"
    if "pattern" in schema and "a-z0-9" in schema["pattern"]:
        return "some-id"
    return "…"


#: The fields of a free text kept with its language (:class:`mamar.domain.text.LocalText`).
_PROSE = {"original", "language", "translations"}


def _field_kind(schema: dict[str, Any]) -> str:
    if set(schema.get("properties", {})) >= _PROSE:
        return "prose"  # typed as words, recorded in the page's language
    if "enum" in schema or schema.get("type") == "boolean":
        return "select"
    if schema.get("type") in _SIMPLE:
        return "datetime" if schema.get("format") == "date-time" else "text"
    return "json"


def _fields(v: View, command: type[Command]) -> list[tuple[str, str, dict[str, Any], bool]]:
    """(name, kind, schema, required) for each field the form asks for."""
    schema = command.model_json_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema.get("properties", {}).items():
        if command.creates and (name == "operation" or (name == "id" and generates_id(command))):
            continue  # the operation is the page's; a new record's id is generated
        resolved = _resolve(prop, defs)
        out.append((name, _field_kind(resolved), resolved, name in required))
    return out


def _form(v: View, op: str, command: type[Command]) -> Form:
    defs = command.model_json_schema().get("$defs", {})
    items: list[Item] = []
    for name, kind, schema, required in _fields(v, command):
        label = field_words(name, v.lang)
        if name == "id" and not command.creates:
            # The record acted on: picked by its name among those the viewer sees.
            items.append(F("id", v.t("Record"), "select", options(v, op, command.kind), True))
        elif kind == "select":
            values = schema.get("enum") or ["true", "false"]
            title = schema.get("title") if "enum" in schema else None
            choices = tuple((str(x), value_words(title, str(x), v.lang)) for x in values)
            items.append(F(name, label, "select", choices, required))
        elif kind == "prose":  # with the language it is written in beside it
            items.append(F(name, label, "prose", required=required))
        elif kind == "json":
            shown = json.dumps(example(schema, defs), ensure_ascii=False)
            hint = Markup('{} <code lang="en" dir="ltr">{}</code>').format(
                v.t("Structured text (JSON), e.g."), shown
            )
            items.append(F(name, label, "textarea", required=required, hint=hint))
        else:
            items.append(F(name, label, kind, required=required))
    return Form(
        v.t("Record: %(name)s", name=command_words(command.command_name, v.lang)),
        items,
        v.t("Record"),
        intro=v.t(
            "A general form made from the command itself; where a page has its own form, "
            "prefer that one."
        ),
    )


def _data(v: View, op: str, command: type[Command]) -> dict[str, Any]:
    data: dict[str, Any] = {"operation": op} if command.creates else {}
    for name, kind, _schema, _required in _fields(v, command):
        raw = text(v, name)
        if raw is None:
            continue
        if kind == "prose":
            data[name] = local_text(v, name)
        elif kind == "json":
            try:
                data[name] = json.loads(raw)
            except ValueError:  # said with every other problem of the form
                v.field_errors[name] = v.t("This is not valid JSON; see the example")
        elif kind == "datetime":
            data[name] = moment(v, name)
        else:
            data[name] = raw
    return data


def _command(v: View, name: str) -> type[Command]:
    found = commands().get(name)
    if found is None:
        raise PageError(404, "not_found")
    if not may_issue(v.principal, found):
        raise PageError(403, "forbidden")
    return found


def add_routes(app: FastAPI, book: RuleBook) -> None:
    async def index(request: Request, op: str) -> Response:
        v = await op_view(request, _ANY_WRITER, op)
        names = sorted(n for n, c in commands().items() if may_issue(v.principal, c))
        data = {"commands": [{"name": n, "href": f"/ops/{op}/record/{n}"} for n in names]}
        rows = sorted(
            (
                {
                    "href": x["href"],
                    "title": command_words(x["name"], v.lang),
                    "status": None,
                    "detail": "",
                }
                for x in data["commands"]
            ),
            key=lambda row: str(row["title"]),
        )
        return v.render("records.html", data, title=v.t("Record"), rows=rows, actions=[])

    add_page(app, book, "/ops/{op}/record", index, _ANY_WRITER)

    async def show(request: Request, op: str, command_name: str) -> Response:
        v = await op_view(request, _ANY_WRITER, op)
        return render_form(v, op, _form(v, op, _command(v, command_name)))

    async def submit(request: Request, op: str, command_name: str) -> Response:
        v = await op_view(request, _ANY_WRITER, op)
        found = commands().get(command_name)
        if found is not None and not may_issue(v.principal, found) and not v.wants_json():
            # The form again, as typed, with the reason (not a bare error page).
            errors = {forms.GENERAL: v.t(FORM_MESSAGES["forbidden"])}
            return render_form(v, op, _form(v, op, found), status=403, errors=errors)
        command = _command(v, command_name)
        try:
            recorded = forms.run(v, command_name, _data(v, op, command))
        except forms.FormErrors as exc:
            spec = _form(v, op, command)
            errors = group_errors(exc.errors, spec.names())
            if v.wants_json():
                return v.render("", forms.field_errors_json(errors), title="", status=422)
            return render_form(v, op, spec, status=422, errors=errors)
        stream = recorded[0].stream if recorded else ""
        return v.redirect(f"/ops/{op}/timeline?entity={stream}" if stream else f"/ops/{op}/record")

    add_page(app, book, "/ops/{op}/record/{command_name}", show, _ANY_WRITER)
    add_page(app, book, "/ops/{op}/record/{command_name}", submit, _ANY_WRITER, methods=("POST",))
