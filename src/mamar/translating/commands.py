"""``<kind>.translate``: a translation of one of a record's texts, by the calling account's
organisation. One implementation for every kind of record that holds free text."""

from __future__ import annotations

from typing import ClassVar

from mamar.domain.errors import DomainError
from mamar.domain.model import (
    FIELD_TEAMS,
    Command,
    Context,
    EntityState,
    aggregates,
    commands,
    decides,
)
from mamar.domain.text import (
    LINE_MAX,
    FreeText,
    Language,
    LocalText,
    Name,
    primary_language,
)
from mamar.domain.visibility import Role
from mamar.journal.registry import EventData
from mamar.translating.events import TextTranslated
from mamar.translating.model import text_fields


class TranslateText(Command):
    """Base of the generated ``<kind>.translate`` commands. ``field`` names the text (the
    record's main one when omitted: see :func:`~mamar.translating.model.text_fields`)."""

    roles: ClassVar[frozenset[Role]] = FIELD_TEAMS

    field: Name | None = None
    text: FreeText
    language: Language


def translate(state: EntityState, cmd: TranslateText, ctx: Context) -> list[EventData]:
    fields = text_fields(type(state))
    field = cmd.field if cmd.field is not None else fields[0]
    if field not in fields:
        raise DomainError("no_such_text", "this record has no such text", field="field")
    original: LocalText | None = getattr(state, field)
    if original is None or not original.original:
        raise DomainError("nothing_to_translate", "this text is empty", field="field")
    if not cmd.text:
        raise DomainError("empty", "the translation is empty", field="text")
    if original.one_line and ("\n" in cmd.text or len(cmd.text) > LINE_MAX):
        raise DomainError(
            "translation_one_line",
            f"this text is one line: its translation is one line too, of at most {LINE_MAX} "
            "characters",
            field="text",
        )
    if primary_language(cmd.language) == primary_language(original.language):
        raise DomainError(
            "same_language", "the translation is in the original's language", field="language"
        )
    organisation = ctx.actor.organisation
    if any(
        t.text == cmd.text and t.language == cmd.language and t.translated_by == organisation
        for t in original.translations
    ):
        raise DomainError("unchanged", "this translation is already recorded", field="text")
    return [
        TextTranslated(
            field=field, text=cmd.text, language=cmd.language, translated_by=organisation
        )
    ]


def translatable_kinds() -> dict[str, tuple[str, ...]]:
    """Every record kind with free text, and its texts."""
    found = {kind: text_fields(spec.state_type) for kind, spec in aggregates().items()}
    return {kind: fields for kind, fields in sorted(found.items()) if fields}


def register_translate_commands() -> None:
    """One ``<kind>.translate`` command for every record kind with free text."""
    known = commands()
    for kind in translatable_kinds():
        name = f"{kind}.translate"
        if name in known:
            continue
        command = type(
            f"Translate{kind.title().replace('_', '')}",
            (TranslateText,),
            {
                "__module__": __name__,
                "__annotations__": {},
                "command_name": name,
                "kind": kind,
                "__doc__": f"Add a translation of a {kind}'s text, by your organisation.",
            },
        )
        decides(command)(translate)
