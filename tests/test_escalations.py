"""Escalations: raised to a party via intermediaries, answered, followed up, closed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from mamar.domain.errors import IllegalTransition, NotFound, NotPermitted
from mamar.escalations.model import (
    EscalationState,
    EscalationStatus,
    seconds_waiting,
    time_to_respond_seconds,
)
from mamar.system import Mamar
from tests.movement_builders import liaison, refused, run, setup, state, types_of

MILITIAS = {
    "original": "الميليشيات تطلق النار من الراموسة",
    "translation": "Militias firing",
    "translation_language": "en",
}
HANDLED = {
    "original": "المشاكل قيد المعالجة",
    "translation": "Problems being dealt with",
    "translation_language": "en",
}


def world(system: Mamar) -> None:
    """Parties, a person intermediary, a convoy and an incident against it."""
    setup(system, "attackers", "red-crescent", "guarantor")
    run(system, "person.register", id="translator", operation="op", party="attackers")
    run(system, "convoy.plan", id="c1", operation="op", name={"en": "Wounded"})
    run(
        system,
        "incident.report",
        id="gunfire",
        operation="op",
        event_type="battles",
        sub_event_type="armed_clash",
        description={"original": "gunfire at the convoy", "language": "en"},
        source={"text": "convoy leader", "kind": "own_team"},
        convoy="c1",
    )


def raise_it(system: Mamar) -> None:
    run(
        system,
        "escalation.raise",
        when="2016-12-14T13:00+02:00",
        id="e1",
        operation="op",
        to_party="attackers",
        via=[{"kind": "party", "id": "red-crescent"}, {"kind": "person", "id": "translator"}],
        about=[{"kind": "incident", "id": "gunfire"}, {"kind": "convoy", "id": "c1"}],
        message=MILITIAS,
    )


def esc(system: Mamar) -> EscalationState:
    found: EscalationState = state(system, "escalation", "e1")
    return found


def test_raised_escalation_is_open_and_shared(system: Mamar) -> None:
    world(system)
    raise_it(system)
    e = esc(system)
    assert e.status is EscalationStatus.OPEN and e.visibility == "shared"
    assert e.raised_at == "2016-12-14T13:00:00+02:00"
    assert [(v.kind.value, v.id) for v in e.via] == [
        ("party", "red-crescent"),
        ("person", "translator"),
    ]
    assert [(s.kind.value, s.id) for s in e.about] == [("incident", "gunfire"), ("convoy", "c1")]
    assert e.first_response_at is None and time_to_respond_seconds(e) is None
    now = datetime.fromisoformat("2016-12-14T13:30+02:00")
    assert seconds_waiting(e, now) == 1800.0


def test_response_then_follow_up_then_resolved(system: Mamar) -> None:
    world(system)
    raise_it(system)
    run(
        system,
        "escalation.record_response",
        when="2016-12-14T13:10+02:00",
        id="e1",
        text=HANDLED,
        by="attackers",
    )
    e = esc(system)
    assert e.status is EscalationStatus.ANSWERED
    assert e.first_response_at == "2016-12-14T13:10:00+02:00"
    assert time_to_respond_seconds(e) == 600.0
    assert seconds_waiting(e, datetime.fromisoformat("2016-12-14T15:00+02:00")) == 0.0

    # "All is fine" — then a sniper: the escalation is pressed again.
    run(
        system,
        "escalation.follow_up",
        when="2016-12-14T14:00+02:00",
        id="e1",
        message={"original": "sniper hit the civil-defence chief", "language": "en"},
    )
    e = esc(system)
    assert e.status is EscalationStatus.OPEN
    assert seconds_waiting(e, datetime.fromisoformat("2016-12-14T14:05+02:00")) == 300.0
    run(
        system,
        "escalation.record_response",
        when="2016-12-14T14:20+02:00",
        id="e1",
        text={"original": "a problem being solved", "language": "en"},
        by="attackers",
        commitment="ceasefire continuation guaranteed",
    )
    e = esc(system)
    assert [r.at for r in e.responses] == [
        "2016-12-14T13:10:00+02:00",
        "2016-12-14T14:20:00+02:00",
    ]
    assert e.responses[1].commitment is not None
    assert e.responses[1].commitment.original == "ceasefire continuation guaranteed"
    assert e.first_response_at == "2016-12-14T13:10:00+02:00"
    run(system, "escalation.close", id="e1", outcome="resolved", note="convoy went through")
    e = esc(system)
    assert (
        e.status is EscalationStatus.RESOLVED
        and e.outcome_note
        and e.outcome_note.original == "convoy went through"
    )
    assert types_of(system, "escalation:e1") == [
        "escalation.raised",
        "escalation.response_recorded",
        "escalation.followed_up",
        "escalation.response_recorded",
        "escalation.closed",
    ]


def test_illegal_transitions_are_refused_and_change_nothing(system: Mamar) -> None:
    world(system)
    raise_it(system)
    # Open: not yet answered, so it cannot be resolved nor followed up.
    refused(
        system, "escalation.close", IllegalTransition, field="status", id="e1", outcome="resolved"
    )
    refused(
        system,
        "escalation.follow_up",
        IllegalTransition,
        id="e1",
        message={"original": "again", "language": "en"},
    )
    # An escalation nobody answered may be closed as unresolved; then it is final.
    run(system, "escalation.close", id="e1", outcome="unresolved", note="no answer")
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("escalation.record_response", {"text": HANDLED}),
        ("escalation.follow_up", {"message": {"original": "again", "language": "en"}}),
        ("escalation.close", {"outcome": "resolved"}),
    ]
    for name, fields in attempts:
        error = refused(system, name, IllegalTransition, id="e1", **fields)
        assert "final state" in error.message
    assert esc(system).status is EscalationStatus.UNRESOLVED


def test_liaison_answers_for_its_own_party(system: Mamar) -> None:
    world(system)
    raise_it(system)
    officer = liaison(system, "ru-translator", "attackers")
    refused(
        system,
        "escalation.record_response",
        NotPermitted,
        actor=officer,
        id="e1",
        text=HANDLED,
        by="guarantor",
    )
    run(system, "escalation.record_response", actor=officer, id="e1", text=HANDLED)
    assert esc(system).responses[0].by == "attackers"
    # A liaison may answer, not close.
    with pytest.raises(NotPermitted):
        run(system, "escalation.close", actor=officer, id="e1", outcome="resolved")


def test_raise_is_validated(system: Mamar) -> None:
    world(system)
    base: dict[str, Any] = {"id": "e2", "operation": "op", "message": MILITIAS}
    refused(system, "escalation.raise", field="to_party", code="recipient_required", **base)
    refused(system, "escalation.raise", NotFound, field="to_party", **base, to_party="nobody")
    refused(
        system,
        "escalation.raise",
        NotFound,
        field="via.0",
        **base,
        to_party="attackers",
        via=[{"kind": "person", "id": "nobody"}],
    )
    refused(
        system,
        "escalation.raise",
        NotFound,
        field="about.0",
        **base,
        to_party="attackers",
        about=[{"kind": "route", "id": "nowhere"}],
    )
    refused(
        system,
        "escalation.raise",
        NotFound,
        field="about.1",
        **base,
        to_party="attackers",
        about=[{"kind": "convoy", "id": "c1"}, {"kind": "ceasefire", "id": "none"}],
    )
    run(system, "ceasefire.declare", id="truce", operation="op", area="east Aleppo")
    run(
        system,
        "escalation.raise",
        **base,
        to_person="translator",
        about=[{"kind": "ceasefire", "id": "truce"}],
    )
    e = state(system, "escalation", "e2")
    assert e.to_person == "translator" and e.about[0].kind == "ceasefire"
