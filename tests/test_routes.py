"""Routes: versions, per-version approvals voided by a revision, rejections with reasons."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from mamar.domain.errors import DomainError, NotFound, NotPermitted
from mamar.routes.commands import ProposeRoute
from mamar.routes.model import RouteState, RouteStatus
from mamar.system import Mamar
from tests.movement_builders import liaison, refused, run, setup, state, types_of

RAMOUSEH = [
    {"lat": 36.177, "lon": 37.152, "label": "Sukkari"},
    {"lat": 36.158, "lon": 37.145, "label": "Ramouseh"},
    {"lat": 36.180, "lon": 37.075, "label": "Rashidin"},
]
LAYRAMOUN = [
    {"lat": 36.186, "lon": 37.154, "label": "Jisr al-Hajj roundabout"},
    {"lat": 36.233, "lon": 37.128, "label": "Layramoun roundabout"},
    {"lat": 36.250, "lon": 37.083, "label": "Kafr Hamra"},
]


def propose(system: Mamar, **extra: Any) -> None:
    run(
        system,
        "route.propose",
        when="2016-12-14T10:00+02:00",
        id="exit",
        operation="op",
        name={"ar": "طريق الراموسة", "en": "Ramouseh road"},
        proposed_by="attackers",
        waypoints=RAMOUSEH,
        **extra,
    )


def route(system: Mamar) -> RouteState:
    found: RouteState = state(system, "route", "exit")
    return found


def test_proposed_route_holds_version_one_and_is_shared(system: Mamar) -> None:
    setup(system, "attackers", "factions")
    propose(system, note="set by the other side")
    r = route(system)
    assert r.current_version == 1 and r.status is RouteStatus.PROPOSED
    assert r.visibility == "shared" and r.proposed_by == "attackers"
    labels = [w.label.original for w in r.current().waypoints if w.label]
    assert labels == ["Sukkari", "Ramouseh", "Rashidin"]
    assert r.versions[0].at == "2016-12-14T10:00:00+02:00"
    assert types_of(system, "route:exit") == ["route.proposed"]


def test_revision_voids_earlier_approvals(system: Mamar) -> None:
    setup(system, "attackers", "factions", "guarantor")
    propose(system)
    run(system, "route.approve", id="exit", version=1, party="attackers")
    run(system, "route.approve", id="exit", version=1, party="factions", note="agreed by phone")
    r = route(system)
    assert r.status is RouteStatus.APPROVED
    assert r.approved_parties_for_current() == ("attackers", "factions")

    events = run(
        system,
        "route.revise",
        when="2016-12-14T17:30+02:00",
        id="exit",
        proposed_by="attackers",
        waypoints=LAYRAMOUN,
        note="after sunset",
    )
    assert events[0].type == "route.revised"
    assert events[0].data["version"] == 2
    assert events[0].data["voided"] == ["attackers", "factions"]
    r = route(system)
    assert r.current_version == 2 and r.status is RouteStatus.PROPOSED
    assert r.approved_parties_for_current() == ()
    # The old approvals stay in the record, tied to version 1.
    assert [(a.version, a.party) for a in r.approvals] == [(1, "attackers"), (1, "factions")]
    assert [v.version for v in r.versions] == [1, 2]
    label = r.versions[0].waypoints[1].label
    assert label is not None and label.original == "Ramouseh"

    # Approving the old version is refused; the new one needs its own approvals.
    refused(
        system,
        "route.approve",
        field="version",
        code="not_current_version",
        id="exit",
        version=1,
        party="factions",
    )
    run(system, "route.approve", id="exit", version=2, party="attackers")
    assert route(system).approved_parties_for_current() == ("attackers",)


def test_rejection_needs_reasons_and_sets_status(system: Mamar) -> None:
    setup(system, "attackers", "factions")
    propose(system)
    run(system, "route.revise", id="exit", proposed_by="attackers", waypoints=LAYRAMOUN)
    refused(
        system,
        "route.reject",
        field="reasons",
        code="reason_required",
        id="exit",
        version=2,
        party="factions",
        reasons=[],
    )
    refused(
        system,
        "route.reject",
        field="reasons",
        id="exit",
        version=2,
        party="factions",
        reasons=["  "],
    )
    run(
        system,
        "route.reject",
        id="exit",
        version=2,
        party="factions",
        reasons=["no safety guarantee", "a long way inside areas controlled by the other side"],
    )
    r = route(system)
    assert r.status is RouteStatus.REJECTED
    assert r.rejections[0].reasons[0].original == "no safety guarantee"
    assert r.rejecting_parties_for_current() == ("factions",)
    refused(
        system,
        "route.reject",
        field="party",
        code="already_rejected",
        id="exit",
        version=2,
        party="factions",
        reasons=["again"],
    )
    # After a guarantee the same party may change its mind: its latest decision counts.
    run(system, "route.approve", id="exit", version=2, party="factions", note="guaranteed")
    r = route(system)
    assert r.status is RouteStatus.APPROVED
    assert r.approved_parties_for_current() == ("factions",)
    assert len(r.rejections) == 1


def test_one_rejection_outweighs_other_approvals(system: Mamar) -> None:
    setup(system, "attackers", "factions")
    propose(system)
    run(system, "route.approve", id="exit", version=1, party="attackers")
    run(system, "route.reject", id="exit", version=1, party="factions", reasons=["gunfire"])
    assert route(system).status is RouteStatus.REJECTED


def test_a_party_approves_a_version_once(system: Mamar) -> None:
    setup(system, "attackers")
    propose(system)
    run(system, "route.approve", id="exit", version=1, party="attackers")
    refused(
        system,
        "route.approve",
        field="party",
        code="already_approved",
        id="exit",
        version=1,
        party="attackers",
    )
    refused(system, "route.approve", NotFound, field="party", id="exit", version=1, party="nobody")
    refused(system, "route.approve", field="version", id="exit", version=2, party="attackers")


def test_waypoints_are_checked(system: Mamar) -> None:
    setup(system, "attackers")
    refused(
        system,
        "route.propose",
        field="waypoints",
        code="too_few_waypoints",
        id="short",
        operation="op",
        name={"en": "Short"},
        waypoints=RAMOUSEH[:1],
    )
    refused(
        system,
        "route.propose",
        NotFound,
        field="proposed_by",
        id="r",
        operation="op",
        name={"en": "R"},
        proposed_by="nobody",
        waypoints=RAMOUSEH,
    )
    refused(
        system,
        "route.propose",
        NotFound,
        field="waypoints.1.place",
        id="r",
        operation="op",
        name={"en": "R"},
        waypoints=[RAMOUSEH[0], {**RAMOUSEH[1], "place": "nowhere"}],
    )
    run(
        system,
        "place.register",
        id="ramouseh",
        operation="op",
        name={"en": "Ramouseh"},
        place_kind="neighbourhood",
    )
    run(
        system,
        "route.propose",
        id="r",
        operation="op",
        name={"en": "R"},
        waypoints=[RAMOUSEH[0], {**RAMOUSEH[1], "place": "ramouseh"}],
    )
    assert state(system, "route", "r").versions[0].waypoints[1].place == "ramouseh"
    propose(system)
    refused(
        system, "route.revise", field="waypoints", code="unchanged", id="exit", waypoints=RAMOUSEH
    )
    assert route(system).current_version == 1


@pytest.mark.parametrize(
    ("point", "field"),
    [({"lat": 91.0, "lon": 37.1}, "lat"), ({"lat": 36.1, "lon": -180.5}, "lon")],
)
def test_coordinates_out_of_range_are_refused_naming_the_field(
    point: dict[str, float], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        ProposeRoute.model_validate(
            {"id": "r", "operation": "op", "name": {"en": "R"}, "waypoints": [RAMOUSEH[0], point]}
        )
    error = caught.value.errors()[0]
    assert error["loc"] == ("waypoints", 1, field)
    assert ("latitude" if field == "lat" else "longitude") in error["msg"]


def test_coordinates_must_be_finite() -> None:
    with pytest.raises(ValidationError, match="latitude"):
        ProposeRoute.model_validate(
            {
                "id": "r",
                "operation": "op",
                "name": {"en": "R"},
                "waypoints": [RAMOUSEH[0], {"lat": float("nan"), "lon": 37.0}],
            }
        )


def test_liaison_decides_only_for_its_own_party(system: Mamar) -> None:
    setup(system, "attackers", "factions")
    propose(system)
    officer = liaison(system, "ru-officer", "attackers")
    refused(
        system, "route.approve", NotPermitted, actor=officer, id="exit", version=1, party="factions"
    )
    run(system, "route.approve", actor=officer, id="exit", version=1, party="attackers")
    assert route(system).approved_parties_for_current() == ("attackers",)


def test_observer_may_not_approve(system: Mamar) -> None:
    setup(system, "attackers")
    propose(system)
    run(system, "account.create", id="watcher", display_name="W", role="observer")
    with pytest.raises(NotPermitted):
        run(
            system,
            "route.approve",
            actor=system.actor("watcher"),
            id="exit",
            version=1,
            party="attackers",
        )


def test_convoy_can_take_a_route_version(system: Mamar) -> None:
    setup(system, "attackers")
    propose(system)
    run(system, "route.revise", id="exit", waypoints=LAYRAMOUN)
    run(
        system,
        "convoy.plan",
        id="c1",
        operation="op",
        name={"en": "Wounded"},
        route="exit",
        route_version=2,
    )
    with pytest.raises(DomainError) as caught:
        run(system, "convoy.assign_route", id="c1", route="exit", route_version=3)
    assert caught.value.field == "route_version"
