"""Adding a translation of a record's text (``<kind>.translate``): one form and one page for
every kind of record with free text, reached from the record's own page."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.access.rules import RuleBook, command_rule
from mamar.domain.model import EntityState, aggregates
from mamar.domain.text import as_text, primary_language
from mamar.i18n.labels import field_label
from mamar.translating.commands import translatable_kinds
from mamar.translating.model import item_fields, list_parts, text_fields, value_fields
from mamar.web import forms, i18n
from mamar.web.languages import ARABIC_IN_LATIN, language_options, usual_languages
from mamar.web.page import View, add_page, op_view
from mamar.web.pages._shared import called_as, entity, may

#: The form's fields, named apart from the other forms on a record's page.
TEXT, LANGUAGE, FIELD = "translation.text", "translation.language", "translation.field"
#: The record pages a translation returns to, by kind (other kinds: this page).
_PAGES = {
    "agreement": "agreements",
    "convoy": "convoys",
    "escalation": "escalations",
    "guarantee": "guarantees",
    "incident": "incidents",
    "notification": "notifications",
    "route": "routes",
    "task": "tasks",
}


def _state_type(kind: str) -> type[EntityState]:
    return aggregates()[kind].state_type


def _text_fields(kind: str) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    state_type = _state_type(kind)
    return text_fields(state_type), item_fields(state_type)


def _words(value: Any) -> dict[str, Any] | None:
    """A text as the page reads it (plain words of an early journal are a text too)."""
    text = as_text(value) if isinstance(value, str) else value
    return text if isinstance(text, dict) and text.get("original") else None


def texts_in(v: View, kind: str, record: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """The record's texts that can be translated and hold words, as (where it is, its name in
    words in the page's language, the text), the main one first, then each item of its
    lists of texts. Where a text is: its field, ``field.part`` for a text of a value (an
    incident's source, its words), and in a list ``field.item`` (from 0),
    ``field.item.part`` for a text of an item of a list (an approval's note), or
    ``field.item.part.part_item`` for a list in an item of a list (a rejection's reasons)."""
    fields, lists = _text_fields(kind)
    listed = list_parts(_state_type(kind))
    found = [
        (name, field_label(name, v.lang) or v.t("Text"), text)
        for name in fields
        if (text := _words(record.get(name))) is not None
    ]
    for name, parts in value_fields(_state_type(kind)).items():
        held = record.get(name)
        for part in parts:
            if (text := _words(held.get(part) if isinstance(held, dict) else None)) is not None:
                label = v.t(
                    "%(value)s — %(part)s",
                    value=field_label(name, v.lang) or v.t("Text"),
                    part=field_label(part, v.lang) or v.t("Text"),
                )
                found.append((f"{name}.{part}", label, text))
    for name, parts in lists.items():
        named = field_label(name, v.lang) or v.t("Text")
        for i, value in enumerate(record.get(name) or ()):
            number = i18n.number(i + 1, v.lang)
            if not parts:
                if (text := _words(value)) is not None:
                    label = v.t("%(list)s, item %(number)s", list=named, number=number)
                    found.append((f"{name}.{i}", label, text))
                continue
            for part in parts:
                inner = value.get(part) if isinstance(value, dict) else None
                if part not in listed[name]:  # one text of the item (an approval's note)
                    if (text := _words(inner)) is not None:
                        label = v.t(
                            "%(list)s %(number)s — %(part)s",
                            list=named,
                            number=number,
                            part=field_label(part, v.lang) or v.t("Text"),
                        )
                        found.append((f"{name}.{i}.{part}", label, text))
                    continue
                for j, each in enumerate(inner or ()):
                    if (text := _words(each)) is None:
                        continue
                    label = v.t(
                        "%(list)s %(number)s — %(part)s, item %(part_number)s",
                        list=named,
                        number=number,
                        part=field_label(part, v.lang) or v.t("Text"),
                        part_number=i18n.number(j + 1, v.lang),
                    )
                    found.append((f"{name}.{i}.{part}.{j}", label, text))
    return found


def texts_of(v: View, kind: str, record: dict[str, Any]) -> list[tuple[str, str]]:
    """The record's texts that can be translated and hold words, as (where it is, its name
    in words in the page's language): see :func:`texts_in`."""
    return [(where, label) for where, label, _text in texts_in(v, kind, record)]


def address(where: str) -> dict[str, Any]:
    """The command's fields naming the text at ``where`` (see :func:`texts_in`); what is not
    a number where one is expected is passed on as it is, for the command to refuse."""
    names = ("field", "item", "part", "part_item")
    said = where.split(".", 3)
    if len(said) == 2 and not said[1].isdigit():  # a text of a value: ``field.part``
        return {"field": said[0], "part": said[1]}
    given: dict[str, Any] = dict(zip(names, said, strict=False))
    for name in ("item", "part_item"):
        if name in given and given[name].isdigit():
            given[name] = int(given[name])
    return given


def translate_form(v: View, kind: str, record: dict[str, Any]) -> dict[str, Any] | None:
    """What a record's page needs to offer "Add a translation" (None: the viewer may not)."""
    found = texts_in(v, kind, record)
    if not found or not may(v, f"{kind}.translate"):
        return None
    texts = {where: text for where, _label, text in found}
    # As sent (a refused form), else as asked (a link to one of the texts), else the main one.
    asked = v.form.get(FIELD) or v.request.query_params.get("field")
    field = asked if asked in texts else found[0][0]
    return {
        "action": translate_path(str(record.get("operation")), kind, str(record["id"])),
        "field": field,
        "fields": [(where, label) for where, label, _text in found],
        "languages": translation_languages(v),
        # As sent (even left unchosen); at first the page's language, unless the text is
        # already in it.
        "chosen": v.form[LANGUAGE] if LANGUAGE in v.form else _first_wanted(v, texts[field]),
    }


def translation_languages(v: View) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """The languages a translation may be in, as two groups: the usual ones (the page's,
    the interface's other, the other official languages of the United Nations) first,
    then every other language CLDR names, each once."""
    usual = tuple((code, name) for code, name in usual_languages(v.lang) if code != ARABIC_IN_LATIN)
    known = dict(usual)
    rest = tuple(item for item in language_options(v.lang) if item[0] not in known)
    return [(v.t("Usual languages"), usual), (v.t("Every language"), rest)]


def _first_wanted(v: View, text: dict[str, Any]) -> str:
    if primary_language(str(text.get("language") or "")) == v.lang:
        return i18n.other(v.lang)
    return v.lang


def _render(
    v: View, op: str, kind: str, id: str, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    record = entity(v, kind, id)
    texts = [
        {"name": where, "label": label, "text": text}
        for where, label, text in texts_in(v, kind, record)
    ]
    return v.render(
        "translate.html",
        {"kind": kind, "record": record, "texts": texts},
        title=v.t("Add a translation: %(what)s", what=called_as(v, kind, record)),
        status=status,
        errors=errors,
        translation=translate_form(v, kind, record),
        back=_back(op, kind, id),
    )


def translate_path(op: str, kind: str, id: str) -> str:
    """Where a record's translation form is (beside the record's own page, if it has one)."""
    return f"/ops/{op}/{kind}s/{id}/translate"


def add_routes(app: FastAPI, book: RuleBook) -> None:
    for kind in translatable_kinds():
        _add_kind(app, book, kind)


def _add_kind(app: FastAPI, book: RuleBook, kind: str) -> None:
    command = f"{kind}.translate"
    rule = command_rule(command)

    async def page(request: Request, op: str, id: str) -> Response:
        return _render(await op_view(request, rule, op), op, kind, id)

    async def submit(request: Request, op: str, id: str) -> Response:
        v = await op_view(request, rule, op)
        entity(v, kind, id)  # a record the viewer may not see is not found, as on its page
        data = {
            "id": id,
            **address(v.form.get(FIELD) or ""),
            "text": v.form.get(TEXT, "").strip(),
            "language": v.form.get(LANGUAGE, "").strip(),
        }
        try:
            given = {k: x for k, x in data.items() if x or x == 0}
            forms.run(v, command, given, required=(TEXT, LANGUAGE))
        except forms.FormErrors as exc:
            # Which text: one choice on the form, whichever part of it was refused.
            named = {
                "text": TEXT,
                "language": LANGUAGE,
                "field": FIELD,
                "item": FIELD,
                "part": FIELD,
                "part_item": FIELD,
            }
            errors = {named.get(k, k): message for k, message in exc.errors.items()}
            if v.wants_json():
                return v.render("", forms.field_errors_json(errors), title="", status=422)
            return _render(v, op, kind, id, 422, errors)
        return v.redirect(_back(op, kind, id) or translate_path(op, kind, id))

    path = translate_path("{op}", kind, "{id}")
    add_page(app, book, path, page, rule)
    add_page(app, book, path, submit, rule, methods=("POST",))


def _back(op: str, kind: str, id: str) -> str | None:
    """The record's own page, if it has one."""
    return f"/ops/{op}/{_PAGES[kind]}/{id}" if kind in _PAGES else None
