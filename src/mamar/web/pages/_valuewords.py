"""The words for each value of each choice a command offers (an enumeration), by the
enumeration's name: the general record form lists them, so a value is never shown as its
code ("not_started", "armed_group"). Each comes from the catalogues, Arabic first; where a
page already names a value, its words are those.
"""

from __future__ import annotations

from collections.abc import Mapping

from mamar.i18n.labels import (
    CATEGORY_LABELS,
    ORGANISATION_KINDS,
    precision_label,
    status_label,
)
from mamar.web.i18n import N_, tr
from mamar.web.pages._agreementwords import FULFILMENT, PHASE_STATUS
from mamar.web.pages._negotiationwords import LINKS
from mamar.web.pages._people_words import CATEGORIES, GROUPS, INJURIES, REGIONS, STATUSES

#: Kinds of party (``PartyKind``).
PARTY_KINDS = {
    "armed_group": N_("Armed group"),
    "state_forces": N_("State forces"),
    "militia": N_("Militia"),
    "guarantor_state": N_("Guarantor state"),
    "humanitarian_organisation": N_("Humanitarian organisation"),
    "civil_defence": N_("Civil defence"),
    "medical": N_("Medical staff"),
    "civilian_body": N_("Civilian body"),
    "other": N_("Other"),
}
#: Kinds of place (``PlaceKind``).
PLACE_KINDS = {
    "city": N_("City"),
    "neighbourhood": N_("Neighbourhood"),
    "roundabout": N_("Roundabout"),
    "crossing": N_("Crossing"),
    "road": N_("Road"),
    "village": N_("Village"),
    "camp": N_("Camp"),
    "checkpoint": N_("Checkpoint"),
    "other": N_("Other"),
}
#: What a note is about (``NoteKind``).
NOTE_KINDS = {
    "situation": N_("The situation"),
    "displacement": N_("Displacement"),
    "morale": N_("Morale"),
    "general": N_("General"),
}
#: How strong a party's influence on another is (``InfluenceStrength``).
STRENGTHS = {"weak": N_("weak"), "moderate": N_("moderate"), "strong": N_("strong")}

#: The enumerations whose words are a dictionary (value → message).
WORDS: dict[str, Mapping[str, str]] = {
    "EventType": CATEGORY_LABELS,
    "SubEventType": CATEGORY_LABELS,
    "FulfilmentStatus": FULFILMENT,
    "PhaseStatus": PHASE_STATUS,
    "LinkKind": LINKS,
    "OrganisationKind": ORGANISATION_KINDS,
    "PartyKind": PARTY_KINDS,
    "PlaceKind": PLACE_KINDS,
    "NoteKind": NOTE_KINDS,
    "InfluenceStrength": STRENGTHS,
    "GroupKind": GROUPS,
    "PersonStatus": STATUSES,
    "Triage": CATEGORIES,
    "BodyRegion": REGIONS,
    "InjuryType": INJURIES,
}


def value_words(enumeration: str | None, value: str, lang: str) -> str:
    """``value`` of the enumeration named ``enumeration`` (a JSON schema's title), in words."""
    if enumeration == "ConvoyStatus":
        return status_label(value, lang)
    if enumeration == "Precision":
        return precision_label(value, lang)
    message = WORDS.get(enumeration or "", {}).get(value)
    return tr(lang, message if message is not None else value)
