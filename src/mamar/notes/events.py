"""Events of a note."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from mamar.domain.ids import Reference, RefersTo
from mamar.domain.model import Value
from mamar.domain.text import LocalText, Prose
from mamar.journal.registry import EventData, event_type
from mamar.parties.refs import EntityRef


class NoteKind(StrEnum):
    SITUATION = "situation"
    DISPLACEMENT = "displacement"
    MORALE = "morale"
    GENERAL = "general"


class Displacement(Value):
    """People moved: how many, and from and to which places (place ids), as far as known."""

    people: int | None = Field(default=None, ge=0, le=10_000_000)
    families: int | None = Field(default=None, ge=0, le=10_000_000)
    from_place: Annotated[Reference, RefersTo("place")] | None = None
    to_place: Annotated[Reference, RefersTo("place")] | None = None


@event_type
class NoteAdded(EventData):
    type_name = "note.added"

    note_kind: NoteKind
    subjects: tuple[EntityRef, ...] = ()
    text: LocalText
    displacement: Displacement | None = None


@event_type
class NoteCorrected(EventData):
    type_name = "note.corrected"

    text: LocalText
    displacement: Displacement | None = None
    reason: Prose | None = None
