"""Free texts converted to keep their language (a convoy's conditions and escorts, a place's
notes, …): given with a language, they keep it; recorded earlier as plain words, they load
back as words whose language is not known (``und``), so old journals still replay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mamar.domain.text import LocalText
from mamar.geodata import exchange
from mamar.journal.registry import EventData, decode, type_for
from mamar.places.commands import RegisterPlace
from mamar.places.model import PlaceState
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.conftest import make_system
from tests.helpers import open_operation

#: (event type, its data as an earlier journal kept it, where the plain words are).
EARLIER: tuple[tuple[str, dict[str, Any], tuple[str | int, ...]], ...] = (
    (
        "convoy.status_changed",
        {"status": "staged", "previous": "preparing", "conditions": "Rain and snow"},
        ("conditions",),
    ),
    (
        "convoy.escort_added",
        {"escort": {"party": "sarc", "vehicles": 2, "description": "Entered before"}},
        ("escort", "description"),
    ),
    (
        "place.registered",
        {"name": {"en": "Hill"}, "kind": "village", "notes": "Old notes"},
        ("notes",),
    ),
    ("place.updated", {"notes": "Old notes"}, ("notes",)),
    (
        "contact.logged",
        {"direction": "inbound", "medium": "phone", "offers": ["Old offer"]},
        ("offers", 0),
    ),
    (
        "contact.scheduled",
        {
            "direction": "inbound",
            "medium": "phone",
            "offers": ["Old offer"],
            "scheduled_for": "2016-12-13T19:00+02:00",
        },
        ("offers", 0),
    ),
    ("contact.held", {"offers": ["Old offer"]}, ("offers", 0)),
    ("vehicle.registered", {"convoy": "c", "label": "Bus 12"}, ("label",)),
    (
        "vehicle.registered",
        {"convoy": "c", "label": "12", "vehicle_kind": "bus"},
        ("vehicle_kind",),
    ),
)


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        value = value[step] if isinstance(step, int) else getattr(value, step)
    return value


@pytest.mark.parametrize(("type_name", "data", "path"), EARLIER)
def test_plain_words_of_an_earlier_journal_load_in_a_language_not_known(
    type_name: str, data: dict[str, Any], path: tuple[str | int, ...]
) -> None:
    event = decode(type_name, type_for(type_name).schema_version, data)
    text = _at(event, path)
    assert isinstance(text, LocalText)
    assert text.language == "und"
    assert text.original == _plain(data, path)


def _plain(data: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


@pytest.mark.parametrize(("type_name", "data", "path"), EARLIER)
def test_a_text_given_now_keeps_its_language(
    type_name: str, data: dict[str, Any], path: tuple[str | int, ...]
) -> None:
    given: Any = {**data}
    inner = given
    for step in path[:-1]:
        part = inner[step]
        inner[step] = [*part] if isinstance(part, list) else {**part}
        inner = inner[step]
    inner[path[-1]] = {"original": "Held up", "language": "en"}
    event: EventData = type_for(type_name).model_validate(given)
    text = _at(event, path)
    assert (text.original, text.language) == ("Held up", "en")


def _place(system: Mamar, notes: Any) -> None:
    system.execute(
        RegisterPlace(
            id="hill",
            operation="op",
            name={"ar": "التلة", "en": "Hill"},
            place_kind="village",
            point={"lat": 36.1, "lon": 37.1},
            notes=notes,
        ),
        actor=SYSTEM,
    )


def _places(system: Mamar) -> list[PlaceState]:
    from mamar.access.viewer import viewer_of
    from mamar.geodata.service import GeoView

    with system.reading() as conn:
        return list(GeoView.load(conn, viewer_of(SYSTEM)).places)


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_a_place_s_notes_are_exported_and_imported_with_their_language(
    sqlite_system: Mamar, fmt: str, tmp_path: Path
) -> None:
    open_operation(sqlite_system)
    _place(sqlite_system, {"original": "Bridge <out>", "language": "en"})
    places = _places(sqlite_system)
    if fmt == "geojson":
        data = exchange.places_to_geojson(places)
        notes = data["features"][0]["properties"]["notes"]
        assert notes == {"original": "Bridge <out>", "language": "en", "translations": []}
        commands = exchange.places_from_geojson(data, "op")
    else:
        text = exchange.places_to_csv(places)
        header, row = text.splitlines()[:2]
        assert "notes,notes_lang" in header
        assert "Bridge <out>,en," in row
        commands = exchange.places_from_csv(text, "op")
    fresh = make_system(f"sqlite:///{tmp_path / 'copy.db'}")
    try:
        open_operation(fresh)
        for command in commands:
            fresh.execute(command, actor=SYSTEM)
        (copy,) = _places(fresh)
        assert copy.notes is not None
        assert (copy.notes.original, copy.notes.language) == ("Bridge <out>", "en")
    finally:
        fresh.dispose()


def test_a_place_s_notes_in_csv_without_a_language_are_arabic() -> None:
    text = "id,name_ar,kind,notes\nhill,التلة,village,الجسر مقطوع\n"
    (command,) = exchange.places_from_csv(text, "op")
    assert command.notes is not None
    assert (command.notes.original, command.notes.language) == ("الجسر مقطوع", "ar")


def test_personal_words_kept_as_plain_words_read_in_a_language_not_known() -> None:
    """A person's notes and where a relative can be found, kept (in the vault) as plain
    words before they said their language, read back as words whose language is not known;
    given now, with theirs."""
    from mamar.domain.text import RECORDED
    from mamar.manifests.personal import PersonDetails
    from mamar.tracing.commands import RelativeDetails

    notes = PersonDetails.model_validate(
        {"full_name": "س", "notes": "Old", "origin": "Old", "relation": "Old"}, context=RECORDED
    )
    where = RelativeDetails.model_validate(
        {"full_name": "س", "where": "Old", "relation": "Old"}, context=RECORDED
    )
    for text in (notes.notes, notes.origin, notes.relation, where.where, where.relation):
        assert text is not None and (text.original, text.language) == ("Old", "und")
    given = {"original": "At the school", "language": "en"}
    now = RelativeDetails.model_validate({"full_name": "س", "where": given})
    assert now.where is not None and now.where.language == "en"


def test_where_a_person_comes_from_keeps_its_language_and_is_still_searched() -> None:
    from mamar.manifests.personal import PersonDetails

    details = PersonDetails.model_validate(
        {"full_name": "يوسف حسن", "origin": {"original": "حي الشعار", "language": "ar-SY"}}
    )
    assert details.origin is not None and details.origin.language == "ar-SY"
    plain = PersonDetails.model_validate({"full_name": "يوسف حسن", "origin": "حي الشعار"})
    assert plain.search_terms() == details.search_terms()
    assert len(details.search_terms()) > len(
        PersonDetails.model_validate({"full_name": "يوسف حسن"}).search_terms()
    )
