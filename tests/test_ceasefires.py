"""Ceasefire windows: declared from an agreement, in force, violated, suspended, restored, expired."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mamar.agreements.commands import AdoptAgreementVersion, ConcludeAgreement, DraftAgreement
from mamar.ceasefires.commands import (
    DeclareCeasefire,
    ExpireCeasefire,
    RecordViolation,
    RestoreCeasefire,
    SuspendCeasefire,
    TakeEffect,
)
from mamar.ceasefires.events import CeasefireStatus
from mamar.ceasefires.model import TRANSITIONS
from mamar.domain.errors import IllegalTransition, NotFound, NotPermitted
from mamar.domain.model import Command
from mamar.domain.visibility import Role
from mamar.system import Mamar
from tests.negotiation_builders import (
    as_role,
    incident,
    journal_count,
    operation_with_parties,
    refused,
    run,
    state,
)

S = CeasefireStatus


def agreement(system: Mamar) -> None:
    run(
        system,
        DraftAgreement.model_validate(
            {
                "id": "aleppo-exit",
                "operation": "op",
                "title": {"en": "Exit agreement"},
                "parties": ("factions", "russia"),
                "terms": [{"type": "ceasefire", "area": "east Aleppo"}],
            }
        ),
    )
    run(system, ConcludeAgreement(id="aleppo-exit"))


def declare(**changes: object) -> DeclareCeasefire:
    fields: dict[str, object] = {
        "id": "truce",
        "operation": "op",
        "area": "the six besieged neighbourhoods",
        "agreement": "aleppo-exit",
        "parties": ("factions", "government-forces"),
        "starts_at": "2016-12-13T18:00+02:00",
    }
    fields.update(changes)
    return DeclareCeasefire.model_validate(fields)


@pytest.fixture
def declared(system: Mamar) -> Mamar:
    operation_with_parties(system)
    agreement(system)
    run(system, declare(), when="2016-12-13T17:00+02:00")
    return system


def test_a_declared_ceasefire_is_shared_and_tied_to_the_agreement_version(declared: Mamar) -> None:
    held = state(declared, "ceasefire", "truce")
    assert held.status == "declared" and held.visibility == "shared"
    assert (held.agreement, held.agreement_version) == ("aleppo-exit", 1)
    assert held.starts_at.isoformat() == "2016-12-13T18:00:00+02:00" and held.ends_at is None
    assert [h.status for h in held.history] == ["declared"]
    # The parties' liaisons see it; a liaison does not declare ceasefires.
    refused(
        declared,
        declare(id="other", visibility="shared"),
        NotPermitted,
        actor=as_role(Role.LIAISON, "russia"),
    )


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"agreement": "nothing"}, "not_found", "agreement"),
        ({"agreement_version": 2}, "unknown_version", "agreement_version"),
        ({"agreement": None, "agreement_version": 1}, "agreement_missing", "agreement"),
        ({"parties": ("nobody",)}, "not_found", "parties"),
        ({"ends_at": "2016-12-13T17:00+02:00"}, "ends_before_start", "ends_at"),
    ],
)
def test_a_declaration_with_bad_references_is_refused(
    declared: Mamar, changes: dict[str, object], code: str, field: str
) -> None:
    refused(declared, declare(id="second", **changes), code=code, field=field)


def test_violated_suspended_restored_by_a_new_agreement_version_then_expired(
    declared: Mamar,
) -> None:
    system = declared
    run(system, TakeEffect(id="truce"), when="2016-12-13T18:00+02:00")
    incident(system, "shelling-after-midnight", when="2016-12-14T00:30+02:00")
    incident(system, "militia-fire", when="2016-12-14T00:45+02:00")
    events = run(
        system,
        RecordViolation(id="truce", incident="shelling-after-midnight", note="artillery"),
        when="2016-12-14T00:30+02:00",
    )
    assert [e.type for e in events] == ["ceasefire.violated"]
    run(system, RecordViolation(id="truce", incident="militia-fire"), when="2016-12-14T00:45+02:00")
    refused(system, RecordViolation(id="truce", incident="militia-fire"), code="already_recorded")
    run(
        system, SuspendCeasefire(id="truce", reason="exit postponed"), when="2016-12-14T01:00+02:00"
    )
    run(
        system,
        AdoptAgreementVersion.model_validate(
            {"id": "aleppo-exit", "terms": [{"type": "ceasefire", "area": "east Aleppo, all"}]}
        ),
    )
    refused(
        system,
        RestoreCeasefire(id="truce", agreement_version=3),
        code="unknown_version",
        field="agreement_version",
    )
    run(
        system,
        RestoreCeasefire(id="truce", reason="old terms restored", agreement_version=2),
        when="2016-12-14T05:00+02:00",
    )
    run(
        system,
        ExpireCeasefire(id="truce", reason="evacuation completed"),
        when="2016-12-22T20:00+02:00",
    )
    held = state(system, "ceasefire", "truce")
    assert held.status == "expired" and held.agreement_version == 2
    assert [(v.incident, v.at) for v in held.violations] == [
        ("shelling-after-midnight", "2016-12-14T00:30:00+02:00"),
        ("militia-fire", "2016-12-14T00:45:00+02:00"),
    ]
    assert held.violations[0].note and held.violations[0].note.original == "artillery"
    assert [(h.status, h.reason and h.reason.original) for h in held.history] == [
        ("declared", None),
        ("in_force", None),
        ("violated", "artillery"),
        ("violated", None),
        ("suspended", "exit postponed"),
        ("restored", "old terms restored"),
        ("expired", "evacuation completed"),
    ]
    for final in (
        TakeEffect(id="truce"),
        SuspendCeasefire(id="truce"),
        ExpireCeasefire(id="truce"),
    ):
        refused(system, final, IllegalTransition)


def test_a_violation_must_cite_an_incident_that_exists(declared: Mamar) -> None:
    system = declared
    run(system, TakeEffect(id="truce"))
    refused(system, RecordViolation(id="truce", incident="nothing"), NotFound, field="incident")
    assert state(system, "ceasefire", "truce").status == "in_force"


def test_a_ceasefire_not_yet_in_force_cannot_be_violated(declared: Mamar) -> None:
    incident(declared, "early-shelling")
    error = refused(
        declared, RecordViolation(id="truce", incident="early-shelling"), IllegalTransition
    )
    assert "in_force" in error.message


# Every (from, to) pair of the status machine, through the real services.
_REACH: dict[CeasefireStatus, list[Callable[[str], Command]]] = {
    S.DECLARED: [],
    S.IN_FORCE: [lambda c: TakeEffect(id=c)],
    S.VIOLATED: [lambda c: TakeEffect(id=c), lambda c: RecordViolation(id=c, incident="first")],
    S.SUSPENDED: [lambda c: SuspendCeasefire(id=c)],
    S.RESTORED: [lambda c: SuspendCeasefire(id=c), lambda c: RestoreCeasefire(id=c)],
    S.EXPIRED: [lambda c: ExpireCeasefire(id=c)],
}
_TO: dict[CeasefireStatus, Callable[[str], Command]] = {
    S.IN_FORCE: lambda c: TakeEffect(id=c),
    S.VIOLATED: lambda c: RecordViolation(id=c, incident="second"),
    S.SUSPENDED: lambda c: SuspendCeasefire(id=c),
    S.RESTORED: lambda c: RestoreCeasefire(id=c),
    S.EXPIRED: lambda c: ExpireCeasefire(id=c),
}


@pytest.mark.parametrize("start", list(S))
def test_every_status_change_is_allowed_or_refused_by_the_machine(
    sqlite_system: Mamar, start: CeasefireStatus
) -> None:
    system = sqlite_system
    operation_with_parties(system)
    incident(system, "first")
    incident(system, "second")
    assert S.DECLARED not in set().union(*TRANSITIONS.values())  # nothing goes back
    for wanted, command in _TO.items():
        ceasefire = f"c-{wanted.value.replace('_', '-')}"
        run(system, DeclareCeasefire(id=ceasefire, operation="op", area="east Aleppo"))
        for step in _REACH[start]:
            run(system, step(ceasefire))
        assert state(system, "ceasefire", ceasefire).status is start
        if wanted in TRANSITIONS[start]:
            before = journal_count(system)
            run(system, command(ceasefire))
            assert journal_count(system) == before + 1
            assert state(system, "ceasefire", ceasefire).status is wanted
        else:
            refused(system, command(ceasefire), IllegalTransition)
            assert state(system, "ceasefire", ceasefire).status is start
