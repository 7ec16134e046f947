"""Incidents: ACLED categories, verification machine, evidence, corrections, breaches."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from mamar import reads
from mamar.domain.errors import DomainError, IllegalTransition, NotFound
from mamar.incidents.categories import SUB_EVENT_TYPES, EventType, SubEventType, event_type_of
from mamar.incidents.commands import AddIncidentEvidence, ReportIncident
from mamar.incidents.events import Confidence, Tally, VerificationStatus
from mamar.incidents.model import IncidentState
from mamar.services.commands import SYSTEM
from mamar.system import Mamar
from tests.movement_builders import refused, run, setup, state, types_of

HASH_A = "a" * 64
HASH_B = "0123456789abcdef" * 4
SNIPER: dict[str, Any] = {
    "event_type": "violence_against_civilians",
    "sub_event_type": "attack",
    "weapon": "sniper",
    "point": {"lat": 36.158, "lon": 37.145},
    "description": {
        "original": "قناص أصاب رئيس الدفاع المدني في بطنه",
        "translation": "A sniper hit the civil-defence chief in the abdomen",
        "translation_language": "en",
    },
    "alleged_perpetrator": "militia",
    "perpetrator_confidence": "likely",
    "casualties": {"injured": {"total": 1, "breakdown": {"civil_defence": 1}}},
    "source": {"text": "the convoy's civil-defence team", "kind": "own_team"},
}


def world(system: Mamar) -> None:
    setup(system, "militia", "factions", "government")
    run(system, "convoy.plan", id="c1", operation="op", name={"en": "First wounded"})


def report(system: Mamar, incident: str = "sniper", **changes: Any) -> None:
    run(
        system,
        "incident.report",
        when="2016-12-14T14:10+02:00",
        id=incident,
        operation="op",
        **{**SNIPER, "convoy": "c1", **changes},
    )


def incident(system: Mamar, incident: str = "sniper") -> IncidentState:
    found: IncidentState = state(system, "incident", incident)
    return found


def test_reported_incident_holds_its_facts(system: Mamar) -> None:
    world(system)
    report(system, evidence=[HASH_A.upper()], weapon_detail="from a rooftop")
    i = incident(system)
    assert i.visibility == "shared" and i.verification is VerificationStatus.UNVERIFIED
    assert i.event_type is EventType.VIOLENCE_AGAINST_CIVILIANS
    assert i.sub_event_type is SubEventType.ATTACK
    assert (i.point is not None) and (i.point.lat, i.point.lon) == (36.158, 37.145)
    assert i.alleged_perpetrator == "militia" and i.perpetrator_confidence is Confidence.LIKELY
    assert i.casualties.injured is not None and i.casualties.injured.total == 1
    assert i.casualties.killed is None  # not known, which is not zero
    assert i.evidence == (HASH_A,)  # normalised to lower case
    assert (i.convoy, i.own_side, i.reported_by) == ("c1", False, "system")
    assert i.occurred_at == i.created_at == "2016-12-14T14:10:00+02:00"
    assert types_of(system, "incident:sniper") == ["incident.reported"]


def test_own_side_actions_are_recorded(system: Mamar) -> None:
    world(system)
    report(
        system,
        "return-fire",
        event_type="explosions_remote_violence",
        sub_event_type="shelling_artillery_missile_attack",
        weapon="artillery",
        alleged_perpetrator="factions",
        perpetrator_confidence="confirmed",
        own_side=True,
        casualties={},
        convoy=None,
        description={"original": "the factions' artillery returns fire", "language": "en"},
    )
    i = incident(system, "return-fire")
    assert i.own_side is True and i.alleged_perpetrator == "factions"


def test_sub_event_type_must_belong_to_event_type(system: Mamar) -> None:
    world(system)
    error = refused(
        system,
        "incident.report",
        field="sub_event_type",
        code="wrong_sub_event_type",
        id="x",
        operation="op",
        **{**SNIPER, "event_type": "battles", "sub_event_type": "air_drone_strike"},
    )
    assert "armed_clash" in error.message


def test_every_acled_sub_event_type_has_one_event_type() -> None:
    grouped = [s for subs in SUB_EVENT_TYPES.values() for s in subs]
    assert sorted(grouped) == sorted(SubEventType) and len(grouped) == len(set(grouped))
    assert event_type_of(SubEventType.GRENADE) is EventType.EXPLOSIONS_REMOTE_VIOLENCE
    assert event_type_of(SubEventType.OTHER) is EventType.STRATEGIC_DEVELOPMENTS


@pytest.mark.parametrize(
    ("point", "field", "word"),
    [
        ({"lat": -90.5, "lon": 37.0}, "lat", "latitude"),
        ({"lat": 36.0, "lon": 181}, "lon", "longitude"),
    ],
)
def test_point_out_of_range_is_refused_naming_the_field(
    point: dict[str, float], field: str, word: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        ReportIncident.model_validate({**SNIPER, "id": "x", "operation": "op", "point": point})
    error = caught.value.errors()[0]
    assert error["loc"] == ("point", field) and word in error["msg"]


@pytest.mark.parametrize("bad", ["abc", "g" * 64, "a" * 63, "a" * 65, f"sha256:{'a' * 64}"])
def test_bad_evidence_hash_is_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        AddIncidentEvidence.model_validate({"id": "x", "hashes": [HASH_A, bad]})
    error = caught.value.errors()[0]
    assert error["loc"] == ("hashes", 1) and "SHA-256" in error["msg"]


def test_counts_are_not_negative_and_breakdowns_fit_the_total() -> None:
    with pytest.raises(ValidationError) as caught:
        ReportIncident.model_validate(
            {**SNIPER, "id": "x", "operation": "op", "casualties": {"killed": {"total": -1}}}
        )
    assert caught.value.errors()[0]["loc"] == ("casualties", "killed", "total")
    with pytest.raises(ValidationError, match="more than the total"):
        ReportIncident.model_validate(
            {
                **SNIPER,
                "id": "x",
                "operation": "op",
                "casualties": {"killed": {"total": 1, "breakdown": {"civilians": 1, "medical": 1}}},
            }
        )


def test_report_checks_references_and_consistency(system: Mamar) -> None:
    world(system)
    base = {**SNIPER, "id": "x", "operation": "op"}
    refused(
        system,
        "incident.report",
        NotFound,
        field="alleged_perpetrator",
        **{**base, "alleged_perpetrator": "nobody"},
    )
    refused(system, "incident.report", NotFound, field="convoy", **base, convoy="c9")
    refused(system, "incident.report", NotFound, field="place", **base, place="nowhere")
    refused(
        system,
        "incident.report",
        field="perpetrator_confidence",
        **{**base, "alleged_perpetrator": None},
    )
    refused(
        system,
        "incident.report",
        field="weapon_detail",
        code="weapon_detail_required",
        **{**base, "weapon": "other"},
    )
    refused(
        system,
        "incident.report",
        field="evidence",
        code="duplicate_evidence",
        **base,
        evidence=[HASH_A, HASH_A],
    )


def test_report_at_a_place(system: Mamar) -> None:
    world(system)
    run(
        system,
        "place.register",
        id="ramouseh",
        operation="op",
        name={"ar": "الراموسة", "en": "Ramouseh"},
        place_kind="neighbourhood",
    )
    report(system, place="ramouseh")
    assert incident(system).place == "ramouseh"


VERIFICATION_PATHS = [
    ["corroborated", "verified"],
    ["disputed", "corroborated", "verified", "disputed", "retracted"],
    ["corroborated", "disputed", "verified"],
    ["retracted"],
]


@pytest.mark.parametrize("path", VERIFICATION_PATHS)
def test_verification_paths(system: Mamar, path: list[str]) -> None:
    world(system)
    report(system)
    for status in path:
        run(system, "incident.change_verification", id="sniper", status=status, reason="checked")
    i = incident(system)
    assert i.verification.value == path[-1]
    assert [e.status.value for e in i.verification_history] == ["unverified", *path]


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ([], "verified"),  # not without corroboration
        ([], "unverified"),
        (["corroborated"], "corroborated"),
        (["corroborated", "verified"], "corroborated"),
        (["disputed"], "disputed"),
        (["retracted"], "disputed"),  # retracted is final
        (["retracted"], "verified"),
    ],
)
def test_illegal_verification_changes_are_refused(
    system: Mamar, path: list[str], wanted: str
) -> None:
    world(system)
    report(system)
    for status in path:
        run(system, "incident.change_verification", id="sniper", status=status)
    refused(
        system,
        "incident.change_verification",
        IllegalTransition,
        field="status",
        id="sniper",
        status=wanted,
    )
    assert incident(system).verification.value == (path[-1] if path else "unverified")


def test_evidence_is_added_once(system: Mamar) -> None:
    world(system)
    report(system, evidence=[HASH_A])
    run(system, "incident.add_evidence", id="sniper", hashes=[HASH_B], note="photo of the site")
    assert incident(system).evidence == (HASH_A, HASH_B)
    refused(
        system,
        "incident.add_evidence",
        field="hashes",
        code="evidence_already_recorded",
        id="sniper",
        hashes=[HASH_A.upper()],
    )
    with pytest.raises(ValidationError):
        AddIncidentEvidence.model_validate({"id": "sniper", "hashes": []})


def test_correction_keeps_replaced_values(system: Mamar) -> None:
    world(system)
    report(system)
    events = run(
        system,
        "incident.correct",
        when="2016-12-15T09:00+02:00",
        id="sniper",
        reason="hospital figures",
        casualties={"killed": {"total": 1}, "injured": {"total": 4}},
        perpetrator_confidence="possible",
        point=None,
    )
    assert events[0].type == "incident.corrected"
    i = incident(system)
    assert i.casualties.killed is not None and i.casualties.killed.total == 1
    assert i.perpetrator_confidence is Confidence.POSSIBLE and i.point is None
    correction = i.corrections[0]
    assert correction.reason.original == "hospital figures" and correction.by == "system"
    assert correction.at == "2016-12-15T09:00:00+02:00"
    assert correction.replaced == {
        "casualties": {
            "killed": None,
            "injured": {
                "total": 1,
                "breakdown": {
                    "civilians": None,
                    "fighters": None,
                    "medical": None,
                    "civil_defence": 1,
                    "unknown": None,
                    "aid_workers": None,
                },
                "children": None,
            },
        },
        "perpetrator_confidence": "likely",
        "point": {"lat": 36.158, "lon": 37.145},
    }
    # The original report is still in the journal, unchanged.
    assert types_of(system, "incident:sniper") == ["incident.reported", "incident.corrected"]


def test_correction_is_validated_and_changes_nothing_when_refused(system: Mamar) -> None:
    world(system)
    report(system)
    refused(
        system, "incident.correct", code="unchanged", id="sniper", reason="same", weapon="sniper"
    )
    refused(system, "incident.correct", code="unchanged", id="sniper", reason="nothing")
    refused(system, "incident.correct", field="reason", id="sniper", reason=" ", weapon="rocket")
    refused(
        system,
        "incident.correct",
        field="sub_event_type",
        code="wrong_sub_event_type",
        id="sniper",
        reason="it was a battle",
        event_type="battles",
    )
    refused(
        system,
        "incident.correct",
        field="event_type",
        code="required",
        id="sniper",
        reason="clear",
        event_type=None,
    )
    refused(
        system,
        "incident.correct",
        NotFound,
        field="alleged_perpetrator",
        id="sniper",
        reason="other group",
        alleged_perpetrator="nobody",
    )
    run(
        system,
        "incident.correct",
        id="sniper",
        reason="it was a clash",
        event_type="battles",
        sub_event_type="armed_clash",
        weapon="rocket",
        weapon_detail='"elephant" rockets',
    )
    i = incident(system)
    assert (i.event_type, i.sub_event_type) == (EventType.BATTLES, SubEventType.ARMED_CLASH)
    assert i.weapon_detail is not None and i.weapon_detail.original == '"elephant" rockets'
    assert len(i.corrections) == 1


def test_retracted_incident_is_closed(system: Mamar) -> None:
    world(system)
    report(system)
    run(system, "incident.change_verification", id="sniper", status="retracted", reason="error")
    error = refused(
        system, "incident.change_verification", IllegalTransition, id="sniper", status="verified"
    )
    assert "an incident that is 'retracted'" in error.message
    refused(
        system, "incident.add_evidence", code="incident_retracted", id="sniper", hashes=[HASH_B]
    )
    refused(
        system,
        "incident.correct",
        code="incident_retracted",
        id="sniper",
        reason="x",
        weapon="rocket",
    )


def _agreement(system: Mamar) -> None:
    run(
        system,
        "agreement.draft",
        id="truce",
        operation="op",
        title={"en": "Preliminary agreement"},
        parties=["factions", "government"],
        terms=[
            {"type": "ceasefire", "area": "east Aleppo"},
            {"type": "evacuation", "who": "wounded"},
        ],
    )
    run(system, "agreement.conclude", id="truce")


def test_breach_links_to_an_agreement_term(system: Mamar) -> None:
    world(system)
    _agreement(system)
    report(
        system,
        "shelling",
        event_type="explosions_remote_violence",
        sub_event_type="shelling_artillery_missile_attack",
        weapon="artillery",
    )
    run(
        system,
        "incident.link_breach",
        id="shelling",
        agreement="truce",
        term=0,
        note="shelling after midnight",
    )
    breach = incident(system, "shelling").breaches[0]
    assert (breach.agreement, breach.agreement_version, breach.term) == ("truce", 1, 0)
    refused(
        system,
        "incident.link_breach",
        field="term",
        code="breach_already_linked",
        id="shelling",
        agreement="truce",
        term=0,
    )
    refused(
        system,
        "incident.link_breach",
        field="term",
        code="unknown_term",
        id="shelling",
        agreement="truce",
        term=2,
    )
    refused(
        system,
        "incident.link_breach",
        field="agreement_version",
        id="shelling",
        agreement="truce",
        agreement_version=3,
        term=0,
    )
    refused(
        system,
        "incident.link_breach",
        NotFound,
        field="agreement",
        id="shelling",
        agreement="none",
        term=0,
    )


def test_unknown_incident_is_not_found(system: Mamar) -> None:
    world(system)
    with pytest.raises(DomainError) as caught:
        run(system, "incident.change_verification", id="ghost", status="corroborated")
    assert caught.value.code == "not_found" and caught.value.field == "id"


def test_several_alleged_perpetrators_each_with_confidence_and_who_alleges(
    system: Mamar,
) -> None:
    world(system)
    report(
        system,
        alleged_perpetrator=None,
        perpetrator_confidence="unknown",
        allegations=[
            {"party": "government", "confidence": "likely", "alleged_by": "factions"},
            {"party": "factions", "confidence": "possible", "alleged_by": "government"},
        ],
    )
    i = incident(system)
    assert [(a.party, a.confidence.value, a.alleged_by) for a in i.perpetrators()] == [
        ("government", "likely", "factions"),
        ("factions", "possible", "government"),
    ]
    assert i.main_perpetrator == "government"
    run(
        system,
        "incident.add_allegation",
        id="sniper",
        allegation={"party": "militia", "confidence": "confirmed", "alleged_by": "factions"},
    )
    assert incident(system).main_perpetrator == "militia"
    with system.reading() as conn:
        seen = reads.overview(conn, viewer=SYSTEM, operation="op")["incidents"]
    # Mutual blame: the incident counts under each party alleged.
    assert seen["by_alleged_perpetrator"] == {"factions": 1, "government": 1, "militia": 1}


def test_allegations_are_checked(system: Mamar) -> None:
    world(system)
    report(system)
    refused(
        system,
        "incident.add_allegation",
        NotFound,
        field="allegation",
        id="sniper",
        allegation={"party": "nobody"},
    )
    run(system, "incident.add_allegation", id="sniper", allegation={"party": "government"})
    refused(
        system,
        "incident.add_allegation",
        code="allegation_twice",
        id="sniper",
        allegation={"party": "government", "confidence": "likely"},
    )


def test_humanitarian_categories_groups_of_casualties_and_weapons(system: Mamar) -> None:
    world(system)
    report(
        system,
        event_type="explosions_remote_violence",
        sub_event_type="suicide_bomb",
        weapon="vehicle_borne_ied",
        humanitarian=["attack_on_convoy", "attack_on_aid_workers"],
        casualties={
            "killed": {
                "total": 126,
                "children": 68,
                "breakdown": {"civilians": 100, "aid_workers": 3, "civil_defence": 2},
            }
        },
    )
    i = incident(system)
    assert i.weapon.value == "vehicle_borne_ied"
    assert [h.value for h in i.humanitarian] == ["attack_on_convoy", "attack_on_aid_workers"]
    killed = i.casualties.killed
    assert killed is not None and killed.children == 68 and killed.breakdown is not None
    assert killed.breakdown.aid_workers == 3
    report(
        system,
        "denied",
        event_type="strategic_developments",
        sub_event_type="arrests",
        weapon="mortar",
        humanitarian=["denial_of_access", "detention_of_staff"],
    )
    with system.reading() as conn:
        seen = reads.overview(conn, viewer=SYSTEM, operation="op")["incidents"]
    assert seen["by_humanitarian_impact"] == {
        "attack_on_aid_workers": 1,
        "attack_on_convoy": 1,
        "denial_of_access": 1,
        "detention_of_staff": 1,
    }


def test_children_cannot_outnumber_the_total() -> None:
    with pytest.raises(ValidationError, match="children"):
        Tally(total=3, children=4)
