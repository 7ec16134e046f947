"""Who does what in an agreement (facilitators, brokers, observers; parties joining and
leaving; unilateral declarations), and its phases, conditions, partial fulfilment and
linked movements (issue 15, points 1 and 2)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mamar.agreements.commands import DraftAgreement
from mamar.convoys.links import waiting
from mamar.domain.errors import DomainError, NotFound
from mamar.projections.entities import dump, rebuild
from mamar.reads.negotiation import negotiation_state
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.negotiation_builders import (
    command,
    operation_with_parties,
    refused,
    run,
    state,
)

# A two-way exchange in two phases: phase 2 starts when phase 1's convoys arrived;
# detainees are released in exchange for the evacuation of the wounded.
TERMS = [
    {"type": "phase", "number": 1, "description": "The wounded of both towns leave"},
    {
        "type": "phase",
        "number": 2,
        "description": "Everyone else who wishes to leave",
        "condition": {"kind": "convoys_arrived", "phase": 1},
    },
    {"type": "evacuation", "who": "wounded", "count": 200, "phase": 1, "key": "wounded"},
    {
        "type": "release",
        "subjects": "detainees",
        "count": 1500,
        "by_party": "government-forces",
        "phase": 1,
        "key": "detainees",
        "condition": {"kind": "in_exchange", "term": "wounded"},
    },
    {"type": "evacuation", "who": "civilians", "phase": 2},
]


def draft(**changes: object) -> DraftAgreement:
    fields: dict[str, object] = {
        "id": "exchange",
        "operation": "op",
        "title": {"en": "Exchange agreement"},
        "parties": ("factions", "government-forces"),
        "guarantors": ("russia",),
        "facilitators": ("sarc",),
        "brokers": ("turkey",),
        "observers": ("icrc",),
        "terms": TERMS,
    }
    fields.update(changes)
    return DraftAgreement.model_validate(fields)


def convoy(system: Mamar, convoy_id: str) -> None:
    run(system, command("convoy.plan", id=convoy_id, operation="op", name={"en": convoy_id}))


def move(system: Mamar, convoy_id: str, *statuses: str) -> None:
    for status in statuses:
        run(system, command("convoy.change_status", id=convoy_id, status=status))


@pytest.fixture
def concluded(system: Mamar) -> Mamar:
    operation_with_parties(system)
    run(system, draft())
    run(system, command("agreement.conclude", id="exchange", status="in_force"))
    return system


def test_each_role_is_named_on_the_agreement_and_kept_by_replay(concluded: Mamar) -> None:
    held = state(concluded, "agreement", "exchange")
    assert (held.facilitators, held.brokers, held.observers) == (("sarc",), ("turkey",), ("icrc",))
    assert held.guarantors == ("russia",) and held.declared_by is None
    assert held.versions[0].parties == ("factions", "government-forces")
    with concluded.writing() as conn:
        before = dump(conn)
        rebuild(conn)
        assert dump(conn) == before


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"facilitators": ("factions",)}, "party_in_role", "facilitators"),
        ({"observers": ("turkey",)}, "two_roles", "observers"),
        ({"brokers": ("nobody",)}, None, "brokers"),
        ({"declared_by": "russia"}, "declarer_not_party", "declared_by"),
        (
            {"terms": [{"type": "evacuation", "who": "wounded", "phase": 3}]},
            "unknown_phase",
            "terms[0].phase",
        ),
        (
            {
                "terms": [
                    {
                        "type": "release",
                        "subjects": "detainees",
                        "condition": {"kind": "in_exchange", "term": "nothing"},
                    }
                ]
            },
            "unknown_term",
            "terms[0].condition",
        ),
    ],
)
def test_roles_and_conditions_that_cannot_hold_are_refused(
    system: Mamar, changes: dict[str, object], code: str | None, field: str
) -> None:
    operation_with_parties(system)
    error = NotFound if code is None else DomainError
    refused(system, draft(**changes), error, code=code, field=field)


def test_a_declaration_by_one_party_needs_no_second_party(system: Mamar) -> None:
    operation_with_parties(system)
    with pytest.raises(ValidationError, match="declared_by"):
        draft(parties=("government-forces",), facilitators=(), brokers=(), observers=())
    run(
        system,
        draft(
            id="pause",
            parties=("government-forces",),
            declared_by="government-forces",
            terms=[{"type": "ceasefire", "area": "the eastern districts"}],
        ),
    )
    assert state(system, "agreement", "pause").declared_by == "government-forces"


def test_parties_join_and_leave_in_a_new_version(concluded: Mamar) -> None:
    system = concluded
    events = run(
        system,
        command(
            "agreement.adopt_version",
            id="exchange",
            terms=TERMS,
            joined=("russia",),
            left=("factions",),
            note="the guarantor signs as a party; the factions withdraw",
        ),
    )
    assert events[0].data["joined"] == ["russia"] and events[0].data["left"] == ["factions"]
    held = state(system, "agreement", "exchange")
    assert held.parties == ("government-forces", "russia")
    assert held.versions[1].parties == held.parties and held.versions[0].parties[0] == "factions"
    refused(
        system,
        command("agreement.adopt_version", id="exchange", terms=TERMS, joined=("russia",)),
        code="already_party",
        field="joined",
    )
    refused(
        system,
        command("agreement.adopt_version", id="exchange", terms=TERMS, joined=("sarc",)),
        code="party_in_role",
    )
    refused(
        system,
        command("agreement.adopt_version", id="exchange", terms=TERMS, left=("russia",)),
        code="too_few_parties",
    )


def test_roles_are_named_again_and_those_not_given_stay(concluded: Mamar) -> None:
    # A broker may guarantee as well (the brokering states often do).
    run(
        concluded,
        command("agreement.name_roles", id="exchange", guarantors=("russia", "turkey"), brokers=()),
    )
    held = state(concluded, "agreement", "exchange")
    assert held.guarantors == ("russia", "turkey") and held.brokers == ()
    assert held.facilitators == ("sarc",) and held.observers == ("icrc",)
    refused(
        concluded,
        command("agreement.name_roles", id="exchange", guarantors=("russia", "turkey")),
        code="unchanged",
    )


def test_a_new_version_names_its_own_guarantors_and_the_old_one_keeps_its(
    concluded: Mamar,
) -> None:
    run(
        concluded,
        command(
            "agreement.adopt_version",
            id="exchange",
            terms=TERMS[:-1],
            guarantors=("russia", "turkey"),
            brokers=(),
        ),
    )
    held = state(concluded, "agreement", "exchange")
    first, renewed = held.versions
    assert first.guarantors == ("russia",) and first.brokers == ("turkey",)
    assert renewed.guarantors == ("russia", "turkey") and renewed.brokers == ()
    assert renewed.facilitators == ("sarc",) and held.guarantors == renewed.guarantors
    # Roles named while version 2 is current are version 2's.
    run(concluded, command("agreement.name_roles", id="exchange", observers=()))
    held = state(concluded, "agreement", "exchange")
    assert held.versions[1].observers == () and held.versions[0].observers == ("icrc",)
    # Only the roles change: that is a new version too; a role holder may not be a party.
    run(
        concluded,
        command("agreement.adopt_version", id="exchange", terms=TERMS[:-1], observers=("icrc",)),
    )
    refused(
        concluded,
        command("agreement.adopt_version", id="exchange", terms=TERMS, brokers=("factions",)),
        code="party_in_role",
    )


def test_partial_fulfilment_with_evidence_then_whole(concluded: Mamar) -> None:
    system = concluded
    run(
        system,
        command(
            "incident.report",
            id="release-witnessed",
            operation="op",
            event_type="strategic_developments",
            description={"original": "Released detainees seen at the crossing", "language": "en"},
            source={"text": "own team on the ground", "kind": "own_team"},
        ),
    )
    run(
        system,
        command(
            "agreement.record_fulfilment",
            id="exchange",
            term="detainees",
            status="partial",
            done=750,
            evidence=[{"kind": "incident", "id": "release-witnessed"}],
        ),
    )
    latest = state(system, "agreement", "exchange").fulfilment_of("detainees")
    assert (latest.status, latest.done, latest.of) == ("partial", 750, 1500)
    assert latest.evidence[0].id == "release-witnessed"
    refused(
        system,
        command(
            "agreement.record_fulfilment",
            id="exchange",
            term="detainees",
            status="fulfilled",
            done=1600,
        ),
        code="more_than_agreed",
        field="done",
    )
    refused(
        system,
        command(
            "agreement.record_fulfilment",
            id="exchange",
            term="detainees",
            status="fulfilled",
            done=900,
        ),
        code="not_whole",
    )
    refused(
        system,
        command(
            "agreement.record_fulfilment", id="exchange", term="nothing", status="partial", done=1
        ),
        code="unknown_term",
    )
    refused(
        system,
        command(
            "agreement.record_fulfilment",
            id="exchange",
            term="detainees",
            status="partial",
            done=800,
            evidence=[{"kind": "incident", "id": "made-up"}],
        ),
        NotFound,
        field="evidence",
    )


def test_phase_two_waits_for_phase_ones_convoys_and_the_overview_says_so(
    concluded: Mamar,
) -> None:
    system = concluded
    convoy(system, "north-wounded")
    convoy(system, "south-wounded")
    run(
        system,
        command(
            "agreement.assign_convoys",
            id="exchange",
            phase=1,
            convoys=("north-wounded", "south-wounded"),
        ),
    )
    run(system, command("agreement.change_phase", id="exchange", phase=1, status="started"))
    move(system, "north-wounded", "preparing", "departed", "arrived")
    with system.reading() as conn:
        seen = negotiation_state(conn, viewer=SYSTEM, operation="op")
    (agreement,) = seen["agreements"]
    second = agreement["phases"][1]
    assert second["status"] == "not_started" and second["holds"] is False
    assert {w["convoy"]: w["status"] for w in second["waiting_for"]} == {
        "north-wounded": "arrived",
        "south-wounded": "planned",
    }
    # Started anyway: recorded, and the record says the condition did not hold.
    events = run(
        system, command("agreement.change_phase", id="exchange", phase=2, status="started")
    )
    assert events[0].data["condition_met"] is False
    move(system, "south-wounded", "preparing", "departed", "arrived")
    run(system, command("agreement.change_phase", id="exchange", phase=1, status="completed"))
    refused(
        system,
        command("agreement.change_phase", id="exchange", phase=1, status="completed"),
        code="phase_already",
    )
    refused(
        system,
        command("agreement.change_phase", id="exchange", phase=4, status="started"),
        code="unknown_phase",
    )
    with system.reading() as conn:
        seen = negotiation_state(conn, viewer=SYSTEM, operation="op")
    assert seen["agreements"][0]["phases"][1]["holds"] is True


def test_linked_convoys_wait_for_each_other(concluded: Mamar) -> None:
    system = concluded
    convoy(system, "from-north")
    convoy(system, "from-south")
    run(system, command("convoy.wait_for", id="from-north", waits_for="from-south", until="staged"))
    run(system, command("convoy.wait_for", id="from-south", waits_for="from-north", until="staged"))
    refused(
        system,
        command("convoy.wait_for", id="from-north", waits_for="from-north"),
        code="self_wait",
    )
    refused(
        system,
        command("convoy.wait_for", id="from-north", waits_for="from-south"),
        code="already_waiting",
    )
    refused(
        system,
        command("convoy.wait_for", id="from-north", waits_for="nowhere", until="planned"),
        code="bad_until",
    )
    move(system, "from-north", "staged")

    def now() -> dict[str, list[dict[str, object]]]:
        with system.reading() as conn:
            from mamar import reads

            convoys = reads.list_entities(conn, viewer=SYSTEM, operation="op", kind="convoy")
        return waiting(convoys)

    held = now()
    assert [(w["waits_for"], w["done"]) for w in held["from-north"]] == [("from-south", False)]
    assert [(w["waits_for"], w["done"]) for w in held["from-south"]] == [("from-north", True)]
    run(system, command("convoy.stop_waiting", id="from-north", waits_for="from-south"))
    assert "from-north" not in now()
