"""Adding a translation of a record's text (``<kind>.translate``): one form and one page for
every kind of record with free text, reached from the record's own page."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from mamar.access.rules import RuleBook, command_rule
from mamar.domain.text import primary_language
from mamar.i18n.labels import field_label
from mamar.translating.commands import translatable_kinds
from mamar.web import forms, i18n
from mamar.web.languages import language_options
from mamar.web.page import View, add_page, op_view
from mamar.web.pages._shared import entity, may
from mamar.web.render import called

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
    "task": "tasks",
}


def texts_of(v: View, kind: str, record: dict[str, Any]) -> list[tuple[str, str]]:
    """The record's texts that can be translated and hold words, as (field, its name in
    words in the page's language), the main one first."""
    return [
        (name, field_label(name, v.lang) or v.t("Text"))
        for name in translatable_kinds().get(kind, ())
        if isinstance(record.get(name), dict) and record[name].get("original")
    ]


def translate_form(v: View, kind: str, record: dict[str, Any]) -> dict[str, Any] | None:
    """What a record's page needs to offer "Add a translation" (None: the viewer may not)."""
    texts = texts_of(v, kind, record)
    if not texts or not may(v, f"{kind}.translate"):
        return None
    named = [name for name, _label in texts]
    # As sent (a refused form), else as asked (a link to one of the texts), else the main one.
    asked = v.form.get(FIELD) or v.request.query_params.get("field")
    field = asked if asked in named else named[0]
    return {
        "action": translate_path(str(record.get("operation")), kind, str(record["id"])),
        "field": field,
        "fields": texts,
        "languages": language_options(v.lang),
        # As sent (even left unchosen); at first the page's language, unless the text is
        # already in it.
        "chosen": v.form[LANGUAGE] if LANGUAGE in v.form else _first_wanted(v, record[field]),
    }


def _first_wanted(v: View, text: dict[str, Any]) -> str:
    if primary_language(str(text.get("language") or "")) == v.lang:
        return i18n.other(v.lang)
    return v.lang


def _render(
    v: View, op: str, kind: str, id: str, status: int = 200, errors: dict[str, str] | None = None
) -> Response:
    record = entity(v, kind, id)
    texts = [
        {"name": name, "label": label, "text": record[name]}
        for name, label in texts_of(v, kind, record)
    ]
    return v.render(
        "translate.html",
        {"kind": kind, "record": record, "texts": texts},
        title=v.t("Add a translation: %(what)s", what=called(record, v.lang)),
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
            "field": v.form.get(FIELD) or None,
            "text": v.form.get(TEXT, "").strip(),
            "language": v.form.get(LANGUAGE, "").strip(),
        }
        try:
            forms.run(v, command, {k: x for k, x in data.items() if x}, required=(TEXT, LANGUAGE))
        except forms.FormErrors as exc:
            named = {"text": TEXT, "language": LANGUAGE, "field": FIELD}
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
