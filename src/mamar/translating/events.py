"""The one event that adds a translation to a record's text, whatever the record's kind."""

from __future__ import annotations

from mamar.domain.text import FreeText, Language, Name
from mamar.journal.registry import EventData, event_type


@event_type
class TextTranslated(EventData):
    """``field`` (a text of the record) put into ``language`` by the organisation
    ``translated_by`` (the recording account's, set by the server). In a list, ``item`` says
    which (from 0); in a list of values, ``part`` and ``part_item`` say which text of that
    value (a rejection's second reason: field ``rejections``, its item, part ``reasons``,
    part item 1). Recorded before items could be translated, none of them is given."""

    type_name = "text.translated"

    field: Name
    text: FreeText
    language: Language
    translated_by: str
    item: int | None = None
    part: Name | None = None
    part_item: int | None = None
