"""Adversarial: text cannot lie about its direction, hide characters or carry corrupt halves.

Every free text a caller gives (names, phrases, descriptions, translations and their
languages, notes, reasons) goes through ``mamar.domain.text``; a refusal is a 422 naming
the field, in the caller's language, and records nothing.
"""

from __future__ import annotations

import json
import types
import typing
from typing import Any

import pytest
from pydantic import BaseModel

from mamar.domain.model import commands
from mamar.domain.text import REFUSED_RANGES
from mamar.domain.time import OccurredAt
from mamar.domain.visibility import Role
from mamar.journal.registry import decode
from mamar.system import Mamar
from tests.api_support import Api, created, make_api, post, record, username

# The checks a string a caller gives may go through: the text type, an id or a kind
# (``domain.ids``), or a closed format of its own (a SHA-256, an IANA time zone).
_STRING_CHECKS = {
    ("mamar.domain.text", "_line"),
    ("mamar.domain.text", "_free_text"),
    ("mamar.domain.text", "_language"),
    ("mamar.domain.ids", "_reference"),
    ("mamar.domain.ids", "_kind"),
    ("mamar.incidents.events", "_sha256"),
    ("mamar.operations.model", "_zone"),
}
# Set by the services, refused from callers (test_vault_sealing).
_SYSTEM_SET = {
    "person.register.vault_ref",
    "tracing.report.sought.vault_ref",
    "tracing.report.relative.vault_ref",
    "vehicle.list_group.people[].vault_ref",
}


def _strings(annotation: Any, metadata: list[Any], path: str) -> typing.Iterator[tuple[str, list]]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *more = typing.get_args(annotation)
        yield from _strings(base, metadata + more, path)
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _strings(arg, metadata, path)
    elif origin in (tuple, list, set, frozenset):
        for arg in typing.get_args(annotation):
            if arg is not Ellipsis:
                yield from _strings(arg, metadata, path + "[]")
    elif origin is dict:
        key, value = typing.get_args(annotation)
        yield from _strings(key, metadata, path + "{key}")
        yield from _strings(value, metadata, path + "{}")
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            yield from _strings(info.annotation, list(info.metadata), f"{path}.{name}")
    elif annotation is str:
        yield path, metadata


def _checked(metadata: list[Any]) -> bool:
    for item in metadata:
        if getattr(item, "pattern", None):
            return True
        func = getattr(item, "func", None)
        if func is not None and (func.__module__, func.__name__) in _STRING_CHECKS:
            return True
    return False


def test_every_string_a_caller_gives_is_checked() -> None:
    unchecked = [
        path
        for name, cmd in sorted(commands().items())
        for model, prefix in ((cmd, name), (OccurredAt, "occurred"))
        for path, metadata in _strings(model, [], prefix)
        if path not in _SYSTEM_SET and not _checked(metadata)
    ]
    assert unchecked == []


def _refused_characters() -> list[str]:
    chars = []
    for first, last in REFUSED_RANGES:
        chars.extend(dict.fromkeys((chr(first), chr(last))))
    return chars


def test_the_issue_list_of_characters_is_refused() -> None:
    named = [0x061C, *range(0x200B, 0x2010), *range(0x202A, 0x202F), 0x2028, 0x2029]
    named += [*range(0x2060, 0x2065), *range(0x2066, 0x206A), 0x00AD, 0x180E, 0xFEFF]
    named += [0xE0000, 0xE0041, 0xE007F, 0x115F, 0x1160, 0x3164, 0xFFA0]
    covered = {c for first, last in REFUSED_RANGES for c in range(first, last + 1)}
    assert set(named) <= covered


@pytest.fixture
def api(sqlite_system: Mamar) -> Api:
    api = make_api(sqlite_system)
    record(api, "/api/v1/operation/open", {"id": "op", "name": {"en": "Op"}, "timezone": "UTC"})
    return api


def _refused(
    api: Api,
    path: str,
    body: dict[str, Any],
    field: str,
    lang: str = "en",
    role: Role = Role.COORDINATOR,
) -> str:
    before = api.journal_size()
    # json.dumps escapes every non-ASCII character, so a lone surrogate travels as \ud800.
    headers = {**api.headers(role, lang=lang), "Content-Type": "application/json"}
    response = api.client.post(path, content=json.dumps(body).encode(), headers=headers)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field
    assert api.journal_size() == before
    message: str = error["message"]
    return message


@pytest.mark.parametrize("char", _refused_characters(), ids=lambda c: f"U+{ord(c):04X}")
def test_occurred_phrase_refuses_each_hidden_character(api: Api, char: str) -> None:
    body = {
        "operation": "op",
        "name": {"en": "Batch"},
        "occurred": {"at": "2016-12-15T12:00+02:00", "phrase": f"after{char} sunset"},
    }
    message = _refused(api, "/api/v1/convoy/plan", body, "occurred.phrase")
    assert f"U+{ord(char):04X}" in message


FIELDS: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "name",
        "/api/v1/convoy/plan",
        {"operation": "op", "name": {"ar": "قافلة\u202e"}},
        "name.ar",
    ),
    (
        "translation language",
        "/api/v1/note/add",
        {
            "operation": "op",
            "text": {"original": "ok", "translations": [{"text": "ok", "language": "en\u2066"}]},
        },
        "text.translations.0.language",
    ),
    (
        "note",
        "/api/v1/note/add",
        {"operation": "op", "text": {"original": "a\u200bb", "language": "en"}},
        "text.original",
    ),
    (
        "reference",
        "/api/v1/convoy/plan",
        {"operation": "op", "name": {"en": "B"}, "origin": "x\u202ey"},
        "origin",
    ),
    (
        "lone surrogate",
        "/api/v1/convoy/plan",
        {"operation": "op", "name": {"en": "B\ud800"}},
        "name.en",
    ),
]


@pytest.mark.parametrize(("case", "path", "body", "field"), FIELDS, ids=[f[0] for f in FIELDS])
def test_free_text_fields_refuse_hidden_characters_in_arabic(
    api: Api, case: str, path: str, body: dict[str, Any], field: str
) -> None:
    message = _refused(api, path, body, field, lang="ar")
    assert any("\u0600" <= ch <= "\u06ff" for ch in message)
    assert not any(word in message for word in ("contains", "character", "remove"))


def test_a_reason_is_checked(api: Api) -> None:
    path = f"/api/v1/account/{username(Role.OBSERVER)}/disable"
    # A reason is a text with its language: its words are its original.
    body = {"reason": "left\u202dthe team"}
    message = _refused(api, path, body, "reason.original", role=Role.ADMIN)
    assert "U+202D" in message


def test_arabic_text_is_accepted_whole(api: Api) -> None:
    arabic = "قَافِلةُ الجرحى الأولى، «حيّ السكّري» — ١٢٣ ؟ ـــ"
    convoy = created(post(api, "/api/v1/convoy/plan", {"operation": "op", "name": {"ar": arabic}}))
    response = api.client.get(f"/api/v1/convoy/{convoy}", headers=api.headers(Role.COORDINATOR))
    assert arabic in response.content.decode()


def test_text_recorded_before_the_stricter_rule_still_replays() -> None:
    # A soft hyphen and an Arabic letter mark were accepted before; recorded events keep reading.
    data = {"name": {"ar": "حي\u00adالسكري\u061c"}, "counts": {}}
    event: Any = decode("convoy.planned", 1, data)
    assert event.name.ar == "حي\u00adالسكري\u061c"
