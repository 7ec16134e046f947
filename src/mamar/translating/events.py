"""The one event that adds a translation to a record's text, whatever the record's kind."""

from __future__ import annotations

from mamar.domain.text import FreeText, Language, Name
from mamar.journal.registry import EventData, event_type


@event_type
class TextTranslated(EventData):
    """``field`` (a text of the record) put into ``language`` by the organisation
    ``translated_by`` (the recording account's, set by the server)."""

    type_name = "text.translated"

    field: Name
    text: FreeText
    language: Language
    translated_by: str
