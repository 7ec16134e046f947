"""Record anything: a form for every command the viewer's role may run, made from the
command's own model. The specific forms stay the primary path; this one makes sure no
command is without a form.

Simple fields are inputs (enumerations are lists to choose from); a free text is typed as
words and kept in the page's language; a reference to another record (a field declared
with :class:`~mamar.domain.ids.RefersTo`) is picked by name among the records of its kinds
the viewer may see, a list of them in a list of several choices; a list of choices in a
list of several choices. A list of values (a convoy's stops, an incident's alleged
perpetrators, a contact's offers) grows row by row (:mod:`._rows`: "add another" shows the
form again with one more row, no JavaScript needed), each part of a row given as a field of
its own, a reference picked by name; a line's or an area's points likewise, one a row. A
list whose rows a page of its own asks for better (an agreement's terms, a family's
members) is not asked for here: the form names that page and links to it. A value is asked
for part by part (a name in Arabic and in English, a cargo's quantity). Nothing is typed as
JSON: a command with a field of a shape none of these fits (a new kind of value) is a
mistake of ours, refused by :func:`_field` and by the tests, never shown to a person as a
box of brackets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from fastapi import FastAPI, Request
from markupsafe import Markup
from starlette.responses import Response

from mamar.access.door import may_issue
from mamar.access.rules import RuleBook, command_rule
from mamar.domain.ids import REFERS_TO
from mamar.domain.model import Command, commands, generates_id
from mamar.domain.visibility import Role
from mamar.web import forms, i18n
from mamar.web.errors import FORM_MESSAGES
from mamar.web.i18n import N_, ptr
from mamar.web.page import NavItem, PageError, View, add_nav, add_page, op_view, record_href
from mamar.web.pages._commandwords import command_words, field_words
from mamar.web.pages._formkit import (
    GROW,
    F,
    Form,
    Group,
    Item,
    chosen,
    group_errors,
    local_name,
    local_text,
    moment,
    options,
    pair,
    record_options,
    render_form,
    tagged_ref,
    text,
)
from mamar.web.pages._rows import Rows
from mamar.web.pages._valuewords import value_words
from mamar.web.pages._waypoints import point_of, point_words
from mamar.web.render import marked

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


#: The fields of a free text kept with its language (:class:`mamar.domain.text.LocalText`).
_PROSE = {"original", "language", "translations"}
#: The languages of a name typed in Arabic, in English or both.
_LANGUAGES = {"ar", "en"}
#: The input of a reference (one picked), of a list of them (several picked).
_INPUT = {"ref": "select", "refs": "multi"}
#: How the parts of a row may be given (a row holding anything else is not asked for).
_ROW_PARTS = {"ref", "refs", "prose", "select", "text", "datetime"}
#: How the parts of a value may be given: as a row's, or as a value's parts in turn (a
#: cargo's quantity: how many, how sure), down to :data:`_DEPTH` levels.
_PARTS = _ROW_PARTS | {"parts", "pair", "several"}
_DEPTH = 3
#: A line's or an area's points, each typed as latitude,longitude in a row of its own.
_POINT = "point"
_SHAPE = "shape"
#: The words said when a point is not latitude,longitude, or out of range.
_BAD_POINT = {
    "point": N_("Give the point as latitude,longitude, e.g. %(example)s"),
    "range": N_(
        "Latitude goes from %(south)s to %(north)s and longitude from %(west)s to %(east)s, "
        "e.g. %(example)s"
    ),
}
#: The part of a row that is the row's whole value (a list of words, of names).
_WHOLE = "value"
#: Lists a page of their own asks for row by row, better than a general form could (terms
#: of several kinds, a family's people): the page, by its name.
_ELSEWHERE: dict[str, tuple[str, str]] = {
    "terms": ("negotiation", N_("Negotiation")),
    "people": ("manifests", N_("Manifests")),
}


#: The kind of a field none of the ways above fits: :func:`_fields` refuses the command.
_UNASKABLE = "unaskable"


class Unaskable(TypeError):
    """A command's field of a shape the general form has no way to ask for: a new kind of
    value needs its own way here (or a page of its own, :data:`_ELSEWHERE`)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"the general form has no way to ask for {name!r}")


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

    @property
    def rows(self) -> Rows:
        """The rows of a list (``kind`` rows), one per item, its parts named by their key."""
        keys = tuple(p.name for p in self.parts)
        first = {"LineString": 2, "Polygon": 3}.get(self.schema.get(_SHAPE, ""), 1)
        return Rows(self.name, self.name, keys, first=first)


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
    escort's party) is asked for part by part, each part as a field of its own. A value of
    any other shape is :data:`_UNASKABLE` (refused by :func:`_fields`)."""
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
    if schema.get("type") == "array" and "." not in name:
        listed = _listed(name, schema, required, defs)
        if listed is not None:
            return listed
    shape = _shape(schema)
    if shape:  # a line or an area: its points, row by row
        return _Field(
            name,
            "shape",
            {**schema, _SHAPE: shape},
            required,
            (_Field(_POINT, "point", {}, False),),
        )
    if (  # a part's list of words (phone numbers)
        schema.get("type") == "array"
        and "." in name
        and _resolve(schema.get("items", {}), defs).get("type") == "string"
    ):
        return _Field(name, "several", schema, required)
    if props and set(props) <= _LANGUAGES:
        return _Field(name, "pair", schema, required)  # typed in Arabic, in English or both
    if name.count(".") < _DEPTH and props:
        inner = set(schema.get("required", []))
        parts = tuple(
            _field(f"{name}.{key}", _resolve(prop, defs), required and key in inner, defs)
            for key, prop in props.items()
            if key != "vault_ref"  # set by the system when personal data is sealed
        )
        if any(p.kind in _INPUT for p in parts) or all(p.kind in _PARTS for p in parts):
            return _Field(name, "parts", schema, required, parts)
    return _Field(name, _UNASKABLE, schema, required)


def _shape(schema: dict[str, Any]) -> str | None:
    """``LineString``, ``Polygon``: the value is a line (a front line), an area; else None."""
    if schema.get("properties", {}).get("type", {}).get("const") == "LineString":
        return "LineString"
    if "Polygon" in schema.get("discriminator", {}).get("mapping", {}):
        return "Polygon"
    return None


def _listed(
    name: str, schema: dict[str, Any], required: bool, defs: dict[str, Any]
) -> _Field | None:
    """A list given row by row (``rows``: each part of a row a field of its own, named by its
    key; a row that is one value, its one part :data:`_WHOLE`), a list of choices given as
    several choices (``choices``), or one asked for on a page of its own (``elsewhere``);
    None: none of these."""
    item = _resolve(schema.get("items", {}), defs)
    if "enum" in item:
        return _Field(name, "choices", item, required)
    one = _field(_WHOLE, item, True, defs)
    if one.kind in _ROW_PARTS:
        return _Field(name, "rows", schema, required, (one,))
    props = item.get("properties", {})
    if item.get("type") == "object" and props:
        inner = set(item.get("required", []))
        parts = tuple(
            _field(key, _resolve(p, defs), key in inner, defs) for key, p in props.items()
        )
        if all(p.kind in _ROW_PARTS for p in parts):
            return _Field(name, "rows", schema, required, parts)
    if name in _ELSEWHERE:
        return _Field(name, "elsewhere", schema, required)
    return None


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
        field = _field(name, _resolve(prop, defs), name in required, defs)
        unaskable = [f.name for f in _within(field) if f.kind == _UNASKABLE]
        if unaskable:
            raise Unaskable(f"{command.command_name}: {', '.join(unaskable)}")
        out.append(field)
    return out, defs


def _within(field: _Field) -> Iterator[_Field]:
    """The field and its parts, their parts among them."""
    yield field
    for part in field.parts:
        yield from _within(part)


def _agreement_pages(v: View, op: str) -> Markup:
    """Where an agreement's terms are given row by row: the agreement's own page (its
    conclusion, its new version), not the negotiation board. The agreement chosen in the form
    (``id``, also from the address), else each agreement the viewer sees, by its name."""
    picked = v.form.get("id") or v.request.query_params.get("id")
    found = [(k, n) for k, n in options(v, op, "agreement") if not picked or k == picked]
    links = Markup(v.t(", ")).join(
        Markup('<a href="/ops/{}/agreements/{}">{}</a>').format(op, k, marked(n, v.lang))
        for k, n in found
    )
    if not found:
        return Markup("{}").format(v.t("Given row by row on the agreement's own page."))
    return Markup("{} {}").format(v.t("Given row by row on the agreement's own page:"), links)


def _input(
    v: View, op: str, field: _Field, label: str, defs: dict[str, Any], record_kind: str = ""
) -> F:
    name, kind, schema, required = field.name, field.kind, field.schema, field.required
    if kind in _INPUT:  # the records of its kinds the viewer sees, by name
        one = schema if kind == "ref" else _resolve(schema.get("items", {}), defs)
        choices = record_options(v, op, one[REFERS_TO], tagged=_tagged(one, defs))
        return F(name, label, _INPUT[kind], choices, required)
    if kind in ("select", "choices"):
        values = schema.get("enum") or ["true", "false"]
        title = schema.get("title") if "enum" in schema else None
        listed = tuple((str(x), value_words(title, str(x), v.lang)) for x in values)
        return F(name, label, "multi" if kind == "choices" else "select", listed, required)
    if kind == "point":
        return F(name, label, "point", required=required)
    if kind == "several":
        return F(name, label, required=required, hint=v.t("Separate them with commas"))
    if kind == "elsewhere" and name == "terms" and record_kind == "agreement":
        return F(name, label, "note", hint=_agreement_pages(v, op))
    if kind == "elsewhere":  # not asked for here: the page that asks for it, by its name
        path, page = _ELSEWHERE[name]
        hint = Markup('{} <a href="/ops/{}/{}">{}</a>').format(
            v.t("Given row by row on its own page:"), op, path, v.t(page)
        )
        return F(name, label, "note", hint=hint)
    return F(name, label, kind, required=required)  # prose (with its language), text, datetime


def _form(v: View, op: str, command: type[Command]) -> Form:
    fields, defs = _fields(command)
    items: list[Item] = []
    grow: list[tuple[str, str]] = []
    for field in fields:
        label = field_words(field.name, v.lang, command.kind)
        if field.name == "id" and not command.creates:
            # The record acted on: picked by its name among those the viewer sees.
            items.append(F("id", v.t("Record"), "select", options(v, op, command.kind), True))
        elif field.kind == "parts":
            items.append(Group(label, tuple(_part_inputs(v, op, field, "", defs)), name=field.name))
        elif field.kind == "pair":
            both = (v.t("In Arabic"), v.t("In English"))
            items.append(pair(field.name, label, *both, required=field.required))
        elif field.kind in ("rows", "shape"):
            items.extend(_row_groups(v, op, field, label, defs))
            grow.append((field.rows.more, v.t("Add another: %(list)s", list=label)))
        else:
            items.append(_input(v, op, field, label, defs, "" if command.creates else command.kind))
    if grow:  # shown after the form's own button, so that Enter records
        items.append(F(GROW, "", "buttons", tuple(grow)))
    return Form(
        v.t("Record: %(name)s", name=command_words(command.command_name, v.lang)),
        items,
        ptr(v.lang, "button", "Record"),
        intro=v.t(
            "A general form made from the command itself; where a page has its own form, "
            "prefer that one."
        ),
    )


def _part_inputs(v: View, op: str, field: _Field, within: str, defs: dict[str, Any]) -> list[F]:
    """The inputs of a value's parts, a part's own parts among them (labelled "quantity:
    number"; ``within``: the label of the part they are of)."""
    found: list[F] = []
    for part in field.parts:
        label = field_words(part.name.rsplit(".", 1)[1], v.lang)
        if within:
            label = Markup("{}: {}").format(within, label)
        if part.kind == "parts":
            found.extend(_part_inputs(v, op, part, label, defs))
        elif part.kind == "pair":
            found.extend(
                F(f"{part.name}.{lang}", Markup("{} ({})").format(label, v.t(words)))
                for lang, words in (("ar", "In Arabic"), ("en", "In English"))
            )
        else:
            found.append(_input(v, op, part, label, defs))
    return found


def _row_groups(v: View, op: str, field: _Field, label: str, defs: dict[str, Any]) -> list[Group]:
    """A fieldset per row of a list: as many as were sent, one more if asked (see ``_rows``)."""
    rows = field.rows
    return [
        Group(
            f"{label} ({i18n.number(n + 1, v.lang)})",
            tuple(
                _input(
                    v,
                    op,
                    replace(part, name=rows.field(n, part.name), required=False),
                    label if part.name in (_WHOLE, _POINT) else field_words(part.name, v.lang),
                    defs,
                )
                for part in field.parts
            ),
            name=rows.row(n),
            # A list the command requires: its first row is, and the list's own messages
            # (none given, too few points) are said there.
            required=field.required and n == 0,
            need=v.t("Required: at least this row") if field.required and n == 0 else "",
        )
        for n in range(rows.count(v.form, grow=rows.grows(v.form)))
    ]


def _row_values(v: View, field: _Field, defs: dict[str, Any], given_by: dict[str, str]) -> Any:
    """The items of the rows filled in, in order (none: None, the command's default); where
    each was typed is noted in ``given_by`` (the command's ``stops.1`` → the form's row)."""
    rows = field.rows
    at = rows.filled(v.form, rows.count(v.form))
    if field.kind == "shape":
        return _shape_value(v, field, at, given_by)
    items = []
    for n in at:
        parts = {
            p.name: _value(v, replace(p, name=rows.field(n, p.name)), defs) for p in field.parts
        }
        if _WHOLE in parts:
            items.append(parts[_WHOLE])
        else:
            items.append({k: x for k, x in parts.items() if x is not None})
    given_by.update(rows.given_by(at))
    return items or None


def _shape_value(
    v: View, field: _Field, at: list[int], given_by: dict[str, str]
) -> dict[str, Any] | None:
    """A line or an area from its points typed row by row (an area's ring is closed here:
    its first point repeated last); a point not typed as latitude,longitude is refused
    beside its row."""
    rows = field.rows
    points: list[list[float]] = []
    for n in at:
        name = rows.field(n, _POINT)
        point = point_of(v.form.get(name, ""))
        if point is None or not (-90 <= point["lat"] <= 90 and -180 <= point["lon"] <= 180):
            v.field_errors[name] = v.t(
                _BAD_POINT["point" if point is None else "range"], **point_words(v.lang)
            )
            continue
        points.append([point["lon"], point["lat"]])  # GeoJSON: longitude first
    given_by.update({f"{field.name}.coordinates": rows.row(at[0])} if at else {})
    if not points:
        return None
    if field.schema[_SHAPE] == "LineString":
        return {"type": "LineString", "coordinates": points}
    ring = points + ([points[0]] if points[0] != points[-1] else [])
    return {"type": "Polygon", "coordinates": [ring]}


def _value(v: View, field: _Field, defs: dict[str, Any]) -> Any:
    """What was given for ``field`` (None: nothing, the command's default)."""
    name, kind, schema = field.name, field.kind, field.schema
    if kind == "parts":  # the value, from the parts given
        given = {p.name.rsplit(".", 1)[1]: _value(v, p, defs) for p in field.parts}
        parts = {k: x for k, x in given.items() if x is not None}
        # None given: no value, or (one is required) an empty one, whose required parts
        # are then asked for beside their own fields.
        return parts if parts or field.required else None
    if kind == "choices":
        return chosen(v, name) or None
    if kind == "several":
        words = [x.strip() for x in re.split(r"[,،]", v.form.get(name, "")) if x.strip()]
        return words or None
    if kind == "pair":
        return local_name(v, name)
    if kind == "elsewhere":
        return None
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
    if kind == "datetime":
        return moment(v, name)
    return raw


def _data(v: View, op: str, command: type[Command]) -> tuple[dict[str, Any], dict[str, str]]:
    """The command's data, and where its items of lists were typed (the form's rows)."""
    data: dict[str, Any] = {"operation": op} if command.creates else {}
    given_by: dict[str, str] = {}
    fields, defs = _fields(command)
    for field in fields:
        if field.kind in ("rows", "shape"):
            value = _row_values(v, field, defs, given_by)
        else:
            value = _value(v, field, defs)
        if value is not None:
            data[field.name] = value
    return data, given_by


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
        if v.form.get(GROW):  # one more row: the form again, as typed, nothing recorded
            return render_form(v, op, _form(v, op, command))
        data, given_by = _data(v, op, command)
        try:
            recorded = forms.run(v, command_name, data)
        except forms.FormErrors as exc:
            spec = _form(v, op, command)
            errors = group_errors(exc.errors, spec.names(), given_by)
            if v.wants_json():
                return v.render("", forms.field_errors_json(errors), title="", status=422)
            return render_form(v, op, spec, status=422, errors=errors)
        stream = recorded[0].stream if recorded else ""
        # The record's own page when it has one (a vehicle's manifest), else its history.
        return v.redirect(record_href(op, stream) if stream else f"/ops/{op}/record")

    add_page(app, book, "/ops/{op}/record/{command_name}", show, _ANY_WRITER)
    add_page(app, book, "/ops/{op}/record/{command_name}", submit, _ANY_WRITER, methods=("POST",))
