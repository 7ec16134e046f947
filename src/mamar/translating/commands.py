"""``<kind>.translate``: a translation of one of a record's texts, by the calling account's
organisation. One implementation for every kind of record that holds free text."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

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
from mamar.translating.model import item_fields, list_parts, text_fields, value_fields


class TranslateText(Command):
    """Base of the generated ``<kind>.translate`` commands. ``field`` names the text (the
    record's main one when omitted: see :func:`~mamar.translating.model.text_fields`). A text
    of a value (an incident's source, its words) is named by the value (``field``) and the
    text (``part``). A text in a list is named by the list and its ``item`` (from 0); a text
    held by each
    item of a list (a route version's note), by the ``part`` of that item too; a text in a
    list held by each item (a rejection's reasons), by its ``part_item`` as well (see
    :func:`~mamar.translating.model.item_fields`)."""

    roles: ClassVar[frozenset[Role]] = FIELD_TEAMS

    field: Name | None = Field(
        default=None, description="The text (a field of the record, or a list of texts)"
    )
    item: int | None = Field(
        default=None, ge=0, description="In a list, which item (the first is 0)"
    )
    part: Name | None = Field(
        default=None, description="In an item of a list, which of its lists of texts"
    )
    part_item: int | None = Field(
        default=None, ge=0, description="In that list of the item, which text (the first is 0)"
    )
    text: FreeText
    language: Language


def _named(state: EntityState, cmd: TranslateText) -> tuple[str, LocalText | None]:
    """The field named and the text it names; a refusal when it names none."""
    kind = type(state)
    fields, lists, values = text_fields(kind), item_fields(kind), value_fields(kind)
    field = cmd.field if cmd.field is not None else (fields[0] if fields else None)
    if field is None or (field not in fields and field not in lists and field not in values):
        raise DomainError("no_such_text", "this record has no such text", field="field")
    if field in values:  # a text of a value (an incident's source, its words)
        if cmd.item is not None or cmd.part_item is not None:
            raise DomainError(
                "not_a_list", "this text is not a list: it has no items", field="item"
            )
        if cmd.part not in values[field]:
            raise DomainError("no_such_text", "this record has no such text", field="part")
        value = getattr(state, field)
        return field, None if value is None else getattr(value, cmd.part)
    if field in fields:
        if cmd.item is not None or cmd.part is not None or cmd.part_item is not None:
            raise DomainError(
                "not_a_list", "this text is not a list: it has no items", field="item"
            )
        return field, getattr(state, field)
    items = getattr(state, field)
    if cmd.item is None:
        raise DomainError("item_needed", "say which item of the list to translate", field="item")
    if not 0 <= cmd.item < len(items):
        raise DomainError("no_such_item", "the list has no such item", field="item")
    parts = lists[field]
    if not parts:
        if cmd.part is not None or cmd.part_item is not None:
            raise DomainError("no_such_text", "this record has no such text", field="part")
        return field, items[cmd.item]
    if cmd.part not in parts:
        raise DomainError("no_such_text", "this record has no such text", field="part")
    if cmd.part not in list_parts(kind)[field]:  # one text of the item (an approval's note)
        if cmd.part_item is not None:
            raise DomainError(
                "not_a_list", "this text is not a list: it has no items", field="part_item"
            )
        return field, getattr(items[cmd.item], cmd.part)
    if cmd.part_item is None:
        raise DomainError(
            "item_needed", "say which item of the list to translate", field="part_item"
        )
    inner = getattr(items[cmd.item], cmd.part)
    if not 0 <= cmd.part_item < len(inner):
        raise DomainError("no_such_item", "the list has no such item", field="part_item")
    return field, inner[cmd.part_item]


def translate(state: EntityState, cmd: TranslateText, ctx: Context) -> list[EventData]:
    field, original = _named(state, cmd)
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
            field=field,
            text=cmd.text,
            language=cmd.language,
            translated_by=organisation,
            item=cmd.item,
            part=cmd.part,
            part_item=cmd.part_item,
        )
    ]


def translatable_kinds() -> dict[str, tuple[str, ...]]:
    """Every record kind with free text, and its texts: its own, its values holding texts,
    then its lists of texts (see :func:`~mamar.translating.model.value_fields` and
    :func:`~mamar.translating.model.item_fields`)."""
    found = {
        kind: (
            *text_fields(spec.state_type),
            *value_fields(spec.state_type),
            *item_fields(spec.state_type),
        )
        for kind, spec in aggregates().items()
    }
    return {kind: fields for kind, fields in sorted(found.items()) if fields}


def _described(kind: str, state_type: type[EntityState]) -> str:
    """What the API says of ``<kind>.translate``: which texts ``field`` may name."""
    article = "an" if kind[:1] in ("a", "e", "i", "o", "u") else "a"
    said = [
        f"Add a translation of {article} {kind.replace('_', ' ')}'s text, by your organisation."
    ]
    fields = text_fields(state_type)
    if fields:
        said.append(f"Texts (field; the first when none is named): {', '.join(fields)}.")
    for name, parts in value_fields(state_type).items():
        said.append(f"In {name}: field {name} and part ({' or '.join(parts)}).")
    lists = list_parts(state_type)
    for name, parts in item_fields(state_type).items():
        if not parts:
            said.append(f"In the list {name}: field {name} and item.")
            continue
        texts = [p for p in parts if p not in lists[name]]
        if texts:
            said.append(f"In the list {name}: field {name}, item, part ({' or '.join(texts)}).")
        if inner := [p for p in parts if p in lists[name]]:
            said.append(
                f"In the list {name}: field {name}, item, part ({' or '.join(inner)}), part_item."
            )
    return " ".join(said)


def register_translate_commands() -> None:
    """One ``<kind>.translate`` command for every record kind with free text."""
    known = commands()
    states = {kind: spec.state_type for kind, spec in aggregates().items()}
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
                "__doc__": _described(kind, states[kind]),
            },
        )
        decides(command)(translate)
