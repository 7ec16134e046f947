"""Issues, proposals and counter-proposals, positions and their confidential bottom lines."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from mamar.access.viewer import viewer_of
from mamar.domain.errors import DomainError, IllegalTransition, NotFound, NotPermitted
from mamar.domain.model import Actor
from mamar.domain.visibility import Role, Visibility
from mamar.negotiation.commands import (
    CloseIssue,
    RaiseIssue,
    RespondToProposal,
    RevisePosition,
    StatePosition,
    TableProposal,
    WithdrawProposal,
)
from mamar.negotiation.model import response_time
from mamar.negotiation.terms import (
    Arms,
    EvacuationTerm,
    Evacuees,
    NonDetentionTerm,
    Term,
    WeaponsHandoverTerm,
    term_keys,
)
from mamar.system import Mamar
from tests.negotiation_builders import (
    as_role,
    command,
    issue,
    journal_count,
    operation_with_parties,
    refused,
    run,
    state,
    stream,
)

NEGOTIATOR = as_role(Role.NEGOTIATOR)
OPERATIONS = as_role(Role.OPERATIONS)

# S13: the counter-offer.
COUNTER_TERMS = [
    {
        "type": "evacuation",
        "who": "everyone",
        "destination_text": "camps run by the government",
        "label": {"original": "خروج آمن", "translation": "safe exit", "translation_language": "en"},
    },
    {
        "type": "non_detention",
        "beneficiaries": "all who leave",
        "exception": "those involved in blood",
    },
    {"type": "weapons_handover", "description": "weapons handed over before leaving"},
]


def _words(text: Any) -> str | None:
    """The original words of a free text (kept with its language), as a record or its JSON."""
    if text is None:
        return None
    return str(text["original"] if isinstance(text, dict) else text.original)


def initiative(**changes: object) -> TableProposal:
    fields: dict[str, object] = {
        "id": "initiative",
        "operation": "op",
        "from_party": "factions",
        "to_party": "russia",
        "via_parties": ("sarc",),
        "issues": ("exit",),
        "terms": [
            {"type": "ceasefire", "area": "east Aleppo"},
            {"type": "evacuation", "who": "wounded", "belongings": "none"},
        ],
        "text": {
            "original": "مبادرة الفصائل كما أرسلت إلى الاتحاد الأوروبي",
            "translation": "The factions' initiative as sent to the EU",
            "translation_language": "en",
        },
    }
    fields.update(changes)
    return TableProposal.model_validate(fields)


def counter_offer(**changes: object) -> TableProposal:
    fields: dict[str, object] = {
        "id": "counter-offer",
        "operation": "op",
        "from_party": "russia",
        "to_party": "factions",
        "via_parties": ("sarc",),
        "terms": COUNTER_TERMS,
        "counter_to": "initiative",
    }
    fields.update(changes)
    return TableProposal.model_validate(fields)


@pytest.fixture
def negotiating(system: Mamar) -> Mamar:
    operation_with_parties(system)
    issue(system)
    return system


# --- terms --------------------------------------------------------------------------------


def test_terms_are_told_apart_by_type_and_refuse_unknown_types_and_hidden_characters() -> None:
    adapter: TypeAdapter[tuple[Term, ...]] = TypeAdapter(tuple[Term, ...])
    terms = adapter.validate_python(COUNTER_TERMS)
    assert [type(t) for t in terms] == [EvacuationTerm, NonDetentionTerm, WeaponsHandoverTerm]
    evacuation = terms[0]
    assert isinstance(evacuation, EvacuationTerm) and evacuation.who is Evacuees.EVERYONE
    assert evacuation.label is not None and evacuation.label.translations[0].text == "safe exit"
    with pytest.raises(ValidationError):
        adapter.validate_python([{"type": "surrender", "text": "x"}])
    with pytest.raises(ValidationError):
        adapter.validate_python([{"type": "weapons_handover", "description": "a\u202eb"}])
    with pytest.raises(ValidationError, match="starts_at"):
        adapter.validate_python(
            [
                {
                    "type": "ceasefire",
                    "area": "x",
                    "starts_at": "2016-12-13T20:00+02:00",
                    "ends_at": "2016-12-13T19:00+02:00",
                }
            ]
        )
    with pytest.raises(ValidationError, match="offset"):
        adapter.validate_python(
            [{"type": "ceasefire", "area": "x", "starts_at": "2016-12-13T20:00"}]
        )
    with pytest.raises(ValidationError):
        adapter.validate_python([{"type": "evacuation", "who": "fighters", "arms": "heavy"}])


def test_term_keys_match_terms_by_kind_and_number_repeats() -> None:
    adapter: TypeAdapter[tuple[Term, ...]] = TypeAdapter(tuple[Term, ...])
    terms = adapter.validate_python(
        [
            {"type": "ceasefire", "area": "a"},
            {"type": "evacuation", "who": "wounded"},
            {"type": "evacuation", "who": "wounded", "arms": Arms.NONE},
            {"type": "other", "text": {"original": "x", "language": "en"}, "key": "prisoners"},
            {"type": "other", "text": {"original": "y", "language": "en"}},
            {"type": "passage", "route": "ramouseh-road"},
        ]
    )
    assert term_keys(terms) == [
        "ceasefire",
        "evacuation:wounded",
        "evacuation:wounded#2",
        "prisoners",
        "other",
        "passage:ramouseh-road",
    ]


# --- issues -------------------------------------------------------------------------------


def test_issue_is_raised_and_closed_once(negotiating: Mamar) -> None:
    system = negotiating
    run(system, RaiseIssue(id="wounded", operation="op", title={"ar": "الجرحى"}))
    events = run(system, CloseIssue(id="wounded", reason="agreed in the preliminary agreement"))
    assert [e.type for e in events] == ["issue.closed"]
    closed = state(system, "issue", "wounded")
    assert closed.status == "closed" and _words(closed.closed_reason).startswith("agreed")
    refused(system, CloseIssue(id="wounded"), code="already_closed")
    refused(system, CloseIssue(id="nothing"), NotFound, field="id")


# --- proposals ----------------------------------------------------------------------------


def test_initiative_is_tabled_via_an_intermediary_with_terms_and_translated_text(
    negotiating: Mamar,
) -> None:
    system = negotiating
    run(system, command("person.register", id="sarc-official", operation="op", party="sarc"))
    events = run(
        system,
        initiative(via_persons=("sarc-official",)),
        actor=NEGOTIATOR,
        when="2016-12-12T19:00+02:00",
    )
    assert [e.type for e in events] == ["proposal.tabled"]
    assert events[0].data["terms"][1] == {
        "type": "evacuation",
        "who": "wounded",
        # Words given without their language are taken as Arabic, as any original is.
        "belongings": {"original": "none", "language": "und", "translations": []},
        "arms": None,
        "description": None,
        "destination": None,
        "destination_text": None,
        "route": None,
        "count": None,
        "label": None,
        "key": None,
        # Fields added later (issue 15): absent from older journals, None when not given.
        "phase": None,
        "condition": None,
        "proposal": None,
    }
    tabled = state(system, "proposal", "initiative")
    assert tabled.status == "tabled"
    assert (tabled.from_party, tabled.to_party) == ("factions", "russia")
    assert tabled.via_parties == ("sarc",) and tabled.via_persons == ("sarc-official",)
    assert tabled.text.translations[0].text == "The factions' initiative as sent to the EU"
    assert tabled.tabled_at == "2016-12-12T19:00:00+02:00" and tabled.responded_at is None
    assert response_time(tabled) is None


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"to_party": "nobody"}, NotFound, "to_party"),
        ({"from_party": "nobody"}, NotFound, "from_party"),
        ({"via_parties": ("sarc", "sarc")}, DomainError, "via_parties"),
        ({"via_persons": ("nobody",)}, NotFound, "via_persons"),
        ({"issues": ("nothing",)}, NotFound, "issues"),
        ({"to_party": "factions"}, DomainError, "to_party"),
        ({"terms": (), "text": None}, DomainError, "terms"),
        ({"counter_to": "nothing"}, NotFound, "counter_to"),
        ({"counter_to": "initiative"}, DomainError, "counter_to"),
        (
            {"terms": [{"type": "passage", "route": "no-such-road"}]},
            NotFound,
            "terms[0].route",
        ),
        (
            {"terms": [{"type": "humanitarian_access", "organisations": ["nobody"]}]},
            NotFound,
            "terms[0].organisations",
        ),
        (
            {
                "terms": [
                    {"type": "other", "text": {"original": "a", "language": "en"}, "key": "k"},
                    {"type": "other", "text": {"original": "b", "language": "en"}, "key": "k"},
                ]
            },
            DomainError,
            "terms[1].key",
        ),
    ],
)
def test_a_proposal_with_bad_references_is_refused_and_nothing_is_recorded(
    negotiating: Mamar, changes: dict[str, object], error: type[DomainError], field: str
) -> None:
    refused(negotiating, initiative(**changes), error, field=field)


def test_rejection_with_a_counter_offer_links_both_and_keeps_the_response_time(
    negotiating: Mamar,
) -> None:
    system = negotiating
    run(system, initiative(), when="2016-12-12T19:00+02:00")
    run(system, counter_offer(), when="2016-12-12T23:30+02:00")
    events = run(
        system,
        RespondToProposal(
            id="initiative",
            outcome="countered",
            reasons="exit only to government-run camps",
            counter="counter-offer",
        ),
        when="2016-12-12T23:30+02:00",
    )
    assert [e.type for e in events] == ["proposal.responded"]
    answered = state(system, "proposal", "initiative")
    assert answered.status == "countered" and answered.countered_by == "counter-offer"
    assert answered.reasons is not None
    assert answered.reasons.original == "exit only to government-run camps"
    assert response_time(answered) == timedelta(hours=4, minutes=30)
    counter = state(system, "proposal", "counter-offer")
    assert counter.counter_to == "initiative" and counter.status == "tabled"
    assert [t.type for t in counter.terms] == ["evacuation", "non_detention", "weapons_handover"]
    # Answered once: any further answer or withdrawal is an illegal transition.
    refused(system, RespondToProposal(id="initiative", outcome="accepted"), IllegalTransition)
    refused(system, WithdrawProposal(id="initiative"), IllegalTransition)
    # And an answered proposal can no longer be countered.
    refused(system, counter_offer(id="second-counter"), code="not_open", field="counter_to")


@pytest.mark.parametrize("outcome", ["accepted", "rejected"])
def test_accepting_or_rejecting_is_final(negotiating: Mamar, outcome: str) -> None:
    system = negotiating
    run(system, initiative())
    run(system, RespondToProposal(id="initiative", outcome=outcome, reasons="considered"))
    answered = state(system, "proposal", "initiative")
    assert answered.status == outcome and answered.countered_by is None
    for again in ("accepted", "rejected"):
        error = refused(
            system, RespondToProposal(id="initiative", outcome=again), IllegalTransition
        )
        assert "allowed next: none" in error.message
    refused(system, WithdrawProposal(id="initiative"), IllegalTransition)


def test_withdrawing_a_tabled_proposal_is_final(negotiating: Mamar) -> None:
    system = negotiating
    run(system, initiative())
    events = run(system, WithdrawProposal(id="initiative", reason="overtaken by events"))
    assert [e.type for e in events] == ["proposal.withdrawn"]
    withdrawn = state(system, "proposal", "initiative")
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawn_at is not None
    refused(system, WithdrawProposal(id="initiative"), IllegalTransition)
    refused(system, RespondToProposal(id="initiative", outcome="accepted"), IllegalTransition)


def test_a_countered_answer_must_name_a_real_counter_proposal(negotiating: Mamar) -> None:
    system = negotiating
    run(system, initiative())
    run(system, initiative(id="unrelated"))
    respond = RespondToProposal.model_validate
    refused(system, respond({"id": "initiative", "outcome": "countered"}), code="counter_missing")
    refused(
        system,
        respond({"id": "initiative", "outcome": "countered", "counter": "nothing"}),
        NotFound,
        field="counter",
    )
    refused(
        system,
        respond({"id": "initiative", "outcome": "countered", "counter": "unrelated"}),
        code="not_a_counter",
    )
    run(system, counter_offer())
    refused(
        system,
        respond({"id": "initiative", "outcome": "rejected", "counter": "counter-offer"}),
        code="counter_unexpected",
    )
    assert state(system, "proposal", "initiative").status == "tabled"


def test_the_addressed_partys_liaison_may_answer_a_shared_proposal_and_no_other(
    negotiating: Mamar,
) -> None:
    system = negotiating
    run(system, initiative(visibility="shared"))
    refused(
        system,
        RespondToProposal(id="initiative", outcome="rejected"),
        NotPermitted,
        actor=as_role(Role.LIAISON, "turkey"),
    )
    run(
        system,
        RespondToProposal(id="initiative", outcome="rejected", reasons="not acceptable"),
        actor=as_role(Role.LIAISON, "russia"),
    )
    assert state(system, "proposal", "initiative").status == "rejected"
    # An internal proposal is not even visible to a liaison.
    run(system, initiative(id="internal-draft"))
    refused(
        system,
        RespondToProposal(id="internal-draft", outcome="accepted"),
        NotFound,
        actor=as_role(Role.LIAISON, "russia"),
    )
    # Nor may a liaison table proposals.
    refused(
        system,
        initiative(id="x", visibility="shared"),
        NotPermitted,
        actor=as_role(Role.LIAISON, "russia"),
    )


# --- positions ----------------------------------------------------------------------------


def bottom_line_position(**changes: object) -> StatePosition:
    fields: dict[str, object] = {
        "id": "factions-exit",
        "operation": "op",
        "party": "factions",
        "issue": "exit",
        "stance": "leave with dignity, not surrender",
        "bottom_line": "everyone leaves to the north-west countryside",
        "red_lines": ("no 'reconciliation'", "no handover of the wounded to detention"),
        "ceiling": "fighters keep their light weapons",
    }
    fields.update(changes)
    return StatePosition.model_validate(fields)


def test_a_bottom_line_is_stored_in_the_negotiation_compartment_and_redacted(
    negotiating: Mamar,
) -> None:
    system = negotiating
    events = run(system, bottom_line_position(), actor=NEGOTIATOR)
    assert [e.type for e in events] == ["position.stated", "position.bottom_line_set"]
    assert [e.visibility for e in events] == ["internal", "negotiation"]
    assert "bottom_line" not in events[0].data and "red_lines" not in events[0].data
    assert events[1].data["ceiling"]["original"] == "fighters keep their light weapons"
    held = state(system, "position", "factions-exit")
    assert held.visibility is Visibility.INTERNAL
    assert _words(held.bottom_line) == "everyone leaves to the north-west countryside"
    confidential = {"bottom_line", "red_lines", "ceiling", "bottom_line_history"}
    for role in (Role.OPERATIONS, Role.MEDICAL, Role.MONITOR, Role.OBSERVER):
        seen = viewer_of(Actor(username="x", role=role)).redact(held)
        assert confidential.isdisjoint(seen), role
        assert _words(seen["stance"]) == "leave with dignity, not surrender"
    for role in (Role.NEGOTIATOR, Role.COORDINATOR, Role.ADMIN):
        seen = viewer_of(Actor(username="x", role=role)).redact(held)
        assert _words(seen["bottom_line"]) == "everyone leaves to the north-west countryside"
        assert [_words(x) for x in seen["red_lines"]] == [
            "no 'reconciliation'",
            "no handover of the wounded to detention",
        ]
        assert _words(seen["ceiling"]) == "fighters keep their light weapons"


def test_only_negotiators_coordinators_and_admins_set_bottom_lines(negotiating: Mamar) -> None:
    system = negotiating
    for role in (Role.OPERATIONS, Role.MEDICAL, Role.MONITOR):
        refused(system, bottom_line_position(), NotPermitted, actor=as_role(role))
        refused(
            system,
            bottom_line_position(bottom_line=None, ceiling=None),  # red lines alone
            NotPermitted,
            actor=as_role(role),
        )
    refused(system, bottom_line_position(), NotPermitted, actor=as_role(Role.OBSERVER))
    # A stance alone is not confidential: operations may record what a party said.
    events = run(
        system,
        bottom_line_position(bottom_line=None, red_lines=(), ceiling=None),
        actor=OPERATIONS,
    )
    assert [e.type for e in events] == ["position.stated"]
    refused(system, RevisePosition(id="factions-exit", ceiling="x"), NotPermitted, actor=OPERATIONS)
    refused(
        system, RevisePosition(id="factions-exit", red_lines=()), NotPermitted, actor=OPERATIONS
    )
    run(
        system,
        RevisePosition(id="factions-exit", ceiling="light weapons"),
        actor=as_role(Role.COORDINATOR),
    )
    assert _words(state(system, "position", "factions-exit").ceiling) == "light weapons"


def test_position_needs_a_party_an_issue_and_something_to_say(negotiating: Mamar) -> None:
    system = negotiating
    refused(system, bottom_line_position(party="nobody"), NotFound, field="party")
    refused(system, bottom_line_position(issue="nothing"), NotFound, field="issue")
    refused(
        system,
        bottom_line_position(stance=None, bottom_line=None, red_lines=(), ceiling=None),
        code="empty_position",
    )


def test_revisions_are_kept_and_only_what_is_given_changes(negotiating: Mamar) -> None:
    system = negotiating
    run(system, bottom_line_position(), actor=NEGOTIATOR, when="2016-12-13T08:00+02:00")
    events = run(
        system,
        RevisePosition(
            id="factions-exit", stance="exit with light weapons", note="after the factions met"
        ),
        actor=NEGOTIATOR,
        when="2016-12-13T11:00+02:00",
    )
    assert [e.type for e in events] == ["position.revised"]
    events = run(
        system,
        RevisePosition(
            id="factions-exit",
            bottom_line="wounded first, then everyone",
            bottom_line_note={"original": "S14", "language": "en"},
        ),
        actor=NEGOTIATOR,
        when="2016-12-13T15:00+02:00",
    )
    assert [(e.type, e.visibility) for e in events] == [("position.bottom_line_set", "negotiation")]
    # The bottom line's note is kept in the language it was given in.
    assert events[0].data["note"] == {"original": "S14", "language": "en", "translations": []}
    # The whole confidential set travels in each event: red lines and ceiling kept.
    assert [_words(x) for x in events[0].data["red_lines"]] == [
        "no 'reconciliation'",
        "no handover of the wounded to detention",
    ]
    events = run(
        system,
        RevisePosition(id="factions-exit", stance="exit to Idlib", red_lines=()),
        actor=NEGOTIATOR,
        when="2016-12-13T18:00+02:00",
    )
    assert [e.type for e in events] == ["position.revised", "position.bottom_line_set"]
    held = state(system, "position", "factions-exit")
    assert _words(held.stance) == "exit to Idlib"
    assert [(r.revision, _words(r.stance)) for r in held.revisions] == [
        (1, "leave with dignity, not surrender"),
        (2, "exit with light weapons"),
        (3, "exit to Idlib"),
    ]
    assert _words(held.revisions[1].note) == "after the factions met"
    assert _words(held.bottom_line) == "wounded first, then everyone" and held.red_lines == ()
    assert _words(held.ceiling) == "fighters keep their light weapons"
    assert [_words(h.bottom_line) for h in held.bottom_line_history] == [
        "everyone leaves to the north-west countryside",
        "wounded first, then everyone",
        "wounded first, then everyone",
    ]
    assert _words(held.bottom_line_history[1].note) == "S14"
    assert len(stream(system, "position", "factions-exit")) == 6


def test_revisions_that_change_nothing_are_refused(negotiating: Mamar) -> None:
    system = negotiating
    run(system, bottom_line_position(), actor=NEGOTIATOR)
    before = journal_count(system)
    refused(system, RevisePosition(id="factions-exit"), code="nothing_to_revise", actor=NEGOTIATOR)
    refused(
        system,
        RevisePosition(id="factions-exit", stance="leave with dignity, not surrender"),
        code="unchanged",
        actor=NEGOTIATOR,
    )
    refused(
        system,
        RevisePosition(id="factions-exit", ceiling="fighters keep their light weapons"),
        code="unchanged",
        actor=NEGOTIATOR,
    )
    refused(system, RevisePosition(id="factions-exit", note="why"), code="stance_missing")
    refused(
        system,
        RevisePosition(id="factions-exit", bottom_line_note="why"),
        code="bottom_line_missing",
    )
    assert journal_count(system) == before
