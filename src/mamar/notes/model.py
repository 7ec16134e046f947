"""Note state: the current text, and every earlier text kept as a revision."""

from __future__ import annotations

from mamar.domain.model import EntityState, EventMeta, Value, aggregate, base_fields, touched
from mamar.domain.text import LocalText, Prose
from mamar.journal.registry import EventData
from mamar.notes.events import Displacement, NoteAdded, NoteCorrected, NoteKind
from mamar.parties.refs import EntityRef


class Revision(Value):
    """A text as it stood until ``replaced_at``."""

    text: LocalText
    displacement: Displacement | None = None
    written_at: str
    replaced_at: str
    reason: Prose | None = None


class NoteState(EntityState):
    note_kind: NoteKind
    subjects: tuple[EntityRef, ...] = ()
    text: LocalText
    displacement: Displacement | None = None
    revisions: tuple[Revision, ...] = ()


@aggregate("note", NoteState)
def evolve(state: NoteState | None, event: EventData, meta: EventMeta) -> NoteState:
    if isinstance(event, NoteAdded):
        return NoteState(
            **base_fields(meta),
            note_kind=event.note_kind,
            subjects=event.subjects,
            text=event.text,
            displacement=event.displacement,
        )
    assert state is not None
    if isinstance(event, NoteCorrected):
        revision = Revision(
            text=state.text,
            displacement=state.displacement,
            written_at=state.updated_at,
            replaced_at=meta.occurred_at,
            reason=event.reason,
        )
        return touched(
            state,
            meta,
            text=event.text,
            displacement=event.displacement,
            revisions=(*state.revisions, revision),
        )
    return state
