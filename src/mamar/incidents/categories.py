"""The ACLED event types and sub-event types, and the weapons the account names."""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    BATTLES = "battles"
    EXPLOSIONS_REMOTE_VIOLENCE = "explosions_remote_violence"
    VIOLENCE_AGAINST_CIVILIANS = "violence_against_civilians"
    PROTESTS = "protests"
    RIOTS = "riots"
    STRATEGIC_DEVELOPMENTS = "strategic_developments"


class SubEventType(StrEnum):
    ARMED_CLASH = "armed_clash"
    GOVERNMENT_REGAINS_TERRITORY = "government_regains_territory"
    NON_STATE_ACTOR_OVERTAKES_TERRITORY = "non_state_actor_overtakes_territory"
    CHEMICAL_WEAPON = "chemical_weapon"
    AIR_DRONE_STRIKE = "air_drone_strike"
    SUICIDE_BOMB = "suicide_bomb"
    SHELLING_ARTILLERY_MISSILE_ATTACK = "shelling_artillery_missile_attack"
    REMOTE_EXPLOSIVE_LANDMINE_IED = "remote_explosive_landmine_ied"
    GRENADE = "grenade"
    SEXUAL_VIOLENCE = "sexual_violence"
    ATTACK = "attack"
    ABDUCTION_FORCED_DISAPPEARANCE = "abduction_forced_disappearance"
    PEACEFUL_PROTEST = "peaceful_protest"
    PROTEST_WITH_INTERVENTION = "protest_with_intervention"
    EXCESSIVE_FORCE_AGAINST_PROTESTERS = "excessive_force_against_protesters"
    VIOLENT_DEMONSTRATION = "violent_demonstration"
    MOB_VIOLENCE = "mob_violence"
    AGREEMENT = "agreement"
    ARRESTS = "arrests"
    CHANGE_TO_GROUP_ACTIVITY = "change_to_group_activity"
    DISRUPTED_WEAPONS_USE = "disrupted_weapons_use"
    HEADQUARTERS_OR_BASE_ESTABLISHED = "headquarters_or_base_established"
    LOOTING_PROPERTY_DESTRUCTION = "looting_property_destruction"
    NON_VIOLENT_TRANSFER_OF_TERRITORY = "non_violent_transfer_of_territory"
    OTHER = "other"


_T, _S = EventType, SubEventType

#: Which sub-event types belong to which event type (as ACLED groups them).
SUB_EVENT_TYPES: dict[EventType, frozenset[SubEventType]] = {
    _T.BATTLES: frozenset(
        {_S.ARMED_CLASH, _S.GOVERNMENT_REGAINS_TERRITORY, _S.NON_STATE_ACTOR_OVERTAKES_TERRITORY}
    ),
    _T.EXPLOSIONS_REMOTE_VIOLENCE: frozenset(
        {
            _S.CHEMICAL_WEAPON,
            _S.AIR_DRONE_STRIKE,
            _S.SUICIDE_BOMB,
            _S.SHELLING_ARTILLERY_MISSILE_ATTACK,
            _S.REMOTE_EXPLOSIVE_LANDMINE_IED,
            _S.GRENADE,
        }
    ),
    _T.VIOLENCE_AGAINST_CIVILIANS: frozenset(
        {_S.SEXUAL_VIOLENCE, _S.ATTACK, _S.ABDUCTION_FORCED_DISAPPEARANCE}
    ),
    _T.PROTESTS: frozenset(
        {
            _S.PEACEFUL_PROTEST,
            _S.PROTEST_WITH_INTERVENTION,
            _S.EXCESSIVE_FORCE_AGAINST_PROTESTERS,
        }
    ),
    _T.RIOTS: frozenset({_S.VIOLENT_DEMONSTRATION, _S.MOB_VIOLENCE}),
    _T.STRATEGIC_DEVELOPMENTS: frozenset(
        {
            _S.AGREEMENT,
            _S.ARRESTS,
            _S.CHANGE_TO_GROUP_ACTIVITY,
            _S.DISRUPTED_WEAPONS_USE,
            _S.HEADQUARTERS_OR_BASE_ESTABLISHED,
            _S.LOOTING_PROPERTY_DESTRUCTION,
            _S.NON_VIOLENT_TRANSFER_OF_TERRITORY,
            _S.OTHER,
        }
    ),
}


def event_type_of(sub: SubEventType) -> EventType:
    return next(t for t, subs in SUB_EVENT_TYPES.items() if sub in subs)


class Weapon(StrEnum):
    """Weapon classes; ``weapon_detail`` keeps the users' own words ("elephant" rockets)."""

    BARREL_BOMB = "barrel_bomb"
    CONTAINER_BOMB = "container_bomb"
    BUNKER_BUSTER = "bunker_buster"
    ARTILLERY = "artillery"
    ROCKET = "rocket"
    CLUSTER_MUNITION = "cluster_munition"
    SNIPER = "sniper"
    SMALL_ARMS = "small_arms"
    AIR_STRIKE = "air_strike"
    MORTAR = "mortar"
    VEHICLE_BORNE_IED = "vehicle_borne_ied"  # a car or truck bomb
    IED = "ied"
    LANDMINE = "landmine"
    OTHER = "other"


class HumanitarianImpact(StrEnum):
    """What an incident did to humanitarian work, beside its ACLED category (one incident
    may have several): access denied, aid workers attacked, staff detained."""

    DENIAL_OF_ACCESS = "denial_of_access"
    ATTACK_ON_AID_WORKERS = "attack_on_aid_workers"
    DETENTION_OF_STAFF = "detention_of_staff"
    ATTACK_ON_MEDICAL_CARE = "attack_on_medical_care"
    ATTACK_ON_CONVOY = "attack_on_convoy"
