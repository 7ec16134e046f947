"""Adding and correcting notes."""

from __future__ import annotations

from typing import ClassVar

from mamar.domain.errors import DomainError
from mamar.domain.model import Command, Context, CreateCommand, decides
from mamar.domain.text import LocalText, Prose
from mamar.journal.registry import EventData
from mamar.notes.events import Displacement, NoteAdded, NoteCorrected, NoteKind
from mamar.notes.model import NoteState
from mamar.parties.refs import Related, refuse_duplicates, require_refs


class AddNote(CreateCommand):
    """A note; ``note_kind`` says what it is about (``kind`` is the entity kind, "note")."""

    command_name: ClassVar[str] = "note.add"
    kind: ClassVar[str] = "note"

    note_kind: NoteKind = NoteKind.GENERAL
    subjects: tuple[Related, ...] = ()
    text: LocalText
    displacement: Displacement | None = None


class CorrectNote(Command):
    """Replaces the text (and displacement figures); the earlier version is kept."""

    command_name: ClassVar[str] = "note.correct"
    kind: ClassVar[str] = "note"

    text: LocalText
    displacement: Displacement | None = None
    reason: Prose | None = None


def _check(ctx: Context, text: LocalText, displacement: Displacement | None) -> None:
    if not text.original:
        raise DomainError("empty", "the note is empty", field="text.original")
    if displacement is not None:
        for field in ("from_place", "to_place"):
            place = getattr(displacement, field)
            if place is not None:
                ctx.require("place", place, f"displacement.{field}")


@decides(AddNote)
def add(state: None, cmd: AddNote, ctx: Context) -> list[EventData]:
    _check(ctx, cmd.text, cmd.displacement)
    refuse_duplicates(cmd.subjects, "subjects")
    require_refs(ctx, cmd.subjects, "subjects")
    return [
        NoteAdded(
            note_kind=cmd.note_kind,
            subjects=cmd.subjects,
            text=cmd.text,
            displacement=cmd.displacement,
        )
    ]


@decides(CorrectNote)
def correct(state: NoteState, cmd: CorrectNote, ctx: Context) -> list[EventData]:
    if cmd.text == state.text and cmd.displacement == state.displacement:
        raise DomainError("unchanged", "the correction is the same as the note", field="text")
    _check(ctx, cmd.text, cmd.displacement)
    return [NoteCorrected(text=cmd.text, displacement=cmd.displacement, reason=cmd.reason)]
