"""Who said so, and the words for a weapon or a waypoint, are kept with their language.

An incident's source and weapon detail, a figure's source, a control area's or front
line's source, a waypoint's label and a convoy's cargo (its kind and unit) were plain
words; they are now texts with their language (``Prose``, ``ProseLine``). Events
recorded before still read, their words in a language not known (``und``), and their
recorded bytes are the same; new ones keep the language given.
"""

from __future__ import annotations

from typing import Any

import pytest

from mamar.control.model import ControlAreaState
from mamar.domain.figures import Figure
from mamar.domain.text import UNDETERMINED, LocalText, said
from mamar.journal.canonical import canonical_bytes
from mamar.journal.registry import decode

_AREA = {
    "type": "Polygon",
    "coordinates": [[[37.1, 36.1], [37.2, 36.1], [37.2, 36.2], [37.1, 36.1]]],
}

#: Events as journals before this change kept them: the free words plain.
EARLIER: list[tuple[str, dict[str, Any], list[str]]] = [
    (
        "incident.reported",
        {
            "event_type": "battles",
            "weapon": "other",
            "weapon_detail": "a van by the aid trucks",
            "description": {"original": "اشتباك", "language": "ar"},
            "source": {"text": "monitors on the hill road", "kind": "partner"},
        },
        ["weapon_detail", "source.text"],
    ),
    (
        "control_area.recorded",
        {
            "party": "factions",
            "area": _AREA,
            "valid_from": "2016-12-01T00:00:00+02:00",
            "source": "public reporting",
            "confidence": "low",
        },
        ["source"],
    ),
    (
        "control_area.transferred",
        {
            "party": "government",
            "previous": "factions",
            "at": "2016-12-05T00:00:00+02:00",
            "source": "negotiator's account",
            "confidence": "medium",
        },
        ["source"],
    ),
    (
        "route.proposed",
        {
            "name": {"en": "Exit"},
            "waypoints": [
                {"lat": 36.1, "lon": 37.1, "label": "Sukkari"},
                {"lat": 36.2, "lon": 37.2},
            ],
        },
        ["waypoints.0.label"],
    ),
    (
        "convoy.figure_reported",
        {
            "count": "arrived",
            "group": "evacuees",
            "figure": {"certainty": "approximate", "value": 950, "source": "reception centre"},
        },
        ["figure.source"],
    ),
    (
        "convoy.cargo_recorded",
        {
            "cargo": {
                "kind": "flour",
                "quantity": {"certainty": "approximate", "value": 12},
                "unit": "tonnes",
                "delivered_at": "square",
            }
        },
        ["cargo.kind", "cargo.unit"],
    ),
]


def _at(value: Any, path: str) -> Any:
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


def _raw(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else value[part]
    return value


@pytest.mark.parametrize(("name", "data", "paths"), EARLIER, ids=[e[0] for e in EARLIER])
def test_plain_words_of_earlier_journals_read_in_a_language_not_known(
    name: str, data: dict[str, Any], paths: list[str]
) -> None:
    before = canonical_bytes(data)
    event = decode(name, 1, data)
    for path in paths:
        text = _at(event, path)
        assert isinstance(text, LocalText), path
        assert (text.original, text.language) == (_raw(data, path), UNDETERMINED)
        # Never shown as a page's language: the original, its language not known.
        shown = said(text, "en")
        assert (shown.words, shown.language, shown.translation) == (
            _raw(data, path),
            UNDETERMINED,
            False,
        )
    assert canonical_bytes(data) == before  # reading never changes what was recorded


def test_a_figure_keeps_its_source_with_its_language() -> None:
    given: dict[str, Any] = {
        "original": "مركز الاستقبال",
        "language": "ar",
        "translations": [{"text": "Reception centre", "language": "en"}],
    }
    figure = Figure.model_validate({"value": 950, "certainty": "approximate", "source": given})
    assert figure.source is not None
    assert said(figure.source, "en").words == "Reception centre"
    assert said(figure.source, "ar").words == "مركز الاستقبال"
    # Plain words given now are in Arabic, as any text given without its language.
    assert Figure.model_validate({"value": 1, "source": "الهلال"}).source == LocalText(
        original="الهلال", language="ar"
    )


def test_a_control_area_read_back_keeps_its_sources_language() -> None:
    state = ControlAreaState.model_validate(
        {
            "id": "a",
            "operation": "op",
            "visibility": "shared",
            "created_at": "2016-12-01T00:00:00Z",
            "updated_at": "2016-12-01T00:00:00Z",
            "area": _AREA,
            "periods": [
                {
                    "party": "factions",
                    "valid_from": "2016-12-01T00:00:00+02:00",
                    "source": "public reporting",
                    "confidence": "low",
                }
            ],
            "party": "factions",
            "valid_from": "2016-12-01T00:00:00+02:00",
            "source": {"original": "تقارير علنية", "language": "ar"},
            "confidence": "low",
        },
        context={"recorded": True},
    )
    assert state.periods[0].source.language == UNDETERMINED
    assert state.source.language == "ar"
