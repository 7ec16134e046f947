"""Which texts of a record can be translated, and adding a translation to one."""

from __future__ import annotations

import types
from datetime import date, datetime, time
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from mamar.domain.model import Command, EntityState, EventMeta, evolves_every_kind, touched
from mamar.domain.text import RECORDED, LocalText, Translation
from mamar.domain.time import OccurredAt
from mamar.translating.events import TextTranslated


def text_type(annotation: Any) -> type[LocalText] | None:
    """The kind of free text a field annotated ``annotation`` holds (``Prose``,
    ``PhraseText | None``, ``LocalLine``…: ``Annotated`` and an optional value unwrapped),
    None when it holds none, or several values of which a text is only one."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return text_type(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        held = [arg for arg in get_args(annotation) if arg is not type(None)]
        return text_type(held[0]) if len(held) == 1 else None
    if isinstance(annotation, type) and issubclass(annotation, LocalText):
        return annotation
    return None


def text_fields(state_type: type[EntityState]) -> tuple[str, ...]:
    """The record's own free texts (fields holding a :class:`LocalText` or one of its kinds):
    those every record of the kind holds first (its main text, the one translated when none
    is named), then the others, each in declared order. Not one in a list (red lines):
    nothing names it for a translation; nor one kept in a compartment (a bottom line): the
    event that adds a translation is seen by all who see the record, and its words with it."""
    fields = [
        (not info.is_required(), name)
        for name, info in state_type.model_fields.items()
        if text_type(info.annotation) is not None and not _compartmented(info)
    ]
    return tuple(name for _optional, name in sorted(fields, key=lambda f: f[0]))


def _compartmented(info: FieldInfo) -> bool:
    """The field is kept in a compartment (``json_schema_extra={"compartment": …}``)."""
    extra = info.json_schema_extra
    return isinstance(extra, dict) and "compartment" in extra


def located(
    state: Any,
    field: str,
    item: int | None = None,
    part: str | None = None,
    part_item: int | None = None,
) -> LocalText | None:
    """The text at ``field`` (its text ``part`` when it is a value holding texts; item
    ``item`` when it is a list, and in that item its text ``part``, or item ``part_item`` of
    its list ``part``), None when there is none there."""
    value = getattr(state, field, None)
    if item is None:
        if part is None:
            return value if isinstance(value, LocalText) else None
        # A text of a value (an incident's source, its words).
        held = None if isinstance(value, LocalText) else getattr(value, part, None)
        return held if isinstance(held, LocalText) and part_item is None else None
    if not isinstance(value, tuple | list) or not 0 <= item < len(value):
        return None
    value = value[item]
    if part is None:
        return value if isinstance(value, LocalText) and part_item is None else None
    inner = getattr(value, part, None)
    if part_item is None:  # the item's own text (a route version's note)
        return inner if isinstance(inner, LocalText) else None
    if not isinstance(inner, tuple | list) or not 0 <= part_item < len(inner):
        return None
    found = inner[part_item]
    return found if isinstance(found, LocalText) else None


def _replaced(state: Any, event: TextTranslated, new: LocalText) -> Any:
    """The new value of ``event.field``, with ``new`` where the translated text was."""
    if event.item is None:
        if event.part is None:
            return new
        return getattr(state, event.field).model_copy(update={event.part: new})
    items = list(getattr(state, event.field))
    if event.part is None:
        items[event.item] = new
    elif event.part_item is None:
        items[event.item] = items[event.item].model_copy(update={event.part: new})
    else:
        value = items[event.item]
        inner = list(getattr(value, event.part))
        inner[event.part_item] = new
        items[event.item] = value.model_copy(update={event.part: tuple(inner)})
    return tuple(items)


@evolves_every_kind(TextTranslated)
def with_translation(state: Any, event: TextTranslated, meta: EventMeta) -> Any:
    text = located(state, event.field, event.item, event.part, event.part_item)
    if text is None:  # decide refuses this; a replay never fails
        return state
    # Of the kind the text keeps (a phrase's is one line); what was recorded is read back as
    # it was, whatever rule is stricter since.
    added = text.translation_type.model_validate(
        {
            "text": event.text,
            "language": event.language,
            "translated_by": event.translated_by,
            "at": meta.occurred_at,
        },
        context=RECORDED,
    )
    new = text.model_copy(update={"translations": (*text.translations, added)})
    return touched(state, meta, **{event.field: _replaced(state, event, new)})


# Values that never hold a translation.
_LEAVES = (str, int, float, bool, bytes, date, datetime, time, Enum, type(None))


def _may_hold(annotation: Any, seen: set[type[BaseModel]]) -> bool:
    """Whether a value of type ``annotation`` may hold a :class:`Translation` (True when
    unsure: ``Any``, a type variable, anything not understood here)."""
    if annotation is None:
        return False
    origin = get_origin(annotation)
    if origin is Annotated:
        return _may_hold(get_args(annotation)[0], seen)
    if origin is Literal:
        return False
    if origin is not None:  # a union, a tuple, a list, a dict…
        return any(_may_hold(arg, seen) for arg in get_args(annotation) if arg is not Ellipsis)
    if not isinstance(annotation, type):
        return True
    if issubclass(annotation, Translation):
        return True
    if issubclass(annotation, BaseModel):
        # A field's value may be of a subclass of its type: those are looked at too.
        models = [annotation]
        while models:
            model = models.pop()
            if model in seen:  # looked at already, or being looked at further up
                continue
            seen.add(model)
            if any(_may_hold(f.annotation, seen) for f in model.model_fields.values()):
                return True
            models.extend(model.__subclasses__())
        return False
    return not issubclass(annotation, _LEAVES)


@cache
def _translation_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` whose values may hold a translation (worked out once per
    model: most commands hold none, and walking every field of each cost more than
    the rest of authorising it)."""
    return tuple(
        name for name, info in model.model_fields.items() if _may_hold(info.annotation, set())
    )


def translations_in(value: Any, found: set[Translation]) -> None:
    """Add to ``found`` every translation held anywhere in ``value``."""
    if isinstance(value, Translation):
        found.add(value)
    elif isinstance(value, BaseModel):
        for name in _translation_fields(type(value)):
            translations_in(getattr(value, name), found)
    elif isinstance(value, (tuple, list)):
        for item in value:
            translations_in(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            translations_in(item, found)


def _attribute(value: Any, kept: set[Translation], organisation: str) -> Any:
    if isinstance(value, Translation):
        if value in kept:
            return value
        return value.model_copy(update={"translated_by": organisation, "at": None})
    if isinstance(value, BaseModel):
        changes = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _attribute(old, kept, organisation)
            if new is not old:
                changes[name] = new
        return value.model_copy(update=changes) if changes else value
    if isinstance(value, tuple):
        items = tuple(_attribute(item, kept, organisation) for item in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def attributed(cmd: Command, state: EntityState | None, organisation: str) -> Command:
    """``cmd`` with each translation it carries marked as made by ``organisation`` (the
    caller's): only a translation the record already holds, unchanged, keeps its own
    translator, so nobody can record words as another organisation's."""
    given: set[Translation] = set()
    translations_in(cmd, given)
    if not given:  # most commands carry none: nothing to look for in the record
        return cmd
    kept: set[Translation] = set()
    if state is not None:
        translations_in(state, kept)
    result: Command = _attribute(cmd, kept, organisation)
    return result


def attributed_time(occurred: OccurredAt, organisation: str) -> OccurredAt:
    """``occurred`` with each translation of the words said for its time marked as made by
    ``organisation`` (the caller's): the words are new with the event, so every one is."""
    phrase = occurred.phrase
    if phrase is None or not phrase.translations:
        return occurred
    return occurred.model_copy(update={"phrase": _attribute(phrase, set(), organisation)})


def _items_of(annotation: Any) -> Any:
    """The type of the items of a list field (``tuple[X, ...]``, ``list[X]``, optional or
    not), else None."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _items_of(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        held = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _items_of(held[0]) if len(held) == 1 else None
    if origin in (tuple, list):
        args = [arg for arg in get_args(annotation) if arg is not Ellipsis]
        return args[0] if len(args) == 1 else None
    return None


def _model(annotation: Any) -> type[BaseModel] | None:
    if get_origin(annotation) is Annotated:
        return _model(get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def value_fields(state_type: type[EntityState]) -> dict[str, tuple[str, ...]]:
    """The record's values (neither a text nor a list) that hold texts of their own (an
    incident's source, its words), each named by the value (``field``) and the text
    (``part``). Not one kept in a compartment (see :func:`text_fields`)."""
    found: dict[str, tuple[str, ...]] = {}
    for name, info in state_type.model_fields.items():
        annotation = info.annotation
        if (
            _compartmented(info)
            or text_type(annotation) is not None
            or _items_of(annotation) is not None
        ):
            continue
        model = _model(_optional(annotation))
        if model is None or issubclass(model, LocalText):
            continue
        parts = tuple(n for n, i in model.model_fields.items() if text_type(i.annotation))
        if parts:
            found[name] = parts
    return found


def _optional(annotation: Any) -> Any:
    """The type of an optional value's value (``Source | None`` → ``Source``)."""
    if get_origin(annotation) in (Union, types.UnionType):
        held = [arg for arg in get_args(annotation) if arg is not type(None)]
        return held[0] if len(held) == 1 else None
    return annotation


def item_fields(state_type: type[EntityState]) -> dict[str, tuple[str, ...]]:
    """The record's lists of texts, each item translated on its own: a list of texts (red
    lines) as ``()``; a list of values holding texts (a route's approvals, each with its
    note) or lists of texts (rejections, each with its reasons) as the names of those (see
    :func:`list_parts` for which are lists). Not one kept in a compartment (see
    :func:`text_fields`)."""
    found: dict[str, tuple[str, ...]] = {}
    for name, info in state_type.model_fields.items():
        if _compartmented(info):
            continue
        item = _items_of(info.annotation)
        if item is None:
            continue
        if text_type(item) is not None:
            found[name] = ()
            continue
        model = _model(item)
        if model is None or issubclass(model, LocalText):
            continue
        parts = tuple(
            n
            for n, i in model.model_fields.items()
            if text_type(i.annotation) or text_type(_items_of(i.annotation))
        )
        if parts:
            found[name] = parts
    return found


def list_parts(state_type: type[EntityState]) -> dict[str, frozenset[str]]:
    """Of the parts :func:`item_fields` names in each list, those that are lists of texts
    (an item of them is named by ``part_item``); the others are one text each."""
    found: dict[str, frozenset[str]] = {}
    for name, parts in item_fields(state_type).items():
        model = _model(_items_of(state_type.model_fields[name].annotation))
        if parts and model is not None:
            fields = model.model_fields
            found[name] = frozenset(p for p in parts if text_type(_items_of(fields[p].annotation)))
    return found
