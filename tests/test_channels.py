"""Channels: who reaches whom through whom, and the history of whether it worked."""

from __future__ import annotations

from mamar.channels.commands import AddChannelNote, ChangeChannelStatus, OpenChannel
from mamar.domain.errors import DomainError, IllegalTransition, NotFound
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.actor_builders import party, person, refused, state, types_of, who
from tests.helpers import at, open_operation


def setup(system: Mamar) -> None:
    open_operation(system)
    party(system, "factions")
    party(system, "russia", "guarantor_state")
    person(system, "sarc-official", role_title={"en": "Red Crescent official"})
    person(system, "ru-general", role_title={"en": "Russian general"})


def open_dormant(system: Mamar) -> None:
    # S9: a year before, the official relayed that the generals wanted contact; it was refused.
    system.execute(
        OpenChannel(
            id="to-russians",
            operation="op",
            source=who("party", "factions"),
            target=who("person", "ru-general"),
            via=(who("person", "sarc-official"),),
            medium="phone",
            status="dormant",
            reason="Offered through the Red Crescent; refused at the time",
        ),
        actor=SYSTEM,
        occurred=at("2015-12-01T12:00+02:00"),
    )


def test_a_channel_can_open_dormant_and_be_revived_with_its_history(system: Mamar) -> None:
    setup(system)
    open_dormant(system)
    system.execute(
        ChangeChannelStatus(id="to-russians", status="active", reason="Asked the official to call"),
        actor=SYSTEM,
        occurred=at("2016-12-13T16:00+02:00"),
    )
    system.execute(
        ChangeChannelStatus(id="to-russians", status="broken", reason="No answer"),
        actor=SYSTEM,
        occurred=at("2016-12-15T01:00+02:00"),
    )
    system.execute(ChangeChannelStatus(id="to-russians", status="active"), actor=SYSTEM)
    channel = state(system, "channel", "to-russians")
    assert channel.status == "active"
    assert [(h.status, h.at) for h in channel.history[:3]] == [
        ("dormant", "2015-12-01T12:00:00+02:00"),
        ("active", "2016-12-13T16:00:00+02:00"),
        ("broken", "2016-12-15T01:00:00+02:00"),
    ]
    assert (
        channel.history[0].reason
        and channel.history[0].reason.original
        == "Offered through the Red Crescent; refused at the time"
    )
    assert [v.id for v in channel.via] == ["sarc-official"]
    assert types_of(system, "channel:to-russians") == [
        "channel.opened",
        "channel.status_changed",
        "channel.status_changed",
        "channel.status_changed",
    ]


def test_a_status_that_does_not_change_is_refused(system: Mamar) -> None:
    setup(system)
    open_dormant(system)
    error = refused(
        system,
        ChangeChannelStatus(id="to-russians", status="dormant"),
        IllegalTransition,
        field="status",
    )
    assert "active, broken" in error.message


def test_notes_are_added_to_a_channel(system: Mamar) -> None:
    setup(system)
    open_dormant(system)
    system.execute(
        AddChannelNote(
            id="to-russians",
            text={
                "original": "الضابط يمسك الهاتف والجنرال بجانبه",
                "language": "ar",
                "translation": "The official holds the phone, the general beside him",
                "translation_language": "en",
            },
        ),
        actor=SYSTEM,
    )
    note = state(system, "channel", "to-russians").notes[0]
    assert note.by == "system" and note.text.translations[0].text.startswith("The official")


def test_bad_channels_are_refused_naming_the_field(system: Mamar) -> None:
    setup(system)

    def channel(**fields: object) -> OpenChannel:
        values: dict[str, object] = {
            "source": who("party", "factions"),
            "target": who("person", "ru-general"),
            **fields,
        }
        return OpenChannel(id="c", operation="op", **values)  # type: ignore[arg-type]

    refused(system, channel(status="broken"), DomainError, field="status")
    refused(system, channel(target=who("party", "factions")), DomainError, code="same_ends")
    refused(system, channel(target=who("party", "ghost")), NotFound, field="target")
    refused(system, channel(via=(who("person", "ghost"),)), NotFound, field="via")
    refused(system, channel(via=(who("party", "factions"),)), DomainError, code="end_in_via")
    refused(
        system,
        channel(via=(who("person", "sarc-official"), who("person", "sarc-official"))),
        DomainError,
        field="via",
    )
    refused(system, ChangeChannelStatus(id="ghost", status="active"), NotFound, field="id")
