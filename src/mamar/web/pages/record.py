"""Record anything: a form for every command the viewer's role may run, made from the
command's own model. The specific forms stay the primary path; this one makes sure no
command is without a form.

Simple fields are inputs (enumerations are lists to choose from); a free text is typed as
words and kept in the page's language; a reference to another record (a field declared
with :class:`~mamar.domain.ids.RefersTo`) is picked by name among the records of its kinds
the viewer may see, a list of them in a list of several choices; other nested values and
lists are JSON, with an example made from the command's schema.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from markupsafe import Markup
from starlette.responses import Response

from mamar.access.door import may_issue
from mamar.access.rules import RuleBook, command_rule
from mamar.domain.ids import REFERS_TO
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
    Group,
    Item,
    chosen,
    group_errors,
    local_text,
    moment,
    options,
    record_options,
    render_form,
    tagged_ref,
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
#: The input of a reference (one picked), of a list of them (several picked).
_INPUT = {"ref": "select", "refs": "multi"}


@dataclass(frozen=True)
class _Field:
    """A field the form asks for: ``name`` (``escort.party`` for a part of a value), how it
    is given (``kind``), its schema (references followed), whether it is required, and the
    parts of a value given part by part (``parts``, when ``kind`` is ``parts``)."""

    name: str
    kind: str
    schema: dict[str, Any]
    required: bool
    parts: tuple[_Field, ...] = ()


def _tagged(schema: dict[str, Any], defs: dict[str, Any]) -> bool:
    """The reference is a value naming its kind (``{"kind": "party", "id": …}``)."""
    return _resolve(schema, defs).get("type") == "object"


def _refers(schema: dict[str, Any], defs: dict[str, Any]) -> str | None:
    """``ref``: the value names a record; ``refs``: a list of them; None: neither."""
    if REFERS_TO in schema:
        return "ref"
    if schema.get("type") == "array" and REFERS_TO in _resolve(schema.get("items", {}), defs):
        return "refs"
    return None


def _field(name: str, schema: dict[str, Any], required: bool, defs: dict[str, Any]) -> _Field:
    """How the form asks for a field: a reference is picked by name (one, or several); a
    free text is typed as words; a choice is a list; a value holding references (an
    escort's party) is asked for part by part, each part as a field of its own; other
    nested values are JSON."""
    refers = _refers(schema, defs)
    if refers:
        return _Field(name, refers, schema, required)
    props = schema.get("properties", {})
    if set(props) >= _PROSE:
        return _Field(name, "prose", schema, required)  # typed as words, in its language
    if "enum" in schema or schema.get("type") == "boolean":
        return _Field(name, "select", schema, required)
    if schema.get("type") in _SIMPLE:
        kind = "datetime" if schema.get("format") == "date-time" else "text"
        return _Field(name, kind, schema, required)
    if "." not in name and any(_refers(_resolve(p, defs), defs) for p in props.values()):
        inner = set(schema.get("required", []))
        parts = tuple(
            _field(f"{name}.{key}", _resolve(prop, defs), required and key in inner, defs)
            for key, prop in props.items()
        )
        return _Field(name, "parts", schema, required, parts)
    return _Field(name, "json", schema, required)


def _fields(command: type[Command]) -> tuple[list[_Field], dict[str, Any]]:
    """The fields the form asks for, and the definitions their schemas refer to."""
    schema = command.model_json_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema.get("properties", {}).items():
        if command.creates and (name == "operation" or (name == "id" and generates_id(command))):
            continue  # the operation is the page's; a new record's id is generated
        if name == "vault_ref":
            continue  # set by the system when personal data is sealed: never typed
        out.append(_field(name, _resolve(prop, defs), name in required, defs))
    return out, defs


def _input(v: View, op: str, field: _Field, label: str, defs: dict[str, Any]) -> F:
    name, kind, schema, required = field.name, field.kind, field.schema, field.required
    if kind in _INPUT:  # the records of its kinds the viewer sees, by name
        one = schema if kind == "ref" else _resolve(schema.get("items", {}), defs)
        choices = record_options(v, op, one[REFERS_TO], tagged=_tagged(one, defs))
        return F(name, label, _INPUT[kind], choices, required)
    if kind == "select":
        values = schema.get("enum") or ["true", "false"]
        title = schema.get("title") if "enum" in schema else None
        listed = tuple((str(x), value_words(title, str(x), v.lang)) for x in values)
        return F(name, label, "select", listed, required)
    if kind == "json":
        shown = json.dumps(example(schema, defs), ensure_ascii=False)
        hint = Markup('{} <code lang="en" dir="ltr">{}</code>').format(
            v.t("Structured text (JSON), e.g."), shown
        )
        return F(name, label, "textarea", required=required, hint=hint)
    return F(name, label, kind, required=required)  # prose (with its language), text, datetime


def _form(v: View, op: str, command: type[Command]) -> Form:
    fields, defs = _fields(command)
    items: list[Item] = []
    for field in fields:
        label = field_words(field.name, v.lang)
        if field.name == "id" and not command.creates:
            # The record acted on: picked by its name among those the viewer sees.
            items.append(F("id", v.t("Record"), "select", options(v, op, command.kind), True))
        elif field.kind == "parts":
            parts = tuple(
                _input(v, op, part, field_words(part.name.rsplit(".", 1)[1], v.lang), defs)
                for part in field.parts
            )
            items.append(Group(label, parts, name=field.name))
        else:
            items.append(_input(v, op, field, label, defs))
    return Form(
        v.t("Record: %(name)s", name=command_words(command.command_name, v.lang)),
        items,
        v.t("Record"),
        intro=v.t(
            "A general form made from the command itself; where a page has its own form, "
            "prefer that one."
        ),
    )


def _value(v: View, field: _Field, defs: dict[str, Any]) -> Any:
    """What was given for ``field`` (None: nothing, the command's default)."""
    name, kind, schema = field.name, field.kind, field.schema
    if kind == "parts":  # the value, from the parts given
        given = {p.name.rsplit(".", 1)[1]: _value(v, p, defs) for p in field.parts}
        parts = {k: x for k, x in given.items() if x is not None}
        # None given: no value, or (one is required) an empty one, whose required parts
        # are then asked for beside their own fields.
        return parts if parts or field.required else None
    if kind == "refs":  # every one picked; none: the command's default
        picked = chosen(v, name)
        if not picked:
            return None
        item = _resolve(schema.get("items", {}), defs)
        return [tagged_ref(x) for x in picked] if _tagged(item, defs) else picked
    raw = text(v, name)
    if raw is None:
        return None
    if kind == "prose":
        return local_text(v, name)
    if kind == "ref":
        return tagged_ref(raw) if _tagged(schema, defs) else raw
    if kind == "json":
        try:
            return json.loads(raw)
        except ValueError:  # said with every other problem of the form
            v.field_errors[name] = v.t("This is not valid JSON; see the example")
            return None
    if kind == "datetime":
        return moment(v, name)
    return raw


def _data(v: View, op: str, command: type[Command]) -> dict[str, Any]:
    data: dict[str, Any] = {"operation": op} if command.creates else {}
    fields, defs = _fields(command)
    for field in fields:
        value = _value(v, field, defs)
        if value is not None:
            data[field.name] = value
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
