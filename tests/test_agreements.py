"""Agreements: drafting, concluding, versions that supersede, status, and comparing versions."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from mamar.agreements.commands import (
    AdoptAgreementVersion,
    ChangeAgreementStatus,
    ConcludeAgreement,
    DraftAgreement,
)
from mamar.agreements.compare import Change, compare_versions
from mamar.agreements.events import AgreementStatus
from mamar.agreements.model import TRANSITIONS
from mamar.domain.errors import DomainError, IllegalTransition, NotFound
from mamar.domain.model import Command
from mamar.domain.text import LocalText
from mamar.domain.visibility import Visibility
from mamar.journal import store
from mamar.journal.envelope import PendingEvent
from mamar.journal.registry import EventData
from mamar.journal.verify import verify
from mamar.negotiation.terms import CeasefireTerm, EvacuationTerm
from mamar.projections.entities import dump, rebuild
from mamar.system import Mamar
from tests.helpers import at
from tests.negotiation_builders import (
    incident,
    journal_count,
    operation_with_parties,
    refused,
    run,
    state,
    stream,
)

# S15: a ceasefire, and a first batch of wounded out by ambulance.
PRELIMINARY_TERMS = [
    {"type": "ceasefire", "area": "the six besieged neighbourhoods"},
    {
        "type": "evacuation",
        "who": "wounded",
        "description": "a first batch, by ambulance",
        "arms": "none",
    },
    {"type": "weapons_handover", "description": "heavy weapons handed over"},
]

# S29: the old terms restored: everyone leaves, fighters with light weapons,
# civilians with personal belongings.
RESTORED_TERMS = [
    {"type": "ceasefire", "area": "the six besieged neighbourhoods"},
    {
        "type": "evacuation",
        "who": "wounded",
        "description": "the wounded first, by ambulance",
        "arms": "none",
    },
    {"type": "evacuation", "who": "fighters", "arms": "light"},
    {"type": "evacuation", "who": "civilians", "belongings": "personal belongings"},
]


def draft(**changes: object) -> DraftAgreement:
    fields: dict[str, object] = {
        "id": "aleppo-exit",
        "operation": "op",
        "title": {"ar": "اتفاق الخروج", "en": "Exit agreement"},
        "parties": ("factions", "russia"),
        "guarantors": ("russia", "turkey"),
        "terms": PRELIMINARY_TERMS,
        "text": {
            "original": "اتفاق مبدئي",
            "translation": "preliminary agreement",
            "translation_language": "en",
        },
    }
    fields.update(changes)
    return DraftAgreement.model_validate(fields)


@pytest.fixture
def drafted(system: Mamar) -> Mamar:
    operation_with_parties(system)
    run(system, draft(), when="2016-12-13T10:00+02:00")
    return system


def test_draft_then_conclude_makes_version_one(drafted: Mamar) -> None:
    system = drafted
    held = state(system, "agreement", "aleppo-exit")
    assert held.status == "draft" and held.current_version == 0 and held.versions == ()
    assert len(held.terms) == 3 and held.guarantors == ("russia", "turkey")
    events = run(
        system,
        ConcludeAgreement(id="aleppo-exit", note="reached by phone via the intermediary"),
        when="2016-12-13T14:00+02:00",
    )
    assert [e.type for e in events] == ["agreement.concluded"]
    held = state(system, "agreement", "aleppo-exit")
    assert held.status == "preliminary" and held.current_version == 1
    assert held.concluded_at == "2016-12-13T14:00:00+02:00"
    (first,) = held.versions
    assert (first.version, first.supersedes, first.adopted_at) == (
        1,
        None,
        "2016-12-13T14:00:00+02:00",
    )
    assert first.terms == held.terms and first.text == held.text
    assert [h.status for h in held.history] == ["draft", "preliminary"]
    refused(system, ConcludeAgreement(id="aleppo-exit"), code="already_concluded")


def test_concluding_with_new_terms_and_in_force(drafted: Mamar) -> None:
    system = drafted
    run(
        system,
        ConcludeAgreement.model_validate(
            {"id": "aleppo-exit", "status": "in_force", "terms": RESTORED_TERMS[:2]}
        ),
    )
    held = state(system, "agreement", "aleppo-exit")
    assert held.status == "in_force" and [t.type for t in held.versions[0].terms] == [
        "ceasefire",
        "evacuation",
    ]
    with pytest.raises(ValidationError):
        ConcludeAgreement.model_validate({"id": "aleppo-exit", "status": "breached"})


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"parties": ("factions", "nobody")}, NotFound, "parties"),
        ({"parties": ("factions", "factions")}, DomainError, "parties"),
        ({"guarantors": ("nobody",)}, NotFound, "guarantors"),
        ({"issues": ("nothing",)}, NotFound, "issues"),
        ({"proposals": ("nothing",)}, NotFound, "proposals"),
        (
            {"terms": [{"type": "evacuation", "who": "everyone", "destination": "nowhere"}]},
            NotFound,
            "terms[0].destination",
        ),
    ],
)
def test_a_draft_with_bad_references_is_refused(
    system: Mamar, changes: dict[str, object], error: type[DomainError], field: str
) -> None:
    operation_with_parties(system)
    refused(system, draft(**changes), error, field=field)


def test_an_agreement_needs_two_parties_and_terms_to_be_concluded(system: Mamar) -> None:
    operation_with_parties(system)
    with pytest.raises(ValidationError):
        draft(parties=("factions",))
    run(system, draft(terms=(), text=None))
    refused(system, ConcludeAgreement(id="aleppo-exit"), code="empty_agreement", field="terms")


def test_a_new_version_supersedes_the_previous_and_can_restore_the_agreement(
    drafted: Mamar,
) -> None:
    system = drafted
    run(system, ConcludeAgreement(id="aleppo-exit"), when="2016-12-13T14:00+02:00")
    incident(system, "shelling-after-midnight")
    run(
        system,
        ChangeAgreementStatus(
            id="aleppo-exit",
            status="breached",
            reason="shelling resumed after midnight",
            incidents=("shelling-after-midnight",),
        ),
        when="2016-12-14T00:30+02:00",
    )
    events = run(
        system,
        AdoptAgreementVersion.model_validate(
            {
                "id": "aleppo-exit",
                "terms": RESTORED_TERMS,
                "text": {"original": "عودة الشروط السابقة"},
                "note": "after many calls with both translators",
                "status": "in_force",
                "reason": "new ceasefire",
            }
        ),
        when="2016-12-14T05:00+02:00",
    )
    assert [e.type for e in events] == ["agreement.version_adopted", "agreement.status_changed"]
    assert (events[0].data["version"], events[0].data["supersedes"]) == (2, 1)
    held = state(system, "agreement", "aleppo-exit")
    assert held.current_version == 2 and held.status == "in_force"
    assert [v.version for v in held.versions] == [1, 2]
    assert held.versions[1].supersedes == 1
    assert held.terms == held.versions[1].terms and held.terms != held.versions[0].terms
    assert held.text is not None and held.text.original == "عودة الشروط السابقة"
    assert [(h.status, h.restored) for h in held.history] == [
        ("draft", False),
        ("preliminary", False),
        ("breached", False),
        ("in_force", True),
    ]
    assert held.history[2].incidents == ("shelling-after-midnight",)
    # Version 1 is kept as it was: nothing is edited in place.
    assert held.versions[0].terms[1].description == LocalText(
        original="a first batch, by ambulance", language="und"
    )


def test_adopting_a_version_is_refused_when_it_cannot_apply(drafted: Mamar) -> None:
    system = drafted
    adopt = AdoptAgreementVersion.model_validate
    refused(system, adopt({"id": "aleppo-exit", "terms": RESTORED_TERMS}), code="not_concluded")
    run(system, ConcludeAgreement(id="aleppo-exit"))
    refused(
        system,
        adopt(
            {
                "id": "aleppo-exit",
                "terms": PRELIMINARY_TERMS,
                "text": state(system, "agreement", "aleppo-exit").text.model_dump(),
            }
        ),
        code="unchanged",
    )
    refused(system, adopt({"id": "aleppo-exit", "terms": []}), code="empty_version")
    # An illegal status refuses the whole command: no version is added either.
    refused(
        system,
        adopt({"id": "aleppo-exit", "terms": RESTORED_TERMS, "status": "draft"}),
        IllegalTransition,
    )
    refused(
        system,
        adopt({"id": "aleppo-exit", "terms": RESTORED_TERMS, "reason": "why"}),
        code="status_missing",
    )
    assert state(system, "agreement", "aleppo-exit").current_version == 1
    run(system, adopt({"id": "aleppo-exit", "terms": RESTORED_TERMS, "status": "preliminary"}))
    assert len(stream(system, "agreement", "aleppo-exit")) == 3  # same status: no change event
    run(system, ChangeAgreementStatus(id="aleppo-exit", status="terminated"))
    refused(system, adopt({"id": "aleppo-exit", "terms": PRELIMINARY_TERMS}), code="terminated")


def test_a_breach_must_cite_incidents_that_exist(drafted: Mamar) -> None:
    system = drafted
    run(system, ConcludeAgreement(id="aleppo-exit"))
    refused(
        system,
        ChangeAgreementStatus(id="aleppo-exit", status="breached", incidents=("nothing",)),
        NotFound,
        field="incidents",
    )


# Every (from, to) pair of the status machine, through the real services.
_REACH: dict[AgreementStatus, list[Command]] = {
    AgreementStatus.DRAFT: [],
    AgreementStatus.PRELIMINARY: [ConcludeAgreement(id="aleppo-exit")],
    AgreementStatus.IN_FORCE: [ConcludeAgreement(id="aleppo-exit", status="in_force")],
    AgreementStatus.SUSPENDED: [
        ConcludeAgreement(id="aleppo-exit"),
        ChangeAgreementStatus(id="aleppo-exit", status="suspended"),
    ],
    AgreementStatus.BREACHED: [
        ConcludeAgreement(id="aleppo-exit"),
        ChangeAgreementStatus(id="aleppo-exit", status="breached"),
    ],
    AgreementStatus.TERMINATED: [ChangeAgreementStatus(id="aleppo-exit", status="terminated")],
}


@pytest.mark.parametrize("start", list(AgreementStatus))
def test_every_status_change_is_allowed_or_refused_by_the_machine(
    sqlite_system: Mamar, start: AgreementStatus
) -> None:
    system = sqlite_system
    operation_with_parties(system)
    for wanted in AgreementStatus:
        agreement = f"a-{wanted.value.replace('_', '-')}"
        run(system, draft(id=agreement))
        for step in _REACH[start]:
            run(system, step.model_copy(update={"id": agreement}))
        assert state(system, "agreement", agreement).status is start
        change = ChangeAgreementStatus(id=agreement, status=wanted, reason="test")
        if start is AgreementStatus.DRAFT and wanted in TRANSITIONS[start] - {
            AgreementStatus.TERMINATED
        }:
            refused(system, change, code="not_concluded")
        elif wanted in TRANSITIONS[start]:
            before = journal_count(system)
            events = run(system, change)
            assert [e.type for e in events] == ["agreement.status_changed"]
            assert events[0].data["previous"] == start.value
            assert journal_count(system) == before + 1
            assert state(system, "agreement", agreement).status is wanted
        else:
            refused(system, change, IllegalTransition)
            assert state(system, "agreement", agreement).status is start


# --- comparing versions -------------------------------------------------------------------


def test_compare_versions_names_added_removed_changed_and_unchanged_terms(drafted: Mamar) -> None:
    system = drafted
    run(system, ConcludeAgreement(id="aleppo-exit"))
    run(
        system, AdoptAgreementVersion.model_validate({"id": "aleppo-exit", "terms": RESTORED_TERMS})
    )
    held = state(system, "agreement", "aleppo-exit")
    diff = compare_versions(held, 1, 2)
    assert (diff.a, diff.b, diff.text_changed) == (1, 2, True)
    assert [(r.key, r.change) for r in diff.rows] == [
        ("ceasefire", Change.UNCHANGED),
        ("evacuation:wounded", Change.CHANGED),
        ("weapons_handover", Change.REMOVED),
        ("evacuation:fighters", Change.ADDED),
        ("evacuation:civilians", Change.ADDED),
    ]
    (changed,) = diff.changed
    assert changed.fields == ("description",)
    assert isinstance(changed.before, EvacuationTerm) and isinstance(changed.after, EvacuationTerm)
    assert changed.before.description == LocalText(original="a first batch, by ambulance")
    assert changed.after.description == LocalText(original="the wounded first, by ambulance")
    assert [r.before.type for r in diff.removed if r.before] == ["weapons_handover"]
    assert [r.after.arms for r in diff.added if isinstance(r.after, EvacuationTerm)] == [
        "light",
        None,
    ]
    # The reverse comparison mirrors it; a version against itself has no changes.
    back = compare_versions(held, 2, 1)
    assert {r.key for r in back.added} == {"weapons_handover"}
    assert {r.key for r in back.removed} == {"evacuation:fighters", "evacuation:civilians"}
    same = compare_versions(held, 2, 2)
    assert not (same.added or same.removed or same.changed or same.text_changed)
    with pytest.raises(DomainError) as caught:
        compare_versions(held, 1, 3)
    assert caught.value.code == "unknown_version" and caught.value.field == "b"


def test_explicit_keys_match_terms_whose_kind_changed(drafted: Mamar) -> None:
    system = drafted
    run(
        system,
        ConcludeAgreement.model_validate(
            {
                "id": "aleppo-exit",
                "terms": [
                    {
                        "type": "other",
                        "key": "exit",
                        "text": {"original": "exit to camps", "language": "en"},
                    }
                ],
            }
        ),
    )
    run(
        system,
        AdoptAgreementVersion.model_validate(
            {
                "id": "aleppo-exit",
                "terms": [{"type": "evacuation", "key": "exit", "who": "everyone"}],
            }
        ),
    )
    diff = compare_versions(state(system, "agreement", "aleppo-exit"), 1, 2)
    (row,) = diff.rows
    assert row.key == "exit" and row.change is Change.CHANGED
    assert "type" in row.fields and "who" in row.fields and "text" in row.fields


def test_replaying_the_journal_rebuilds_the_same_agreement_state(drafted: Mamar) -> None:
    system = drafted
    run(system, ConcludeAgreement(id="aleppo-exit"))
    run(
        system, AdoptAgreementVersion.model_validate({"id": "aleppo-exit", "terms": RESTORED_TERMS})
    )
    run(system, ChangeAgreementStatus(id="aleppo-exit", status="suspended", reason="postponed"))
    with system.reading() as conn:
        before = dump(conn)
    with system.writing() as conn:
        rebuild(conn)
    with system.reading() as conn:
        assert dump(conn) == before


class _ConcludedEarlier(EventData):
    """``agreement.concluded`` as the code wrote it before a term's words kept their language
    (written here, never registered: reading goes through today's event)."""

    type_name = "agreement.concluded"

    status: str
    terms: list[dict[str, Any]]


def test_an_earlier_version_in_plain_words_loads_and_compares_by_its_words(
    drafted: Mamar,
) -> None:
    """Version 1 recorded when a term's words were plain text: it loads with their language
    not known, its bytes never move, and a new version saying the same words with their
    language changes nothing; only words that differ are marked changed."""
    system = drafted
    with system.writing() as conn:
        (first,) = store.read_stream(conn, "agreement:aleppo-exit")
        store.append(
            conn,
            [
                PendingEvent(
                    stream="agreement:aleppo-exit",
                    version=2,
                    data=_ConcludedEarlier(status="preliminary", terms=PRELIMINARY_TERMS),
                    occurred=at("2016-12-13T11:00+02:00"),
                    actor="system",
                    visibility=Visibility(first.visibility),
                    operation="op",
                )
            ],
        )
        rebuild(conn)
        body = store.read_stream(conn, "agreement:aleppo-exit")[-1].body
    assert b'"area":"the six besieged neighbourhoods"' in body
    held = state(system, "agreement", "aleppo-exit")
    area = held.versions[0].terms[0]
    assert isinstance(area, CeasefireTerm)
    assert (area.area.original, area.area.language) == ("the six besieged neighbourhoods", "und")
    same_words = {
        "type": "ceasefire",
        "area": {"original": "the six besieged neighbourhoods", "language": "en"},
    }
    run(
        system,
        AdoptAgreementVersion.model_validate(
            {"id": "aleppo-exit", "terms": [same_words, *RESTORED_TERMS[1:]]}
        ),
    )
    diff = compare_versions(state(system, "agreement", "aleppo-exit"), 1, 2)
    assert [(r.key, r.change, r.fields) for r in diff.rows[:2]] == [
        ("ceasefire", Change.UNCHANGED, ()),
        ("evacuation:wounded", Change.CHANGED, ("description",)),
    ]
    with system.reading() as conn:
        assert verify(conn).ok
        assert store.read_stream(conn, "agreement:aleppo-exit")[1].body == body
