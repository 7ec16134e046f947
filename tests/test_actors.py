"""Parties, sides, the influence map and persons (with their personal data in the vault)."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select

from mamar.db.tables import entities, journal
from mamar.domain.errors import DomainError, NotFound, NotPermitted
from mamar.domain.model import Actor
from mamar.domain.visibility import Role
from mamar.journal.verify import verify
from mamar.parties.commands import (
    FormSide,
    JoinSide,
    MapInfluence,
    RegisterParty,
    RetireInfluence,
    UpdateParty,
)
from mamar.persons.commands import ErasePerson, RegisterPerson
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.actor_builders import (
    journal_count,
    party,
    person,
    refused,
    state,
    types_of,
    vault_count,
    who,
)
from tests.helpers import at, open_operation

NEGOTIATOR = Actor(username="negotiator", role=Role.NEGOTIATOR)
LIAISON = Actor(username="tr-liaison", role=Role.LIAISON, party="turkey", organisation="turkey")


def test_party_is_registered_shared_with_its_kind_aliases_and_description(system: Mamar) -> None:
    open_operation(system)
    system.execute(
        RegisterParty(
            id="sarc",
            operation="op",
            name={"ar": "الهلال الأحمر العربي السوري", "en": "Syrian Arab Red Crescent"},
            party_kind="humanitarian_organisation",
            aliases=("SARC", "الهلال الأحمر"),
            description="Escorts the convoys",
        ),
        actor=NEGOTIATOR,
    )
    sarc = state(system, "party", "sarc")
    assert sarc.visibility == "shared"
    assert (sarc.kind, sarc.aliases, sarc.side) == (
        "humanitarian_organisation",
        ("SARC", "الهلال الأحمر"),
        None,
    )
    assert sarc.name.en == "Syrian Arab Red Crescent"
    assert types_of(system, "party:sarc") == ["party.registered"]


def test_party_kind_outside_the_list_is_refused() -> None:
    with pytest.raises(ValueError, match="party_kind"):
        RegisterParty(id="x", operation="op", name={"en": "X"}, party_kind="tribe")


def test_party_update_records_only_what_changed_and_refuses_no_change(system: Mamar) -> None:
    open_operation(system)
    party(system, "factions", description="Besieged factions")
    events = system.execute(
        UpdateParty(id="factions", description="Besieged factions", aliases=("the factions",)),
        actor=SYSTEM,
    )
    assert events[0].type == "party.updated"
    assert events[0].data["aliases"] == ["the factions"]
    assert events[0].data["description"] is None  # unchanged, so not repeated
    assert state(system, "party", "factions").aliases == ("the factions",)
    refused(
        system, UpdateParty(id="factions", aliases=("the factions",)), DomainError, code="unchanged"
    )


def test_sides_are_formed_from_known_parties_and_parties_join_them(system: Mamar) -> None:
    open_operation(system)
    party(system, "russia", "guarantor_state")
    party(system, "gov-forces", "state_forces")
    party(system, "militias", "militia")
    system.execute(
        FormSide(
            id="gov-side",
            operation="op",
            name={"en": "Government and allies"},
            members=("gov-forces", "russia"),
        ),
        actor=SYSTEM,
    )
    side = state(system, "side", "gov-side")
    assert (side.members, side.visibility) == (("gov-forces", "russia"), "shared")

    events = system.execute(JoinSide(id="militias", side="gov-side"), actor=SYSTEM)
    assert (events[0].type, events[0].data["previous"]) == ("party.joined_side", None)
    assert state(system, "party", "militias").side == "gov-side"

    refused(system, JoinSide(id="militias", side="gov-side"), DomainError, code="unchanged")
    refused(system, JoinSide(id="militias", side="nobody"), NotFound, field="side")
    refused(
        system,
        FormSide(id="s2", operation="op", name={"en": "S"}, members=("russia", "ghost")),
        NotFound,
        field="members",
    )
    refused(
        system,
        FormSide(id="s2", operation="op", name={"en": "S"}, members=("russia", "russia")),
        DomainError,
        field="members",
    )
    refused(
        system,
        RegisterParty(id="p", operation="op", name={"en": "P"}, party_kind="other", side="ghost"),
        NotFound,
        field="side",
    )


def test_influence_map_links_who_can_press_whom_and_can_be_retired(system: Mamar) -> None:
    open_operation(system)
    party(system, "factions")
    person(system, "notable", role_title={"en": "Influential civilian"})
    system.execute(
        MapInfluence(
            id="notable-on-factions",
            operation="op",
            source=who("person", "notable"),
            target=who("party", "factions"),
            means="Presses fighters to accept the surrender offers",
            strength="strong",
        ),
        actor=NEGOTIATOR,
    )
    link = state(system, "influence", "notable-on-factions")
    assert (link.source.id, link.target.kind, link.strength, link.retired) == (
        "notable",
        "party",
        "strong",
        False,
    )
    assert link.visibility == "internal"
    system.execute(RetireInfluence(id="notable-on-factions", reason="left the city"), actor=SYSTEM)
    assert state(system, "influence", "notable-on-factions").retired
    refused(system, RetireInfluence(id="notable-on-factions"), DomainError, code="already_retired")

    def link_to(target: dict[str, str], link_id: str = "l2") -> MapInfluence:
        return MapInfluence(
            id=link_id, operation="op", source=who("person", "notable"), target=target
        )

    refused(system, link_to(who("party", "ghost")), NotFound, field="target")
    # A person and a party are different entities even with the same id.
    refused(system, link_to(who("person", "factions")), NotFound, field="target")
    refused(system, link_to(who("person", "notable")), DomainError, code="same_ends")


def test_liaison_cannot_reach_internal_records(system: Mamar) -> None:
    open_operation(system)
    party(system, "turkey", "guarantor_state")
    person(system, "notable")
    # The liaison may not map influence at all, and cannot see the internal person
    # through a record it is allowed to touch.
    refused(
        system,
        MapInfluence(
            id="l", operation="op", source=who("person", "notable"), target=who("party", "turkey")
        ),
        NotPermitted,
        actor=LIAISON,
    )
    from mamar.contacts.commands import LogContact

    refused(
        system,
        LogContact(
            id="c",
            operation="op",
            visibility="shared",
            direction="inbound",
            source=who("person", "notable"),
            target=who("party", "turkey"),
        ),
        NotFound,
        field="source",
        actor=LIAISON,
    )


FULL_NAME = "Abu Testname Al-Example"
ARABIC_NAME = "أبو محمد التجريبي"
PHONE = "+963 944 123 456"


def register_evacuee(system: Mamar) -> str:
    party(system, "civil-defence", "civil_defence")
    system.execute(
        RegisterPerson(
            id="cd-chief",
            operation="op",
            party="civil-defence",
            role_title={"en": "Civil-defence chief", "ar": "رئيس الدفاع المدني"},
            tags=("wounded",),
            personal={
                "full_name": f"{FULL_NAME} {ARABIC_NAME}",
                "phones": [PHONE],
                "injuries": "Sniper wound to the abdomen",
            },
        ),
        actor=SYSTEM,
        occurred=at("2016-12-13T15:00+02:00"),
    )
    ref: str = state(system, "person", "cd-chief").vault_ref
    return ref


def _raw_rows(system: Mamar) -> list[bytes]:
    with system.reading() as conn:
        bodies = [bytes(b) for b in conn.execute(select(journal.c.body)).scalars()]
        states = [s.encode() for s in conn.execute(select(entities.c.state)).scalars()]
    return bodies + states


def test_personal_data_goes_to_the_vault_never_into_events(system: Mamar) -> None:
    open_operation(system)
    ref = register_evacuee(system)
    assert system.vault is not None
    with system.reading() as conn:
        record = system.vault.get(conn, ref)
    assert record is not None and record["phones"] == [PHONE]
    assert record["injuries"]["original"] == "Sniper wound to the abdomen"

    cd_chief = state(system, "person", "cd-chief")
    assert (cd_chief.party, cd_chief.tags, cd_chief.erased) == (
        "civil-defence",
        ("wounded",),
        False,
    )
    assert cd_chief.role_title.en == "Civil-defence chief"

    secrets = [FULL_NAME, ARABIC_NAME, PHONE, "944 123", "abdomen"]
    for raw in _raw_rows(system):
        for secret in secrets:
            assert secret.encode() not in raw
            assert orjson.dumps(secret)[1:-1] not in raw  # nor its JSON-escaped form


def test_erasing_a_person_destroys_the_vault_record_and_the_journal_still_verifies(
    system: Mamar,
) -> None:
    open_operation(system)
    ref = register_evacuee(system)
    refused(system, ErasePerson(id="cd-chief"), NotPermitted, actor=NEGOTIATOR)

    events = system.execute(ErasePerson(id="cd-chief", reason="protection_risk"), actor=SYSTEM)
    # The reason is one of a list, never free text that could repeat what was erased.
    assert (events[0].type, events[0].data) == (
        "person.erased",
        {"vault_ref": ref, "reason": "protection_risk"},
    )
    assert system.vault is not None
    with system.reading() as conn:
        assert system.vault.get(conn, ref) is None
        result = verify(conn)
    assert result.ok, result.describe()
    assert state(system, "person", "cd-chief").erased
    refused(system, ErasePerson(id="cd-chief"), DomainError, code="already_erased")
    for raw in _raw_rows(system):
        assert FULL_NAME.encode() not in raw and PHONE.encode() not in raw


def test_a_person_without_personal_data_is_erased_without_touching_the_vault(
    system: Mamar,
) -> None:
    open_operation(system)
    person(system, "ru-general", role_title={"en": "Russian general"})
    assert state(system, "person", "ru-general").vault_ref is None
    system.execute(ErasePerson(id="ru-general"), actor=SYSTEM)
    assert state(system, "person", "ru-general").erased
    assert vault_count(system) == 0


def test_refused_registration_leaves_neither_event_nor_vault_record(system: Mamar) -> None:
    open_operation(system)
    refused(
        system,
        RegisterPerson(
            id="p",
            operation="op",
            party="ghost",
            personal={"full_name": FULL_NAME, "phones": [PHONE]},
        ),
        NotFound,
        field="party",
    )
    assert vault_count(system) == 0
    assert journal_count(system) == 1


def test_persons_are_internal_by_default_and_hidden_from_liaisons(system: Mamar) -> None:
    from mamar.contacts.commands import LogContact

    open_operation(system)
    party(system, "turkey", "guarantor_state")
    person(system, "translator", role_title={"en": "Turkish side's translator"})
    assert state(system, "person", "translator").visibility == "internal"

    def call(person_id: str) -> LogContact:
        return LogContact(
            id=f"call-{person_id}",
            operation="op",
            visibility="shared",
            direction="outbound",
            source=who("party", "turkey"),
            target=who("person", person_id),
        )

    refused(system, call("translator"), NotFound, field="target", actor=LIAISON)
    person(system, "shared-translator", visibility="shared")
    system.execute(call("shared-translator"), actor=LIAISON)
    assert state(system, "contact", "call-shared-translator").status == "held"


def test_malformed_phone_and_hidden_characters_are_refused() -> None:
    with pytest.raises(ValueError, match="phones"):
        RegisterPerson(id="p", operation="op", personal={"full_name": "A", "phones": ["call me"]})
    with pytest.raises(ValueError, match="direction-changing"):
        RegisterPerson(id="p", operation="op", role_title={"en": "chief\u202e"})


def test_read_models_rebuild_identically_from_the_journal(system: Mamar) -> None:
    from mamar.projections.entities import dump, rebuild

    open_operation(system)
    register_evacuee(system)
    party(system, "russia", "guarantor_state")
    system.execute(
        FormSide(id="guarantors", operation="op", name={"en": "Guarantors"}, members=("russia",)),
        actor=SYSTEM,
    )
    system.execute(JoinSide(id="civil-defence", side="guarantors"), actor=SYSTEM)
    system.execute(UpdateParty(id="russia", description="Guarantor"), actor=SYSTEM)
    system.execute(ErasePerson(id="cd-chief"), actor=SYSTEM)
    with system.reading() as conn:
        before = dump(conn)
    with system.writing() as conn:
        rebuild(conn)
    with system.reading() as conn:
        assert dump(conn) == before
