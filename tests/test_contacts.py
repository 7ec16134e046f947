"""Contacts: calls and meetings, scheduled then held, missed or cancelled; or logged afterwards."""

from __future__ import annotations

import pytest

from mamar.channels.commands import OpenChannel
from mamar.contacts.commands import (
    CancelContact,
    LogContact,
    MarkContactHeld,
    MarkContactMissed,
    ScheduleContact,
)
from mamar.domain.errors import DomainError, IllegalTransition, NotFound, NotPermitted
from mamar.domain.model import Actor
from mamar.domain.visibility import Role
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.actor_builders import party, person, refused, state, types_of, who
from tests.helpers import at, open_operation

LIAISON = Actor(username="ru-liaison", role=Role.LIAISON, party="russia", organisation="russia")


def setup(system: Mamar) -> None:
    open_operation(system)
    party(system, "factions")
    party(system, "russia", "guarantor_state")
    person(system, "negotiator", role_title={"en": "The factions' negotiator"})
    person(system, "sarc-official", role_title={"en": "Red Crescent official"})
    person(system, "ru-general", role_title={"en": "Russian general"})
    system.execute(
        OpenChannel(
            id="to-russians",
            operation="op",
            source=who("person", "negotiator"),
            target=who("person", "ru-general"),
            via=(who("person", "sarc-official"),),
        ),
        actor=SYSTEM,
    )


def callback_and_schedule(system: Mamar) -> None:
    # S11: the official calls back; the general will call at 7 pm.
    system.execute(
        LogContact(
            id="callback",
            operation="op",
            direction="inbound",
            source=who("person", "sarc-official"),
            target=who("person", "negotiator"),
            summary={"original": "The general will call at 7 pm", "language": "en"},
        ),
        actor=SYSTEM,
        occurred=at("2016-12-13T16:30+02:00"),
    )
    system.execute(
        ScheduleContact(
            id="call-7pm",
            operation="op",
            direction="inbound",
            channel="to-russians",
            source=who("person", "ru-general"),
            target=who("person", "negotiator"),
            via=(who("person", "sarc-official"),),
            scheduled_for="2016-12-13T19:00+02:00",  # type: ignore[arg-type]
            follow_up="callback",
        ),
        actor=SYSTEM,
        occurred=at("2016-12-13T16:31+02:00"),
    )


def test_a_logged_contact_is_held_at_once_with_what_was_offered(system: Mamar) -> None:
    setup(system)
    # S1: officers phone commanders offering personal guarantees for surrender.
    system.execute(
        LogContact(
            id="offer-front-1",
            operation="op",
            direction="inbound",
            medium="phone",
            source=who("party", "russia"),
            target=who("party", "factions"),
            offers=(
                {"original": "Personal guarantees for surrendering the sector", "language": "en"},
            ),
        ),
        actor=SYSTEM,
        occurred=at("2016-12-12T11:00+02:00"),
    )
    contact = state(system, "contact", "offer-front-1")
    assert (contact.status, contact.held_at) == ("held", "2016-12-12T11:00:00+02:00")
    (offer,) = contact.offers
    assert (offer.original, offer.language) == (
        "Personal guarantees for surrendering the sector",
        "en",
    )
    assert types_of(system, "contact:offer-front-1") == ["contact.logged"]


def test_scheduled_call_is_held_with_a_summary_and_then_final(system: Mamar) -> None:
    setup(system)
    callback_and_schedule(system)
    scheduled = state(system, "contact", "call-7pm")
    assert (scheduled.status, scheduled.follow_up, scheduled.channel) == (
        "scheduled",
        "callback",
        "to-russians",
    )
    assert scheduled.scheduled_for.isoformat() == "2016-12-13T19:00:00+02:00"
    system.execute(
        MarkContactHeld(
            id="call-7pm",
            summary={"original": "The initiative was presented", "language": "en"},
            offers=({"original": "The factions' initiative, as sent to the EU", "language": "en"},),
        ),
        actor=SYSTEM,
        occurred=at("2016-12-13T19:05+02:00"),
    )
    held = state(system, "contact", "call-7pm")
    assert (held.status, held.held_at) == ("held", "2016-12-13T19:05:00+02:00")
    assert held.summary.original == "The initiative was presented"
    assert [v.id for v in held.via] == ["sarc-official"]
    for later in (
        MarkContactMissed(id="call-7pm"),
        CancelContact(id="call-7pm"),
        MarkContactHeld(id="call-7pm"),
    ):
        error = refused(system, later, IllegalTransition, field="status")
        assert "final state" in error.message
    assert types_of(system, "contact:call-7pm") == ["contact.scheduled", "contact.held"]


@pytest.mark.parametrize(
    ("command", "status", "event"),
    [
        (MarkContactMissed(id="call-7pm", reason="No call came"), "missed", "contact.missed"),
        (CancelContact(id="call-7pm", reason="Postponed"), "cancelled", "contact.cancelled"),
    ],
)
def test_a_scheduled_contact_may_be_missed_or_cancelled_then_not_held(
    system: Mamar, command: MarkContactMissed | CancelContact, status: str, event: str
) -> None:
    setup(system)
    callback_and_schedule(system)
    system.execute(command, actor=SYSTEM)
    contact = state(system, "contact", "call-7pm")
    assert (contact.status, contact.status_reason) == (status, command.reason)
    assert types_of(system, "contact:call-7pm")[-1] == event
    refused(system, MarkContactHeld(id="call-7pm"), IllegalTransition, field="status")


def test_a_meeting_with_participants(system: Mamar) -> None:
    setup(system)
    party(system, "faction-b")
    # S7: the negotiator meets the faction leaders in the operations room.
    system.execute(
        LogContact(
            id="ops-room",
            operation="op",
            direction="internal",
            medium="in_person",
            participants=(
                who("person", "negotiator"),
                who("party", "factions"),
                who("party", "faction-b"),
            ),
        ),
        actor=SYSTEM,
    )
    assert len(state(system, "contact", "ops-room").participants) == 3


def test_bad_contacts_are_refused_naming_the_field(system: Mamar) -> None:
    setup(system)

    def log(**fields: object) -> LogContact:
        values: dict[str, object] = {
            "direction": "inbound",
            "source": who("person", "ru-general"),
            "target": who("person", "negotiator"),
            **fields,
        }
        return LogContact(id="c", operation="op", **values)  # type: ignore[arg-type]

    refused(system, log(source=None, target=None), DomainError, code="nobody")
    refused(system, log(channel="ghost"), NotFound, field="channel")
    refused(system, log(follow_up="ghost"), NotFound, field="follow_up")
    refused(system, log(follow_up="c"), DomainError, field="follow_up")
    refused(system, log(participants=(who("person", "ghost"),)), NotFound, field="participants")
    refused(system, log(via=(who("party", "ghost"),)), NotFound, field="via")
    refused(system, log(source=who("party", "ghost")), NotFound, field="source")
    refused(system, MarkContactHeld(id="ghost"), NotFound, field="id")
    with pytest.raises(ValueError, match="offset"):
        ScheduleContact(
            id="c",
            operation="op",
            direction="inbound",
            source={"kind": "party", "id": "russia"},  # type: ignore[arg-type]
            scheduled_for="2016-12-13T19:00",
        )  # type: ignore[arg-type]


def test_liaison_sees_only_shared_contacts(system: Mamar) -> None:
    setup(system)
    callback_and_schedule(system)
    # The scheduled call is internal to another organisation: to the liaison it does not exist.
    refused(system, MarkContactHeld(id="call-7pm"), NotFound, field="id", actor=LIAISON)
    refused(system, MarkContactMissed(id="call-7pm"), NotFound, field="id", actor=LIAISON)
    system.execute(
        ScheduleContact(
            id="shared-call",
            operation="op",
            visibility="shared",
            direction="outbound",
            source=who("party", "russia"),
            target=who("party", "factions"),
            scheduled_for="2016-12-14T10:00+02:00",  # type: ignore[arg-type]
        ),
        actor=SYSTEM,
    )
    # Shared with them, but another organisation's record: the liaison neither cancels
    # nor updates it.
    refused(system, CancelContact(id="shared-call"), NotPermitted, actor=LIAISON)
    refused(system, MarkContactHeld(id="shared-call"), NotPermitted, actor=LIAISON)
    assert state(system, "contact", "shared-call").status == "scheduled"


def test_a_liaison_records_only_contacts_of_its_own_party(system: Mamar) -> None:
    setup(system)
    # Not a call the Russian side took part in.
    refused(
        system,
        LogContact(
            id="other",
            operation="op",
            visibility="shared",
            direction="outbound",
            source=who("party", "factions"),
            target=who("party", "factions"),
        ),
        NotPermitted,
        actor=LIAISON,
    )
    system.execute(
        LogContact(
            id="ru-call",
            operation="op",
            visibility="shared",
            direction="outbound",
            source=who("party", "russia"),
            target=who("party", "factions"),
        ),
        actor=LIAISON,
    )
    logged = state(system, "contact", "ru-call")
    assert logged.owner == "russia"
