"""Notifications: notice of a movement to parties, and each party's acknowledgement."""

from __future__ import annotations

from typing import Any

import pytest

from mamar.domain.errors import NotFound, NotPermitted
from mamar.notifications.model import NotificationState, NotificationStatus
from mamar.system import Mamar
from tests.movement_builders import liaison, refused, run, setup, state, types_of

WAYPOINTS = [{"lat": 36.177, "lon": 37.152}, {"lat": 36.180, "lon": 37.075}]
MESSAGE = {
    "original": "تخرج الدفعة الأولى من الجرحى",
    "translation": "The first batch leaves",
    "translation_language": "en",
}


def movement(system: Mamar) -> None:
    """Parties, a route and a convoy on it."""
    setup(system, "attackers", "guarantor", "factions")
    run(
        system, "route.propose", id="exit", operation="op", name={"en": "Exit"}, waypoints=WAYPOINTS
    )
    run(
        system,
        "convoy.plan",
        id="c1",
        operation="op",
        name={"en": "Wounded"},
        route="exit",
        route_version=1,
    )


def send(system: Mamar, parties: tuple[str, ...] = ("attackers", "guarantor")) -> None:
    run(
        system,
        "notification.send",
        when="2016-12-15T10:00+02:00",
        id="n1",
        operation="op",
        convoy="c1",
        route="exit",
        route_version=1,
        window_from="2016-12-15T12:00+02:00",
        window_until="2016-12-15T16:00+02:00",
        message=MESSAGE,
        parties=list(parties),
    )


def notice(system: Mamar) -> NotificationState:
    found: NotificationState = state(system, "notification", "n1")
    return found


def test_sent_notice_records_movement_and_parties(system: Mamar) -> None:
    movement(system)
    send(system)
    n = notice(system)
    assert n.status is NotificationStatus.SENT and n.visibility == "shared"
    assert (n.convoy, n.route, n.route_version) == ("c1", "exit", 1)
    assert n.window_from == "2016-12-15T12:00:00+02:00"
    assert n.window_until == "2016-12-15T16:00:00+02:00"
    assert n.parties == ("attackers", "guarantor")
    assert n.pending_parties() == ("attackers", "guarantor")
    assert n.message.original.startswith("تخرج")
    assert types_of(system, "notification:n1") == ["notification.sent"]


def test_status_follows_acknowledgements(system: Mamar) -> None:
    movement(system)
    send(system)
    run(
        system,
        "notification.acknowledge",
        when="2016-12-15T10:20+02:00",
        id="n1",
        party="guarantor",
        note="received by the translator",
    )
    n = notice(system)
    assert n.status is NotificationStatus.PARTIALLY_ACKNOWLEDGED
    assert n.acknowledgements[0].party == "guarantor"
    assert n.acknowledgements[0].by == "system"
    assert n.acknowledgements[0].at == "2016-12-15T10:20:00+02:00"
    assert n.pending_parties() == ("attackers",)
    run(system, "notification.acknowledge", id="n1", party="attackers")
    assert notice(system).status is NotificationStatus.ACKNOWLEDGED
    assert types_of(system, "notification:n1") == [
        "notification.sent",
        "notification.acknowledged",
        "notification.acknowledged",
    ]


def test_a_party_acknowledges_once_and_only_if_notified(system: Mamar) -> None:
    movement(system)
    send(system)
    run(system, "notification.acknowledge", id="n1", party="attackers")
    refused(
        system,
        "notification.acknowledge",
        field="party",
        code="already_acknowledged",
        id="n1",
        party="attackers",
    )
    refused(
        system,
        "notification.acknowledge",
        field="party",
        code="not_notified",
        id="n1",
        party="factions",
    )
    assert notice(system).status is NotificationStatus.PARTIALLY_ACKNOWLEDGED


def test_liaison_acknowledges_for_its_own_party_only(system: Mamar) -> None:
    movement(system)
    send(system)
    officer = liaison(system, "tr-translator", "guarantor")
    refused(
        system, "notification.acknowledge", NotPermitted, actor=officer, id="n1", party="attackers"
    )
    run(system, "notification.acknowledge", actor=officer, id="n1", party="guarantor")
    ack = notice(system).acknowledgements[0]
    assert (ack.party, ack.by) == ("guarantor", "tr-translator")


def test_liaison_may_not_send(system: Mamar) -> None:
    movement(system)
    officer = liaison(system, "tr-translator", "guarantor")
    with pytest.raises(NotPermitted):
        run(
            system,
            "notification.send",
            actor=officer,
            id="n2",
            operation="op",
            message=MESSAGE,
            parties=["guarantor"],
        )


def test_send_is_validated(system: Mamar) -> None:
    movement(system)
    base: dict[str, Any] = {"id": "n2", "operation": "op", "message": MESSAGE}
    refused(system, "notification.send", field="parties", code="no_parties", **base, parties=[])
    refused(
        system,
        "notification.send",
        field="parties",
        code="duplicate_party",
        **base,
        parties=["attackers", "attackers"],
    )
    refused(system, "notification.send", NotFound, field="parties", **base, parties=["nobody"])
    refused(
        system,
        "notification.send",
        NotFound,
        field="convoy",
        **base,
        parties=["attackers"],
        convoy="c9",
    )
    refused(
        system,
        "notification.send",
        field="route_version",
        code="unknown_version",
        **base,
        parties=["attackers"],
        route="exit",
        route_version=2,
    )
    refused(
        system,
        "notification.send",
        field="route_version",
        code="route_required",
        **base,
        parties=["attackers"],
        route_version=1,
    )
    refused(
        system,
        "notification.send",
        field="window_until",
        code="empty_window",
        **base,
        parties=["attackers"],
        window_from="2016-12-15T12:00+02:00",
        window_until="2016-12-15T11:00+02:00",
    )
