"""The shared status-machine table: what it allows, and how it refuses."""

from __future__ import annotations

from enum import StrEnum

import pytest

from mamar.domain.errors import IllegalTransition
from mamar.domain.transitions import Transitions


class Door(StrEnum):
    OPEN = "open"
    SHUT = "shut"
    LOCKED = "locked"
    BRICKED = "bricked"


D = Door

DOOR = Transitions(
    "door",
    {
        D.OPEN: frozenset({D.SHUT}),
        D.SHUT: frozenset({D.OPEN, D.LOCKED, D.BRICKED}),
        D.LOCKED: frozenset({D.SHUT, D.BRICKED}),
        D.BRICKED: frozenset(),
    },
)


def test_an_illegal_move_is_refused_naming_the_allowed_next_states() -> None:
    with pytest.raises(IllegalTransition) as refused:
        DOOR.require(D.OPEN, D.LOCKED)
    error = refused.value
    assert error.code == "illegal_transition"
    assert error.field == "status"
    assert (error.current, error.wanted) == ("open", "locked")
    assert error.message == "a door that is 'open' cannot become 'locked'; allowed next: shut"

    with pytest.raises(IllegalTransition) as refused:
        DOOR.require(D.LOCKED, D.OPEN)
    assert refused.value.message.endswith("allowed next: bricked, shut")  # sorted


def test_a_legal_move_passes() -> None:
    for current, nexts in DOOR.items():
        for wanted in nexts:
            DOOR.require(current, wanted)  # raises nothing


def test_staying_put_is_illegal_unless_the_table_says_so() -> None:
    with pytest.raises(IllegalTransition):
        DOOR.require(D.SHUT, D.SHUT)


def test_a_final_state_says_so() -> None:
    assert DOOR.allowed_next(D.BRICKED) == []
    with pytest.raises(IllegalTransition) as refused:
        DOOR.require(D.BRICKED, D.OPEN)
    assert refused.value.message == (
        "a door that is 'bricked' cannot become 'open'; allowed next: none (final state)"
    )


def test_the_kind_takes_its_article() -> None:
    exits = Transitions("exit", {D.OPEN: frozenset({D.SHUT}), D.SHUT: frozenset()})
    with pytest.raises(IllegalTransition) as refused:
        exits.require(D.SHUT, D.OPEN)
    assert refused.value.message.startswith("an exit that is 'shut' cannot become 'open';")


def test_allowed_next_is_the_sorted_values() -> None:
    assert DOOR.allowed_next(D.SHUT) == ["bricked", "locked", "open"]
    assert all(isinstance(value, str) for value in DOOR.allowed_next(D.SHUT))


def test_it_reads_as_a_mapping_of_the_table() -> None:
    assert DOOR[D.LOCKED] == frozenset({D.SHUT, D.BRICKED})
    assert DOOR["locked"] == frozenset({D.SHUT, D.BRICKED})  # type: ignore[index]
    assert D.OPEN in DOOR
    assert "ajar" not in DOOR
    assert list(DOOR) == [D.OPEN, D.SHUT, D.LOCKED, D.BRICKED]
    assert len(DOOR) == 4
    assert set().union(*DOOR.values()) == set(Door)
    assert DOOR.kind == "door"
    with pytest.raises(KeyError):
        DOOR.allowed_next("ajar")  # type: ignore[arg-type]


def test_it_is_read_only_and_keeps_its_own_copy() -> None:
    table = {D.OPEN: frozenset({D.SHUT}), D.SHUT: frozenset({D.OPEN})}
    doors = Transitions("door", table)
    table[D.SHUT] = frozenset()
    assert doors[D.SHUT] == frozenset({D.OPEN})
    with pytest.raises(TypeError):
        doors[D.OPEN] = frozenset()  # type: ignore[index]
    with pytest.raises(AttributeError):
        doors.extra = 1  # type: ignore[attr-defined]


def test_a_table_leading_to_a_status_without_a_row_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"door transitions lead to statuses with no row: \['shut'\]"
    ):
        Transitions("door", {D.OPEN: frozenset({D.SHUT})})
