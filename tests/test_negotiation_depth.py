"""Negotiation in depth: mandates enforced when tabling, positions per member of a side and
the side's combined position, proposals linked to the terms they became, how to reach
someone over several intermediaries, and the negotiation's state (issue 15, point 8)."""

from __future__ import annotations

from typing import Any

import pytest

from mamar.domain.errors import DomainError
from mamar.domain.visibility import Role
from mamar.parties.refs import PartyOrPerson, WhoKind
from mamar.reads.negotiation import (
    combined_positions,
    negotiation_state,
    proposal_outcomes,
    reach_path,
)
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.negotiation_builders import (
    as_role,
    command,
    issue,
    operation_with_parties,
    refused,
    run,
    state,
)

SARC_NEGOTIATOR = as_role(Role.NEGOTIATOR, "sarc")
FACTIONS_NEGOTIATOR = as_role(Role.NEGOTIATOR, "factions")


def proposal(proposal_id: str, **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "id": proposal_id,
        "operation": "op",
        "from_party": "factions",
        "to_party": "russia",
        "issues": ("exit",),
        "terms": [{"type": "evacuation", "who": "wounded"}],
        **changes,
    }
    return command("proposal.table", **fields)


def mandate(system: Mamar, mandate_id: str, to: dict[str, str], **changes: Any) -> None:
    fields: dict[str, Any] = {
        "id": mandate_id,
        "operation": "op",
        "granted_by": ("factions",),
        "to": to,
        "scope": "Carry the factions' proposals on the exit",
        "issues": ("exit",),
        **changes,
    }
    run(system, command("mandate.grant", **fields), when="2016-12-12T10:00+02:00")


@pytest.fixture
def negotiating(system: Mamar) -> Mamar:
    operation_with_parties(system)
    issue(system)
    run(system, command("issue.raise", id="detainees", operation="op", title={"en": "Detainees"}))
    return system


def test_a_proposal_on_behalf_of_another_party_needs_its_mandate(negotiating: Mamar) -> None:
    system = negotiating
    refused(system, proposal("p1"), code="no_mandate", field="mandate", actor=SARC_NEGOTIATOR)
    # Its own party's proposals, and those addressed to its own party, need none.
    run(system, proposal("own"), actor=FACTIONS_NEGOTIATOR)
    run(
        system,
        proposal("received", from_party="russia", to_party="factions"),
        actor=FACTIONS_NEGOTIATOR,
    )
    mandate(system, "carry-exit", {"kind": "party", "id": "sarc"})
    refused(
        system,
        proposal("p2", mandate="carry-exit", issues=("exit", "detainees")),
        code="mandate_scope",
        field="issues",
        actor=SARC_NEGOTIATOR,
    )
    refused(
        system,
        proposal("p3", mandate="carry-exit", from_party="government-forces"),
        code="mandate_not_from_party",
        actor=SARC_NEGOTIATOR,
    )
    refused(
        system,
        proposal("p4", mandate="carry-exit"),
        code="mandate_not_held",
        actor=as_role(Role.NEGOTIATOR, "icrc"),
    )
    run(system, proposal("p5", mandate="carry-exit"), actor=SARC_NEGOTIATOR)
    assert state(system, "proposal", "p5").mandate == "carry-exit"
    run(system, command("mandate.revoke", id="carry-exit"))
    refused(
        system, proposal("p6", mandate="carry-exit"), code="mandate_ended", actor=SARC_NEGOTIATOR
    )


def test_a_mandate_given_to_a_person_is_held_by_that_persons_party(negotiating: Mamar) -> None:
    system = negotiating
    run(
        system,
        command(
            "person.register",
            id="sarc-envoy",
            operation="op",
            party="sarc",
            role_title={"en": "Envoy"},
        ),
    )
    mandate(
        system,
        "envoy-mandate",
        {"kind": "person", "id": "sarc-envoy"},
        valid_until="2016-12-13T00:00+02:00",
    )
    refused(
        system,
        proposal("late", mandate="envoy-mandate"),
        code="mandate_out_of_term",
        actor=SARC_NEGOTIATOR,
    )
    run(
        system,
        proposal("in-time", mandate="envoy-mandate"),
        actor=SARC_NEGOTIATOR,
        when="2016-12-12T12:00+02:00",
    )


def test_a_sides_combined_position_shows_where_members_meet_and_differ(
    negotiating: Mamar,
) -> None:
    system = negotiating
    run(
        system,
        command(
            "side.form",
            id="coalition",
            operation="op",
            name={"en": "Coalition"},
            members=("government-forces", "russia", "turkey"),
        ),
    )
    wounded = {"type": "evacuation", "who": "wounded", "description": "by ambulance"}
    run(
        system,
        command(
            "position.state",
            id="gov-exit",
            operation="op",
            party="government-forces",
            issue="exit",
            stance="The wounded first; nobody else is released",
            terms=[wounded, {"type": "weapons_handover", "description": "all weapons"}],
        ),
    )
    run(
        system,
        command(
            "position.state",
            id="russia-exit",
            operation="op",
            party="russia",
            issue="exit",
            terms=[wounded, {"type": "weapons_handover", "description": "heavy weapons only"}],
        ),
    )
    with system.reading() as conn:
        (held,) = combined_positions(conn, viewer=SYSTEM, operation="op")
    assert held["side"] == "coalition" and held["issue"] == "exit"
    assert [t["type"] for t in held["meet"]] == ["evacuation"]
    (differ,) = held["differ"]
    assert differ["key"] == "weapons_handover"
    assert differ["by_party"]["russia"]["description"]["original"] == "heavy weapons only"
    assert held["silent"] == ["turkey"]
    # A revision of the terms moves the common ground.
    run(
        system,
        command(
            "position.revise",
            id="gov-exit",
            terms=[wounded, {"type": "weapons_handover", "description": "heavy weapons only"}],
        ),
    )
    with system.reading() as conn:
        (held,) = combined_positions(conn, viewer=SYSTEM, operation="op")
    assert [t["type"] for t in held["meet"]] == ["evacuation", "weapons_handover"]
    assert held["differ"] == []
    refused(
        system,
        command(
            "position.revise",
            id="gov-exit",
            terms=[wounded, {"type": "weapons_handover", "description": "heavy weapons only"}],
        ),
        code="unchanged",
    )


def test_proposals_are_linked_to_the_terms_they_became_and_the_state_shows_it(
    negotiating: Mamar,
) -> None:
    system = negotiating
    run(system, proposal("initiative"))
    run(system, command("proposal.respond", id="initiative", outcome="accepted"))
    run(
        system,
        command(
            "agreement.draft",
            id="deal",
            operation="op",
            title={"en": "Deal"},
            parties=("factions", "russia"),
            terms=[{"type": "evacuation", "who": "wounded", "proposal": "initiative"}],
        ),
    )
    run(system, command("agreement.conclude", id="deal"))
    refused(
        system,
        command(
            "agreement.adopt_version",
            id="deal",
            terms=[{"type": "evacuation", "who": "wounded", "proposal": "nothing"}],
        ),
        field="terms[0].proposal",
        error=DomainError,
    )
    run(system, proposal("follow-up", issues=("detainees",)), when="2016-12-14T09:00+02:00")
    with system.reading() as conn:
        became = proposal_outcomes(conn, viewer=SYSTEM, operation="op")
        seen = negotiation_state(conn, viewer=SYSTEM, operation="op")
    assert became == {
        "initiative": [{"agreement": "deal", "version": 1, "term": "evacuation:wounded"}]
    }
    assert {i["id"] for i in seen["open_issues"]} == {"exit", "detainees"}
    assert seen["last_proposal"]["id"] == "follow-up"
    assert seen["awaiting_answer"] == 1 and seen["proposals"] == 2
    assert [v["version"] for v in seen["agreements"][0]["versions"]] == [1]


def test_how_to_reach_someone_over_several_intermediaries(negotiating: Mamar) -> None:
    system = negotiating

    def channel(channel_id: str, source: str, target: str, status: str = "active") -> None:
        run(
            system,
            command(
                "channel.open",
                id=channel_id,
                operation="op",
                source={"kind": "party", "id": source},
                target={"kind": "party", "id": target},
                via=[{"kind": "party", "id": "sarc"}] if channel_id == "to-russia" else [],
                status=status,
            ),
            when="2016-12-12T10:00+02:00",
        )

    channel("to-russia", "factions", "russia", "dormant")
    channel("russia-turkey", "russia", "turkey")
    channel("turkey-icrc", "turkey", "icrc")
    run(
        system,
        command("channel.change_status", id="turkey-icrc", status="broken"),
        when="2016-12-12T11:00+02:00",
    )
    run(
        system,
        command(
            "contact.log",
            id="call",
            operation="op",
            direction="outbound",
            medium="phone",
            channel="to-russia",
            source={"kind": "party", "id": "factions"},
            target={"kind": "party", "id": "russia"},
        ),
        when="2016-12-12T19:00+02:00",
    )

    def path(goal: str) -> list[dict[str, Any]] | None:
        with system.reading() as conn:
            return reach_path(
                conn,
                viewer=SYSTEM,
                operation="op",
                start=PartyOrPerson(kind=WhoKind.PARTY, id="factions"),
                goal=PartyOrPerson(kind=WhoKind.PARTY, id=goal),
            )

    found = path("turkey")
    assert found is not None
    assert [hop["channel"] for hop in found] == ["to-russia", "russia-turkey"]
    assert found[0]["via"] == [{"kind": "party", "id": "sarc"}]
    assert found[0]["last_worked"] == "2016-12-12T19:00:00+02:00"  # the call, not the opening
    assert found[1]["last_worked"] == "2016-12-12T10:00:00+02:00"
    # Back the other way over the same channels; and no way over a broken one.
    assert path("factions") == []
    assert path("icrc") is None
