"""Guarantees: who guaranteed what to whom, through which channel, and whether it held."""

from __future__ import annotations

import pytest

from mamar.domain.errors import DomainError, IllegalTransition, NotFound, NotPermitted
from mamar.domain.visibility import Role
from mamar.guarantees.commands import MarkBroken, MarkHonoured, RecordGuarantee
from mamar.guarantees.events import GuaranteeOutcome
from mamar.guarantees.model import TRANSITIONS
from mamar.system import Mamar
from tests.negotiation_builders import (
    as_role,
    command,
    incident,
    journal_count,
    operation_with_parties,
    refused,
    run,
    state,
)

TURKISH_LIAISON = as_role(Role.LIAISON, "turkey")


def guarantee(**changes: object) -> RecordGuarantee:
    fields: dict[str, object] = {
        "id": "safe-arrival",
        "operation": "op",
        "guarantor": "turkey",
        "given_to": "factions",
        "what": {
            "original": "تضمن تركيا وصول الآليات بسلام",
            "translation": "Turkey guarantees the vehicles' safe arrival",
            "translation_language": "en",
        },
        "via_channel": "turkish-translator",
        "subject": [{"kind": "convoy", "id": "first-wounded"}],
    }
    fields.update(changes)
    return RecordGuarantee.model_validate(fields)


@pytest.fixture
def ready(system: Mamar) -> Mamar:
    operation_with_parties(system)
    run(
        system,
        command(
            "channel.open",
            id="turkish-translator",
            operation="op",
            source={"kind": "party", "id": "factions"},
            target={"kind": "party", "id": "turkey"},
        ),
    )
    run(
        system,
        command("convoy.plan", id="first-wounded", operation="op", name={"en": "First wounded"}),
    )
    return system


def test_a_guarantee_is_recorded_shared_and_pending(ready: Mamar) -> None:
    events = run(ready, guarantee(), when="2016-12-13T20:30+02:00")
    assert [(e.type, e.visibility) for e in events] == [("guarantee.recorded", "shared")]
    held = state(ready, "guarantee", "safe-arrival")
    assert held.outcome == "pending" and held.given_at == "2016-12-13T20:30:00+02:00"
    assert (held.guarantor, held.given_to, held.via_channel) == (
        "turkey",
        "factions",
        "turkish-translator",
    )
    assert [(s.kind, s.id) for s in held.subject] == [("convoy", "first-wounded")]
    assert held.what.translations[0].text == "Turkey guarantees the vehicles' safe arrival"


def test_a_liaison_records_only_what_their_own_side_guarantees(ready: Mamar) -> None:
    # The channel and the convoy are internal records: a liaison cannot see, so cannot cite them.
    refused(ready, guarantee(subject=[]), NotFound, field="via_channel", actor=TURKISH_LIAISON)
    refused(ready, guarantee(via_channel=None), NotFound, field="subject", actor=TURKISH_LIAISON)
    events = run(ready, guarantee(via_channel=None, subject=[]), actor=TURKISH_LIAISON)
    assert state(ready, "guarantee", "safe-arrival").given_by == TURKISH_LIAISON.username
    assert events[0].actor == TURKISH_LIAISON.username
    refused(
        ready,
        guarantee(id="not-theirs", guarantor="russia"),
        NotPermitted,
        actor=TURKISH_LIAISON,
    )
    # A liaison cannot keep a record from the other parties' liaisons.
    refused(
        ready, guarantee(id="hidden", visibility="internal"), NotPermitted, actor=TURKISH_LIAISON
    )
    # Whether it held is judged by the side it was given to, not by the guarantor.
    refused(ready, MarkHonoured(id="safe-arrival"), NotPermitted, actor=TURKISH_LIAISON)
    refused(ready, MarkBroken(id="safe-arrival", note="x"), NotPermitted, actor=TURKISH_LIAISON)


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"guarantor": "nobody"}, NotFound, "guarantor"),
        ({"given_to": "nobody"}, NotFound, "given_to"),
        ({"given_to": "turkey"}, DomainError, "given_to"),
        ({"via_channel": "nothing"}, NotFound, "via_channel"),
        ({"via_persons": ("nobody",)}, NotFound, "via_persons"),
        ({"subject": [{"kind": "ceasefire", "id": "nothing"}]}, NotFound, "subject"),
        (
            {"subject": [{"kind": "convoy", "id": "first-wounded"}] * 2},
            DomainError,
            "subject",
        ),
    ],
)
def test_a_guarantee_with_bad_references_is_refused(
    ready: Mamar, changes: dict[str, object], error: type[DomainError], field: str
) -> None:
    refused(ready, guarantee(**changes), error, field=field)


def test_honoured_then_broken_with_the_incidents_that_broke_it(ready: Mamar) -> None:
    run(ready, guarantee(id="truce-holds", subject=[]), when="2016-12-13T16:00+02:00")
    run(
        ready,
        MarkHonoured(id="truce-holds", note="quiet until midnight"),
        when="2016-12-13T23:00+02:00",
    )
    incident(ready, "shelling-after-midnight")
    refused(
        ready, MarkBroken(id="truce-holds", incidents=("nothing",)), NotFound, field="incidents"
    )
    refused(ready, MarkBroken(id="truce-holds"), code="no_evidence", field="incidents")
    events = run(
        ready,
        MarkBroken(
            id="truce-holds", incidents=("shelling-after-midnight",), note="shelling resumed"
        ),
        when="2016-12-14T00:30+02:00",
    )
    assert [e.type for e in events] == ["guarantee.broken"]
    held = state(ready, "guarantee", "truce-holds")
    assert held.outcome == "broken" and held.incidents == ("shelling-after-midnight",)
    assert [(h.outcome, h.note and h.note.original) for h in held.history] == [
        ("pending", None),
        ("honoured", "quiet until midnight"),
        ("broken", "shelling resumed"),
    ]
    refused(ready, MarkHonoured(id="truce-holds"), IllegalTransition)
    refused(ready, MarkBroken(id="truce-holds", note="again"), IllegalTransition)


@pytest.mark.parametrize("start", list(GuaranteeOutcome))
def test_every_outcome_change_is_allowed_or_refused_by_the_machine(
    sqlite_system: Mamar, start: GuaranteeOutcome
) -> None:
    system = sqlite_system
    operation_with_parties(system)
    reach = {
        GuaranteeOutcome.PENDING: [],
        GuaranteeOutcome.HONOURED: [MarkHonoured],
        GuaranteeOutcome.BROKEN: [MarkBroken],
    }
    marks = {GuaranteeOutcome.HONOURED: MarkHonoured, GuaranteeOutcome.BROKEN: MarkBroken}
    for wanted, mark in marks.items():
        entity = f"g-{wanted.value}"
        run(system, guarantee(id=entity, via_channel=None, subject=[]))
        for step in reach[start]:
            run(system, step(id=entity, note="reached"))
        cmd = mark(id=entity, note="test")
        if wanted in TRANSITIONS[start]:
            before = journal_count(system)
            run(system, cmd)
            assert journal_count(system) == before + 1
            assert state(system, "guarantee", entity).outcome is wanted
        else:
            refused(system, cmd, IllegalTransition)
            assert state(system, "guarantee", entity).outcome is start
