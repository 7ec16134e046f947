"""Notes: situation, morale and displacement; corrections keep the earlier text."""

from __future__ import annotations

from mamar.domain.errors import DomainError, NotFound
from mamar.notes.commands import AddNote, CorrectNote
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.actor_builders import party, refused, state, types_of
from tests.helpers import at, open_operation


def add_displacement(system: Mamar) -> None:
    system.execute(
        AddNote(
            id="families-moved",
            operation="op",
            note_kind="displacement",
            subjects=({"kind": "party", "id": "factions"},),  # type: ignore[arg-type]
            text={"original": "نزحت العائلات نحو الأحياء الغربية", "language": "ar"},
            displacement={"people": 1200, "families": 300},  # type: ignore[arg-type]
        ),
        actor=SYSTEM,
        occurred=at("2016-12-12T18:00+02:00"),
    )


def test_a_note_is_added_with_subjects_and_displacement_counts(system: Mamar) -> None:
    open_operation(system)
    party(system, "factions")
    add_displacement(system)
    note = state(system, "note", "families-moved")
    assert (note.note_kind, note.visibility) == ("displacement", "internal")
    assert (note.displacement.people, note.displacement.families) == (1200, 300)
    assert note.displacement.from_place is None
    assert [(s.kind, s.id) for s in note.subjects] == [("party", "factions")]
    assert note.revisions == ()


def test_a_correction_is_a_new_event_and_the_original_text_is_kept(system: Mamar) -> None:
    open_operation(system)
    party(system, "factions")
    add_displacement(system)
    system.execute(
        CorrectNote(
            id="families-moved",
            text={"original": "نزحت نحو ٤٠٠ عائلة", "language": "ar"},
            displacement={"families": 400},  # type: ignore[arg-type]
            reason="Civil defence count",
        ),
        actor=SYSTEM,
        occurred=at("2016-12-12T22:00+02:00"),
    )
    note = state(system, "note", "families-moved")
    assert note.text.original == "نزحت نحو ٤٠٠ عائلة"
    assert note.displacement.families == 400
    (revision,) = note.revisions
    assert revision.text.original == "نزحت العائلات نحو الأحياء الغربية"
    assert revision.displacement.people == 1200
    assert (
        revision.written_at,
        revision.replaced_at,
        revision.reason and revision.reason.original,
    ) == (
        "2016-12-12T18:00:00+02:00",
        "2016-12-12T22:00:00+02:00",
        "Civil defence count",
    )
    assert types_of(system, "note:families-moved") == ["note.added", "note.corrected"]
    refused(
        system,
        CorrectNote(id="families-moved", text=note.text, displacement=note.displacement),
        DomainError,
        code="unchanged",
    )


def test_bad_notes_are_refused_naming_the_field(system: Mamar) -> None:
    open_operation(system)

    def note(**fields: object) -> AddNote:
        return AddNote(id="n", operation="op", text={"original": "x", "language": "en"}, **fields)  # type: ignore[arg-type]

    refused(system, note(subjects=({"kind": "party", "id": "ghost"},)), NotFound, field="subjects")
    refused(
        system,
        note(subjects=({"kind": "rumour", "id": "x"},)),
        DomainError,
        code="unknown_kind",
        field="subjects",
    )
    refused(
        system,
        note(displacement={"people": 5, "from_place": "nowhere"}),
        NotFound,
        field="displacement.from_place",
    )
    refused(
        system,
        AddNote(id="n", operation="op", text={"original": "  "}),
        DomainError,
        field="text.original",
    )
    ghost_op = AddNote(id="n", operation="ghost", text={"original": "x", "language": "en"})
    refused(system, ghost_op, NotFound, field="operation")
    refused(
        system,
        CorrectNote(id="ghost", text={"original": "x", "language": "en"}),
        NotFound,
        field="id",
    )
